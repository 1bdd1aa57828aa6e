"""Inputs beyond files of text: URLs (an article, a feed, a sitemap or a URL list, told apart by content),
feed / sitemap / URL-list files (.rss, .atom, .xml, .urls) whose articles are fetched, web archives (.warc,
.arc, gzipped or not), and plain text or URLs on standard input. Every article becomes a Document whose id is
its URL, or a Failure naming that URL; one bad link never stops the others."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator
from urllib.parse import urlsplit

from . import feeds
from . import html as html_reader
from .decode import decode_text
from .document import Document, Failure, InputError, lenient_date, make_document
from .fetch import Fetcher
from .warc import is_archive, read_archive

LINK_FILE_SUFFIXES = (".rss", ".atom", ".xml", ".urls")
MAX_SITEMAP_DEPTH = 3


def is_url(arg: str) -> bool:
    return arg.startswith(("http://", "https://"))


def handles(arg: str) -> bool:
    """Whether this module reads `arg` (a URL, a link file or a web archive) rather than the file readers."""
    return is_url(arg) or is_archive(arg) or arg.lower().endswith(LINK_FILE_SUFFIXES)


def page_document(doc_id: str, body: bytes, content_type: str, *, link: feeds.Link | None = None,
                  max_bytes: int | None = None) -> Document:
    """An article page (HTML, or plain text) as a Document; what the link says fills what the page lacks."""
    text, warnings = decode_text(body)
    link = link or feeds.Link(doc_id)
    if "text/plain" in content_type.lower():
        page = {"text": text, "title": None, "published": None, "url": None, "source": None}
    else:
        page = html_reader.extract(text)
    return make_document(doc_id, page["text"], title=page["title"] or link.title,
                         source=page["source"] or link.source, url=link.url,
                         published=lenient_date(page["published"]) or link.published,
                         max_bytes=max_bytes, warnings=warnings)


class SourceReader:
    """Reads URL and archive inputs with one polite Fetcher (its cache makes re-runs fetch nothing twice)."""

    def __init__(self, fetcher: Fetcher | None = None, *, max_bytes: int):
        self._fetcher = fetcher
        self.max_bytes = max_bytes
        self._seen: set[str] = set()  # article URLs read in this run: a story in two feeds is one document

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher()
        return self._fetcher

    def read(self, arg: str) -> Iterator[Document | Failure]:
        if is_url(arg) and is_archive(arg):
            yield from self._remote_archive(arg)
        elif is_url(arg):
            yield from self._url(arg)
        elif is_archive(arg):
            yield from read_archive(Path(arg), self._page, max_bytes=self.max_bytes)
        else:
            try:
                body = Path(arg).read_bytes()
            except OSError as e:
                yield Failure(arg, f"cannot read: {(e.strerror or str(e)).lower()}")
                return
            kind = "urls" if arg.lower().endswith(".urls") else feeds.kind_of(body)
            if kind is None:
                yield Failure(arg, "neither a feed, a sitemap nor a URL list (give .rss/.atom/.xml feeds or "
                                   "sitemaps, or .urls files with one URL a line)")
                return
            yield from self._links(arg, body, kind, base_url=None, depth=0)

    def read_url_list(self, fh, name: str) -> Iterator[Document | Failure]:
        """The articles of a stream of URLs, one a line (standard input); read no further than the size limit."""
        data = read_bounded(fh, name, self.max_bytes)
        if isinstance(data, Failure):
            yield data
            return
        for link in feeds.url_list_links(data):
            yield from self.read(link.url)

    def _remote_archive(self, url: str) -> Iterator[Document | Failure]:
        """A web archive at a URL: downloaded to a temporary file (archives run to gigabytes), then read."""
        with tempfile.TemporaryDirectory(prefix="marsad-archive-") as tmp:
            local = Path(tmp) / Path(urlsplit(url).path).name
            try:
                self.fetcher.download(url, local)
            except InputError as e:
                yield Failure(url, str(e))
                return
            yield from read_archive(local, self._page, max_bytes=self.max_bytes, name=url)

    def _page(self, doc_id: str, body: bytes, content_type: str, link: feeds.Link | None = None) -> Document:
        return page_document(doc_id, body, content_type, link=link, max_bytes=self.max_bytes)

    def _url(self, url: str) -> Iterator[Document | Failure]:
        try:
            page = self.fetcher.get(url, fresh=True)  # what a URL holds today: it may be a feed that changed
        except InputError as e:
            yield Failure(url, str(e))
            return
        kind = feeds.kind_of(page.body)
        if kind is None:
            try:
                yield self._page(url, page.body, page.content_type)
            except InputError as e:
                yield Failure(url, str(e))
            return
        yield from self._links(url, page.body, kind, base_url=page.final_url, depth=0)

    def _links(self, name: str, body: bytes, kind: str, *, base_url, depth: int) -> Iterator[Document | Failure]:
        try:
            found = list(feeds.links(body, kind, base_url))
        except Exception as e:  # lxml/feedparser on hostile XML
            yield Failure(name, f"unreadable {kind}: {type(e).__name__}: {str(e)[:80]}")
            return
        if not found:
            yield Failure(name, f"the {kind} lists no article URLs")
            return
        for link in found:
            if link.is_sitemap:
                yield from self._child_sitemap(link.url, depth + 1)
            else:
                yield from self._article(link)

    def _child_sitemap(self, url: str, depth: int) -> Iterator[Document | Failure]:
        if depth > MAX_SITEMAP_DEPTH:
            yield Failure(url, f"sitemap index nested deeper than {MAX_SITEMAP_DEPTH}; not followed")
            return
        try:
            page = self.fetcher.get(url, fresh=True)
        except InputError as e:
            yield Failure(url, str(e))
            return
        yield from self._links(url, page.body, feeds.kind_of(page.body) or "sitemap", base_url=page.final_url,
                               depth=depth)

    def _article(self, link: feeds.Link) -> Iterator[Document | Failure]:
        if link.url in self._seen:
            return
        self._seen.add(link.url)
        try:
            page = self.fetcher.get(link.url)
            yield self._page(link.url, page.body, page.content_type, link)
        except InputError as e:
            yield Failure(link.url, str(e))


class PrefixedReader:
    """A binary stream whose first bytes were already read (to sniff its format) and are given back first.
    Offers the bounded readline/read the capped readers use, so no line is ever held whole."""

    def __init__(self, head: bytes, fh: BinaryIO):
        self._head = head
        self._fh = fh

    def readline(self, size: int = -1) -> bytes:
        if not self._head:
            return self._fh.readline(size)
        newline = self._head.find(b"\n")
        cut = newline + 1 if newline >= 0 else len(self._head)
        if 0 <= size < cut:
            cut = size
        line, self._head = self._head[:cut], self._head[cut:]
        if line.endswith(b"\n") or self._head or len(line) == size:
            return line
        # the sniffed head ended mid-line: the rest of that line comes from the stream
        return line + self._fh.readline(-1 if size < 0 else size - len(line))

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            data, self._head = self._head + self._fh.read(), b""
            return data
        data, self._head = self._head[:size], self._head[size:]
        if len(data) < size:
            data += self._fh.read(size - len(data))
        return data

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line


SNIFF_LINE_BYTES = 65536


def sniff_stdin(fh: BinaryIO, fmt: str) -> tuple[str, PrefixedReader]:
    """(format, stream) for standard input: 'jsonl' when its first non-blank byte is '{', 'urls' when its first
    line is a URL, else 'text'; `fmt` other than 'auto' is taken as given. The bytes read to decide are given
    back by the stream; no more than a few bounded lines are read to decide."""
    head = b""
    if fmt == "auto":
        while len(head) < 16 * SNIFF_LINE_BYTES:
            line = fh.readline(SNIFF_LINE_BYTES)
            head += line
            if not line or line.strip():
                break
        first = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        fmt = "jsonl" if first.startswith(b"{") else "urls" if feeds.kind_of(first) == "urls" else "text"
    return fmt, PrefixedReader(head, fh)


def read_bounded(fh, name: str, max_bytes: int) -> bytes | Failure:
    """All of a stream, or a Failure naming it when it is larger than `max_bytes` (read no further)."""
    data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        return Failure(name, f"input is larger than the limit of {max_bytes:,} bytes; split it or raise --max-bytes")
    return data


def read_stdin_text(fh, *, max_bytes: int) -> Iterator[Document | Failure]:
    """All of standard input as one document, id 'stdin'; read no further than the size limit."""
    data = read_bounded(fh, "stdin", max_bytes)
    if isinstance(data, Failure):
        yield data
        return
    try:
        text, warnings = decode_text(data)
        yield make_document("stdin", text, max_bytes=max_bytes, warnings=warnings)
    except InputError as e:
        yield Failure("stdin", str(e))
