"""The Python API: analyze() and the streaming analyze_many()."""
import itertools

import pytest

import marsad
from marsad.record import validate


def test_analyze_returns_a_valid_record_with_given_metadata():
    r = marsad.analyze("Douma was liberated last week. The army said so.", published="2018-04-21",
                       title="Douma", source="example.org", url="https://example.org/d")
    assert validate(r) == []
    assert (r["language"], r["published"], r["title"], r["source"]) == ("en", "2018-04-21", "Douma", "example.org")
    assert [r["text"][s["start"]:s["end"]] for s in r["sentences"]] == ["Douma was liberated last week.",
                                                                       "The army said so."]


def test_analyze_rejects_bad_input_with_a_clear_error():
    with pytest.raises(marsad.InputError, match="empty document"):
        marsad.analyze("  ")
    with pytest.raises(marsad.InputError, match="bad published value"):
        marsad.analyze("text", published="soon")
    with pytest.raises(marsad.InputError, match="bad language"):
        marsad.analyze("text", language="arabic!")


@pytest.mark.parametrize("workers, read_ahead", [(1, 1), (2, 8)])  # 2 workers: a window of 4 per worker
def test_analyze_many_streams_lazily(workers, read_ahead):
    seen = []

    def docs():
        for n in itertools.count():
            seen.append(n)
            yield {"id": f"d{n}", "text": f"Report number {n}. Nothing else."}

    first = list(itertools.islice(marsad.analyze_many(docs(), workers=workers), 3))
    assert [r["id"] for r in first] == ["d0", "d1", "d2"]
    assert len(seen) <= 3 + read_ahead  # pulled a bounded window ahead, never the whole (endless) input


def test_analyze_many_reports_bad_documents_and_goes_on():
    failures = []
    out = list(marsad.analyze_many(["First text.", {"id": "x", "text": ""}, {"title": "no text"}, 42,
                                    {"id": "ok", "text": "قال الجيش."}], on_error=failures.append))
    assert [r["id"] for r in out] == ["1", "ok"]
    assert [(f.id, f.message.split(":")[0]) for f in failures] == [
        ("x", "empty document"), ("3", 'lacks "text"'), ("4", "a document must be a string or a mapping, not int")]


def test_analyze_many_raises_without_on_error():
    with pytest.raises(marsad.InputError, match="marsad: 2: empty document"):
        list(marsad.analyze_many(["Fine.", ""]))
