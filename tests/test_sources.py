"""Feeds, sitemaps, URL lists, web archives and stdin text: served by a real HTTP server on 127.0.0.1 (never the
internet), read by `marsad analyze` / `ingest` / `watch`, politely (robots.txt) and resumably (fetch cache)."""
from __future__ import annotations

import http.server
import io
import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad import config
from marsad.cli import main as cli_main
from marsad.corpus import Corpus
from marsad.ingest import Document, Failure, read_paths
from marsad.ingest import feeds, sources
from marsad.ingest.fetch import FetchCache, Fetcher

ROOT = Path(__file__).resolve().parents[1]

STORIES = {
    "/news/2024/douma-shelling.html": ("Shelling hits Douma",
        "Syrian government forces shelled the town of Douma on Monday, killing 12 civilians, "
        "according to the Syrian Observatory for Human Rights."),
    "/news/2024/aleppo-talks.html": ("Talks in Aleppo",
        "Officials from Turkey and Russia met in Aleppo on Tuesday to discuss a ceasefire in Idlib province."),
    "/news/2024/mosul-strike.html": ("Air strike near Mosul",
        "An air strike by the US-led coalition struck a building near Mosul on Wednesday, the Iraqi army said."),
    "/ar/2024/idlib.html": ("قصف على إدلب",
        "قصفت قوات النظام السوري مدينة إدلب يوم الخميس مما أدى إلى مقتل خمسة مدنيين بحسب المرصد السوري لحقوق الإنسان."),
    "/private/secret.html": ("Not for crawlers", "This page is disallowed by robots.txt and must never be fetched."),
}


def _page(title: str, body: str) -> bytes:
    lang = "ar" if any("\u0600" <= c <= "\u06ff" for c in body) else "en"
    return (f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<nav>Home | World | Contact</nav><article><h1>{title}</h1><p>{body}</p><p>{body}</p></article>"
            "<footer>All rights reserved.</footer></body></html>").encode("utf-8")


class Site:
    """A small news site on 127.0.0.1: robots.txt, an RSS and an Atom feed, a sitemap index, a URL list, the
    article pages, and a log of every GET."""

    def __init__(self):
        self.pages: dict[str, tuple[str, bytes]] = {}
        self.log: list[str] = []
        self.delay = 0.0
        handler = self._handler()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        for path, (title, body) in STORIES.items():
            self.pages[path] = ("text/html; charset=utf-8", _page(title, body))
        self.pages["/robots.txt"] = ("text/plain", b"User-agent: *\nDisallow: /private/\n")
        u = self.base
        items = "".join(f"<item><title>{STORIES[p][0]}</title><link>{u}{p}</link>"
                        f"<pubDate>Mon, 0{i + 1} Jan 2024 10:00:00 GMT</pubDate></item>"
                        for i, p in enumerate(["/news/2024/douma-shelling.html", "/news/2024/aleppo-talks.html"]))
        self.pages["/feed.rss"] = ("application/rss+xml", (
            f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Test Wire</title>"
            f"<link>{u}/</link>{items}<item><title>Gone</title><link>{u}/news/gone.html</link></item>"
            f"<item><title>Secret</title><link>{u}/private/secret.html</link></item></channel></rss>").encode())
        self.pages["/feed.atom"] = ("application/atom+xml", (
            f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>أخبار</title>"
            f"<entry><title>{STORIES['/ar/2024/idlib.html'][0]}</title><link href='{u}/ar/2024/idlib.html'/>"
            f"<updated>2024-01-04T08:00:00Z</updated></entry></feed>").encode())
        self.pages["/sitemap.xml"] = ("application/xml", (
            "<?xml version='1.0' encoding='UTF-8'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
            f"<sitemap><loc>{u}/sitemap-news.xml</loc></sitemap></sitemapindex>").encode())
        self.pages["/sitemap-news.xml"] = ("application/xml", (
            "<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9' "
            "xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'>"
            f"<url><loc>{u}/news/2024/mosul-strike.html</loc><news:news><news:publication_date>2024-01-03"
            "</news:publication_date><news:title>Air strike near Mosul</news:title></news:news></url>"
            f"<url><loc>{u}/news/2024/douma-shelling.html</loc></url></urlset>").encode())
        self.pages["/list.txt"] = ("text/plain", f"# two articles\n{u}/news/2024/aleppo-talks.html\n"
                                                 f"{u}/ar/2024/idlib.html\n".encode())
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _handler(self):
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                site.log.append(self.path)
                if site.delay:
                    time.sleep(site.delay)
                found = site.pages.get(self.path)
                if found is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", found[0])
                self.send_header("Content-Length", str(len(found[1])))
                self.end_headers()
                self.wfile.write(found[1])

            def log_message(self, *args):
                pass

        return Handler

    def gets(self, path: str) -> int:
        return self.log.count(path)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


