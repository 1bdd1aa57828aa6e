"""Web archives (WARC and ARC, gzipped or not, as Common Crawl News and institutional crawls publish them),
read with warcio: each archived HTML page answered 200 becomes a document whose id and url are the page's
URL; other records (requests, metadata, images, redirects) are skipped without a word."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from .document import Document, Failure, InputError

SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


def is_archive(path: str) -> bool:
    """Whether a file name or a URL (its path, query aside) names a web archive."""
    return urlsplit(path).path.lower().endswith(SUFFIXES) if "://" in path else path.lower().endswith(SUFFIXES)


def read_archive(path: Path, page_to_document, *, max_bytes: int, name: str | None = None
                 ) -> Iterator[Document | Failure]:
    """`page_to_document(id, body_bytes, content_type)` -> Document (may raise InputError). `name`: what the
    messages call the archive (its URL when it was downloaded), else the file's name."""
    name = name or path.name
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        fh = open(path, "rb")
    except OSError as e:
        yield Failure(str(path), f"cannot read: {(e.strerror or str(e)).lower()}")
        return
    n = 0
    with fh:
        try:
            # check_digests=True records (does not raise) a payload that does not match its WARC digest: a
            # truncated download ends in such a record, which warcio otherwise returns cut short without a word
            for record in ArchiveIterator(fh, arc2warc=True, check_digests=True):
                if record.rec_type not in ("response", "resource"):
                    continue
                n += 1
                uri = record.rec_headers.get_header("WARC-Target-URI") or f"{name}#{n}"
                if record.http_headers is not None:
                    if record.http_headers.get_statuscode() != "200":
                        continue
                    ctype = record.http_headers.get_header("Content-Type") or ""
                else:
                    ctype = record.rec_headers.get_header("Content-Type") or ""
                if not ctype.lower().startswith(_PAGE_TYPES):
                    continue
                body = record.content_stream().read(4 * max_bytes + 1)
                if len(body) > 4 * max_bytes:
                    yield Failure(uri, f"archived page is over {4 * max_bytes:,} bytes; skipped")
                    continue
                if record.digest_checker.passed is False:
                    yield Failure(uri, "archived record is damaged (its digest does not match: the archive is "
                                       "truncated or corrupt); skipped")
                    continue
                try:
                    yield page_to_document(uri, body, ctype)
                except InputError as e:
                    yield Failure(uri, str(e))
        except (ArchiveLoadFailed, EOFError, OSError, ValueError) as e:
            # a corrupt archive: keep what was read, name where it broke
            yield Failure(f"{name}#{n + 1}", f"archive is damaged after {n} records ({str(e)[:80] or type(e).__name__}); "
                                                   "the records before it were read")
            return
    if path.name.lower().endswith(".gz") and (problem := _gzip_damage(path)):
        yield Failure(name, f"archive is damaged: {problem}; the {n} records before the damage were read")


def _gzip_damage(path: Path) -> str | None:
    """What is wrong with a gzipped archive's compression, or None. warcio stops without a word at a gzip
    member cut short (an interrupted download), so the whole file is decompressed once more to tell."""
    import gzip
    import zlib

    try:
        with gzip.open(path, "rb") as fh:
            while fh.read(1 << 20):
                pass
    except EOFError:
        return "it ends in the middle of a record (truncated download?)"
    except (OSError, zlib.error) as e:
        return str(e)[:80] or type(e).__name__
    return None
