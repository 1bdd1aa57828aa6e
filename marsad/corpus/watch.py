"""`marsad watch`: keep a corpus current from feeds, sitemaps and URL lists. Each round is one `marsad ingest`
of the same inputs (feeds asked again, articles already fetched come from the fetch cache, documents already
stored are skipped), then a sleep until the next round."""
from __future__ import annotations

import argparse
import re
import sys
import time

WATCH_EPILOG = """\
examples:
  marsad watch https://example.org/feed.xml --db war.db --every 15m
  marsad watch feeds.urls --db war.db --every 1h --rounds 24      a day, then stop
Each round prints `N added, M already stored, K failed`; stop with Ctrl-C (the finished rounds are kept).
"""
_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$")


def parse_every(value: str) -> float:
    """'90', '90s', '15m', '2h' -> seconds."""
    m = _EVERY.match(value)
    if not m or float(m.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"{value!r}: give a positive interval such as 90s, 15m or 2h")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[m.group(2)]


def add_command(sub) -> None:
    from ..cli_options import PATHS_HELP, add_home_options, add_profile_option, add_scale_options, add_source_options

    w = sub.add_parser("watch", help="keep a corpus current from feeds, sitemaps and URL lists",
                       description="Ingest the same feeds, sitemaps or URL lists again and again, so that a "
                                   "corpus database follows its sources.",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=WATCH_EPILOG)
    w.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
    from .cli_common import DB_HELP

    w.add_argument("--db", default=None, metavar="DB", help=DB_HELP)
    w.add_argument("--every", type=parse_every, default=parse_every("15m"), metavar="INTERVAL",
                   help="time from the start of one round to the start of the next (default 15m; 90s, 2h...)")
    w.add_argument("--rounds", type=int, default=0, metavar="N", help="stop after N rounds (default 0: never)")
    w.add_argument("--batch", type=int, default=100, metavar="N", help="documents per transaction (default 100)")
    w.add_argument("--max-bytes", type=int, metavar="N", default=None,
                   help="largest document accepted, in bytes (default 5,000,000)")
    add_profile_option(w)
    add_home_options(w)
    add_source_options(w, cache_default="FILE-fetched.sqlite beside the --db FILE")
    add_scale_options(w)
    w.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no counts line")
    w.set_defaults(func=cmd_watch)


def cmd_watch(args) -> int:
    from .cli import cmd_ingest

    if args.rounds < 0:
        print("marsad: --rounds must be zero (never stop) or more", file=sys.stderr)
        return 2
    if "-" in args.paths:
        print("marsad: watch reads feeds, sitemaps, URL lists or URLs again each round, not standard input",
              file=sys.stderr)
        return 2

    def rounds():
        done = 0
        while True:
            start = time.monotonic()
            print(f"marsad: watch round {done + 1} at {time.strftime('%Y-%m-%d %H:%M:%S')}", file=sys.stderr)
            yield
            done += 1
            if args.rounds and done >= args.rounds:
                return
            time.sleep(max(0.0, args.every - (time.monotonic() - start)))

    return cmd_ingest(args, rounds())  # the corpus, fetcher and models stay open from round to round
