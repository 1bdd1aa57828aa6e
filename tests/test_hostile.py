"""Hostile input and load (issue 13): each numbered case of the issue, in a fast version (small caps set
through the settings). Worst-case sizes and timings are in benchmarks/hostile.py, not here."""
import json
import os
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st

import marsad
from marsad import InputError
from marsad.config import settings
from marsad.lang import get
from marsad.lang.sentences import split
from marsad.spans import SpanIndex

from conftest import records

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
GOOD = "The army entered the town on Saturday. Residents fled."
WORDS = "the army shelled the town of Douma while residents fled toward the north".split()


def unpunctuated(n_words: int) -> str:
    return " ".join(WORDS[i % len(WORDS)] for i in range(n_words))


@pytest.fixture
def small_caps(monkeypatch):
    """Sentence and size caps small enough for a fast test."""
    monkeypatch.setitem(settings()["sentences"], "max_chars", 200)
    yield


# --- 1. linear time: sentences are capped for the models, offsets kept ----------------------------------------

def test_long_sentence_is_cut_at_spaces_within_the_cap():
    text = unpunctuated(2000)
    spans = split(text, get("en"), max_chars=300)
    assert len(spans) > 30 and all(0 < b - a <= 300 for a, b in spans)
    assert all(text[a - 1] == " " for a, _ in spans[1:])  # cut between words
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")


def test_long_sentence_prefers_clause_marks_and_cuts_one_token_hard():
    text = ("word " * 50 + "word, ") * 10
    spans = split(text, get("en"), max_chars=300)
    assert all(text[b - 1] == "," for _, b in spans[:-1])
    token = "x" * 1000
    assert split(token, get("en"), max_chars=300) == [(0, 300), (300, 600), (600, 900), (900, 1000)]


def test_real_sentences_are_not_cut():
    text = "Residents fled. " * 10
    assert split(text, get("en"), max_chars=300) == split(text, get("en"), max_chars=10 ** 9)


@pytest.mark.parametrize("text", [unpunctuated(600), "دوما " * 600, "Douma" * 300, "Douma!!!!!!!!!! " * 200])
def test_hostile_documents_get_sentences_within_the_cap(small_caps, text):
    rec = marsad.analyze(text, profile="fast")
    assert rec["sentences"] and all(s["end"] - s["start"] <= 200 for s in rec["sentences"])
    for m in rec["mentions"] + [e["evidence"] for e in rec["events"]] + rec["techniques"]:
        assert 0 <= m["start"] < m["end"] <= len(text)


spans_st = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 15)), max_size=25)


