"""`marsad correct`, `marsad corrections`, `marsad import-annotations`: analysts' corrections from the command
line (corrections.py, annotation_tools.py); registered by marsad/corpus/cli.py. Exit status: 0 ok, 1 some
annotations could not be imported, 2 usage error (a bad target, field or value: the message says which)."""
from __future__ import annotations

import argparse
import getpass
import json
import sys

CORRECT_EPILOG = """\
An item is named by its span in the document's text (code points, end exclusive), which stays the same
when the document is ingested again or analysed by a new model: an event by its evidence span, a mention or
a technique span by its own. START:END#N picks the N-th (from 0) of several items on one span.
`--list` shows every item with its span.
examples:
  marsad correct en-shell --db war.db --list
  marsad correct en-shell --db war.db --event 0:53 --set type=Battles --set actor2=SDF --note "SDF positions, not the town"
  marsad correct en-shell --db war.db --event 0:53 --set date=2018-04-08 --set modality=reported
  marsad correct en-shell --db war.db --mention 38:43 --set entity=geonames:170654
  marsad correct en-shell --db war.db --technique 54:76 --set technique=Loaded_Language
  marsad correct en-shell --db war.db --technique 54:76 --delete --note "a plain statement of fact"
  marsad correct en-shell --db war.db --technique 10:25 --add Name_Calling-Labeling    a span marsad missed
Event fields: type (ACLED), sub_type, plover, actor1, actor2, place (an id, or a name in either script:
SDF, قسد, Douma), date (YYYY-MM-DD), modality; an empty value (actor2=) clears a field. Mention fields:
entity, type (PER, ORG, LOC, MISC). Technique: technique (a code or label).
"""
CORRECTIONS_EPILOG = """\
examples:
  marsad corrections --db war.db                      every correction in force, with its status
  marsad corrections --db war.db en-shell --history   one document's, superseded ones too
  marsad corrections --db war.db --orphaned           those whose target a re-analysis no longer has
  marsad corrections --db war.db --export training --out checked.jsonl
  marsad corrections --db war.db --export training --format conll --out checked.conll
  marsad train ner --lang en --data ../shared/data/ner/conll2003/train.txt checked.conll --out ner-en.crfsuite
The training export has one line per corrected document: text, label [[start, end, label]] (doccano's
layout: mention types, technique codes, event:<type>), events, and checked (the spans an analyst changed).
--format conll writes the corrected documents' mentions as CoNLL (token TAB IOB2 tag), which `marsad train
ner --data` reads beside the public data sets.
"""
IMPORT_EPILOG = """\
examples:
  marsad export --db war.db --format labelstudio --out tasks.json        (and tasks.json.config.xml)
  ... annotate in Label Studio, then Export -> JSON ...
  marsad import-annotations project-1-export.json --db war.db
  marsad export --db war.db --format doccano --out docs.jsonl; marsad import-annotations annotated.jsonl --db war.db
What the annotator changed from marsad's spans becomes corrections (author labelstudio or doccano).
"""


