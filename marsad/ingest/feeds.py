"""Link sources: RSS/Atom feeds (feedparser), XML sitemaps and sitemap indexes (lxml, entities and network
off), and URL lists (one http(s) URL a line, # comments). Each gives the article URLs it names, with what it
says of them (title, date, outlet), which fill what the page itself lacks."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Iterator

_URL_LINE = re.compile(rb"^\s*https?://\S+\s*$")
_ROOT = re.compile(rb"<(?:[A-Za-z0-9_.-]+:)?(rss|feed|RDF|urlset|sitemapindex)[\s>/]")


@dataclass(frozen=True)
class Link:
    url: str
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    source: str | None = None
    is_sitemap: bool = False  # a child sitemap of an index, to be fetched and read in turn


def kind_of(body: bytes) -> str | None:
    """'feed', 'sitemap', 'urls' or None (a page, or text) from the first bytes."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    lines = [ln for ln in head.splitlines()[:20] if ln.strip() and not ln.lstrip().startswith(b"#")]
    if lines and all(_URL_LINE.match(ln) for ln in lines[:-1] or lines):
        return "urls"
    m = _ROOT.search(head)
    if m and not re.search(rb"<html[\s>]", head[:m.start()], re.I):
        return "sitemap" if m.group(1) in (b"urlset", b"sitemapindex") else "feed"
    return None


def _date(struct) -> str | None:
    if not struct:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(struct), dt.timezone.utc).date().isoformat()
    except (OverflowError, ValueError, TypeError):
        return None


def feed_links(body: bytes, base_url: str | None = None) -> Iterator[Link]:
    import feedparser  # only paid for by runs that read feeds

    parsed = feedparser.parse(body, response_headers={"content-location": base_url} if base_url else None,
                              sanitize_html=False, resolve_relative_uris=True)
    source = parsed.feed.get("title") or None
    for entry in parsed.entries:
        link = entry.get("link")
        if link and link.startswith(("http://", "https://")):
            yield Link(link, title=entry.get("title") or None,
                       published=_date(entry.get("published_parsed") or entry.get("updated_parsed")), source=source)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def sitemap_links(body: bytes) -> Iterator[Link]:
    from lxml import etree

    # No entities, no network, no huge trees: a sitemap is data from a stranger.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
    root = etree.fromstring(body, parser=parser)
    if root is None:
        return
    index = _local(root.tag) == "sitemapindex"
    for item in root:
        fields = {_local(el.tag): (el.text or "").strip() for el in item.iter() if el is not item}
        loc = fields.get("loc", "")
        if not loc.startswith(("http://", "https://")):
            continue
        # news sitemaps carry the publication date and title; <lastmod> is only when the page last changed
        published = fields.get("publication_date", "")[:10] or None
        yield Link(loc, title=fields.get("title") or None, published=published, is_sitemap=index)


def url_list_links(body: bytes) -> Iterator[Link]:
    for line in body.splitlines():
        if _URL_LINE.match(line):
            yield Link(line.strip().decode("utf-8", "replace"))


def links(body: bytes, kind: str, base_url: str | None = None) -> Iterator[Link]:
    if kind == "feed":
        return feed_links(body, base_url)
    if kind == "sitemap":
        return sitemap_links(body)
    return url_list_links(body)
