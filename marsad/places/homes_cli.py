"""`marsad homes`: each outlet's home, inferred from its analysed stories (marsad/places/home.py), as the TSV that
`--outlet-homes` reads."""
from __future__ import annotations

import argparse
import sys

EXAMPLES = """\
examples:
  marsad analyze news.jsonl --out records.jsonl
  marsad homes records.jsonl > homes.tsv                 outlets whose stories stay in one state or province
  marsad analyze news.jsonl --outlet-homes homes.tsv     again, each story with its outlet's home as context
  marsad homes --db corpus.sqlite > homes.tsv            from a corpus, then
  marsad reanalyze --db corpus.sqlite --outlet-homes homes.tsv

An outlet's home is the admin1 area (state, province, governorate) holding most of the places its stories name,
when it holds at least settings.toml [places] home_min_share of them in at least home_min_documents stories; a
national or international outlet gets none. Check the file before you use it: edit or delete any line.
"""


def add_command(sub) -> None:
    h = sub.add_parser("homes", help="infer each outlet's home area from its analysed stories (for --outlet-homes)",
                       description="Infer each outlet's home from its analysed stories: a TSV of source, place id "
                                   "and name, for `--outlet-homes`.",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EXAMPLES)
    h.add_argument("records", nargs="*", metavar="FILE",
                   help="marsad/1 records, one JSON object a line (`marsad analyze --format jsonl`); - for stdin")
    h.add_argument("--db", metavar="DB", help="read the records of this corpus instead (SQLite path or "
                                               "postgresql:// URL)")
    h.set_defaults(func=cmd_homes)


def cmd_homes(args) -> int:
    from ..evaluation import EvalError, jsonl
    from . import describe
    from .home import infer

    if bool(args.records) == bool(args.db):
        print("marsad: homes: give record files (or -) or --db, one of the two", file=sys.stderr)
        return 2
    try:
        if args.db:
            from ..corpus.cli_common import _open

            corpus = _open(args.db, create=False)
            if corpus is None:
                return 2
            with corpus:
                homes = infer(corpus.records())
        else:
            homes = infer(r for path in args.records
                          for r in jsonl(path, lambda _n, o: dict(o), "a marsad/1 record, one JSON object a line"))
    except (OSError, EvalError) as e:
        print(f"marsad: homes: {e}", file=sys.stderr)
        return 2
    sys.stdout.reconfigure(encoding="utf-8")
    print("# source\thome place\tname (marsad homes; settings.toml [places] home_min_share, home_min_documents)")
    for source, home in homes.items():
        print(f"{source}\t{home}\t{(describe(home) or {}).get('name') or ''}")
    return 0
