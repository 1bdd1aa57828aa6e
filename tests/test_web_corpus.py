"""The corpus pages of `marsad serve`: the event map, the comparison view, the outlet profiles and their JSON
twins, over a small corpus where three outlets (one with a hostile name and title) tell one air strike on Idlib
with different casualty figures."""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("multipart")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from conftest import BACKENDS, new_corpus_target
from marsad.corpus import Corpus
from marsad.web.app import create_app

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
AR_ID = "004_ccfa852c7e84612b"
EVIL_SOURCE = '<script>alert("s")</script>'
EVIL_TITLE = "<img src=x onerror=alert(1)>Idlib"
DOCS = [
    {"id": "idlib-a", "source": EVIL_SOURCE, "title": EVIL_TITLE, "published": "2018-03-06", "language": "en",
     "text": "Terrorists were targeted in Idlib on Monday. 30 people were killed in the air strikes, including 20 civilians."},
    {"id": "idlib-b", "source": "Outlet B", "title": "غارات على إدلب", "published": "2018-03-06", "language": "ar",
     "text": "غارات جوية على مدينة إدلب يوم الاثنين أسفرت عن مقتل 15 مدنيا."},
    {"id": "idlib-c", "source": "Outlet C", "title": "Air strikes on Idlib", "published": "2018-03-06", "language": "en",
     "text": "Air strikes hit Idlib on Monday, killing 15 civilians."},
]


@pytest.fixture(scope="module", params=BACKENDS)
def client(request, tmp_path_factory):
    path = new_corpus_target(request, request.param, tmp_path_factory.mktemp("webc"))
    with Corpus(path) as c:
        stats = c.ingest([str(EXAMPLES)] + DOCS)
    assert stats.added == 5 and not stats.failures
    return TestClient(create_app(str(path), None))


@pytest.fixture(scope="module")
def bare():
    return TestClient(create_app(None, None))


def _escaped(html: str) -> None:
    """No article-derived markup: the only scripts are the map page's own, from this server's /static/."""
    html = re.sub(r'<script src="/static/[\w./-]+\.js"></script>', "", html)
    assert "<script" not in html and "<img" not in html
    assert "onerror=alert(1)>" not in html


def test_nav_links_on_every_page(client):
    for url in ("/", "/search", "/map", "/compare", "/profiles", f"/doc/{AR_ID}"):
        r = client.get(url)
        assert r.status_code == 200, url
        for href in ("/", "/search", "/map", "/compare", "/profiles"):
            assert f'href="{href}"' in r.text, (url, href)
        if url == "/map":  # the map page runs the vendored Leaflet from this server; every other page no script
            _escaped(r.text)
        else:
            assert "<script" not in r.text


def test_map_page_draws_outline_and_linked_markers(client):
    r = client.get("/map")
    csp = r.headers["content-security-policy"]
    assert r.status_code == 200 and "default-src 'none'" in csp and "script-src 'self';" in csp
    assert "unsafe-eval" not in csp and "script-src 'self' 'unsafe-inline'" not in csp
    svg = re.search(r"<svg .*?</svg>", r.text, re.S).group(0)
    assert 'class="outline"' in svg and "<title>Syria · سوريا</title>" in svg
    # the Arabic example's events at Al-Bukamal: a marker linking to the document, its tooltip saying what
    # happened, when, where, and in which document
    marker = re.search(rf'<a href="/doc/{AR_ID}" class="ev"><circle [^>]*><title>([^<]*)</title>', svg)
    assert marker, svg[:2000]
    tip = marker.group(1)
    assert "undated" in tip and "Bukamal" in tip and AR_ID in tip  # the example has no publication date
    assert re.search(r"Battles|Explosions|Violence|Strategic|Protests|Riots", tip)
    tip = re.search(r'<a href="/doc/idlib-c" class="ev"><circle [^>]*><title>([^<]*)</title>', svg).group(1)
    assert "Explosions/Remote violence" in tip and "2018-03-05" in tip and "Idlib" in tip
    assert "Air strikes on Idlib [Outlet C]" in tip
    _escaped(r.text)
    assert "&lt;img src=x onerror=alert(1)&gt;Idlib" in r.text  # the hostile title, as text in a tooltip


