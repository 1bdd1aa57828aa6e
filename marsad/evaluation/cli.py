"""`marsad eval TASK PATH...`: the quality table's figures on data sets a user has downloaded."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import TASKS, EvalError, evaluate

EPILOG = """\
tasks and the data they read (download them yourself; they are not shipped with marsad):
  ner         CoNLL-style token ... tag files or folders of them: CoNLL-2003 (English; dev = testa),
              ANERcorp (Arabic), AQMAR (Arabic Wikipedia). IOB1, IOB2 or IOBES; PERS/LOC/ORG and the like.
              Documents of 20 sentences; exact-match entity P/R/F1 (conlleval, by seqeval: pip install
              'marsad[eval]'), micro and per PER/ORG/LOC, MISC not scored.
  techniques  a PTC folder (SemEval-2020 task 11: <split>-articles/ and <split>-task-flc-tc.labels; or the
              <split>-articles folder itself), or JSONL spans: ArAIEval-2024 {id, text, labels:[{start, end,
              technique}]} or ArMPro {paragraph_id, paragraph, labels}. Partial-overlap P/R/F1 (Da San
              Martino et al. 2019): si (spans, technique ignored) and flc (span and technique).
              ArAIEval-2023 task 1B JSONL {id, text, labels:[technique...]}: micro P/R/F1 of the
              techniques found in each text (none = no_technique).
  geoparse    LGL (lgl.xml), TR-News (TR-News.xml), GeoWebNews (GWN.xml), or JSONL {id, text, toponyms:[{start,
              end, id}]} (benchmarks/data/geoparse-en.jsonl). End to end: exact GeoNames id, country,
              acc@161 km and median error of each gold place name (a name marsad misses counts as wrong).
  events      FA-KES's CSV (Syrian war news). The main event of each article (violent, told as fact, most
              dead): governorate, actor (side of actor1) and civilian dead against the gold, each beside
              the majority-class baseline.
  roles       event roles: ConfliBERT CAMEO spans (cameo_ner_train.txt: S/T/R tags; each sentence a document)
              or WikiEvents (dev.jsonl, with coref_dev.jsonlines beside it). actor1 / actor2 / place P/R/F1:
              a predicted entity is right when one of its mentions overlaps the gold span (WikiEvents: a
              mention of the argument or one coreferent with it); WikiEvents also the share of its attacks,
              deaths, injuries and arrests whose trigger a coded event covers.

examples:
  marsad eval ner conll2003/dev.txt --lang en            the README's English NER figure (accurate profile)
  marsad eval ner anercorp/test.txt --lang ar --profile fast   the fast profile on an Arabic test file
  marsad eval ner conll2003/dev.txt --limit 50           the first 50 documents only: a quick check
  marsad eval techniques ptc2020/                        PTC articles with their technique labels
  marsad eval techniques ArMPro_span_V2_train.jsonl --format json --out armpro.json
  marsad eval geoparse lgl.xml GWN.xml                   one result per file
  marsad eval events fakes_dev.csv                       FA-KES: location, actor, civilians
  marsad eval roles wikievents/dev.jsonl                 who did it, to whom, where: WikiEvents arguments
  MARSAD_NER_MODEL_EN=my.crfsuite marsad eval ner dev.txt --lang en --profile fast
                                                         a retrained fast-profile English CRF in place of the
                                                         shipped one (accurate: MARSAD_NER_E5_MODEL_EN)

Each PATH is scored on its own. The figures are of the same kind as README's "Quality, measured" table.
exit status: 0 scored; 2 a path or format that cannot be read, or a usage error (one line on stderr).
"""


def add_command(sub) -> None:
    from ..cli_options import add_profile_option, add_scale_options

    e = sub.add_parser("eval", help="score marsad on annotated data sets (NER, techniques, geoparsing, events, roles)",
                       description="Analyse annotated public data sets as `marsad analyze` does and score the "
                                   "result: the project's quality figures, for checking a retrained model.",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG)
    e.add_argument("task", choices=TASKS, help="; ".join(f"{k}: {v}" for k, v in TASKS.items()))
    e.add_argument("paths", nargs="+", metavar="PATH", help="a data set file or folder (see below)")
    add_profile_option(e)
    e.add_argument("--lang", choices=["auto", "ar", "en"], default="auto",
                   help="the documents' language; auto (default): as the data set gives it, else detected per "
                        "document (CoNLL files give none: all-capital headlines can be taken for another "
                        "language, so give --lang for a file in one language)")
    e.add_argument("--limit", type=int, metavar="N", default=None,
                   help="score the first N documents of each PATH only (ner: documents of 20 sentences)")
    e.add_argument("--format", choices=["text", "json"], default="text",
                   help="text: an aligned table (default); json: the same figures as one JSON array")
    e.add_argument("--out", "-o", metavar="FILE", help="write here instead of stdout")
    e.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    add_scale_options(e)
    e.set_defaults(func=cmd_eval)


def _cell(v) -> str:
    if isinstance(v, float):  # scores (0..1) to 4 places, as the quality table; kilometres to 0.1
        return f"{v:.4f}" if abs(v) <= 1 else f"{v:.1f}"
    return "" if v is None else str(v)


def table(results: list[dict]) -> str:
    """One line per measure: task, dataset, profile, documents, measure, P, R, F1 (or value), gold, pred."""
    head = ["task", "dataset", "profile", "docs", "measure", "P", "R", "F1", "value", "baseline", "gold", "pred"]
    keys = ["p", "r", "f1", "value", "baseline", "gold", "pred"]
    used = [k for k in keys if any(k in row for r in results for row in r["rows"])]
    head = head[:5] + [h for h, k in zip(head[5:], keys) if k in used]
    lines = [head]
    for r in results:
        for row in r["rows"]:
            lines.append([r["task"], r["dataset"], r["profile"] or "", str(r["documents"]), row["measure"]]
                         + [_cell(row.get(k)) for k in used])
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) if i < 5 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths)))
                     .rstrip() for line in lines) + "\n"


def cmd_eval(args) -> int:
    from ..cli_options import scale_usage_error

    problem = scale_usage_error(args)
    if args.limit is not None and args.limit < 1:
        problem = "--limit must be at least 1"
    if problem:
        print(f"marsad: {problem}", file=sys.stderr)
        return 2
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"marsad: eval: {missing[0]}: no such file or directory", file=sys.stderr)
        return 2
    try:  # opened before the run, so that a bad --out is told at once rather than after it
        out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    except OSError as e:
        print(f"marsad: cannot write {args.out}: {(e.strerror or str(e)).lower()}", file=sys.stderr)
        return 2
    try:
        results = _run(args)
        out.write(json.dumps(results, ensure_ascii=False, indent=1) + "\n" if args.format == "json"
                  else table(results))
    except EvalError as e:
        print(f"marsad: eval: {e}", file=sys.stderr)
        return 2
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def _run(args) -> list[dict]:
    """Each PATH analysed and scored, on one pool of workers."""
    from ..cli_options import analyser_for
    from ..progress import progress

    bar = not args.quiet and sys.stderr.isatty()
    results = []
    with analyser_for(args, {"profile": args.profile}, announce=bar) as analyse:
        for path in args.paths:
            with progress(args.limit, bar) as (advance, report):
                result = evaluate(args.task, path, analyse, args.limit, advance,
                                  None if args.lang == "auto" else args.lang)
                if result["failed"]:
                    report(f"marsad: eval: {path}: {result['failed']} document(s) failed to analyse; "
                           "scored as empty")
            results.append(result)
    return results
