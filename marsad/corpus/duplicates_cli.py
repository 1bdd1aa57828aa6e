"""`marsad duplicates`: the near-duplicate groups of a corpus (duplicates.py), listed with their outlets."""
from __future__ import annotations

import argparse
import json
import sys

from .duplicates import SHINGLE, THRESHOLD, groups, render

EPILOG = f"""\
Wire copies and republished articles: documents whose sets of word {SHINGLE}-grams overlap with an estimated
Jaccard similarity of {THRESHOLD} or more (after the folding and stemming search uses, so Arabic and English
alike; independent reports of one event stay below it) are grouped when they are ingested. Each group: its size, the outlets that ran it (first to publish first),
when it was first published and the headline it first ran under.
examples:
  marsad duplicates --db war.db                      every group of two documents or more, largest first
  marsad duplicates --db war.db --min-size 10 --limit 5
  marsad duplicates --db war.db --format json --out groups.json
`marsad compare --profiles` shows per outlet how many of its stories other outlets ran too.
"""


def add_command(sub) -> None:
    import argparse

    from .cli_common import READ_DB_HELP

    p = sub.add_parser("duplicates", help="wire copies and republished articles, grouped, with their outlets",
                       description="List the groups of near-duplicate documents in a corpus database.",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG)
    p.add_argument("--db", default=None, metavar="DB", help=READ_DB_HELP)
    p.add_argument("--min-size", type=int, default=2, metavar="N", help="groups of at least N documents "
                   "(default 2; 1 lists every document's group)")
    p.add_argument("--limit", type=int, default=0, metavar="N", help="at most N groups (default 0: all)")
    p.add_argument("--format", choices=["text", "json"], default="text", help="text (default) or json")
    p.add_argument("--out", "-o", metavar="FILE", help="write here instead of stdout")
    p.set_defaults(func=cmd_duplicates)


def cmd_duplicates(args) -> int:
    import json
    import sys

    from .cli_common import _read, _usage, write_out

    if args.min_size < 1 or args.limit < 0:
        return _usage("duplicates: --min-size must be at least 1 and --limit zero (all) or more")
    result, status = _read(args, lambda c: groups(c, min_size=args.min_size, limit=args.limit or None))
    if status is not None:
        return status
    text = render(result) if args.format == "text" else json.dumps(result, ensure_ascii=False, indent=1) + "\n"
    if (status := write_out(args.out, text)) is not None:
        return status
    if args.format == "text" and not result:
        print(f"no groups of {args.min_size} documents or more", file=sys.stderr)
    return 0
