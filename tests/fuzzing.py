"""Fuzz targets for marsad's entry points (issue 13): the CLI readers, `analyze`, `analyze_many` and the web
API. Each target takes generated input and fails on anything but InputError (or a clean 4xx/503 answer) and on
any offset that does not index the text. tests/test_fuzz.py runs them briefly in CI; benchmarks/fuzz.py runs
them for as long as asked (an hour: `python benchmarks/fuzz.py --minutes 60`).
"""
from __future__ import annotations

import io
import json
import string

from hypothesis import strategies as st

import marsad
from marsad.ingest.readers import read_jsonl
from marsad.record import validate

CALLS = {"readers": 0, "analyze": 0, "analyze_many": 0, "web": 0}  # examples run, per target

TRICKY = ["\u200f", "\u200d", "\u0651", "ﻻ", "👩‍👩‍👧", "ـ", "،", "؟", "«", "»", ". ", "\n", "U.S. ", "!!!!", "\x00",
          "\ud800", "\udfff", "[", "{", "]", "}", '"', "\\", "Douma", "دوما", "قصفت الطائرات", "killed 12 people",
          "on Tuesday", "2018-04-07", "٣٠ قتيلا"]
text_st = st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=12)), max_size=60).map("".join)
meta_st = st.one_of(st.none(), text_st, st.integers(), st.floats(allow_nan=True), st.lists(st.integers(), max_size=2))
doc_st = st.fixed_dictionaries({"text": st.one_of(text_st, st.integers(), st.none())},
                               optional={"id": meta_st, "title": meta_st, "source": meta_st, "url": meta_st,
                                         "published": st.one_of(meta_st, st.dates().map(str)),
                                         "language": st.one_of(meta_st, st.sampled_from(["ar", "en", "fr", "AR"]))})
line_st = st.one_of(doc_st.map(lambda d: json.dumps(d).encode("utf-8", "surrogatepass")), st.binary(max_size=200),
                    st.integers(1, 3000).map(lambda n: b"[" * n + b"]" * n),
                    text_st.map(lambda t: t.encode("utf-8", "surrogatepass")))


def check_record(record: dict) -> None:
    text = record["text"]
    assert validate(record) == [], validate(record)
    spans = record["sentences"] + record["mentions"] + record["techniques"]
    spans += [e["evidence"] for e in record["events"] if e.get("evidence")]
    for s in spans:
        assert 0 <= s["start"] < s["end"] <= len(text), s


def readers(lines: list[bytes]) -> None:
    """JSONL reader: every non-blank line gives one Document or one Failure, never an exception."""
    CALLS["readers"] += 1
    items = list(read_jsonl(io.BytesIO(b"\n".join(lines)), "fuzz.jsonl", max_bytes=10_000))
    for item in items:
        str(item).encode("utf-8")  # a Failure line prints; a Document's fields are valid Unicode
        if isinstance(item, marsad.Failure):
            assert "\n" not in item.message
        else:
            json.dumps(item.__dict__, ensure_ascii=False).encode("utf-8")


def analyze(text: str, language, title) -> None:
    CALLS["analyze"] += 1
    try:
        record = marsad.analyze(text, language=language, title=title, profile="fast")
    except marsad.InputError:
        return
    check_record(record)
    json.dumps(record, ensure_ascii=False).encode("utf-8")


def analyze_many(docs: list) -> None:
    CALLS["analyze_many"] += 1
    failures = []
    records = list(marsad.analyze_many(docs, on_error=failures.append, profile="fast", workers=1))
    assert len(records) + len(failures) == len(docs)
    for f in failures:
        assert not f.message.startswith("internal error"), f
    for r in records:
        check_record(r)


WEB_PATHS = ["/api/search?q={q}", "/api/search?q={q}&offset={n}&limit={n}", "/api/facets?q={q}",
             "/api/doc/{q}", "/search?q={q}&since={q}", "/api/map?km={q}&offset={n}", "/api/compare?days={n}",
             "/doc/{q}?confidence={q}", "/api/export?format={q}&q={q}"]
web_st = st.tuples(st.sampled_from(WEB_PATHS), st.text(string.printable + "دوما*\"()", max_size=40),
                   st.one_of(st.integers(), st.sampled_from(["nan", "-1", "1e400", "9223372036854775808"])),
                   st.one_of(doc_st.map(lambda d: json.dumps(d).encode("utf-8", "surrogatepass")),
                             st.binary(max_size=100)))


def web(client, request) -> None:
    """One GET and one POST /api/analyze: never a 500 (503 is the pool saying 'busy', allowed)."""
    from urllib.parse import quote

    CALLS["web"] += 1
    path, q, n, body = request
    r = client.get(path.format(q=quote(q, safe=""), n=quote(str(n), safe="")))
    assert r.status_code < 500 or r.status_code == 503, (path, q, n, r.status_code, r.text[:300])
    r = client.post("/api/analyze", content=body, headers={"content-type": "application/json"})
    assert r.status_code < 500 or r.status_code == 503, (body[:200], r.status_code, r.text[:300])
    if r.status_code == 200:
        check_record(r.json())
