"""Readers for the inputs of `marsad analyze`: files (.txt, .html/.htm, .jsonl), directories, and `-` (JSONL,
plain text or URLs on standard input); URLs, feeds, sitemaps, URL lists and web archives go to sources.py.
Everything streams: one document is in memory at a time."""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from ..config import settings
from . import html as html_reader
from .decode import decode_text
from .document import Document, Failure, InputError, lenient_date, make_document
from .files import FileKey, capped_lines, keys_of, keys_of_path, open_regular, read_capped

Item = Document | Failure
HTML_EXTENSIONS = {".html", ".htm"}


def _limit(max_bytes: int | None) -> int:
    return settings()["input"]["max_bytes"] if max_bytes is None else max_bytes


def _os_reason(e: OSError) -> str:
    return (e.strerror or str(e)).lower()


def read_paths(paths: Iterable[str], *, max_bytes: int | None = None, stdin: BinaryIO | None = None,
               own_outputs: frozenset[FileKey] = frozenset(), stdin_format: str = "auto",
               fetcher=None) -> Iterator[Item]:
    """Documents (or Failures) from each path in order; '-' reads standard input (`stdin_format`: auto, jsonl,
    text or urls); http(s) URLs, .rss/.atom/.xml/.urls link files and .warc/.arc archives are read by
    sources.SourceReader with `fetcher` (a polite fetch.Fetcher; one is made when needed). Files in
    `own_outputs` (keys_of(the run's output streams)) are never read: a run writing into its input directory
    must not read its own growing output."""
    from . import sources

    web = None
    for p in paths:
        if p == "-":
            stdin = stdin or sys.stdin.buffer
            if keys_of([stdin]) & own_outputs:
                yield Failure("stdin", "standard input is the run's own output file; not read as input")
                continue
            fmt, fh = sources.sniff_stdin(stdin, stdin_format)
            if fmt == "jsonl":
                yield from read_jsonl(fh, "stdin", max_bytes=max_bytes)
            elif fmt == "text":
                yield from sources.read_stdin_text(fh, max_bytes=_limit(max_bytes))
            else:
                web = web or sources.SourceReader(fetcher, max_bytes=_limit(max_bytes))
                yield from web.read_url_list(fh, "stdin")
            continue
        if sources.handles(p) and not Path(p).is_dir():
            web = web or sources.SourceReader(fetcher, max_bytes=_limit(max_bytes))
            yield from web.read(p)
            continue
        path = Path(p)
        if path.is_dir():
            yield from _read_dir(path, max_bytes, own_outputs)
        elif path.exists() or path.is_symlink():
            yield from read_file(path, max_bytes=max_bytes, own_outputs=own_outputs)
        else:
            yield Failure(p, "no such file or directory")


def _dir_files(path: Path) -> Iterator[Path]:
    exts = set(settings()["input"]["extensions"])
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if not f.startswith(".") and Path(f).suffix.lower() in exts:
                yield Path(root) / f


def _read_dir(path: Path, max_bytes: int | None, own_outputs: frozenset[FileKey]) -> Iterator[Item]:
    found = False
    for f in _dir_files(path):
        if own_outputs and keys_of_path(f) & own_outputs:
            continue  # the run's output written into the directory it reads: not a document, no error either
        found = True
        yield from read_file(f, max_bytes=max_bytes, own_outputs=own_outputs)
    if not found:
        exts = ", ".join(settings()["input"]["extensions"])
        yield Failure(str(path), f"directory holds no readable documents (looked for {exts} files)")


def read_file(path: Path, *, max_bytes: int | None = None,
              own_outputs: frozenset[FileKey] = frozenset()) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        try:
            fh = open_regular(path, own_outputs)
        except OSError as e:
            yield Failure(str(path), f"cannot read: {_os_reason(e)}")
            return
        except InputError as e:
            yield Failure(str(path), str(e))
            return
        with fh:
            yield from read_jsonl(fh, path.name, max_bytes=max_bytes)
        return
    doc_id = path.stem
    limit = _limit(max_bytes)
    # HTML carries markup around the text: allow the page more bytes than the text limit.
    raw_limit = limit * 4 if suffix in HTML_EXTENSIONS else limit
    try:
        with open_regular(path, own_outputs) as fh:
            data = read_capped(fh, raw_limit)
    except OSError as e:
        yield Failure(doc_id, f"cannot read {path}: {_os_reason(e)}")
        return
    except InputError as e:
        yield Failure(doc_id, str(e))
        return
    try:
        text, warnings = decode_text(data)
        if suffix in HTML_EXTENSIONS:
            page = html_reader.extract(text)
            yield make_document(doc_id, page["text"], title=page["title"], url=page["url"], source=page["source"],
                                published=lenient_date(page["published"]), max_bytes=max_bytes,
                                warnings=warnings)
        else:
            yield make_document(doc_id, text, max_bytes=max_bytes, warnings=warnings)
    except InputError as e:
        yield Failure(doc_id, str(e))




# A JSON string (escapes included), removed before brackets are counted: "[" inside a text is no nesting.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))


def json_too_deep(raw: bytes, limit: int) -> bool:
    """Does this JSON text nest arrays/objects deeper than `limit`? Linear, without recursion."""
    depth = 0
    for c in _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS):
        depth += 1 if c in b"[{" else -1
        if depth > limit:
            return True
    return False


def parse_json_line(raw: bytes) -> object:
    """The JSON value of one line; InputError (one line, no traceback) for bad UTF-8, bad JSON or nesting
    past settings.toml [input] max_json_depth."""
    depth = settings()["input"]["max_json_depth"]
    if json_too_deep(raw, depth):
        raise InputError(f"JSON nested deeper than {depth} levels; a document is one flat object")
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise InputError(f"line is not UTF-8 (byte {e.start}); JSONL must be UTF-8") from None
    except json.JSONDecodeError as e:
        # some of json's messages end in "at" ("Invalid control character at"): say the place once
        raise InputError(f"not valid JSON ({e.msg.removesuffix(' at')} at column {e.colno})") from None
    except RecursionError:  # below the depth check's limit only if the interpreter's stack is set very low
        raise InputError("JSON nested too deep to parse") from None


def read_jsonl(fh: BinaryIO, name: str, *, max_bytes: int | None = None) -> Iterator[Item]:
    limit = _limit(max_bytes)
    # A JSON-escaped text can be several times its size; a longer line is skipped unread, never held whole.
    for n, (raw, size) in enumerate(capped_lines(fh, 8 * limit), start=1):
        where = f"{name}:{n}"
        if size > 8 * limit:
            yield Failure(where, f"line is {size:,} bytes, far over the text limit of {limit:,}")
            continue
        if not raw.strip():
            continue
        try:
            obj = parse_json_line(raw)
        except InputError as e:
            yield Failure(where, str(e))
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
            yield make_document(doc_id, obj["text"], title=obj.get("title"),
                                source=obj.get("source"), url=obj.get("url"), published=obj.get("published"),
                                language=obj.get("language"), max_bytes=max_bytes)
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
                    with open_regular(f) as fh:
                        total += sum(1 for line, size in capped_lines(fh, 1 << 20) if size > 1 << 20 or line.strip())
                except (OSError, InputError):
                    total += 1
            else:
                total += 1
    return total
