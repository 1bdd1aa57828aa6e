"""The fuzz targets of tests/fuzzing.py, briefly (CI). For long runs: `python benchmarks/fuzz.py --minutes 60`."""
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fuzzing

BRIEF = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@BRIEF
@given(st.lists(fuzzing.line_st, max_size=6))
def test_fuzz_readers(lines):
    fuzzing.readers(lines)


@BRIEF
@given(fuzzing.text_st, st.sampled_from([None, "ar", "en", "fr"]), st.one_of(st.none(), fuzzing.text_st))
def test_fuzz_analyze(text, language, title):
    fuzzing.analyze(text, language, title)


@BRIEF
@given(st.lists(st.one_of(fuzzing.text_st, fuzzing.doc_st, st.integers()), max_size=4))
def test_fuzz_analyze_many(docs):
    fuzzing.analyze_many(docs)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    pytest.importorskip("fastapi")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from marsad.corpus import Corpus
    from marsad.web.app import create_app

    db = tmp_path_factory.mktemp("fuzz") / "c.db"
    with Corpus(db) as c:
        c.ingest([{"id": "d/1", "text": "Russian jets struck Idlib on Monday, killing 12 people."}],
                 options={"profile": "fast"})
    return TestClient(create_app(str(db), None, max_bytes=50_000, profile="fast"))


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(request=fuzzing.web_st)
def test_fuzz_web(client, request):
    fuzzing.web(client, request)
