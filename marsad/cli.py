"""The `marsad` command: thin — parses arguments, calls the pipeline, reports. Exit status: 0 when every
document was analysed, 1 when some failed (each named on stderr), 2 for a usage error."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Iterator

from . import __version__
from .ingest import Document, Failure, InputError, count_documents, read_paths
from .ingest.files import keys_of
from .ingest.document import parse_published
from .cli_options import (PATHS_HELP, add_home_options, add_profile_option, add_scale_options,  # noqa: F401
                          add_source_options, analyser_for, home_options, open_fetcher, scale_usage_error)
from .progress import progress

EXAMPLES = """\
examples:
  marsad analyze examples/                      every .txt/.html/.jsonl under examples/, JSONL to stdout
  marsad analyze article.html --format html --out report.html
                                                a page with the article, right-to-left where Arabic
  marsad analyze news.jsonl --out records.jsonl one record per input line, in input order
  cat news.jsonl | marsad analyze - --lang ar   JSONL from stdin, language forced to Arabic
  marsad analyze a.txt --published 2018-04-21   the date relative expressions ("last week") count from
  marsad analyze big/ --profile fast            the classical models only: several times faster
  marsad analyze towntalk/ --home "Alexandria, Louisiana"
                                                a local paper: its bare "Alexandria" is the Louisiana town
  marsad homes records.jsonl > homes.tsv        each outlet's home from its analysed stories, for
  marsad analyze news.jsonl --outlet-homes homes.tsv    ...each story's source

input: .txt (UTF-8; cp1256/cp1252/latin-1 are detected and reported), .html/.htm (main text, title, date
and URL are extracted), .jsonl (one {"id", "text", "title", "published", "source", "url", "language"}
object a line), a directory (read recursively), or - for JSONL on stdin.

