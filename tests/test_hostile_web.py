"""Hostile requests to the web app (issue 13, items 4, 5, 7 and the smaller ones): one clear 4xx or 503, never
a 500, and one long analysis cannot hold the server."""
from __future__ import annotations

import asyncio
import threading
import warnings

import pytest

pytest.importorskip("fastapi")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
from fastapi import HTTPException

from marsad.corpus import Corpus
from marsad.web.analysis_pool import AnalysisPool
from marsad.web.app import create_app

GOOD = "The army entered the town on Saturday. Residents fled."


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("hostile") / "c.db"
    with Corpus(db) as c:
        c.ingest([{"id": "feed/1", "text": GOOD}, {"id": "a/../b", "text": "Residents of Douma fled on Monday."}],
                 options={"profile": "fast"})
    return TestClient(create_app(str(db), "s3cret", max_bytes=20_000, profile="fast"))


def test_huge_offset_is_a_422_not_a_500(client):
    for url in ("/api/search?offset=9223372036854775808", "/api/search?offset=-1", "/search?offset=99999999999999",
                "/api/map?offset=9223372036854775808", "/api/compare?days=99999999999999", "/api/compare?km=nan"):
        r = client.get(url)
        assert r.status_code == 422, (url, r.status_code, r.text)
        assert r.json()["detail"]


def test_nan_in_the_body_is_a_422_in_valid_json(client):
    r = client.post("/api/analyze", content=b'{"text": "x", "title": NaN}',
                    headers={"content-type": "application/json"})
    assert r.status_code == 422 and "NaN" not in r.text
    assert r.json()["detail"][0]["loc"] == ["body", "title"]


@pytest.mark.parametrize("field", ["title", "source", "url", "id"])
def test_lone_surrogate_in_metadata_is_a_400(client, field):
    body = '{"text": "%s", "%s": "x\\ud800"}' % (GOOD, field)
    r = client.post("/api/analyze", content=body.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 400 and "lone surrogate" in r.json()["detail"]
    r = client.post("/api/ingest", content=("[" + body + "]").encode(),
                    headers={"content-type": "application/json", "authorization": "Bearer s3cret"})
    # pydantic's JSON parser refuses the surrogate itself (422); either way nothing is stored and no 500
    assert r.status_code == 422 or (r.json()["added"] == 0 and len(r.json()["failures"]) == 1), r.text


def test_ingest_checks_the_token_before_the_body(client):
    for body in (b"not json", b'{"text": 1}', b"[]"):
        r = client.post("/api/ingest", content=body, headers={"content-type": "application/json"})
        assert r.status_code == 401, body
    r = client.post("/api/ingest", content=b"not json",
                    headers={"content-type": "application/json", "authorization": "Bearer s3cret"})
    assert r.status_code == 422


def test_chunked_body_over_the_limit_is_a_413(client):
    def chunks():
        for _ in range(30):
            yield b"x" * 1000

    r = client.post("/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and "over the limit" in r.json()["detail"]


def test_search_links_escape_ids_with_slashes(client):
    page = client.get("/search?q=fled").text
    assert 'href="/doc/feed%2F1"' in page and 'href="/doc/a%2F..%2Fb"' in page
    assert client.get("/doc/feed%2F1").status_code == 200 and client.get("/doc/a%2F..%2Fb").status_code == 200


def test_concurrent_analyses_all_answer(client):
    texts = [GOOD, "قصفت الطائرات مدينة دوما يوم الثلاثاء وقتل خمسة مدنيين.",
             "Russian jets struck Idlib on Monday, killing 12 people."]
    codes, lock = [], threading.Lock()

    def work(i):
        for k in range(4):
            r = client.post("/api/analyze", json={"text": texts[(i + k) % len(texts)]})
            with lock:
                codes.append(r.status_code)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes and all(c in (200, 503) for c in codes) and codes.count(200) >= len(codes) // 2, codes


def test_pool_refuses_when_full_and_times_out():
    pool = AnalysisPool(threads=1, queue=0, timeout_s=0.2)
    release = threading.Event()

    async def scenario():
        first = asyncio.ensure_future(pool.run(release.wait))
        await asyncio.sleep(0.05)
        with pytest.raises(HTTPException) as full:
            await pool.run(lambda: 1)
        assert full.value.status_code == 503 and full.value.headers["Retry-After"]
        with pytest.raises(HTTPException) as late:
            await first
        assert late.value.status_code == 503 and "longer than" in late.value.detail
        release.set()
        for _ in range(50):  # the slot comes back once the timed-out work ends
            await asyncio.sleep(0.02)
            try:
                return await pool.run(lambda: 7)
            except HTTPException:
                continue

    assert asyncio.run(scenario()) == 7
    pool.shutdown()
