"""`marsad serve` (marsad/web): pages, JSON API, escaping, the upload limit, read-only by default, and one
look at a served page in headless Chromium."""
from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("multipart")
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's TestClient may warn about its httpx backend
    from fastapi.testclient import TestClient

from marsad.corpus import Corpus
from marsad.record import validate
from marsad.web.app import create_app

from conftest import CHROMIUM, CHROMIUM_FLAGS, chromium_page, serve

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AR_ID = "004_ccfa852c7e84612b"
AR_TEXT = (EXAMPLES / f"{AR_ID}.txt").read_text(encoding="utf-8")
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> Russian jets struck Idlib on Monday.'
MENTION = re.compile(r'<span class="m (LOC|PER|ORG|MISC)')


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("web") / "c.db"
    with Corpus(path) as c:
        stats = c.ingest([str(EXAMPLES)])
    assert stats.added == 2 and not stats.failures
    return str(path)


@pytest.fixture(scope="module")
def client(db):
    return TestClient(create_app(db, "s3cret", max_bytes=200_000))


@pytest.fixture(scope="module")
def bare():
    return TestClient(create_app(None, None))


def test_index_page(client, bare):
    for c in (client, bare):
        r = c.get("/")
        assert r.status_code == 200 and '<textarea name="text"' in r.text and 'type="file"' in r.text
        assert "<script" not in r.text and "default-src 'none'" in r.headers["content-security-policy"]
    assert 'action="/search"' in client.get("/").text
    assert c.get("/docs").status_code == 404 and c.get("/openapi.json").json()["info"]["title"] == "marsad"


def test_analyze_arabic_page(client):
    r = client.post("/analyze", data={"text": AR_TEXT})
    assert r.status_code == 200
    assert 'dir="rtl"' in r.text and 'lang="ar"' in r.text
    assert len(MENTION.findall(r.text)) >= 3 and "البوكمال" in r.text
    assert "<script" not in r.text


def test_analyze_upload(client):
    r = client.post("/analyze", files={"file": ("a.txt", AR_TEXT.encode("utf-8"), "text/plain")})
    assert r.status_code == 200 and 'dir="rtl"' in r.text and MENTION.search(r.text)


def test_hostile_article_is_escaped(client):
    r = client.post("/analyze", data={"text": HOSTILE, "title": "<b onmouseover=x>t</b>", "language": "en"})
    assert r.status_code == 200
    assert "<script" not in r.text and "<img" not in r.text and "<b onmouseover" not in r.text
    assert "&lt;script&gt;" in r.text and "&lt;b onmouseover=x&gt;" in r.text


def test_empty_and_bad_input(client):
    assert client.post("/analyze", data={"text": "  "}).status_code == 400
    r = client.post("/analyze", data={"text": "x", "language": "<fr>"})
    assert r.status_code == 400 and "&lt;fr&gt;" in r.text and "<fr>" not in r.text
    assert client.post("/api/analyze", json={"text": ""}).status_code == 400


def test_upload_over_the_limit(client):
    big = b"a" * 250_000
    assert client.post("/analyze", files={"file": ("big.txt", big, "text/plain")}).status_code == 413
    assert client.post("/api/analyze", json={"text": big.decode()}).status_code == 413


def test_api_analyze(client):
    r = client.post("/api/analyze", json={"text": AR_TEXT, "published": "2017-11-20", "source": "Tishreen"})
    assert r.status_code == 200
    rec = r.json()
    assert validate(rec) == [] and rec["language"] == "ar" and rec["source"] == "Tishreen"
    assert rec["published"] == "2017-11-20" and rec["mentions"]


@pytest.mark.parametrize("query", ["البوكمال", "بوكمال", "والبوكمال"])
def test_search_finds_albukamal(client, query):
    r = client.get("/api/search", params={"q": query})
    assert r.status_code == 200 and AR_ID in [h["id"] for h in r.json()["hits"]]
    page = client.get("/search", params={"q": query, "lang": "ar"})
    assert page.status_code == 200 and f'href="/doc/{AR_ID}"' in page.text
    assert re.search(r"<mark>[^<]*البوكمال</mark>", page.text)


def test_search_filters_and_errors(client, bare):
    assert client.get("/api/search", params={"q": "البوكمال", "lang": "en"}).json()["hits"] == []
    assert client.get("/api/search", params={"q": "x", "since": "not a date"}).status_code == 400
    r = bare.get("/search", params={"q": "البوكمال"})
    assert r.status_code == 200 and "No corpus database" in r.text
    assert bare.get("/api/search", params={"q": "x"}).status_code == 404


def test_doc_pages(client):
    r = client.get(f"/doc/{AR_ID}")
    assert r.status_code == 200 and 'dir="rtl"' in r.text and MENTION.search(r.text)
    rec = client.get(f"/api/doc/{AR_ID}").json()
    assert rec["id"] == AR_ID and validate(rec) == []
    for bad in ("../../etc/passwd", "..%2F..%2Fpyproject.toml", "nope"):
        assert client.get(f"/api/doc/{bad}").status_code == 404
        assert client.get(f"/doc/{bad}").status_code == 404