A bad document is reported on stderr as `marsad: <document id>: <what is wrong>` and the batch goes on.
exit status: 0 all documents analysed; 1 some failed; 2 usage error.
The record format (marsad/1) is described in docs/schema.md.
"""


# `marsad train MODEL ...` runs marsad/train/MODEL.py's main(argv).
TRAINERS = {"ner": "named entities, per language", "events": "the Arabic ASSAULT/PROTEST event confirmer",
            "techniques": "persuasion-technique spans, per language",
            "clusters": "Arabic word clusters from unlabelled text (an NER feature table)",
            "freq": "Arabic word-frequency table from wordfreq (an NER feature table)"}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="marsad",
        description="marsad (مرصد): structured, source-attributed records from Arabic and English war news, "
                    "offline.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Run `marsad analyze --help` for inputs, outputs and examples.")
    p.add_argument("--version", action="version", version=f"marsad {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    a = sub.add_parser("analyze", help="analyse articles into marsad/1 records",
                       description="Analyse articles into marsad/1 records (one per document, in input order).",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EXAMPLES)
    a.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
    a.add_argument("--format", choices=["jsonl", "json", "html", "csv", "geojson"], default="jsonl",
                   help="jsonl: one record a line (default); json: one array; html: a page to look at; "
                        "csv: one row per event, ACLED's columns first; geojson: located events as points")
    a.add_argument("--out", "-o", metavar="FILE", help="write here instead of stdout")
    a.add_argument("--lang", choices=["auto", "ar", "en"], default="auto",
                   help="document language; auto (default) detects it per document unless the input says")
    a.add_argument("--published", metavar="DATE",
                   help="publication date (YYYY-MM-DD) for documents that do not carry one")
    a.add_argument("--max-bytes", type=int, metavar="N", default=None,
                   help="largest document accepted, in bytes (default 5,000,000)")
    a.add_argument("--min-confidence", type=float, default=0.0, metavar="X",
                   help="keep persuasion-technique spans with confidence >= X (0..1; default 0: all)")
    add_profile_option(a)
    add_home_options(a)
    add_source_options(a)
    a.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    add_scale_options(a)
    a.set_defaults(func=cmd_analyze)
    t = sub.add_parser("train", help="train a model from annotated data (see `marsad train ner --help`)",
                       description="Train one of marsad's models from annotated data read in place.",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="example: marsad train ner --lang ar --data ../shared/data/ner/anercorp/train.txt --cv 5")
    t.add_argument("model", choices=TRAINERS, help="which model: " + "; ".join(f"{k} ({v})" for k, v in TRAINERS.items()))
    t.add_argument("args", nargs=argparse.REMAINDER, help="options of that trainer (--help lists them)")
    t.set_defaults(func=cmd_train)
    from .corpus.cli import add_commands  # ingest, search, export: the corpus store

    add_commands(sub)
    from .corpus.watch import add_command as add_watch_command  # watch: ingest feeds again and again

    add_watch_command(sub)
    from .corpus.reanalyse import add_command as add_reanalyze_command  # reanalyze: stored documents, new models

    add_reanalyze_command(sub)
    from .web.cli import add_commands as add_web_commands  # serve: the web app and JSON API

    add_web_commands(sub)
    from .places.homes_cli import add_command as add_homes_command  # homes: outlets' home areas, for --outlet-homes

    add_homes_command(sub)
    from .evaluation.cli import add_command as add_eval_command  # eval: the quality figures on public data

    add_eval_command(sub)
    return p


def cmd_train(args) -> int:
    import importlib

    return importlib.import_module(f".train.{args.model}", __package__).main(args.args)


def _with_overrides(items, lang: str, published: str | None) -> Iterator[Document | Failure]:
    for item in items:
        if isinstance(item, Document):
            if lang != "auto":
                item.language = lang
            if published and not item.published:
                item.published = published
        yield item


def cmd_analyze(args) -> int:
    from .outputs import writer

    try:
        published = parse_published(args.published)
    except InputError as e:
        print(f"marsad: --published: {e}", file=sys.stderr)
        return 2
    if args.max_bytes is not None and args.max_bytes <= 0:
        print("marsad: --max-bytes must be a positive number of bytes", file=sys.stderr)
        return 2
    if not 0.0 <= args.min_confidence <= 1.0:
        print("marsad: --min-confidence must be between 0 and 1", file=sys.stderr)
        return 2
    if args.paths.count("-") > 1:
        print("marsad: '-' (stdin) can be given only once", file=sys.stderr)
        return 2
    if (problem := scale_usage_error(args)):
        print(f"marsad: {problem}", file=sys.stderr)
        return 2
    homes, problem = home_options(args)
    if problem:
        print(f"marsad: {problem}", file=sys.stderr)
        return 2
    try:
        out = open(args.out, "w", encoding="utf-8", newline="\n") if args.out else sys.stdout
    except OSError as e:
        print(f"marsad: cannot write {args.out}: {(e.strerror or str(e)).lower()}", file=sys.stderr)
        return 2
    if out is sys.stdout:
        sys.stdout.reconfigure(encoding="utf-8")
    fetcher = open_fetcher(args.fetch_cache)
    if fetcher is None:
        return 2
    show = not args.quiet and sys.stderr.isatty()
    total = count_documents(args.paths) if show else None
    failed = 0
    bar = show and (total is None or total > 1)
    with analyser_for(args, {"min_confidence": args.min_confidence, "profile": args.profile, **homes}, announce=bar) as analyse, \
            progress(total, bar) as (advance, report):
        w = writer(args.format, out)
        own = keys_of([out, sys.stdout])  # `marsad analyze DIR > DIR/out.jsonl` must not read out.jsonl
        items = _with_overrides(read_paths(args.paths, max_bytes=args.max_bytes, own_outputs=own,
                                           stdin_format=args.stdin_format, fetcher=fetcher), args.lang, published)
        for result in analyse(items):
            if isinstance(result, Failure):
                failed += 1
                report(str(result))
            else:
                for warning in result.get("warnings", []):
                    report(f"marsad: {result['id']}: warning: {warning}")
                w.write(result)
            advance()
        w.close()
    fetcher.close()
    if out is not sys.stdout:
        out.close()
    if failed:
        report(f"marsad: {failed} document(s) failed; the others were written")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("marsad: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`marsad analyze ... | head`): not an error; silence the flush at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
