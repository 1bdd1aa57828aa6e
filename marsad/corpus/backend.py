"""The two databases a corpus can live in, behind one connection interface: a SQLite file (the default, one
writer at a time, nothing to install) or a PostgreSQL server (`postgresql://...`: a corpus shared by a team,
concurrent writers; `pip install 'marsad[postgres]'`, the psycopg 3 driver).

The store, search, facets, exports and compare write SQLite's SQL and call `conn.execute(sql, params)` with
`?` placeholders. A PostgreSQL connection is wrapped so that the same calls work: placeholders become psycopg's,
`CROSS JOIN ... ON` (SQLite's way of fixing the join order) becomes a plain JOIN, and values are bound
client-side (psycopg's ClientCursor), so a parameter takes its type from its literal as in SQLite, not from a
server-side guess. What the two dialects spell differently (case-insensitive matching, the full-text index,
JSON paths) is asked of `dialect(conn)` where it is used; the migrations create `km()` and `json_extract()` in
PostgreSQL so that queries using them read the same in both.
"""
from __future__ import annotations

import contextlib
import functools
import re
import sqlite3
from pathlib import Path
from typing import Iterator

from ..config import environment

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
DEFAULT_DB = "marsad.db"
# One advisory lock per database serialises writers in PostgreSQL, as BEGIN IMMEDIATE does in SQLite: batches
# and migrations take it for their transaction, so two ingests cannot both store a document or a migration.
WRITE_LOCK = 0x6D61727361640  # "marsad" in hex, within a bigint


def is_postgres(target) -> bool:
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def default_target() -> str:
    """The corpus used when none is named: $MARSAD_DB (a file path or a postgresql:// URL), else marsad.db."""
    return environment("MARSAD_DB") or DEFAULT_DB


def display(target) -> str:
    """`target` for messages: a URL's password is never printed."""
    return re.sub(r"(://[^/:@]*:)[^@/]*@", r"\1***@", str(target)) if is_postgres(target) else str(target)


def is_driver_error(e: BaseException) -> bool:
    """Whether `e` comes from the PostgreSQL driver (checked by module: psycopg may not be installed)."""
    return type(e).__module__.split(".")[0] == "psycopg"


def dialect(conn) -> str:
    """'sqlite' or 'postgres'."""
    return getattr(conn, "dialect", "sqlite")


class SQLiteConnection(sqlite3.Connection):
    dialect = "sqlite"


def open_sqlite(path: str | Path) -> sqlite3.Connection:
    # the busy timeout is in place before the first statement (journal_mode=WAL on a new file takes a lock)
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=30.0, factory=SQLiteConnection)
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a killed process never corrupts or half-writes
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


@functools.lru_cache(maxsize=512)
def _to_psycopg(sql: str) -> str:
    """SQLite's SQL as psycopg takes it: `?` outside string literals -> %s, every % doubled (psycopg reads the
    whole text for placeholders), CROSS JOIN -> JOIN (PostgreSQL forbids ON after CROSS JOIN; SQLite uses it
    only as a join-order hint)."""
    out, quoted = [], False
    for ch in sql:
        if ch == "'":
            quoted = not quoted
        out.append("%s" if ch == "?" and not quoted else "%%" if ch == "%" else ch)
    return re.sub(r"\bCROSS JOIN\b", "JOIN", "".join(out))


