"""The corpus store: one SQLite file (WAL mode) or one PostgreSQL database (backend.py) holding every ingested
document, its whole `marsad/1` record, and the parts of the record worth querying (mentions, entities, events,
techniques) as indexed rows, plus a full-text index (search.py). Layout and migrations: docs/corpus.md,
migrations.py.

Ingest is idempotent and resumable: a document is keyed by the hash of its text and of the metadata that
shapes its record (not its id), documents already stored are skipped before analysis, and each batch of
N records is written in one transaction, so a killed run leaves whole batches only and re-running the
same command finishes the job. Writers take the database's writer lock per batch (backend.write_transaction),
so concurrent ingests into one corpus store each document once, and each counts what it added and what
another had stored first.
"""
from __future__ import annotations

import collections
import datetime as dt
import hashlib
import json
import math
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from ..ingest import Document, Failure, InputError, make_document, read_paths
from . import backend, duplicates, migrations
from . import text as fts_text
from .corrections import active_corrections, apply_corrections, write_index_rows
from .rows import _str, load_record


@dataclass
class IngestStats:
    added: int = 0
    skipped: int = 0          # already in the store (same hash)
    failures: list[Failure] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)


def content_hash(text: str, title=None, source=None, url=None, published=None, language=None) -> str:
    """What makes two inputs the same document: the text and the metadata the record depends on."""
    key = json.dumps([text, title, source, url, published, language], ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def doc_hash(doc: Document) -> str:
    return content_hash(doc.text, doc.title, doc.source, doc.url, doc.published, doc.language)




def _km(lat1, lon1, lat2, lon2) -> float | None:
    """Great-circle distance (haversine), for the place-radius filter."""
    if None in (lat1, lon1, lat2, lon2):
        return None
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def connect(path: str | Path, *, migrate: bool = True) -> sqlite3.Connection:
    """A connection to the corpus at `path` (a SQLite file, or a postgresql:// URL), migrated to the latest
    schema. Explicit BEGIN/COMMIT only (autocommit otherwise)."""
    conn = backend.connect(path)
    if backend.dialect(conn) == "sqlite":
        conn.create_function("km", 4, _km, deterministic=True)  # PostgreSQL: created by the migrations
    if migrate:
        migrations.migrate(conn)
        migrations.reindex_if_stale(conn)
    return conn


def write_in_batches(results: Iterable[tuple], batch: int, write: Callable[[list], None], failures: list,
                     on_result: Callable | None = None) -> None:
    """(output, key) pairs in: each Failure to `failures`, the records to `write` as lists of (record, key),
    `batch` at a time (one transaction each); `on_result(output)` after each. Ingest and re-analysis share it."""
    pending: list[tuple[dict, object]] = []
    for out, key in results:
        if isinstance(out, Failure):
            failures.append(out)
        else:
            pending.append((out, key))
            if len(pending) >= batch:
                write(pending)
                pending = []
        if on_result:
            on_result(out)
    if pending:
        write(pending)


def insert_record(conn: sqlite3.Connection, record: Mapping, digest: str, now: str) -> int | None:
    """Write one record and its index rows (inside the caller's transaction); returns its rowid, or None when
    a document with this hash is already stored."""
    rec = dict(record)
    text = rec.get("text") or ""
    rec["text"] = None  # stored once, in documents.text; put back by load_record
    row = conn.execute(
        "INSERT INTO documents(id, hash, source, url, title, published, language, text, record, ingested_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(hash) DO NOTHING RETURNING rowid",
        (str(rec.get("id")), digest, _str(rec.get("source")), _str(rec.get("url")), _str(rec.get("title")),
         _str(rec.get("published")), _str(rec.get("language")), text,
         json.dumps(rec, ensure_ascii=False), now)).fetchone()
    if row is None:
        return None
    doc = row[0]
    write_index_rows(conn, doc, rec, replace=False)
    body = fts_text.shadow(text)
    conn.execute(migrations.fts_insert(conn), (doc, fts_text.shadow(_str(rec.get("title"))), body))
    duplicates.add(conn, doc, body)  # wire copies and republished articles (duplicates.py)
    return doc


def _has_nul(rec: Mapping) -> bool:
    """Whether a field stored as text holds U+0000, which PostgreSQL's text type refuses (the record's JSON
    escapes it; mention texts are slices of `text`)."""
    return any(isinstance(rec.get(k), str) and "\x00" in rec[k] for k in ("text", "title", "source", "url", "id"))


def _documents(items: Iterable, max_bytes: int | None) -> Iterator[Document | Failure]:
    """Paths (str/Path) are read like `marsad analyze` reads them; mappings are the JSONL fields."""
    if isinstance(items, (str, Path, Mapping, Document)):
        items = [items]  # one path or one document, not an iterable of characters or keys
    for n, item in enumerate(items, start=1):
        if isinstance(item, (Document, Failure)):
            yield item
        elif isinstance(item, (str, Path)):
            yield from read_paths([str(item)], max_bytes=max_bytes)
        elif isinstance(item, Mapping):
            doc_id = str(item.get("id") or n)
            try:
                if "text" not in item:
                    raise InputError('lacks "text"')
                yield make_document(doc_id, item["text"], title=item.get("title"), source=item.get("source"),
                                    url=item.get("url"), published=item.get("published"),
                                    language=item.get("language"), max_bytes=max_bytes)
            except InputError as e:
                yield Failure(doc_id, str(e))
        else:
            yield Failure(str(n), f"cannot ingest a {type(item).__name__}: give a path, a mapping or a Document")


class Corpus:
    """A corpus database.

        >>> c = Corpus("marsad.db")      # or Corpus("postgresql://host/db"); default: $MARSAD_DB, else marsad.db
        >>> c.ingest(["examples/"]).added
        >>> c.search("قصف دوما", since="2018-01-01")
        >>> with open("events.csv", "w") as f: c.export("csv", f)
    """

    def __init__(self, path: str | Path | None = None):
        target = backend.default_target() if path is None else path
        self.path = target if backend.is_postgres(target) else Path(target)
        self.conn = connect(self.path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Corpus":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __len__(self) -> int:
        return self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    def has(self, digest: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE hash = ?", (digest,)).fetchone() is not None

    def ingest(self, items: Iterable, *, batch: int = 100, max_bytes: int | None = None,
               on_result: Callable[[dict | Failure | None], None] | None = None,
               options: dict | None = None, analyse: Callable[[Iterable], Iterator] | None = None
               ) -> IngestStats:
        """Analyse and store paths, mappings (id/text/title/published/source/url/language) or Documents.
        `on_result` is called once per input document: with its record, its Failure, or None when it was
        already stored. Failures never stop the batch; they are returned in `stats.failures`. `options`: the
        pipeline's (e.g. {"profile": "fast"}).
        `analyse` maps documents to results in input order (default: this process, pipeline.run with `options`;
        given, it carries its own options; the CLI
        passes a worker pool's, marsad/workers.py)."""
        from ..pipeline import run

        analyse = analyse or (lambda docs: run(docs, options))

        stats = IngestStats()
        queued: collections.deque = collections.deque()  # hashes of documents handed to the pipeline, in order
        seen: set[str] = set()  # hashes queued in this run, so duplicates within the input are skipped too

        def fresh() -> Iterator[Document | Failure]:
            for item in _documents(items, max_bytes):
                if isinstance(item, Document):
                    h = doc_hash(item)
                    if h in seen or self.has(h):
                        stats.skipped += 1
                        if on_result:
                            on_result(None)
                        continue
                    seen.add(h)
                    queued.append(h)
                else:
                    queued.append(None)
                yield item

        def store(records: list) -> None:
            added = self.add_records(records)
            stats.added += added
            stats.skipped += len(records) - added  # another writer stored them while they were analysed

        postgres = backend.dialect(self.conn) == "postgres"

        def checked(out):
            if postgres and not isinstance(out, Failure) and _has_nul(out):
                return Failure(str(out.get("id")), "contains a NUL character, which a PostgreSQL corpus cannot store")
            return out

        write_in_batches(((checked(out), queued.popleft()) for out in analyse(fresh())), batch, store,
                         stats.failures, on_result)
        return stats

    def add_records(self, records: Iterable[tuple[dict, str] | dict]) -> int:
        """Store records (each with its hash, or alone: hashed from its own fields) in ONE transaction;
        a record whose hash is already stored is skipped. Returns how many were added."""
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        added = 0
        with backend.write_transaction(self.conn):
            for item in records:
                rec, h = item if isinstance(item, tuple) else (item, None)
                h = h or content_hash(rec.get("text") or "", rec.get("title"), rec.get("source"), rec.get("url"),
                                      rec.get("published"), rec.get("language"))
                if insert_record(self.conn, rec, h, now) is not None:
                    added += 1
        return added

    def records(self, where: str = "", params: tuple = (), *, machine: bool = False) -> Iterator[dict]:
        """Stored records in ingest order (optionally filtered by SQL on `documents`), with the analysts'
        corrections applied (corrections.py) unless `machine`."""
        by_doc: dict[str, list[dict]] = {}
        for c in [] if machine else active_corrections(self.conn):
            by_doc.setdefault(c["doc_id"], []).append(c)
        sql = "SELECT text, record FROM documents " + (f"WHERE {where} " if where else "") + "ORDER BY rowid"
        for text, rec in backend.stream(self.conn, sql, params):
            record = load_record(text, rec)
            yield apply_corrections(record, by_doc.get(record.get("id"), []))

    def get(self, doc_id: str, *, machine: bool = False) -> dict | None:
        """The latest stored record with this id, with its corrections applied unless `machine`."""
        row = self.conn.execute("SELECT text, record FROM documents WHERE id = ? ORDER BY rowid DESC LIMIT 1",
                                (doc_id,)).fetchone()
        if not row:
            return None
        record = load_record(*row)
        return record if machine else apply_corrections(record, active_corrections(self.conn, [doc_id]))

    def search(self, query: str = "", **filters):
        """Hits for `query` (see search.search for the filters), best first."""
        from .search import search

        return search(self.conn, query, **filters)

    def search_page(self, query: str = "", **options):
        """A search.Page: hits with the total (limit, offset, sort and filters as search.search_page)."""
        from .search import search_page

        return search_page(self.conn, query, **options)

    def duplicate_groups(self, min_size: int = 2, limit: int | None = None) -> list[dict]:
        """Groups of near-duplicate documents (wire copies, republished articles), largest first: each with its
        size, outlets, first publication date, headline and documents (duplicates.groups)."""
        return duplicates.groups(self, min_size=min_size, limit=limit)

    def export(self, fmt: str, stream, query: str = "", **filters) -> int:
        """Write the stored records (those matching `query` and the search filters, where given) as jsonl, csv,
        geojson or plover to `stream`; returns records written."""
        from .export import export

        return export(self, fmt, stream, query, **filters)

    def stats(self) -> dict:
        q = self.conn.execute
        return {name: q(f"SELECT count(*) FROM {name}").fetchone()[0]
                for name in ("documents", "mentions", "entities", "events", "techniques")} | {
            "schema_version": migrations.version(self.conn)}
