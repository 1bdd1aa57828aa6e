"""Versioned schema migrations. `schema_version` holds one row per applied migration; opening a database
applies the missing ones in order, each in its own transaction, so an interrupted upgrade leaves the
database at the last completed version and the next open finishes it.

To change the schema, append a migration (never edit an applied one): SQL text, or a callable
`step(conn)` for work SQL cannot express (such as re-indexing text with Python's stemmer).

The same migrations, with the same numbers, build a PostgreSQL corpus (backend.py): SQL text is translated
by `for_postgres`, and the full-text step builds a tsvector table instead of FTS5. Opening a database that
is behind takes the writer lock (SQLite BEGIN IMMEDIATE, PostgreSQL an advisory lock) and reads the version
again under it, so many processes opening one new database at once apply each migration exactly once.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Callable

from . import duplicates
from . import text as fts_text
from .backend import dialect, table_exists, write_transaction

V1_TABLES = """
CREATE TABLE documents (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL,                -- the record's id; not unique: two files may both have line 1
    hash TEXT NOT NULL UNIQUE,       -- sha256 of the text and the metadata that shapes the record
    source TEXT, url TEXT, title TEXT, published TEXT, language TEXT,
    text TEXT NOT NULL,
    record TEXT NOT NULL,            -- the whole marsad/1 record as JSON, "text" set to null (kept above)
    ingested_at TEXT NOT NULL
);
CREATE INDEX documents_id ON documents(id);
CREATE INDEX documents_published ON documents(published);
CREATE INDEX documents_source ON documents(source COLLATE NOCASE);
CREATE INDEX documents_language ON documents(language);

CREATE TABLE mentions (
    doc INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    start INTEGER, "end" INTEGER, text TEXT, type TEXT, entity TEXT, confidence REAL
);
CREATE INDEX mentions_doc ON mentions(doc);
CREATE INDEX mentions_entity ON mentions(entity);

CREATE TABLE entities (              -- as each record describes them (records may disagree)
    doc INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    entity TEXT NOT NULL, name TEXT, name_ar TEXT, kind TEXT, side TEXT, country TEXT,
    lat REAL, lon REAL, admin1 TEXT  -- the full description is in documents.record
);
CREATE INDEX entities_doc ON entities(doc);
CREATE INDEX entities_entity ON entities(entity);
CREATE INDEX entities_side ON entities(side);
CREATE INDEX entities_lat ON entities(lat);

CREATE TABLE events (
    doc INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    n INTEGER NOT NULL,              -- position in the record's events list, from 0
    type TEXT, sub_type TEXT, plover TEXT,
    actor1 TEXT, actor1_side TEXT, actor2 TEXT, actor2_side TEXT,
    place TEXT, lat REAL, lon REAL, admin1 TEXT,
    date TEXT, date_precision TEXT, modality TEXT, claimed_by TEXT, means TEXT,
    fatalities INTEGER, civilians INTEGER, children INTEGER, women INTEGER, combatants INTEGER,
    evidence_start INTEGER, evidence_end INTEGER, confidence REAL  -- the full event: documents.record
);
CREATE INDEX events_doc ON events(doc);
CREATE INDEX events_type ON events(type);
CREATE INDEX events_plover ON events(plover);
CREATE INDEX events_place ON events(place);
CREATE INDEX events_actor1 ON events(actor1);
CREATE INDEX events_actor2 ON events(actor2);
CREATE INDEX events_lat ON events(lat);
CREATE INDEX events_date ON events(date);