def fast_fetcher(cache=None) -> Fetcher:
    return Fetcher(cache, min_interval_s=0, retries=0, timeout_s=10)


# ----- link sources, parsed offline ------------------------------------------------------------------------

def test_kinds_are_told_apart_by_content():
    assert feeds.kind_of(b"<?xml version='1.0'?>\n<rss version='2.0'><channel/></rss>") == "feed"
    assert feeds.kind_of(b"\xef\xbb\xbf<feed xmlns='http://www.w3.org/2005/Atom'></feed>") == "feed"
    assert feeds.kind_of(b"<?xml version='1.0'?><urlset xmlns='x'><url><loc>http://a/b</loc></url></urlset>") == "sitemap"
    assert feeds.kind_of(b"<sitemapindex><sitemap><loc>http://a/s.xml</loc></sitemap></sitemapindex>") == "sitemap"
    assert feeds.kind_of(b"# list\nhttps://a.example/1\nhttp://b.example/2\n") == "urls"
    assert feeds.kind_of(b"<!doctype html><html><body><p>the rss feed is <a>here</a></p></body></html>") is None
    assert feeds.kind_of("Shelling hit Douma on Monday.".encode()) is None


def test_sitemap_reader_takes_news_dates_not_lastmod_and_marks_child_sitemaps():
    body = (b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9' xmlns:n='http://www.google.com/schemas/"
            b"sitemap-news/0.9'><url><loc>https://x.example/a</loc><lastmod>2025-05-05</lastmod></url><url>"
            b"<loc>https://x.example/b</loc><n:news><n:publication_date>2024-02-03T10:00:00Z</n:publication_date>"
            b"</n:news></url><url><loc>javascript:alert(1)</loc></url></urlset>")
    assert [(ln.url, ln.published) for ln in feeds.sitemap_links(body)] == [
        ("https://x.example/a", None), ("https://x.example/b", "2024-02-03")]
    index = b"<sitemapindex><sitemap><loc>https://x.example/s1.xml</loc></sitemap></sitemapindex>"
    assert [(ln.url, ln.is_sitemap) for ln in feeds.sitemap_links(index)] == [("https://x.example/s1.xml", True)]


def test_sitemap_reader_does_not_expand_entities():
    bomb = (b"<?xml version='1.0'?><!DOCTYPE u [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>]>"
            b"<urlset><url><loc>https://x.example/&b;</loc></url></urlset>")
    assert all(len(ln.url) < 100 for ln in feeds.sitemap_links(bomb))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=600))
def test_link_readers_never_raise_on_arbitrary_bytes(data):
    kind = feeds.kind_of(data)
    assert kind in (None, "feed", "sitemap", "urls")
    for link in feeds.links(data, kind or "urls"):
        assert link.url.startswith(("http://", "https://"))


# ----- fetching ------------------------------------------------------------------------------------------------

def test_fetcher_obeys_robots_and_names_itself(site):
    f = fast_fetcher()
    page = f.get(site.base + "/news/2024/douma-shelling.html")
    assert page.status == 200 and b"Douma" in page.body
    with pytest.raises(Exception, match="robots.txt"):
        f.get(site.base + "/private/secret.html")
    assert site.gets("/private/secret.html") == 0
    assert site.gets("/robots.txt") == 1  # read once per host
    assert f.user_agent.startswith("marsad/")


def test_fetcher_keeps_its_distance_from_a_host(site):
    f = Fetcher(None, min_interval_s=0.3, retries=0)
    start = time.monotonic()
    for p in ["/feed.rss", "/feed.atom", "/sitemap.xml"]:
        f.get(site.base + p)
    # robots.txt + 3 pages from one host: at least three gaps of 0.3 s (a lower bound, not a timing)
    assert time.monotonic() - start >= 0.9


def test_fetch_cache_serves_articles_again_without_the_network(site, tmp_path):
    cache = FetchCache(tmp_path / "fetched.sqlite")
    url = site.base + "/news/2024/aleppo-talks.html"
    first = fast_fetcher(cache).get(url)
    again = fast_fetcher(FetchCache(tmp_path / "fetched.sqlite")).get(url)
    assert again.from_cache and again.body == first.body
    assert site.gets("/news/2024/aleppo-talks.html") == 1


# ----- documents from every kind of source --------------------------------------------------------------------

def _read(args, fetcher):
    return list(read_paths(args, fetcher=fetcher))


