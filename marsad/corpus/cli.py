"""`marsad ingest`, `marsad search`, `marsad export`, `marsad compare`, `marsad duplicates`: the corpus store from the command line. marsad/cli.py
registers them with `add_commands(sub)`; exit status as for `marsad analyze` (0 ok, 1 some documents
failed, 2 usage error). The commands that read a corpus (search, facets, export, compare) are in query_cli.py."""
from __future__ import annotations

import argparse
import sys

from .backend import default_target, display, is_postgres
from .cli_common import (DB_HELP, READ_DB_HELP, _open, _read, _usage, open_with_output,  # noqa: F401 (re-exported)
                         write_out)
from .query_cli import add_commands as add_query_commands
from .query_cli import add_filters, cmd_compare, cmd_export, cmd_facets, cmd_search  # noqa: F401 (also cli.X)

INGEST_EPILOG = """\
examples:
  marsad ingest examples/                  analyse and store every document under examples/ in marsad.db
  marsad ingest news.jsonl --db war.db     one document a JSONL line; run it again: nothing is added twice
A killed run keeps every completed batch; running the same command again finishes the job.
"""


def add_commands(sub) -> None:
    """Register ingest, search, facets, export, compare and duplicates on the `marsad` subparsers."""
    i = sub.add_parser("ingest", help="analyse documents and store them in a corpus database",
                       description="Analyse documents and store their records in a corpus database.",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=INGEST_EPILOG)
    from ..cli_options import PATHS_HELP, add_source_options

    i.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
    i.add_argument("--db", default=None, metavar="DB", help=DB_HELP)
    i.add_argument("--batch", type=int, default=100, metavar="N",
                   help="documents per transaction (default 100)")
    i.add_argument("--max-bytes", type=int, metavar="N", default=None,
                   help="largest document accepted, in bytes (default 5,000,000)")
    from ..cli_options import add_home_options, add_profile_option

    add_profile_option(i)
    add_home_options(i)
    add_source_options(i, cache_default="FILE-fetched.sqlite beside the --db FILE when an input is fetched")
    i.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    from ..cli_options import add_scale_options

    add_scale_options(i)
    i.set_defaults(func=cmd_ingest)

    add_query_commands(sub)  # search, facets, export, compare
    from .corrections_cli import add_commands as add_correction_commands  # correct, corrections, import-annotations

    add_correction_commands(sub)

    from .duplicates_cli import add_command as add_duplicates

    add_duplicates(sub)


def fetch_cache_path(args) -> str | None:
    """--fetch-cache, or for inputs that are fetched a cache beside a file database, so that a killed or
    repeated ingest fetches no article twice."""
    from ..ingest.sources import handles

    if args.fetch_cache or not any(handles(p) or (p == "-" and args.stdin_format == "urls")
                                                for p in args.paths):
        return args.fetch_cache
    db = args.db or default_target()
    return None if is_postgres(db) else f"{db}-fetched.sqlite"


def cmd_ingest(args, rounds=None) -> int:
    """`marsad ingest`; `rounds` (watch.py): an iterator whose each step is one more pass over the same inputs,
    with the corpus, the fetcher (its robots.txt answers) and the analysers (the loaded models, the worker pool)
    opened once for all of them."""
    from ..cli_options import analyser_for, home_options, open_fetcher, scale_usage_error
    from ..ingest import count_documents

    if args.batch <= 0:
        return _usage("--batch must be a positive number of documents")
    if args.max_bytes is not None and args.max_bytes <= 0:
        return _usage("--max-bytes must be a positive number of bytes")
    if args.paths.count("-") > 1:
        return _usage("'-' (stdin) can be given only once")
    if (problem := scale_usage_error(args)):
        return _usage(problem)
    homes, problem = home_options(args)
    if problem:
        return _usage(problem)
    corpus = _open(args.db, create=True)
    if corpus is None:
        return 2
    fetcher = open_fetcher(fetch_cache_path(args))
    if fetcher is None:
        return 2
    show = not args.quiet and sys.stderr.isatty()
    total = count_documents(args.paths) if show else None
    status = 0
    announce = show and (total is None or total > 1)
    with corpus, analyser_for(args, {"profile": args.profile, **homes}, announce=announce) as analyse:
        for _ in rounds if rounds is not None else [None]:
            status = max(status, _ingest_round(args, corpus, fetcher, analyse, show))
    fetcher.close()
    return status


def _ingest_round(args, corpus, fetcher, analyse, show: bool) -> int:
    """One pass of `marsad ingest` over its inputs, with its progress bar and counts line."""
    from ..ingest import count_documents, read_paths
    from ..progress import progress

    total = count_documents(args.paths) if show else None
    bar = show and (total is None or total > 1)
    with progress(total, bar) as (advance, report):
        def on_result(out):
            if out is not None and not isinstance(out, dict):
                report(str(out))
            elif out is not None:
                for warning in out.get("warnings", []):
                    report(f"marsad: {out['id']}: warning: {warning}")
            advance()

        items = read_paths(args.paths, max_bytes=args.max_bytes, stdin_format=args.stdin_format, fetcher=fetcher)
        stats = corpus.ingest(items, batch=args.batch, max_bytes=args.max_bytes, on_result=on_result,
                              analyse=analyse)
    if not args.quiet:
        print(f"marsad: {display(args.db or default_target())}: {stats.added} added, {stats.skipped} already stored, "
              f"{stats.failed} failed", file=sys.stderr)
    return 1 if stats.failed else 0


def main(argv: list[str] | None = None) -> int:
    """The corpus commands alone (`python -m marsad.corpus.cli ...`), for tests and before `marsad` wires them."""
    p = argparse.ArgumentParser(prog="marsad")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    add_commands(sub)
    args = p.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("marsad: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `... | head`: the reader left; not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
