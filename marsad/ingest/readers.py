"""Readers for the inputs of `marsad analyze`: files (.txt, .html/.htm, .jsonl), directories, and `-` (JSONL,
plain text or URLs on standard input); URLs, feeds, sitemaps, URL lists and web archives go to sources.py.
Everything streams: one document is in memory at a time."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from ..config import settings
from . import html as html_reader
from .decode import decode
from .document import Document, Failure, InputError, make_document, parse_published

Item = Document | Failure
HTML_EXTENSIONS = {".html", ".htm"}


def _limit(max_bytes: int | None) -> int:
    return settings()["input"]["max_bytes"] if max_bytes is None else max_bytes


def _os_reason(e: OSError) -> str:
    return (e.strerror or str(e)).lower()


def read_paths(paths: Iterable[str], *, max_bytes: int | None = None, stdin: BinaryIO | None = None,
               stdin_format: str = "auto", fetcher=None) -> Iterator[Item]:
    """Documents (or Failures) from each path in order; '-' reads standard input (`stdin_format`: auto, jsonl,
    text or urls); http(s) URLs, .rss/.atom/.xml/.urls link files and .warc/.arc archives are read by
    sources.SourceReader with `fetcher` (a polite fetch.Fetcher; one is made when needed)."""
    from . import sources

    web = None
    for p in paths:
        if p == "-":
            fmt, lines = sources.sniff_stdin(stdin or sys.stdin.buffer, stdin_format)
            if fmt == "jsonl":
                yield from read_jsonl(lines, "stdin", max_bytes=max_bytes)
            elif fmt == "text":
                yield from sources.read_stdin_text(lines, max_bytes=_limit(max_bytes))
            else:
                web = web or sources.SourceReader(fetcher, max_bytes=_limit(max_bytes))
                for url in sources.feeds.url_list_links(b"".join(lines)):
                    yield from web.read(url.url)
            continue
        if sources.handles(p) and not Path(p).is_dir():
            web = web or sources.SourceReader(fetcher, max_bytes=_limit(max_bytes))
            yield from web.read(p)
            continue
        path = Path(p)
        if path.is_dir():
            yield from _read_dir(path, max_bytes)
        elif path.exists():
            yield from read_file(path, max_bytes=max_bytes)
        else:
            yield Failure(p, "no such file or directory")


def _dir_files(path: Path) -> Iterator[Path]:
    exts = set(settings()["input"]["extensions"])
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if not f.startswith(".") and Path(f).suffix.lower() in exts:
                yield Path(root) / f


def _read_dir(path: Path, max_bytes: int | None) -> Iterator[Item]:
    found = False
    for f in _dir_files(path):
        found = True
        yield from read_file(f, max_bytes=max_bytes)
    if not found:
        exts = ", ".join(settings()["input"]["extensions"])
        yield Failure(str(path), f"directory holds no readable documents (looked for {exts} files)")


def read_file(path: Path, *, max_bytes: int | None = None) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        try:
            fh = open(path, "rb")
        except OSError as e:
            yield Failure(str(path), f"cannot read: {_os_reason(e)}")
            return
        with fh:
            yield from read_jsonl(fh, path.name, max_bytes=max_bytes)
        return
    doc_id = path.stem
    limit = _limit(max_bytes)
    # HTML carries markup around the text: allow the page more bytes than the text limit.
    raw_limit = limit * 4 if suffix in HTML_EXTENSIONS else limit
    try:
        size = path.stat().st_size
        if size > raw_limit:
            raise InputError(f"file is {size:,} bytes, over the limit of {raw_limit:,}; split it or raise --max-bytes")
        data = path.read_bytes()
    except OSError as e:
        yield Failure(doc_id, f"cannot read {path}: {_os_reason(e)}")
        return
    except InputError as e:
        yield Failure(doc_id, str(e))
        return
    try:
        text, encoding = decode(data)
        warnings = [] if encoding in ("utf-8", "utf-8-sig") else [f"not UTF-8; decoded as {encoding}"]
        if suffix in HTML_EXTENSIONS:
            page = html_reader.extract(text)
            yield make_document(doc_id, page["text"], title=page["title"], url=page["url"], source=page["source"],
                                published=_lenient_date(page["published"]), max_bytes=max_bytes,
                                warnings=warnings)
        else:
            yield make_document(doc_id, text, max_bytes=max_bytes, warnings=warnings)
    except InputError as e:
        yield Failure(doc_id, str(e))


def _lenient_date(value):
    """A date found inside a page is a hint, not user input: drop it when it does not parse."""
    try:
        return parse_published(value)
    except InputError:
        return None


def read_jsonl(fh: Iterable[bytes], name: str, *, max_bytes: int | None = None) -> Iterator[Item]:
    limit = _limit(max_bytes)
    for n, raw in enumerate(fh, start=1):
        where = f"{name}:{n}"
        if not raw.strip():
            continue
        if len(raw) > 8 * limit:  # a JSON-escaped text can be several times its size; don't even parse
            yield Failure(where, f"line is {len(raw):,} bytes, far over the text limit of {limit:,}")
            continue
        try:
            obj = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as e:
            yield Failure(where, f"line is not UTF-8 (byte {e.start}); JSONL must be UTF-8")
            continue
        except json.JSONDecodeError as e:
            yield Failure(where, f"not valid JSON ({e.msg} at column {e.colno})")
            continue
        if not isinstance(obj, dict):
            yield Failure(where, f"not a JSON object (got {type(obj).__name__}); "
                                 'each line must look like {"id": ..., "text": ...}')
            continue
        doc_id = obj.get("id")
        doc_id = where if doc_id is None or doc_id == "" else str(doc_id)
        if "text" not in obj:
            yield Failure(doc_id, 'lacks "text": each JSONL line needs the article text in a "text" field')
            continue
        try:
            yield make_document(doc_id, obj["text"], title=obj.get("title"), source=obj.get("source"),
                                url=obj.get("url"), published=obj.get("published"), language=obj.get("language"),
                                max_bytes=max_bytes)
        except InputError as e:
            yield Failure(doc_id, str(e))


def count_documents(paths: Iterable[str]) -> int | None:
    """How many documents the paths hold (for a progress bar); None when unknowable (stdin)."""
    from .sources import handles

    total = 0
    for p in paths:
        if p == "-" or handles(p):
            return None
        path = Path(p)
        files = _dir_files(path) if path.is_dir() else [path]
        for f in files:
            if f.suffix.lower() == ".jsonl":
                try:
                    with open(f, "rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
    return total
