"""Command-line options shared by the commands of every package (analyze, ingest, watch, reanalyze, serve, eval):
the profile, the inputs beyond files, the scale options, and the analyser they choose. Kept apart from
marsad/cli.py, which registers those commands, so that no command module imports the module that imports it."""
from __future__ import annotations

import argparse
import sys


def add_profile_option(parser) -> None:
    """--profile, shared by analyze, ingest and serve."""
    parser.add_argument("--profile", choices=["accurate", "fast"], default=None,
                        help="accurate: entity (and English technique) models on the multilingual encoder (better on unseen text, "
                             "slower); fast: the classical models only. Default: settings.toml [pipeline] "
                             "(accurate); README's \"Profiles\" table gives both's quality and speed")


PATHS_HELP = ("file, directory, http(s) URL (an article, feed or sitemap), .rss/.atom/.xml feed or sitemap, "
              ".urls list, .warc/.arc archive, or - for standard input")


def add_source_options(p: argparse.ArgumentParser, cache_default: str = "none") -> None:
    """Options of the inputs that are not plain files: standard input's format and the fetch cache."""
    p.add_argument("--stdin-format", choices=["auto", "jsonl", "text", "urls"], default="auto",
                   help="what - reads: auto (default: JSONL when the first character is '{', URLs when the "
                        "first line is one, else one plain-text document), jsonl, text or urls")
    p.add_argument("--fetch-cache", metavar="FILE", default=None,
                   help=f"keep fetched article pages in this SQLite file, so that a repeated or resumed run "
                        f"fetches none twice (default: {cache_default})")


def open_fetcher(cache_path: str | None):
    """The run's polite Fetcher (marsad/ingest/fetch.py), with its page cache when a path is given; None (after
    one line on stderr) when the cache cannot be opened."""
    import sqlite3

    from .ingest.fetch import FetchCache, Fetcher

    try:
        return Fetcher(FetchCache(cache_path) if cache_path else None)
    except (OSError, sqlite3.Error) as e:
        print(f"marsad: --fetch-cache {cache_path}: cannot open it ({e}); give a writable SQLite file path",
              file=sys.stderr)
        return None


def add_scale_options(p: argparse.ArgumentParser) -> None:
    """--workers, --engine, --scheduler: for analyze and ingest (docs/scale.md)."""
    p.add_argument("--workers", "-j", type=int, metavar="N", default=None,
                   help="worker processes analysing documents at once (default: every core; 1: this process)")
    p.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local: a pool of processes on this machine (default); dask: the workers of a "
                        "Dask cluster (--scheduler; pip install 'marsad[dask]')")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: the scheduler, e.g. tcp://10.0.0.5:8786 (default: a local "
                        "cluster of --workers processes)")


def scale_usage_error(args) -> str | None:
    if args.workers is not None and args.workers < 1:
        return "--workers must be at least 1"
    if args.scheduler and args.engine != "dask":
        return "--scheduler needs --engine dask"
    return None


def analyser_for(args, options: dict, announce: bool):
    """The context manager that yields analyse(items) for these command-line options."""
    if args.engine == "dask":
        from .dask import analyser as dask_analyser

        return dask_analyser(options, scheduler=args.scheduler, workers=args.workers, announce=announce)
    from .workers import analyser

    return analyser(options, workers=args.workers, announce=announce)


def add_home_options(p: argparse.ArgumentParser) -> None:
    """--home and --outlet-homes, for analyze, ingest and reanalyze (marsad/places/home.py)."""
    p.add_argument("--home", metavar="PLACE",
                   help="where the outlet is based, e.g. 'Alexandria, Louisiana' or geonames:4331987: context for "
                        "the places its stories leave bare (a local paper's 'Alexandria'); for every document "
                        "that --outlet-homes does not place")
    p.add_argument("--outlet-homes", metavar="FILE",
                   help="a TSV of source<TAB>place, one outlet a line (as `marsad homes` writes it from "
                        "analysed records): each document takes its source's home")


def home_options(args) -> tuple[dict, str | None]:
    """(the run options that give --home / --outlet-homes, a usage error or None)."""
    from .places.home import options_for, read_homes

    homes = {}
    if getattr(args, "outlet_homes", None):
        try:
            homes = read_homes(args.outlet_homes)
        except (OSError, UnicodeDecodeError, ValueError) as e:
            return {}, f"--outlet-homes {args.outlet_homes}: {e}"
    if getattr(args, "home", None):
        homes.setdefault("*", args.home)
    return options_for(homes), None