class PostgresConnection:
    """A psycopg 3 connection in autocommit mode (explicit BEGIN/COMMIT, as the SQLite connections use) with the
    part of sqlite3.Connection's interface the corpus uses."""

    dialect = "postgres"

    def __init__(self, url: str):
        try:
            import psycopg
        except ImportError as e:
            raise ImportError("a postgresql:// corpus needs the psycopg driver: pip install 'marsad[postgres]' "
                              "(from a checkout: pip install '.[postgres]')") from e
        self.url = url
        self.raw = psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor)

    def execute(self, sql: str, params=()):
        return self.raw.execute(_to_psycopg(sql), tuple(params))

    def executemany(self, sql: str, rows) -> None:
        """Many rows of a one-row INSERT. When every value is a plain placeholder (the store's mention, entity,
        event and technique rows) they go through COPY, one stream for all (psycopg's client-side binding parses
        each statement's text again, which made row-by-row or multi-row INSERTs the store's slowest part);
        otherwise one execute per row."""
        copy = _as_copy(sql)
        if copy is None:
            for row in rows:
                self.execute(sql, row)
            return
        with self.raw.cursor() as cur, cur.copy(copy) as stream:
            for row in rows:
                stream.write_row(row)

    def stream(self, sql: str, params=(), size: int = 500) -> Iterator[tuple]:
        """Rows of a large result read `size` at a time through a server-side cursor (export of the whole
        corpus must not hold every record in memory at once)."""
        with self.raw.cursor() as client:  # values bound here, as in execute (a server cursor binds its own)
            literal = client.mogrify(_to_psycopg(sql), tuple(params))
        with self.raw.transaction(), self.raw.cursor(name=f"marsad_stream_{id(self)}") as cur:
            cur.itersize = size
            cur.execute(literal)
            yield from cur

    def close(self) -> None:
        self.raw.close()


_COPYABLE = re.compile(r'INSERT INTO (\w+)\s*(\([\w", ]+\))?\s+VALUES \(\s*\?(?:\s*,\s*\?)*\s*\)\s*', re.I)


def _as_copy(sql: str) -> str | None:
    """`COPY table (columns) FROM STDIN` for an INSERT whose values are all placeholders, else None."""
    m = _COPYABLE.fullmatch(sql.strip())
    return f"COPY {m.group(1)} {m.group(2) or ''} FROM STDIN" if m else None


def connect(target) -> sqlite3.Connection | PostgresConnection:
    """A connection to the corpus at `target`: a postgresql:// URL or a SQLite file path."""
    return PostgresConnection(target) if is_postgres(target) else open_sqlite(target)


def identity(conn) -> str:
    """Which database `conn` is connected to (a cache key): the file or the URL."""
    if dialect(conn) == "postgres":
        return conn.url
    return next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "") or str(id(conn))


def stream(conn, sql: str, params=()) -> Iterator[tuple]:
    return conn.stream(sql, params) if dialect(conn) == "postgres" else conn.execute(sql, params)


@contextlib.contextmanager
def write_transaction(conn):
    """One write transaction, holding the database's writer lock from its first statement (SQLite: BEGIN
    IMMEDIATE; PostgreSQL: the advisory lock WRITE_LOCK, held from before BEGIN to after COMMIT), committed on
    success and rolled back on any error."""
    postgres = dialect(conn) == "postgres"
    if postgres:
        # The lock is taken before BEGIN, not inside the transaction: a transaction that began before another
        # writer's commit keeps a stale view of the catalog (a table that writer created looks missing), which
        # made concurrent migrations create the same tables twice. A session lock is released on disconnect too.
        conn.execute("SELECT pg_advisory_lock(?)", (WRITE_LOCK,))
    try:
        conn.execute("BEGIN" if postgres else "BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        if postgres:
            conn.execute("SELECT pg_advisory_unlock(?)", (WRITE_LOCK,))


def table_exists(conn, name: str) -> bool:
    if dialect(conn) == "postgres":
        return conn.execute("SELECT to_regclass(?) IS NOT NULL", (name,)).fetchone()[0]
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def nocase(conn, column: str) -> str:
    """An expression of `column` that compares without case (SQLite's NOCASE folds ASCII letters only; lower()
    in PostgreSQL folds every script that has case: Arabic has none)."""
    return f"{column} COLLATE NOCASE" if dialect(conn) == "sqlite" else f"lower({column})"


def nocase_value(conn) -> str:
    """The placeholder a value compared with `nocase(column)` takes."""
    return "?" if dialect(conn) == "sqlite" else "lower(?)"
