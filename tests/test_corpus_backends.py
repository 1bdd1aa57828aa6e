"""The corpus on SQLite and on PostgreSQL (a real server: tests/postgres_server.py) under what a shared corpus
meets: the same full-text results from FTS5 and from PostgreSQL's tsvector; concurrent ingests into one corpus
(nothing lost, nothing stored twice, each run's counts right); many processes opening one new database at once;
queries the full-text parsers refuse (issue 13)."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

import marsad

from conftest import BACKENDS, new_corpus_target
from marsad.corpus import Corpus, migrations, search
from marsad.corpus.cli import main as corpus_main
from marsad.corpus.text import words
from test_corpus import DOCS, _structured

ROOT = Path(__file__).resolve().parent.parent
EXTRA = [
    {"id": "ar-douma", "text": "قصفت القوات الحكومية مدينة دوما في الغوطة الشرقية، وقالت مصادر إن الغارات على "
                               "دوما أوقعت قتلى.", "language": "ar", "source": "Enab Baladi", "published": "2018-04-07",
     "title": "قصف على دوما"},
    {"id": "en-aleppo", "text": "Shelling of eastern Aleppo resumed on Tuesday; the monitor said ten people died in "
                                "the town. Talks in Geneva were suspended.", "language": "en", "source": "Reuters",
     "published": "2016-11-29", "title": "Aleppo shelled again"},
]


@pytest.fixture(scope="module")
def twins(request, tmp_path_factory):
    """The same records stored in a SQLite corpus and in a PostgreSQL one."""
    from marsad.ingest import read_paths
    from marsad.pipeline import run

    examples = list(run(read_paths([str(ROOT / "examples")]), {"profile": "fast"}))
    records = list(marsad.analyze_many(DOCS + EXTRA, profile="fast", workers=1)) + _structured() + examples
    pair = []
    for backend in BACKENDS:
        c = Corpus(new_corpus_target(request, backend, tmp_path_factory.mktemp("twins")))
        assert c.add_records(records) == len(records)
        pair.append(c)
    yield pair
    for c in pair:
        c.close()


def _queries(corpus) -> list[str]:
    """Every word of every stored title and text, its first letters as a prefix, each pair of neighbouring words
    as a phrase, and ORs of words far apart: the test corpus's own vocabulary, in every form of the syntax."""
    found: list[str] = []
    for rec in corpus.records():
        for field in (rec.get("title") or "", rec["text"]):
            ws = [field[a:b] for a, b, _ in words(field)]
            found += ws + [w[:3] + "*" for w in ws if len(w) > 3]
            found += [f'"{a} {b}"' for a, b in zip(ws, ws[1:])]
            found += [f"{a} OR {b}" for a, b in zip(ws, ws[5:])]
    return list(dict.fromkeys(found))


def test_postgres_full_text_finds_what_fts5_finds(twins):
    lite, pg = twins
    queries = _queries(lite)
    assert len(queries) > 1000
    for q in queries + ["douma shelling", "دوما*", "gene* OR دوم*", "killed civilians"]:
        a, b = lite.search_page(q, limit=100, sort="newest"), pg.search_page(q, limit=100, sort="newest")
        assert (q, a.total, [h.id for h in a.hits]) == (q, b.total, [h.id for h in b.hits])
        assert [h.highlights for h in a.hits] == [h.highlights for h in b.hits]


def test_relevance_puts_the_title_match_first_in_both(twins):
    for c in twins:
        assert [h.id for h in c.search("aleppo")][:1] == ["en-aleppo"]


def test_prefix_finds_what_the_word_finds(twins):
    for c in twins:
        whole = {h.id for h in c.search("دوما")}
        assert "ar-douma" in whole and whole <= {h.id for h in c.search("دوما*")}
        assert {h.id for h in c.search("shell*")} >= {h.id for h in c.search("shelling")} >= {"en-shell", "en-aleppo"}


# ----- queries the parsers refused (issue 13, item 6) --------------------------------------------------------