def test_feeds_sitemaps_and_url_lists_become_documents_named_by_url(site, tmp_path):
    items = _read([site.base + "/feed.rss", site.base + "/feed.atom", site.base + "/sitemap.xml",
                   site.base + "/list.txt"], fast_fetcher())
    docs = {d.id: d for d in items if isinstance(d, Document)}
    fails = {f.id: f.message for f in items if isinstance(f, Failure)}
    u = site.base
    assert set(docs) == {u + p for p in ["/news/2024/douma-shelling.html", "/news/2024/aleppo-talks.html",
                                         "/ar/2024/idlib.html", "/news/2024/mosul-strike.html"]}
    assert fails == {u + "/news/gone.html": "HTTP status 404",
                     u + "/private/secret.html": "robots.txt of its site disallows fetching it; not fetched"}
    douma = docs[u + "/news/2024/douma-shelling.html"]
    assert douma.url == douma.id and "Douma" in douma.text and "Home | World" not in douma.text
    assert douma.published == "2024-01-01" and douma.title == "Shelling hits Douma"  # the feed's, read first
    assert douma.source == "Test Wire"
    assert len(items) == len(docs) + len(fails)  # the story in the feed and the sitemap is read once
    assert docs[u + "/news/2024/mosul-strike.html"].published == "2024-01-03"  # from the news sitemap
    assert docs[u + "/ar/2024/idlib.html"].published == "2024-01-04"  # from the Atom feed
    assert site.gets("/private/secret.html") == 0


def test_link_files_on_disk(site, tmp_path):
    rss = tmp_path / "wire.rss"
    rss.write_bytes(site.pages["/feed.rss"][1])
    urls = tmp_path / "today.urls"
    urls.write_bytes(site.pages["/list.txt"][1])
    items = _read([str(rss), str(urls), str(tmp_path / "nothing.rss")], fast_fetcher())
    assert [type(i).__name__ for i in items].count("Document") == 3  # aleppo-talks is in both, read once
    assert items[-1] == Failure(str(tmp_path / "nothing.rss"), "cannot read: no such file or directory")


def _warc(path: Path, site: Site) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for url_path in ["/news/2024/douma-shelling.html", "/ar/2024/idlib.html"]:
            ctype, body = site.pages[url_path]
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(site.base + url_path, "response", payload=io.BytesIO(body),
                                                http_headers=headers))
        headers = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(site.base + "/x", "response", payload=io.BytesIO(b"no"),
                                            http_headers=headers))
        img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(site.base + "/i.png", "response", payload=io.BytesIO(b"\x89PNG"),
                                            http_headers=img))