def test_ingest_needs_the_token(client, bare, db):
    doc = [{"id": "web-1", "text": "Government forces shelled Douma on Monday.", "language": "en"}]
    assert bare.post("/api/ingest", json=doc).status_code in (403, 404)
    assert client.post("/api/ingest", json=doc).status_code == 401
    assert client.post("/api/ingest", json=doc, headers={"Authorization": "Bearer wrong"}).status_code == 401
    with Corpus(db) as c:
        assert c.get("web-1") is None
    r = client.post("/api/ingest", json=doc, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 200 and r.json()["added"] == 1
    assert client.get("/api/doc/web-1").json()["id"] == "web-1"
    ro = TestClient(create_app(db, None))
    r = ro.post("/api/ingest", json=doc, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 403


def test_missing_db_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError):
        create_app(str(tmp_path / "none.db"), None)
    assert not (tmp_path / "none.db").exists()


@pytest.fixture(scope="module")
def served(db):
    """The app over the test corpus, served on a free loopback port; yields its base URL."""
    with serve(create_app(db, None)) as url:
        yield url


def test_served_page_in_chromium(served):
    with tempfile.TemporaryDirectory() as profile:
        out = subprocess.run([CHROMIUM, "--headless", *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom",
                              f"{served}/doc/{AR_ID}"], capture_output=True, text=True, timeout=60)
    dom = out.stdout
    assert re.search(r'<article dir="rtl" lang="ar">', dom), out.stderr[-2000:]
    assert MENTION.search(dom) and "البوكمال" in dom


@pytest.fixture(scope="module")
def browser_page(served):
    with chromium_page() as page:
        yield page


def test_browser_analyse_the_arabic_example(served, browser_page):
    """As a person would: open the app, paste the Arabic example, analyse it, see it right to left with its
    highlights, hover a persuasion technique and read its explanation."""
    page = browser_page
    page.goto(f"{served}/")
    page.fill("textarea[name=text]", AR_TEXT)
    with page.expect_navigation():
        page.click("button[type=submit] >> text=Analyse")
    assert page.url.endswith("/analyze")
    article = page.locator('article[lang="ar"]')
    assert article.get_attribute("dir") == "rtl"
    assert article.evaluate("a => getComputedStyle(a).direction") == "rtl"
    assert page.locator("article span.m").count() >= 3 and page.locator("article span.m.LOC").count() >= 1
    assert "البوكمال" in article.inner_text()
    # a short technique span with none inside it: before the hover no explanation shows; after it, one does
    span = page.locator("article span.t:not(.whole):not(:has(span.t))").first
    tip = span.get_attribute("title")
    technique = (span.get_attribute("class") or "").split("T-", 1)[1].split()[0]
    assert technique.replace("_", " ") in tip and ":" in tip  # "Doubt: questioning the credibility ... (0.61)"
    after = "e => getComputedStyle(e, '::after').content"
    assert span.evaluate(after) in ("none", "normal")
    page.mouse.move(0, 0)
    span.hover()
    assert span.evaluate("e => e.matches(':hover')")
    shown = span.evaluate(after)
    assert shown.strip('"') == tip, shown
    assert span.evaluate("e => getComputedStyle(e, '::after').position") == "fixed"  # a bar in view
    page.mouse.move(0, 0)
    assert span.evaluate(after) in ("none", "normal")


@pytest.mark.parametrize("word", ["البوكمال", "بوكمال"])
def test_browser_search_finds_the_arabic_doc(served, browser_page, word):
    """The search form finds the Arabic example by a word with and without the article ال."""
    page = browser_page
    page.goto(f"{served}/search")
    page.fill("input[name=q]", word)
    with page.expect_navigation():
        page.press("input[name=q]", "Enter")
    link = page.locator(f'ol.hits a[href="/doc/{AR_ID}"]')
    assert link.count() == 1
    assert "البوكمال" in page.locator("ol.hits mark").first.inner_text()
    assert page.locator("ol.hits .snippet").first.get_attribute("dir") == "rtl"
    with page.expect_navigation():
        link.click()
    assert page.locator('article[lang="ar"]').get_attribute("dir") == "rtl"


def test_browser_corpus_pages(served, browser_page):
    """The map, comparison and profile pages load in the browser, with the country outline under the map."""
    page = browser_page
    page.goto(f"{served}/map")
    page.wait_for_selector("#emap[data-ready='1']")
    assert page.locator("#emap .leaflet-overlay-pane path").count() >= 5  # the country outline
    assert page.locator("#emap .leaflet-marker-pane .marker-cluster, #emap .leaflet-overlay-pane path.leaflet-interactive").count() >= 1
    for name, url in (("compare", "/compare"), ("profiles", "/profiles"), ("map", "/map"), ("search", "/search")):
        with page.expect_navigation():
            page.click(f"header nav a >> text={name}")
        assert page.url.endswith(url)
        assert page.locator('header nav a[aria-current="page"]').inner_text() == name


def test_serve_command(tmp_path, capsys):
    import argparse

    from marsad.web.cli import add_commands

    p = argparse.ArgumentParser(prog="marsad")
    add_commands(p.add_subparsers(dest="command"))
    args = p.parse_args(["serve"])
    assert (args.db, args.host, args.port, args.token) == (None, "127.0.0.1", 8000, None)
    args = p.parse_args(["serve", "--db", str(tmp_path / "none.db")])
    assert args.func(args) == 2 and "no such database" in capsys.readouterr().err
