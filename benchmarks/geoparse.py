"""Toponym resolution on geoparsing corpora: exact GeoNames id, country accuracy, median error (km), acc@161 km.

    python benchmarks/geoparse.py                     # every corpus found, both splits
    python benchmarks/geoparse.py --split report      # the figures to report (never tuned on)
    python benchmarks/geoparse.py --corpus lgl --split tune --misses 40
    python benchmarks/geoparse.py --split report --checkout /work/main   # the same protocol on other code
    python benchmarks/geoparse.py --corpus geoparse-ar --pipeline         # end to end: marsad.analyze finds them
    python benchmarks/geoparse.py --pipeline --profile fast --split tune   # the fast profile (default: accurate)

Corpora (evaluation only, never shipped with marsad; --data DIR, default /work/geo-data):
- lgl.xml (Lieberman et al. 2010, local US news), TR-News.xml (Kamalloo & Rafiei 2018) and GWN.xml (GeoWebNews,
  Gritta et al. 2019), as republished in github.com/milangritta/Pragmatic-Guide-to-Geoparsing-Evaluation (GPL-3.0);
- benchmarks/data/geoparse-ar.jsonl and geoparse-en.jsonl: marsad's own conflict paragraphs (Arabic and English,
  annotated for this benchmark; one {"id", "text", "toponyms": [{"start", "end", "id", "country"}]} a line).

Protocol: the toponym-resolution task as in geoparsing papers (Gritta et al. 2019): each document's gold toponym
spans go to marsad.places.resolve as LOC mentions (the gold spans are the context each other), and each resolved
place is compared with the gold GeoNames id, country and coordinates (GeoWebNews gives no country: the gold id's
country in marsad's GeoNames tables, where they list it; country accuracy is over those toponyms only). Gold toponyms without a GeoNames id or
coordinates are left out; an unresolved toponym counts as wrong, at 20,038 km (half the Earth's circumference).
Splits: documents at even positions are "tune" (looked at while developing), odd ones are "report"; marsad's own
paragraphs are all "report" except the ones whose id ends in "-tune".
The readers and the scoring are marsad.evaluation.geoparse (also `marsad eval geoparse`, end to end on every
document); --checkout needs a checkout that has that module.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# --checkout DIR scores another checkout's marsad (e.g. the code before the world tier) on the same protocol
CODE = Path(sys.argv[sys.argv.index("--checkout") + 1]) if "--checkout" in sys.argv else ROOT
sys.path.insert(0, str(CODE))


def evaluate(docs: list[dict], misses: list | None = None, pipeline: bool = False, profile: str | None = None,
             homes: dict | None = None, first: dict | None = None) -> dict:
    """Resolution alone (the gold spans as LOC mentions), or with `pipeline` the whole `marsad.analyze` (in
    `profile`, default settings.toml's); `homes`: {document id: its outlet's home place id}; `first`: {document id:
    what a run without homes made of it}, reused for the documents without a home."""
    from marsad.evaluation.geoparse import Scorer

    scorer = Scorer(misses)
    for d in docs:
        home = (homes or {}).get(d["id"])
        done = (first or {}).get(d["id"]) if not home else None
        if pipeline:
            scorer.add(done or analysed(d, profile, home), d)
        else:
            scorer.add_resolved(d, *(done or resolved(d, home)))
    return scorer.summary()


def analysed(d: dict, profile: str | None, home: str | None = None) -> dict:
    import marsad

    extra = {"home": home} if home else {}  # an older --checkout knows no homes
    return marsad.analyze(d["text"], source=d.get("source"), profile=profile, **extra)


def resolved(d: dict, home: str | None = None) -> tuple[list, dict]:
    from marsad.evaluation.geoparse import resolve_gold

    return resolve_gold(d, (home,) if home else ())


def outlet_homes(docs: list[dict], pipeline: bool, profile: str | None) -> tuple[dict, dict]:
    """({document id: home place id}, {document id: what marsad made of it without a home}): each outlet's home
    inferred (marsad.places.home) from what marsad made of its other stories, without homes (their text only, never
    their gold places); a story's own places never vote."""
    from marsad.places import home

    first = {d["id"]: analysed(d, profile) if pipeline else resolved(d) for d in docs}
    records = []
    for d in docs:
        r = first[d["id"]]
        if not pipeline:  # (place ids, entities) -> the parts of a record that homes read
            r = {"mentions": [{"entity": i} for i in r[0] if i], "entities": r[1]}
        records.append({"source": d.get("source"), "mentions": r["mentions"], "entities": r["entities"]})
    tally = home.Tally(records)
    homes = {d["id"]: h for d, r in zip(docs, records)
             if (h := tally.home(d.get("source"), without=home.story_areas(r)))}
    return homes, first


def _print(name: str, split: str, variant: str, docs: int, r: dict) -> None:
    print(f"{name:12} {split:7} {variant:8} docs {docs:4}  toponyms {r['toponyms']:5}  exact id {r['exact_id']}  "
          f"country {r['country']} (n {r['country_n']})  median km {r['median_km']}  acc@161 {r['acc161']}  "
          f"exact id of listed places {r['exact_id_listed']} (n {r['listed']})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="/work/geo-data")
    ap.add_argument("--corpus", action="append", help="lgl, TR-News, GWN, geoparse-ar, geoparse-en (default: all)")
    ap.add_argument("--split", choices=("tune", "report", "all"), default="all")
    ap.add_argument("--misses", type=int, default=0, help="print this many wrong resolutions")
    ap.add_argument("--json")
    ap.add_argument("--pipeline", action="store_true", help="the whole analysis, not the gold spans (slower)")
    ap.add_argument("--profile", choices=("accurate", "fast"), help="with --pipeline (default: settings.toml's)")
    ap.add_argument("--checkout", help="score the marsad code of this checkout instead (the data stay this one's)")
    ap.add_argument("--outlet-homes", action="store_true",
                    help="give each story its outlet's home, inferred from the outlet's other stories of the corpus "
                         "(both halves: their text, never their gold; marsad/places/home.py)")
    args = ap.parse_args()
    from marsad.evaluation.geoparse import country_codes, read

    codes = country_codes()
    sources = {"lgl": Path(args.data) / "lgl.xml", "TR-News": Path(args.data) / "TR-News.xml",
               "GWN": Path(args.data) / "GWN.xml", "geoparse-en": ROOT / "benchmarks/data/geoparse-en.jsonl",
               "geoparse-ar": ROOT / "benchmarks/data/geoparse-ar.jsonl"}
    out = {}
    for name, path in sources.items():
        if args.corpus and name not in args.corpus or not path.exists():
            continue
        docs = list(read(path, codes))
        homes, first = outlet_homes(docs, args.pipeline, args.profile) if args.outlet_homes else (None, None)
        if homes is not None:
            print(f"{name:12} outlet homes for {len(homes)} of {len(docs)} stories")
        for split in (("tune", "report") if args.split == "all" else (args.split,)):
            part = [d for d in docs if d["split"] == split]
            if not part:
                continue
            if homes is not None:  # the same stories without homes first (the first pass's results, reused)
                out[f"{name}/{split}/no-homes"] = r = evaluate(part, None, args.pipeline, args.profile, None, first)
                _print(name, split, "no homes", len(part), r)
            misses: list = []
            out[f"{name}/{split}"] = r = evaluate(part, misses, args.pipeline, args.profile, homes, first)
            _print(name, split, "homes" if homes is not None else "", len(part), r)
            for x in misses[:args.misses]:
                print("   ", x)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