CREATE TABLE techniques (
    doc INTEGER NOT NULL REFERENCES documents(rowid) ON DELETE CASCADE,
    technique TEXT, start INTEGER, "end" INTEGER, confidence REAL
);
CREATE INDEX techniques_doc ON techniques(doc);
CREATE INDEX techniques_technique ON techniques(technique);
"""


def v2_full_text(conn: sqlite3.Connection) -> None:
    """The full-text index over folded, stemmed shadow text (see text.py). SQLite: FTS5, contentless (the
    terms are derived from documents.text, so storing them again would only double the size). PostgreSQL: a
    tsvector per document ('simple' configuration: the terms as text.py made them, no stemming of its own),
    title words weighted A, body D, under a GIN index. Documents stored before this version are indexed here."""
    if dialect(conn) == "postgres":
        conn.execute("CREATE TABLE doc_fts (rowid BIGINT PRIMARY KEY REFERENCES documents(rowid) ON DELETE CASCADE, "
                     "terms TSVECTOR NOT NULL)")
        conn.execute("CREATE INDEX doc_fts_terms ON doc_fts USING gin(terms)")
    else:
        conn.execute("CREATE VIRTUAL TABLE doc_fts USING fts5(title, body, content='', "
                     "tokenize='unicode61 remove_diacritics 0')")
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    _index_all(conn)


def fts_insert(conn) -> str:
    """The statement that indexes one document: (rowid, title's shadow text, body's shadow text)."""
    if dialect(conn) == "postgres":
        return ("INSERT INTO doc_fts(rowid, terms) VALUES "
                "(?, setweight(to_tsvector('simple', ?), 'A') || to_tsvector('simple', ?))")
    return "INSERT INTO doc_fts(rowid, title, body) VALUES (?, ?, ?)"


def _index_all(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM doc_fts" if dialect(conn) == "postgres"
                 else "INSERT INTO doc_fts(doc_fts) VALUES ('delete-all')")
    rows = conn.execute("SELECT rowid, title, text FROM documents")
    conn.executemany(fts_insert(conn), ((r, fts_text.shadow(t), fts_text.shadow(x)) for r, t, x in rows.fetchall()))
    conn.execute("INSERT INTO meta VALUES ('fts_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (str(fts_text.VERSION),))


def reindex_if_stale(conn: sqlite3.Connection) -> bool:
    """Rebuild the full-text index when text.py's folding/stemming changed since it was built (its
    VERSION differs from the one recorded in meta), and the near-duplicate groups when their settings or the
    folding changed (duplicates.PARAMS); one transaction each. Returns whether it rebuilt anything."""
    rebuilt = rebuild_if_stale(conn, "fts_version", str(fts_text.VERSION), _index_all)
    if version(conn) >= 4:
        rebuilt = rebuild_if_stale(conn, "duplicates", duplicates.PARAMS, duplicates.group_all) or rebuilt
    return rebuilt


def rebuild_if_stale(conn: sqlite3.Connection, key: str, value: str, rebuild: Callable) -> bool:
    """Run `rebuild(conn)` (which records `value` under `key` in meta) unless meta already holds it."""
    def current() -> bool:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return bool(row) and row[0] == value

    if current():
        return False
    with write_transaction(conn):
        if current():  # another process rebuilt it while this one waited for the lock
            return False
        rebuild(conn)
    return True


V3_GEO_INDEXES = """
-- The radius filter (search.py, near=) reads distinct (lat, lon) points in a bounding box from these
-- covering indexes (no table rows, no Python per row), then the documents at the points within the radius.
CREATE INDEX events_geo ON events(lat, lon, doc);
CREATE INDEX entities_geo ON entities(kind, lat, lon, doc);
DROP INDEX events_lat;               -- a prefix of events_geo
DROP INDEX entities_lat;
-- the event_type filter also matches sub_type, which had no index (a full scan of events per query)
CREATE INDEX events_sub_type ON events(sub_type);
ANALYZE;
"""

# PostgreSQL spellings of V1: a generated bigint key for SQLite's INTEGER PRIMARY KEY (rowid), double precision
# for REAL (PostgreSQL's REAL is 4 bytes: coordinates would lose metres), an expression index for NOCASE;
# and the SQL functions SQLite has or the store registers (km, json_extract), so queries read the same.
_POSTGRES_SPELLINGS = [
    ("rowid INTEGER PRIMARY KEY", "rowid BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    ("doc INTEGER NOT NULL", "doc BIGINT NOT NULL"),
    (" REAL", " DOUBLE PRECISION"),
    ("documents(source COLLATE NOCASE)", "documents(lower(source))"),
]
POSTGRES_FUNCTIONS = """
CREATE OR REPLACE FUNCTION km(lat1 DOUBLE PRECISION, lon1 DOUBLE PRECISION, lat2 DOUBLE PRECISION,
                              lon2 DOUBLE PRECISION) RETURNS DOUBLE PRECISION
LANGUAGE sql IMMUTABLE AS $$
    SELECT 2 * 6371.0088 * asin(least(1.0, sqrt(sin(radians(lat2 - lat1) / 2) ^ 2
           + cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lon2 - lon1) / 2) ^ 2)))