# 97 terms joined by OR, 665 characters: nested OR groups overflowed FTS5's parser stack (a web 500, a CLI traceback)
MANY_ORS = " OR ".join(["douma", "aleppo"] + [f"town{i}" for i in range(95)])
ODD = ['"unbalanced quote', 'shelling "', "*", '"*"', "OR OR OR", "douma OR", "(", "a:*", "'", "\\", "!", "&|"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_queries_the_parser_refused_now_answer(twins, backend, tmp_path, capsys):
    c = twins[BACKENDS.index(backend)]
    assert len(MANY_ORS) > 600 and MANY_ORS.count(" OR ") == 96
    assert {"en-shell", "en-aleppo", "s-douma"} <= {h.id for h in c.search_page(MANY_ORS, limit=50).hits}
    for q in ODD:
        c.search_page(q)  # never a database error
    assert corpus_main(["search", MANY_ORS, "--db", str(c.path), "--format", "jsonl"]) == 0
    assert '"id": "en-aleppo"' in capsys.readouterr().out


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_expression_the_engine_refuses_is_one_line(twins, backend, monkeypatch, capsys):
    """Whatever still reaches the engine and is refused (here an expression made invalid on purpose) is a
    QueryError: one line from the CLI, exit 2, never a traceback."""
    c = twins[BACKENDS.index(backend)]
    monkeypatch.setattr(search, "parse", lambda q: search._Query('"a" AND (', {"a"}, set(), "'a' & ("))
    with pytest.raises(search.QueryError, match="cannot take this query"):
        c.search("a")
    assert corpus_main(["search", "a", "--db", str(c.path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("marsad: the full-text engine cannot take this query") and "\n" not in err


def test_web_search_answers_the_refused_queries(twins):
    from fastapi.testclient import TestClient

    from marsad.web.app import create_app

    for c in twins:
        client = TestClient(create_app(str(c.path), None))
        r = client.get("/api/search", params={"q": MANY_ORS, "limit": 50})
        assert r.status_code == 200 and "en-aleppo" in {h["id"] for h in r.json()["hits"]}
        for q in ODD:
            assert client.get("/api/search", params={"q": q}).status_code == 200
            assert client.get("/search", params={"q": q}).status_code == 200


# ----- concurrency ------------------------------------------------------------------------------------------

# Each process stores its documents with records made without the models (record.new): what is tested is the
# store, and a writer that holds its batch for a moment makes the two runs overlap.
INGEST = """
import json, sys, time
from marsad.corpus import Corpus
from marsad.ingest import Document
from marsad.record import new

def analyse(docs):
    for d in docs:
        time.sleep(0.002) if isinstance(d, Document) else None
        yield new(d) if isinstance(d, Document) else d

target, start, stop, step = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
docs = [{"id": f"c{i}", "text": f"Report {i}: shelling near the town of Douma, number {i}."} for i in range(start, stop, step)]
with Corpus(target) as c:
    s = c.ingest(docs, batch=3, analyse=analyse)
print(json.dumps([s.added, s.skipped, s.failed]))
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_concurrent_ingests_lose_nothing_and_duplicate_nothing(request, backend, tmp_path):
    target = new_corpus_target(request, backend, tmp_path)
    Corpus(target).close()
    # 0..119 forwards and 60..179 backwards: 60 documents both runs hold, met from both ends
    runs = [subprocess.Popen([sys.executable, "-c", INGEST, target, *args], cwd=ROOT, stdout=subprocess.PIPE)
            for args in (("0", "120", "1"), ("179", "59", "-1"))]
    stats = [json.loads(p.communicate(timeout=300)[0]) for p in runs]
    assert all(p.returncode == 0 for p in runs)
    (added_a, skipped_a, failed_a), (added_b, skipped_b, failed_b) = stats
    assert (failed_a, failed_b) == (0, 0)
    assert added_a + added_b == 180 and skipped_a + skipped_b == 60
    assert (added_a + skipped_a, added_b + skipped_b) == (120, 120)
    with Corpus(target) as c:
        assert len(c) == 180
        stored = [r["id"] for r in c.records()]
        assert sorted(stored) == sorted(f"c{i}" for i in range(180))
        assert c.conn.execute("SELECT count(DISTINCT hash) FROM documents").fetchone()[0] == 180
        assert c.search_page("shelling").total == 180


OPEN = """
import os, sys, time
from marsad.corpus import Corpus
go = sys.argv[2]
while not os.path.exists(go):
    time.sleep(0.01)
Corpus(sys.argv[1]).close()
"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_many_processes_opening_one_new_database_all_succeed(request, backend, tmp_path):
    """Issue 13, item 9: 8 of 60 simultaneous opens of one new database failed in the migration."""
    target, go = new_corpus_target(request, backend, tmp_path), tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", OPEN, target, str(go)], cwd=ROOT, stderr=subprocess.PIPE)
             for _ in range(24)]
    time.sleep(1.0)  # let them import and wait at the line (a start line, not a timing)
    go.touch()
    errors = [p.communicate(timeout=300)[1].decode() for p in procs]
    assert [e.strip().splitlines()[-1:] for p, e in zip(procs, errors) if p.returncode] == []
    with Corpus(target) as c:
        versions = [v for v, in c.conn.execute("SELECT version FROM schema_version ORDER BY version")]
        assert versions == [n for n, _, _ in migrations.MIGRATIONS]


# ----- choosing the store -----------------------------------------------------------------------------------

def test_marsad_db_names_the_corpus(twins, monkeypatch, capsys):
    for c in twins:
        monkeypatch.setenv("MARSAD_DB", str(c.path))
        assert corpus_main(["search", "aleppo", "--format", "jsonl"]) == 0
        assert '"id": "en-aleppo"' in capsys.readouterr().out
        with Corpus() as again:
            assert len(again) == len(c)


def test_an_unreachable_server_is_one_line_without_the_password(tmp_path, capsys):
    pytest.importorskip("psycopg")
    url = f"postgresql://analyst:s3cret@/nowhere?host={tmp_path}&port=1"
    assert corpus_main(["search", "x", "--db", url]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("marsad: postgresql://analyst:***@/nowhere") and "s3cret" not in err and "\n" not in err