def test_web_archive_pages_become_documents_and_damage_is_one_line(site, tmp_path):
    archive = tmp_path / "crawl.warc.gz"
    _warc(archive, site)
    docs = _read([str(archive)], None)
    assert [d.id for d in docs] == [site.base + "/news/2024/douma-shelling.html", site.base + "/ar/2024/idlib.html"]
    assert all(isinstance(d, Document) for d in docs)
    broken = tmp_path / "broken.warc.gz"
    data = archive.read_bytes()
    from warcio.archiveiterator import ArchiveIterator

    with open(archive, "rb") as fh:
        it = ArchiveIterator(fh)
        offsets = [it.get_record_offset() for _ in it]
    broken.write_bytes(data[: offsets[1] + (offsets[2] - offsets[1]) // 2])  # cut inside the second page
    items = _read([str(broken)], None)
    assert isinstance(items[-1], Failure) and "damaged" in items[-1].message
    assert all(isinstance(i, Document) for i in items[:-1])


def test_archive_url_over_the_size_limit_is_one_line(site, tmp_path):
    archive = tmp_path / "crawl.warc.gz"
    _warc(archive, site)
    site.pages["/big.warc.gz"] = ("application/warc", archive.read_bytes())
    reader = sources.SourceReader(Fetcher(min_interval_s=0, max_archive_bytes=100), max_bytes=1_000_000)
    out = list(reader.read(site.base + "/big.warc.gz?download=1"))
    assert [(type(o).__name__, o.id) for o in out] == [("Failure", site.base + "/big.warc.gz?download=1")]
    assert "larger than 100 bytes" in str(out[0]) and "max_archive_bytes" in str(out[0])


def test_stdin_plain_text_and_urls(site, capsys, monkeypatch):
    text = "Syrian government forces shelled Douma on Monday."
    items = list(read_paths(["-"], stdin=io.BytesIO(text.encode())))
    assert items[0].id == "stdin" and items[0].text == text
    urls = f"{site.base}/news/2024/aleppo-talks.html\n".encode()
    items = list(read_paths(["-"], stdin=io.BytesIO(urls), fetcher=fast_fetcher()))
    assert [i.id for i in items] == [site.base + "/news/2024/aleppo-talks.html"]
    items = list(read_paths(["-"], stdin=io.BytesIO(b'\n{"id": "j", "text": "Shelling in Homs."}\n')))
    assert items[0].id == "j"
    items = list(read_paths(["-"], stdin=io.BytesIO(b'{"id": "j"'), stdin_format="text"))
    assert items[0].id == "stdin" and items[0].text == '{"id": "j"'


# ----- the commands ---------------------------------------------------------------------------------------------

def test_ingest_feeds_sitemap_and_archive_twice_adds_nothing_the_second_time(site, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(config.settings()["fetch"], "min_interval_s", 0)
    archive = tmp_path / "crawl.warc.gz"
    _warc(archive, site)
    site.pages["/crawls/crawl.warc.gz"] = ("application/warc", archive.read_bytes())  # served, as crawls publish
    db = tmp_path / "c.db"
    args = ["ingest", site.base + "/feed.rss", site.base + "/feed.atom", site.base + "/sitemap.xml",
            site.base + "/crawls/crawl.warc.gz", "--db", str(db), "--profile", "fast", "--workers", "1"]
    assert cli_main(args) == 1  # the 404 and the robots.txt refusal are failures, each one line
    err = capsys.readouterr().err
    assert f"marsad: {site.base}/news/gone.html: HTTP status 404" in err
    # 4 pages by feed/sitemap; the archive's 2 copies of the same URLs are kept as well, since they differ from the
    # fetched ones (no feed title or date) and the corpus keeps every distinct text it was given
    assert "6 added" in err
    first_gets = {p: site.gets(p) for p in STORIES}
    assert cli_main(args) == 1
    assert "0 added" in capsys.readouterr().err
    assert {p: site.gets(p) for p in STORIES} == first_gets  # articles came from the fetch cache
    assert site.gets("/feed.rss") == 2  # feeds are asked again
    assert site.gets("/crawls/crawl.warc.gz") == 2  # an archive is read again (never cached), its pages stored once
    with Corpus(db) as c:
        urls = {row[0] for row in c.conn.execute("SELECT url FROM documents")}
    assert len(urls) == 4


def test_killed_ingest_resumes_and_fetches_no_article_twice(site, tmp_path):
    site.delay = 0.2
    urls = [site.base + p for p in STORIES if not p.startswith("/private")]
    more = [f"{site.base}/news/2024/copy-{i}.html" for i in range(6)]
    for i, u in enumerate(more):
        title, body = STORIES["/news/2024/douma-shelling.html"]
        site.pages[u[len(site.base):]] = ("text/html", _page(f"{title} ({i})", f"Update {i}: {body}"))
    lst = tmp_path / "all.urls"
    lst.write_text("\n".join(urls + more) + "\n")
    db = tmp_path / "c.db"
    cmd = [sys.executable, "-m", "marsad", "ingest", str(lst), "--db", str(db), "--batch", "1", "--profile", "fast",
           "--workers", "1", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120  # a bound on waiting on a busy machine, not a timing
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with sqlite3.connect(db) as conn:
                if conn.execute("SELECT count(*) FROM documents").fetchone()[0] >= 2:
                    break
        except sqlite3.OperationalError:
            pass
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert subprocess.run(cmd, cwd=ROOT, stderr=subprocess.DEVNULL).returncode == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == len(urls) + len(more)
    fetched = {u: site.gets(u[len(site.base):]) for u in urls + more}
    assert all(n >= 1 for n in fetched.values()), fetched
    # every page fetched once, by whichever run got there, except the one being fetched when the run was killed
    # (the fetcher is sequential: at most one was in flight, and its page never reached the cache)
    again = [u for u, n in fetched.items() if n > 1]
    assert len(again) <= 1 and all(fetched[u] == 2 for u in again), fetched


def test_watch_rounds(site, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(config.settings()["fetch"], "min_interval_s", 0)
    db = tmp_path / "w.db"
    assert cli_main(["watch", site.base + "/feed.atom", "--db", str(db), "--every", "0.1s", "--rounds", "2",
                     "--profile", "fast", "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "round 1" in err and "round 2" in err
    assert "1 added" in err and "0 added, 1 already stored" in err


def test_watch_refuses_stdin_and_bad_intervals(capsys):
    assert cli_main(["watch", "-", "--rounds", "1"]) == 2
    with pytest.raises(SystemExit):
        cli_main(["watch", "x.rss", "--every", "soon"])


def test_analyze_reads_plain_text_on_stdin(tmp_path):
    out = subprocess.run([sys.executable, "-m", "marsad", "analyze", "-", "--profile", "fast", "--quiet"],
                         input="Syrian government forces shelled the town of Douma on Monday.".encode(),
                         capture_output=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert record["id"] == "stdin" and any(m["text"] == "Douma" for m in record["mentions"])