def add_commands(sub) -> None:
    from .cli_common import DB_HELP, READ_DB_HELP

    c = sub.add_parser("correct", help="correct an event, mention or technique span of a stored document",
                       description="Correct one item of a stored document; the correction is kept apart from "
                                   "marsad's output and survives re-ingest and re-analysis.",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=CORRECT_EPILOG)
    c.add_argument("doc_id", metavar="DOC_ID", help="the document's id (as search results show it)")
    c.add_argument("--db", default=None, metavar="DB", help=READ_DB_HELP)
    target = c.add_mutually_exclusive_group()
    for kind in ("event", "mention", "technique"):
        target.add_argument(f"--{kind}", metavar="START:END",
                            help="the event whose evidence is this span" if kind == "event" else
                            f"the {kind} {'span ' if kind == 'technique' else ''}at this span (or a new one: --add)")
    target.add_argument("--list", action="store_true", help="list the document's events, mentions and technique "
                                                            "spans with their spans, then exit")
    c.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE", help="a new value (repeatable)")
    c.add_argument("--delete", action="store_true", help="the item is wrong: remove it")
    c.add_argument("--add", metavar="LABEL", help="with --mention or --technique: a span marsad missed, with this "
                                                  "label (mention type or technique)")
    c.add_argument("--note", default=None, help="why (shown beside the correction)")
    c.add_argument("--author", default=None, help="who (default: your user name)")
    c.set_defaults(func=cmd_correct)

    ls = sub.add_parser("corrections", help="list the corrections of a corpus, or export them as training data",
                        description="List analysts' corrections, or export the corrected documents as training data.",
                        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=CORRECTIONS_EPILOG)
    ls.add_argument("doc_id", nargs="?", metavar="DOC_ID", help="only this document's")
    ls.add_argument("--db", default=None, metavar="DB", help=READ_DB_HELP)
    ls.add_argument("--format", choices=["text", "jsonl", "conll"], default=None,
                    help="text (the listing's default) or jsonl; with --export training: jsonl (default) or conll "
                         "(the corrected mentions as `marsad train ner --data FILE` reads them)")
    ls.add_argument("--history", action="store_true", help="superseded corrections too")
    ls.add_argument("--orphaned", action="store_true", help="only those whose target the record no longer has")
    ls.add_argument("--export", choices=["training"], help="training: the corrected documents (JSONL)")
    ls.add_argument("--out", "-o", metavar="FILE", help="write here instead of stdout")
    ls.set_defaults(func=cmd_corrections)

    i = sub.add_parser("import-annotations", help="store Label Studio or doccano annotations as corrections",
                       description="Read a Label Studio JSON export or a doccano JSONL file of documents exported "
                                   "by `marsad export` and store what the annotators changed as corrections.",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=IMPORT_EPILOG)
    i.add_argument("file", metavar="FILE")
    i.add_argument("--db", default=None, metavar="DB", help=DB_HELP)
    i.add_argument("--format", choices=["auto", "labelstudio", "doccano"], default="auto",
                   help="auto (default: a JSON array is Label Studio's, JSON lines doccano's)")
    i.set_defaults(func=cmd_import)


def _fail(msg: str, status: int = 2) -> int:
    print(f"marsad: {msg}", file=sys.stderr)
    return status


def cmd_correct(args) -> int:
    from .cli_common import _open
    from .corrections import CorrectionError, correct, key_text, overlay, active_corrections, parse_key

    kind = next((k for k in ("event", "mention", "technique") if getattr(args, k)), None)
    if not args.list and kind is None:
        return _fail("correct: name the item with --event, --mention or --technique START:END (or --list)")
    changes: dict[str, object] = {}
    for pair in args.set:
        name, eq, value = pair.partition("=")
        if not eq:
            return _fail(f"--set {pair!r}: write FIELD=VALUE, e.g. type=Battles")
        changes[name.strip()] = value
    if args.delete:
        changes["deleted"] = True
    if args.add is not None:
        changes["added"] = args.add
    corpus = _open(args.db, create=False)
    if corpus is None:
        return 2
    sys.stdout.reconfigure(encoding="utf-8")
    with corpus:
        if args.list:
            record = corpus.get(args.doc_id, machine=True)
            if record is None:
                return _fail(f"no document with id {args.doc_id!r}")
            ov = overlay(record, active_corrections(corpus.conn, [args.doc_id]))
            text = record.get("text") or ""
            for k in ("event", "mention", "technique"):
                for key, item in ov.live(k):
                    label = item.get("technique") or item.get("type") or ""
                    extra = (f" {item.get('actor1') or '-'} -> {item.get('actor2') or '-'} at {item.get('place') or '-'}"
                             f" {item.get('date') or ''} {item.get('modality') or ''}" if k == "event" else
                             f" {item.get('entity') or ''}" if k == "mention" else "")
                    mark = "  [human-checked]" if item.get("checked") else ""
                    print(f"--{k} {key_text(key):<12} {label}{extra}{mark}\n    {' '.join(text[key[0]:key[1]].split())[:100]}")
            return 0
        try:
            ids = correct(corpus, args.doc_id, kind, parse_key(getattr(args, kind)), changes, note=args.note,
                          author=args.author or _user())
        except CorrectionError as e:
            return _fail(str(e))
    print(f"marsad: {args.doc_id}: {len(ids)} correction(s) stored (ids {', '.join(map(str, ids))})", file=sys.stderr)
    return 0


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "analyst"


