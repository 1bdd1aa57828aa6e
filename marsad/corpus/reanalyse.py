"""Re-analysis: the stored documents run again through the current models (a retrained model, another profile),
their machine records and index rows rewritten in place. The text, the hash, the id, the near-duplicate group
and the analysts' corrections stay: corrections are overlaid on the new output (corrections.py) and one whose
item the new output lacks is kept and reported as orphaned. A document the new run fails on keeps its old
record, and the failure is one line."""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from ..ingest import Document, Failure, InputError, make_document
from . import backend
from .corrections import write_index_rows
from .store import write_in_batches

REANALYZE_EPILOG = """\
examples:
  marsad reanalyze --db war.db                        every document, with the models installed now
  marsad reanalyze --db war.db --profile fast         the fast profile's models instead
  marsad reanalyze --db war.db --where "source = 'SANA'" --workers 2
Analysts' corrections are kept and shown over the new output (marsad corrections --orphaned lists those whose
event, mention or span the new models no longer find). A document that fails keeps its previous record.
"""


@dataclass
class ReanalyseStats:
    rewritten: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.failures)


def _stored_documents(conn, rowids: list[int], chunk: int = 500) -> Iterator[Document | Failure]:
    for i in range(0, len(rowids), chunk):  # a few hundred per query, not one query per document
        part = rowids[i:i + chunk]
        rows = {r[0]: r[1:] for r in conn.execute(
            "SELECT rowid, id, text, title, source, url, published, language FROM documents "
            f"WHERE rowid IN ({', '.join('?' * len(part))})", part).fetchall()}
        for rowid in part:  # one item per rowid, in order: the caller pairs them
            if rowid not in rows:
                yield Failure(f"row {rowid}", "deleted from the corpus while it was re-analysed")
                continue
            doc_id, text, title, source, url, published, language = rows[rowid]
            try:
                yield make_document(doc_id, text, title=title, source=source, url=url, published=published,
                                    language=language)
            except InputError as e:  # a limit lowered since it was stored
                yield Failure(doc_id, str(e))


def reanalyse(conn, analyse: Callable[[Iterable], Iterator], *, where: str = "", params: tuple = (),
              batch: int = 100, on_result: Callable[[dict | Failure], None] | None = None) -> ReanalyseStats:
    """Run the stored documents (all, or those matching SQL `where` on `documents`) through `analyse` (documents
    in, records or Failures out, in order) and rewrite each record and its index rows, `batch` per transaction."""
    sql = "SELECT rowid FROM documents " + (f"WHERE {where} " if where else "") + "ORDER BY rowid"
    rowids = [r[0] for r in conn.execute(sql, params).fetchall()]  # read first: the loop below writes
    stats = ReanalyseStats()

    def write(done: list[tuple[dict, int]]) -> None:
        with backend.write_transaction(conn):
            for rec, rowid in done:
                stored = dict(rec, text=None)  # the text stays in documents.text, as insert_record keeps it
                conn.execute("UPDATE documents SET record = ? WHERE rowid = ?",
                             (json.dumps(stored, ensure_ascii=False), rowid))
                write_index_rows(conn, rowid, rec)
        stats.rewritten += len(done)

    write_in_batches(zip(analyse(_stored_documents(conn, rowids)), rowids), batch, write, stats.failures,
                     on_result)
    return stats


def add_command(sub) -> None:
    from ..cli_options import add_home_options, add_profile_option, add_scale_options
    from .cli_common import READ_DB_HELP

    r = sub.add_parser("reanalyze", help="analyse a corpus's stored documents again with the current models",
                       description="Run every stored document (or those --where selects) through the models "
                                   "installed now, e.g. after `marsad train` or an upgrade, rewriting their records; "
                                   "analysts' corrections stay on top.",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=REANALYZE_EPILOG)
    r.add_argument("--db", default=None, metavar="DB", help=READ_DB_HELP)
    r.add_argument("--where", default="", metavar="SQL",
                   help="only documents matching this SQL condition on the documents table (id, source, url, "
                        "title, published, language)")
    r.add_argument("--batch", type=int, default=100, metavar="N", help="documents per transaction (default 100)")
    add_profile_option(r)
    add_home_options(r)
    add_scale_options(r)
    r.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no counts line")
    r.set_defaults(func=cmd_reanalyze)


def cmd_reanalyze(args) -> int:
    from ..cli_options import analyser_for, home_options, scale_usage_error
    from ..progress import progress
    from .backend import default_target, display
    from .cli_common import _open

    if args.batch <= 0 or (problem := scale_usage_error(args)):
        print(f"marsad: {problem if args.batch > 0 else '--batch must be a positive number of documents'}",
              file=sys.stderr)
        return 2
    homes, problem = home_options(args)
    if problem:
        print(f"marsad: {problem}", file=sys.stderr)
        return 2
    corpus = _open(args.db, create=False)
    if corpus is None:
        return 2
    show = not args.quiet and sys.stderr.isatty()
    with corpus:
        try:
            total = corpus.conn.execute("SELECT count(*) FROM documents" + (f" WHERE {args.where}" if args.where
                                                                            else "")).fetchone()[0]
        except Exception as e:  # noqa: BLE001 - the user's SQL: sqlite3 or psycopg errors alike, one line
            print(f"marsad: --where {args.where!r}: {str(e).splitlines()[0]}", file=sys.stderr)
            return 2
        with analyser_for(args, {"profile": args.profile, **homes}, announce=show and total > 1) as analyse, \
                progress(total if show else None, show and total > 1) as (advance, report):
            def on_result(out) -> None:
                if isinstance(out, Failure):
                    report(f"{out}; its previous record is kept")
                advance()

            stats = reanalyse(corpus.conn, analyse, where=args.where, batch=args.batch, on_result=on_result)
    if not args.quiet:
        print(f"marsad: {display(args.db or default_target())}: {stats.rewritten} re-analysed, {stats.failed} failed",
              file=sys.stderr)
    return 1 if stats.failed else 0