$$;
CREATE OR REPLACE FUNCTION json_extract(doc TEXT, path TEXT) RETURNS JSONB
LANGUAGE sql IMMUTABLE AS $$ SELECT jsonb_path_query_first(doc::jsonb, path::jsonpath) $$;
"""


def for_postgres(sql: str, number: int) -> str:
    if number == 1:
        for sqlite_spelling, postgres_spelling in _POSTGRES_SPELLINGS:
            sql = sql.replace(sqlite_spelling, postgres_spelling)
        sql += POSTGRES_FUNCTIONS
    return sql


def v5_corrections(conn) -> None:
    """Analysts' corrections (corrections.py), kept apart from the machine output so that re-ingest and
    re-analysis never touch them. A correction names its document by the record's id and its target by a key
    that survives re-analysis: the kind (event, mention, technique), the item's span (an event's evidence) and
    n, its position among the items of that kind with the same span; never a row id. Nothing is deleted: a
    later correction of the same target and field sets superseded_by on the earlier one (the history)."""
    key = ("id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" if dialect(conn) == "postgres"
           else "id INTEGER PRIMARY KEY")
    conn.execute(f"""CREATE TABLE corrections (
        {key},
        doc_id TEXT NOT NULL,           -- documents.id of the corrected record
        target TEXT NOT NULL,           -- event | mention | technique
        target_start INTEGER NOT NULL, target_end INTEGER NOT NULL, target_n INTEGER NOT NULL DEFAULT 0,
        field TEXT NOT NULL,            -- type, actor1, entity, technique, deleted, added, ...
        old_value TEXT, new_value TEXT, -- JSON
        note TEXT, author TEXT NOT NULL, created TEXT NOT NULL,
        superseded_by BIGINT            -- the later correction of the same target and field
    )""")
    conn.execute("CREATE INDEX corrections_doc ON corrections(doc_id)")


Step = str | Callable[[sqlite3.Connection], None]
# Numbers need not be contiguous: 4 is another branch's, and a database that has 5 before 4 exists gets 4
# when it does (migrate applies every missing number, not only those above the highest applied).
MIGRATIONS: list[tuple[int, str, Step]] = [
    (1, "documents, mentions, entities, events, techniques", V1_TABLES),
    (2, "full-text index (FTS5 over folded, stemmed text)", v2_full_text),
    (3, "covering (lat, lon, doc) indexes for the radius filter; events.sub_type index", V3_GEO_INDEXES),
    (4, "near-duplicate groups: MinHash signatures, LSH band keys, each document's group", duplicates.create_tables),
    (5, "analysts' corrections, kept apart from the machine output", v5_corrections),
]
LATEST = max(number for number, _, _ in MIGRATIONS)


class SchemaError(RuntimeError):
    """The database cannot be used by this version of marsad."""


def version(conn: sqlite3.Connection) -> int:
    """The schema version (0 for a new database); reads only, creates nothing."""
    if not table_exists(conn, "schema_version"):
        return 0
    return conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def applied(conn) -> set[int]:
    """The numbers of the migrations applied to this database."""
    if not table_exists(conn, "schema_version"):
        return set()
    return {n for (n,) in conn.execute("SELECT version FROM schema_version")}


def _refuse_newer(current: int) -> None:
    if current > LATEST:
        raise SchemaError(f"database schema version {current} is newer than this marsad knows "
                          f"({LATEST}); upgrade marsad")


def migrate(conn: sqlite3.Connection, target: int = LATEST) -> int:
    """Apply the missing migrations up to `target`; returns the version reached. `conn` must be in
    autocommit mode (isolation_level=None) so that each step is one explicit transaction. Each step reads the
    version under the writer lock and is skipped when another process applied it meanwhile."""
    current = version(conn)
    _refuse_newer(current)
    done = applied(conn)
    for number, description, step in MIGRATIONS:
        if number in done or number > target:
            continue
        with write_transaction(conn):
            _refuse_newer(version(conn))
            if number in applied(conn):
                continue
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version "
                         "(version INTEGER PRIMARY KEY, description TEXT, applied_at TEXT NOT NULL)")
            if callable(step):
                step(conn)
            else:
                for statement in _statements(for_postgres(step, number) if dialect(conn) == "postgres" else step):
                    conn.execute(statement)
            conn.execute("INSERT INTO schema_version VALUES (?, ?, ?)",
                         (number, description, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")))
    return version(conn)


def _statements(sql: str):
    """Split a script into statements (executescript would COMMIT the open transaction first)."""
    buf = ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            yield buf
            buf = ""
    if buf.strip():
        yield buf