@hsettings(max_examples=150, deadline=None)
@given(spans_st, st.integers(0, 70), st.integers(1, 20))
def test_span_lookups_match_a_scan(raw, a, width):
    spans = [{"start": s, "end": s + n, "i": i} for i, (s, n) in enumerate(raw)]
    b = a + width
    index = SpanIndex(list(spans))
    assert index.starting(a, b) == [x for x in spans if a <= x["start"] < b]
    assert index.overlapping({"start": a, "end": b}) == [x["i"] for x in spans if x["start"] < b and a < x["end"]]
    grown = SpanIndex([])
    for x in spans[: len(spans) // 2]:
        grown.add(x)
    assert bool(grown.overlapping({"start": a, "end": b})) == any(x["start"] < b and a < x["end"]
                                                                  for x in spans[: len(spans) // 2])


# --- 3. deeply nested JSON; 4. lone surrogates in metadata ---------------------------------------------------

def write(tmp_path: Path, name: str, data) -> Path:
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


def one_failure(err, doc_id, *words):
    lines = [ln for ln in err if ln.startswith(f"marsad: {doc_id}: ")]
    assert len(lines) == 1 and all(w in lines[0] for w in words), err
    assert "Traceback" not in "\n".join(err)


def test_deeply_nested_jsonl_line_fails_alone(run_cli, tmp_path):
    lines = ["[" * 2000 + "]" * 2000, json.dumps({"id": "ok", "text": GOOD + " [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})]
    code, out, err = run_cli(write(tmp_path, "n.jsonl", "\n".join(lines) + "\n"))
    assert code == 1 and [r["id"] for r in records(out)] == ["ok"]
    one_failure(err, "n.jsonl:1", "nested deeper than")


def test_invalid_control_character_message_says_at_once(run_cli, tmp_path):
    code, out, err = run_cli(write(tmp_path, "c.jsonl", '{"text": "a\x01b"}\n'))
    one_failure(err, "c.jsonl:1", "not valid JSON")
    assert "at at" not in " ".join(err)


@pytest.mark.parametrize("field", ["title", "source", "url", "id"])
def test_lone_surrogate_in_metadata_fails_that_document(run_cli, tmp_path, field):
    bad = json.dumps({"id": "bad", "text": GOOD, field: "x\ud800y"})  # json.dumps writes \ud800
    code, out, err = run_cli(write(tmp_path, "s.jsonl", bad + "\n" + json.dumps({"id": "ok", "text": GOOD}) + "\n"))
    assert code == 1 and [r["id"] for r in records(out)] == ["ok"]
    named = "x\\ud800y" if field == "id" else "bad"
    one_failure(err, named, f"{field} contains a lone surrogate")
    with pytest.raises(InputError, match=field):
        marsad.analyze(GOOD, **{"id" if field == "id" else field: "x\ud800y"})


# --- 5. models used from threads --------------------------------------------------------------------------------

def test_analyze_from_threads_gives_the_sequential_records():
    texts = [GOOD, "قصفت الطائرات مدينة دوما يوم الثلاثاء وقتل خمسة مدنيين.",
             "Russian jets struck Idlib on Monday, killing 12 people, the Observatory said.",
             "خرج متظاهرون في حمص ضد الحكومة."] * 3
    texts = [p.read_text(encoding="utf-8")[:3000] for p in sorted(EXAMPLES.glob("*.txt"))] * 3 + texts
    want = [marsad.analyze(t, profile="fast") for t in texts]
    got, errors = [None] * len(texts), []
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads swap often, as under load: on main this gave Tagger ValueErrors

    def work(i):
        try:
            for _ in range(3):
                got[i] = marsad.analyze(texts[i], profile="fast")
        except Exception as e:  # noqa: BLE001 - collected and reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sys.setswitchinterval(switch)
    assert errors == [] and got == want


def test_search_index_stems_from_threads_as_in_one(monkeypatch):
    """The corpus index's Snowball stemmers are per thread: web search threads never share one mid-word.
    Checked on snowballstemmer's pure-Python stemmers (used where PyStemmer is not installed), which keep
    the word being stemmed on the instance: one shared instance gave IndexErrors here."""
    import snowballstemmer
    from snowballstemmer.arabic_stemmer import ArabicStemmer
    from snowballstemmer.english_stemmer import EnglishStemmer

    from marsad.corpus import text

    pure = {"arabic": ArabicStemmer, "english": EnglishStemmer}
    monkeypatch.setattr(snowballstemmer, "stemmer", lambda name: pure[name]())
    text._stemmer.cache_clear()

    words = ["bombing", "strikes", "attacked", "والبوكمال", "المدينة", "الحديدة", "shelling", "مقاتلين"] * 500
    want = [text.stem.__wrapped__(w) for w in words]  # __wrapped__: past the cache, into the stemmer
    got, errors = {}, []
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)

    def work(i):
        try:
            got[i] = [text.stem.__wrapped__(w) for w in words]
        except Exception as e:  # noqa: BLE001 - collected and reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sys.setswitchinterval(switch)
    text._stemmer.cache_clear()
    assert errors == [] and all(g == want for g in got.values()) and len(got) == 8


# --- 8. only regular files; 10. never the run's own output ----------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_refused_without_blocking(run_cli, tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    ok = write(tmp_path, "ok.txt", GOOD)
    code, out, err = run_cli(tmp_path)  # found in a directory ...
    assert code == 1 and len(records(out)) == 1
    one_failure(err, "pipe", "FIFO")
    code, out, err = run_cli(fifo, ok)  # ... or named
    one_failure(err, "pipe", "FIFO")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_device_is_refused(run_cli, tmp_path):
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    code, out, err = run_cli(tmp_path / "zero.txt", write(tmp_path, "ok.txt", GOOD))
    assert code == 1 and len(records(out)) == 1
    one_failure(err, "zero", "device")


def test_size_is_checked_while_reading_not_from_stat(run_cli, tmp_path, monkeypatch):
    big = write(tmp_path, "big.txt", "word " * 400)
    real = os.fstat

    def lying_fstat(fd):  # a file that claims to be empty (as /proc files and devices do)
        r = real(fd)
        return os.stat_result((r.st_mode, r.st_ino, r.st_dev, r.st_nlink, r.st_uid, r.st_gid, 0, r.st_atime,
                               r.st_mtime, r.st_ctime))

    monkeypatch.setattr(os, "fstat", lying_fstat)
    code, out, err = run_cli(big, write(tmp_path, "ok.txt", GOOD), "--max-bytes", 1000)
    one_failure(err, "big", "over the limit of 1,000")


def test_output_in_the_input_directory_is_not_read(run_cli, tmp_path):
    write(tmp_path, "a.txt", GOOD)
    out = tmp_path / "out.jsonl"
    out.write_text(json.dumps({"id": "stale", "text": GOOD}) + "\n", encoding="utf-8")
    code, _, err = run_cli(tmp_path, "--out", out)
    assert code == 0, err
    assert [r["id"] for r in records(out.read_text(encoding="utf-8"))] == ["a"]
    code, _, err = run_cli(out, "--out", out)  # named: one line saying why
    one_failure(err, str(out), "own output")


def test_overlong_jsonl_line_is_skipped_unread(run_cli, tmp_path):
    lines = [json.dumps({"id": "big", "text": "word " * 5000}), json.dumps({"id": "ok", "text": GOOD})]
    code, out, err = run_cli(write(tmp_path, "l.jsonl", "\n".join(lines)), "--max-bytes", 1000)
    assert [r["id"] for r in records(out)] == ["ok"]
    one_failure(err, "l.jsonl:1", "far over the text limit")


def test_technique_rescoring_in_blocks_gives_the_same_spans(monkeypatch):
    from marsad.techniques import rescore

    text = (EXAMPLES / "000_8b3cfa5ec77cf3e6.txt").read_text("utf-8")
    whole = marsad.analyze(text, profile="fast")["techniques"]
    monkeypatch.setattr(rescore, "_BLOCK", 3)
    assert whole and marsad.analyze(text, profile="fast")["techniques"] == whole


def test_sentence_blocks_bound_what_the_models_read_at_once():
    from marsad.lang.sentences import blocks

    spans = [(i * 10, i * 10 + 8) for i in range(100)]
    got = blocks(spans, max_chars=95)
    assert [s for b in got for s in b] == spans and all(b[-1][1] - b[0][0] <= 95 for b in got)
    assert blocks(spans[:3], max_chars=95) == [spans[:3]] and blocks([], max_chars=95) == []


def test_sentence_encoder_batches_are_bounded_by_the_cap(small_caps, monkeypatch):
    # issue 13 item 2: one 300 KB sentence made a 9 KB-per-character encoder batch; now no text it gets is
    # longer than the sentence cap
    from marsad import sentence_vectors

    real = sentence_vectors.encoder()
    if real is None:
        pytest.skip("the sentence encoder is not installed")
    seen = []

    def recording(texts):
        seen.extend(len(t) for t in texts)
        return real(texts)

    monkeypatch.setattr(sentence_vectors, "encoder", lambda: recording)
    marsad.analyze(unpunctuated(1500), language="en", profile="fast")
    assert seen and max(seen) <= 200


def test_names_past_the_ner_cap_come_from_the_dictionaries(monkeypatch):
    # issue 13 worst case: the NER model reads up to [entities] model_chars; past it the actor dictionary and
    # the gazetteer (and names the model found before, propagated), and the record says so
    lead = "The spokesman Khalid Hamdan said the talks had failed. " * 3
    text = lead + "Samir Barakat met Khalid Hamdan in Damascus on Monday. " * 3

    def names(rec, past: bool):
        return sorted({text[m["start"]:m["end"]] for m in rec["mentions"] if (m["start"] >= len(lead)) == past})

    whole = marsad.analyze(text, language="en", profile="fast")
    assert names(whole, past=True) == ["Damascus", "Khalid Hamdan", "Samir Barakat"]
    assert not any("model_chars" in w for w in whole["warnings"])
    monkeypatch.setitem(settings()["entities"], "model_chars", len(lead))
    capped = marsad.analyze(text, language="en", profile="fast")
    assert names(capped, past=False) == ["Khalid Hamdan"]
    assert names(capped, past=True) == ["Damascus", "Khalid Hamdan"]  # the model's name, propagated
    assert any("[entities] model_chars" in w for w in capped["warnings"])


def test_techniques_past_the_models_cap_are_the_lexicons_formulae(monkeypatch):
    # issue 13 worst case: the technique models read up to [techniques] model_chars; past it the lexicon's
    # formulae only, and the record says so
    from marsad import techniques

    lead = "Residents say the so-called ceasefire is a lie and a disgrace. " * 4
    text = lead + "The army entered the so-called safe zone on Saturday. " * 6
    monkeypatch.setitem(settings()["techniques"], "model_chars", len(lead))
    rec = marsad.analyze(text, language="en", profile="fast")
    past = [s for s in rec["techniques"] if s["start"] >= len(lead)]
    assert [text[s["start"]:s["end"]] for s in past] == ["so-called"] * 6
    assert all(s["technique"] == "Doubt" for s in past)
    assert any("model_chars" in w for w in rec["warnings"])
    sentences = [(s["start"], s["end"]) for s in rec["sentences"]]
    inside = [s for s in sentences if s[0] < len(lead)]
    assert [s for s in rec["techniques"] if s["start"] < len(lead)] == techniques.detect(text, inside, "en")
    short = marsad.analyze(lead, language="en", profile="fast")
    assert not any("model_chars" in w for w in short["warnings"])