def test_map_filters_and_geojson(client, bare):
    ar = client.get("/map", params={"lang": "ar"}).text
    en = client.get("/map", params={"lang": "en"}).text
    assert f'href="/doc/{AR_ID}"' in ar and f'href="/doc/{AR_ID}"' not in en
    assert 'href="/doc/idlib-b"' not in client.get("/map", params={"q": "Bukamal"}).text
    assert client.get("/map", params={"since": "not a date"}).status_code == 400
    near = client.get("/map", params={"near": "34.45,40.92", "km": "30"}).text  # around Al-Bukamal
    assert f'href="/doc/{AR_ID}"' in near and 'href="/doc/idlib-c"' not in near
    assert client.get("/map", params={"near": "x"}).status_code == 400
    gj = client.get("/api/map", params={"lang": "ar"}).json()
    assert gj["type"] == "FeatureCollection" and gj["features"]
    assert {f["properties"]["language"] for f in gj["features"]} == {"ar"}
    lon, lat = gj["features"][0]["geometry"]["coordinates"]
    assert 30 < lon < 50 and 25 < lat < 40
    assert bare.get("/map").status_code == 200 and "No corpus database" in bare.get("/map").text
    assert bare.get("/api/map").status_code == 404


def _idlib_cluster(clusters):
    return next(c for c in clusters if {"idlib-a", "idlib-b", "idlib-c"} <= set(c["documents"]))


def test_compare_api_and_page(client, bare):
    data = client.get("/api/compare").json()
    c = _idlib_cluster(data["clusters"])
    assert c["casualties"]["disagree"] and set(c["languages"]) == {"ar", "en"}
    assert c["per_outlet"][EVIL_SOURCE]["civilians"] == 20 and c["per_outlet"]["Outlet B"]["civilians"] == 15
    assert any(lab["label"].lower() == "terrorists" for lab in c["per_outlet"][EVIL_SOURCE]["labels"])
    assert client.get("/api/compare", params={"disagree": "true"}).json()["count"] >= 1
    rules = client.get("/api/compare", params={"encoder": "off"}).json()
    assert rules["embeddings"] is False and _idlib_cluster(rules["clusters"])["casualties"]["disagree"]
    assert client.get("/api/compare", params={"encoder": "maybe"}).status_code == 400
    r = client.get("/compare")
    assert r.status_code == 200
    section = re.search(rf'<section class="box cluster" id="c{c["id"]}">.*?</section>', r.text, re.S).group(0)
    assert "casualty figures disagree" in section and 'class="num differ">20<' in section
    for doc in ("idlib-a", "idlib-b", "idlib-c"):
        assert f'href="/doc/{doc}"' in section
    assert "&lt;script&gt;alert(&#34;s&#34;)&lt;/script&gt;" in section and "غارات على إدلب" in section
    assert re.search(r'class="chip pejorative"[^>]*>Terrorists<', section)
    _escaped(r.text)
    only = client.get("/compare", params={"outlet": "outlet b"}).text
    assert f'id="c{c["id"]}"' in only
    assert bare.get("/compare").status_code == 200 and bare.get("/api/compare").status_code == 404


def test_profiles_api_and_page(client, bare):
    outlets = client.get("/api/profiles").json()["outlets"]
    assert outlets[EVIL_SOURCE]["documents"] == 1 and outlets["Outlet B"]["languages"] == {"ar": 1}
    assert any(lab["stance"] == "pejorative" for lab in outlets[EVIL_SOURCE]["labels"])
    r = client.get("/profiles")
    assert r.status_code == 200 and "Outlet B" in r.text and "&lt;script&gt;" in r.text
    assert 'href="/compare?outlet=Outlet%20B"' in r.text
    _escaped(r.text)
    assert bare.get("/profiles").status_code == 200 and bare.get("/api/profiles").status_code == 404


def test_openapi_lists_the_corpus_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/map", "/api/compare", "/api/profiles", "/api/search"):
        assert p in paths
    assert "/map" not in paths and "/compare" not in paths


def test_corpus_pages_are_read_only(client):
    for url in ("/map", "/compare", "/profiles", "/api/compare", "/api/profiles", "/api/map"):
        assert client.post(url).status_code == 405


def test_profiles_page_over_time(tmp_path):
    path = tmp_path / "t.db"
    with Corpus(path) as c:
        c.ingest([{"id": "y1", "source": EVIL_SOURCE, "published": "2016-05-01", "language": "en",
                   "text": "The terrorists shelled Aleppo on Monday, killing 4 civilians."},
                  {"id": "y2", "source": EVIL_SOURCE, "published": "2017-05-01", "language": "en",
                   "text": "Rebels shelled Aleppo on Monday, killing 4 civilians."}])
    r = TestClient(create_app(str(path), None)).get("/profiles")
    assert r.status_code == 200
    over = r.text[r.text.index("<h2>Over time</h2>"):]
    assert "<details" in over and "&lt;script&gt;" in over and "(2 periods)" in over
    assert "<td>2016</td>" in over and "<td>2017</td>" in over
    _escaped(r.text)
