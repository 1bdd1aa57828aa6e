"""What the corpus commands share: the --db help, opening a corpus with a one-line error, reading one for a
command, and writing a command's output. Kept apart from cli.py so that the commands registered there
(duplicates, corrections, reanalyze, watch) need not import the module that registers them."""
from __future__ import annotations

import sqlite3
import sys

from ..ingest import InputError
from .backend import default_target, display, is_driver_error, is_postgres

READ_DB_HELP = "the corpus: a SQLite file or a postgresql://USER@HOST/DB URL (default $MARSAD_DB, else marsad.db)"
DB_HELP = READ_DB_HELP[:-1] + "; created when missing)"


def _usage(msg: str) -> int:
    print(f"marsad: {msg}", file=sys.stderr)
    return 2


def _open(path: str | None, *, create: bool):
    """The Corpus, or None after reporting why not (a missing database file is not created by search/export;
    a PostgreSQL database must exist, and is given the corpus tables when it has none)."""
    from pathlib import Path

    from .migrations import SchemaError
    from .store import Corpus

    path = path or default_target()
    if not create and not is_postgres(path) and not Path(path).exists():
        print(f"marsad: {path}: no such database (create it with `marsad ingest PATH --db {path}`)",
              file=sys.stderr)
        return None
    try:
        return Corpus(path)
    except Exception as e:  # and the PostgreSQL driver's errors: server down, no such database, login refused
        if not isinstance(e, (sqlite3.Error, SchemaError, OSError, ImportError)) and not is_driver_error(e):
            raise
        print(f"marsad: {display(path)}: cannot open as a corpus database: {' '.join(str(e).split())}",
              file=sys.stderr)
        return None


def _read(args, read):
    """(read(corpus), None) over the database of `args`, or (None, exit status) when it cannot be opened or a
    filter value is unknown (the message names the nearest valid values)."""
    corpus = _open(args.db, create=False)
    if corpus is None:
        return None, 2
    sys.stdout.reconfigure(encoding="utf-8")
    with corpus:
        try:
            return read(corpus), None
        except InputError as e:
            return None, _usage(str(e))


def open_with_output(db: str | None, path: str | None):
    """(the corpus, the stream to write: the file at `path` or stdout), or (None, exit status) after saying why
    one of them cannot be opened."""
    corpus = _open(db, create=False)
    if corpus is None:
        return None, 2
    try:
        out = open(path, "w", encoding="utf-8", newline="\n") if path else sys.stdout
    except OSError as e:
        corpus.close()
        return None, _usage(f"cannot write {path}: {(e.strerror or str(e)).lower()}")
    if out is sys.stdout:
        sys.stdout.reconfigure(encoding="utf-8")
    return corpus, out


def write_out(path: str | None, text: str) -> int | None:
    """Write `text` to the file `path` (or stdout); an exit status when the file cannot be written."""
    try:
        out = open(path, "w", encoding="utf-8", newline="\n") if path else sys.stdout
    except OSError as e:
        return _usage(f"cannot write {path}: {(e.strerror or str(e)).lower()}")
    if out is sys.stdout:
        sys.stdout.reconfigure(encoding="utf-8")
    out.write(text)
    if out is not sys.stdout:
        out.close()
    return None