def cmd_corrections(args) -> int:
    if args.format == "conll" and not (args.export == "training" and args.out):
        return _fail("--format conll goes with --export training and --out FILE")
    args.format = args.format or ("jsonl" if args.export else "text")
    from .cli_common import open_with_output
    from .corrections import active_corrections, orphaned, overlay, summary

    corpus, out = open_with_output(args.db, args.out)
    if corpus is None:
        return out
    with corpus:
        if args.export == "training" and args.format == "conll":
            from ..train.ner import write_conll
            from .annotation_tools import conll_documents, training_examples

            lines = [x for x in training_examples(corpus) if args.doc_id in (None, x["doc_id"])]
            out.close()
            write_conll(conll_documents(corpus.get(x["doc_id"]) for x in lines), args.out)
            return 0
        elif args.export == "training":
            from .annotation_tools import training_examples

            for line in training_examples(corpus):
                if args.doc_id in (None, line["doc_id"]):
                    out.write(json.dumps(line, ensure_ascii=False) + "\n")
        else:
            if args.orphaned:
                rows = [s for s in orphaned(corpus) if args.doc_id in (None, s["doc_id"])]
            else:
                rows = _with_status(corpus, active_corrections(corpus.conn, None if args.doc_id is None else
                                                               [args.doc_id], history=args.history), overlay, summary)
            for s in rows:
                out.write(json.dumps(s, ensure_ascii=False) + "\n" if args.format == "jsonl" else _line(s))
    if out is not sys.stdout:
        out.close()
    return 0


def _with_status(corpus, rows: list[dict], overlay, summary) -> list[dict]:
    """Each correction's summary with its status: applied, orphaned or superseded."""
    by_doc: dict[str, list[dict]] = {}
    for c in rows:
        by_doc.setdefault(c["doc_id"], []).append(c)
    status: dict[int, str] = {}
    for doc_id, cs in by_doc.items():
        record = corpus.get(doc_id, machine=True)
        live = [c for c in cs if c["superseded_by"] is None]
        found = overlay(record, live).applied if record is not None else []
        status.update({s["id"]: s["status"] for s in found})
    return [summary(c) | {"status": "superseded" if c["superseded_by"] is not None else status.get(c["id"], "orphaned")}
            for c in rows]


def _line(s: dict) -> str:
    span = f"{s['start']}:{s['end']}" + (f"#{s['n']}" if s["n"] else "")
    note = f"  ({s['note']})" if s.get("note") else ""
    return (f"#{s['id']} {s['doc_id']} {s['target']} {span} {s['field']}: {json.dumps(s['old'], ensure_ascii=False)} "
            f"-> {json.dumps(s['new'], ensure_ascii=False)}  [{s['status']}] {s['author']} {s['created']}{note}\n")


def cmd_import(args) -> int:
    from .annotation_tools import import_annotations
    from .cli_common import _open

    corpus = _open(args.db, create=False)
    if corpus is None:
        return 2
    with corpus:
        try:
            stats = import_annotations(corpus, args.file, args.format)
        except (OSError, ValueError) as e:  # json.JSONDecodeError is a ValueError
            return _fail(f"{args.file}: cannot read it as {args.format} annotations: {e}")
    for why in stats.skipped:
        print(f"marsad: {why}", file=sys.stderr)
    print(f"marsad: {args.file}: {stats.documents} document(s) read, {stats.corrections} correction(s) stored, "
          f"{len(stats.skipped)} skipped", file=sys.stderr)
    return 1 if stats.skipped else 0


def write_label_config(path: str | None) -> int:
    """After `marsad export --format labelstudio`: the labeling config beside the tasks, or a hint."""
    from .annotation_tools import label_config

    if path is None:
        print("marsad: the Label Studio labeling config for these tasks: give --config FILE (or --out) to write it",
              file=sys.stderr)
        return 0
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(label_config())
    except OSError as e:
        return _fail(f"cannot write {path}: {(e.strerror or str(e)).lower()}")
    print(f"marsad: Label Studio labeling config written to {path} (Settings -> Labeling Interface -> Code)",
          file=sys.stderr)
    return 0
