"""Toponym resolution on geoparsing corpora: exact GeoNames id, country accuracy, median error (km), acc@161 km.

    python benchmarks/geoparse.py                     # every corpus found, both splits
    python benchmarks/geoparse.py --split report      # the figures to report (never tuned on)
    python benchmarks/geoparse.py --corpus lgl --split tune --misses 40
    python benchmarks/geoparse.py --split report --checkout /work/main   # the same protocol on other code
    python benchmarks/geoparse.py --corpus geoparse-ar --pipeline         # end to end: marsad.analyze finds them

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
"""
from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# --checkout DIR scores another checkout's marsad (e.g. the code before the world tier) on the same protocol
CODE = Path(sys.argv[sys.argv.index("--checkout") + 1]) if "--checkout" in sys.argv else ROOT
sys.path.insert(0, str(CODE))
MISS_KM = 20038.0


def _km(a, b) -> float:
    p1, p2, dl = math.radians(a[0]), math.radians(b[0]), math.radians(b[1] - a[1])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _country_codes() -> dict[str, str]:
    """GeoNames country id -> ISO code, from marsad's gazetteer."""
    from marsad.places.gazetteer import load

    return {p.id.split(":")[1]: p.country for p in load().places.values() if p.feature == "country"}


def read_xml(path: Path, codes: dict[str, str]) -> list[dict]:
    """lgl.xml / TR-News.xml (gaztag) or GWN.xml (geonamesID) -> documents with gold toponyms."""
    docs = []
    for i, art in enumerate(ET.parse(path).getroot().iter("article")):
        text = art.findtext("text") or ""
        tops = []
        for t in art.iter("toponym"):
            start, end = int(t.findtext("start")), int(t.findtext("end"))
            g = t.find("gaztag")
            if g is not None:
                gid, lat, lon = g.get("geonameid"), g.findtext("lat"), g.findtext("lon")
                c = g.find("country")
                cc = codes.get(c.get("geonameid")) if c is not None else None
            else:
                if t.findtext("nonLocational") == "Yes":
                    continue
                gid, lat, lon, cc = t.findtext("geonamesID"), t.findtext("latitude"), t.findtext("longitude"), None
            if not gid or not lat or not lon:
                continue
            if cc is None:  # GeoWebNews gives no country: the gold place's own, where GeoNames' tables list it
                from marsad.places import describe

                cc = (describe(f"geonames:{gid}") or {}).get("country")
            tops.append({"start": start, "end": end, "id": f"geonames:{gid}", "lat": float(lat), "lon": float(lon),
                         "country": cc})
        docs.append({"id": f"{path.stem}-{art.get('docid') or art.get('file') or i}", "text": text,
                     "toponyms": tops, "split": "tune" if i % 2 == 0 else "report"})
    return docs


def read_jsonl(path: Path) -> list[dict]:
    from marsad.places import describe

    docs = []
    for ln in path.read_text(encoding="utf-8").splitlines():
        if not ln.strip():
            continue
        d = json.loads(ln)
        for t in d["toponyms"]:
            p = describe(t["id"]) or {}  # the gold place's coordinates and country
            t.setdefault("lat", p.get("lat"))
            t.setdefault("lon", p.get("lon"))
            t.setdefault("country", p.get("country"))
        d["split"] = "tune" if d["id"].endswith("-tune") else "report"
        docs.append(d)
    return docs


def _pipeline(d: dict) -> tuple[list[dict], dict]:
    """--pipeline: the whole `marsad.analyze`; each gold toponym takes the place of a mention overlapping it (the
    mention's entity, or for a state's name its territory), so detection misses count as wrong too."""
    import marsad

    rec = marsad.analyze(d["text"])
    mentions = []
    for t in d["toponyms"]:
        hits = [m for m in rec["mentions"] if m["start"] < t["end"] and t["start"] < m["end"]]
        pid = next((m.get("place") or m["entity"] for m in hits if (m.get("place") or m["entity"]) in rec["entities"]
                    and rec["entities"][m.get("place") or m["entity"]].get("kind") == "place"), None)
        mentions.append({"text": d["text"][t["start"]:t["end"]], "entity": pid})
    return mentions, rec["entities"]


def evaluate(docs: list[dict], misses: list | None = None, pipeline: bool = False) -> dict:
    from marsad.places import resolve

    n = exact = country_n = country_ok = 0
    errors = []
    for d in docs:
        text = d["text"]
        if pipeline:
            mentions, ents = _pipeline(d)
        else:
            mentions = [{"start": t["start"], "end": t["end"], "text": text[t["start"]:t["end"]], "type": "LOC"}
                        for t in d["toponyms"]]
            ents = resolve(mentions, text)
        for t, m in zip(d["toponyms"], mentions):
            pid = m.get("entity")
            e = ents.get(pid) if pid else None
            n += 1
            exact += pid == t["id"]
            if t.get("country"):
                country_n += 1
                country_ok += bool(e) and e.get("country") == t["country"]
            # the right GeoNames place is 0 km off, whatever centre each side gives a country or area
            err = 0.0 if pid == t["id"] else _km((t["lat"], t["lon"]), (e["lat"], e["lon"])) \
                if e and e.get("lat") is not None else MISS_KM
            errors.append(err)
            if misses is not None and pid != t["id"]:
                misses.append((d["id"], m["text"], t["id"], t.get("country"), pid, e and e.get("name"),
                               e and e.get("country"), round(err)))
    return {"toponyms": n, "exact_id": round(exact / n, 4) if n else None,
            "country": round(country_ok / country_n, 4) if country_n else None, "country_n": country_n,
            "median_km": round(statistics.median(errors), 1) if errors else None,
            "acc161": round(sum(e <= 161 for e in errors) / n, 4) if n else None}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="/work/geo-data")
    ap.add_argument("--corpus", action="append", help="lgl, TR-News, GWN, geoparse-ar, geoparse-en (default: all)")
    ap.add_argument("--split", choices=("tune", "report", "all"), default="all")
    ap.add_argument("--misses", type=int, default=0, help="print this many wrong resolutions")
    ap.add_argument("--json")
    ap.add_argument("--pipeline", action="store_true", help="the whole analysis, not the gold spans (slower)")
    ap.add_argument("--checkout", help="score the marsad code of this checkout instead (the data stay this one's)")
    args = ap.parse_args()
    codes = _country_codes()
    sources = {"lgl": Path(args.data) / "lgl.xml", "TR-News": Path(args.data) / "TR-News.xml",
               "GWN": Path(args.data) / "GWN.xml", "geoparse-en": ROOT / "benchmarks/data/geoparse-en.jsonl",
               "geoparse-ar": ROOT / "benchmarks/data/geoparse-ar.jsonl"}
    out = {}
    for name, path in sources.items():
        if args.corpus and name not in args.corpus or not path.exists():
            continue
        docs = read_xml(path, codes) if path.suffix == ".xml" else read_jsonl(path)
        for split in (("tune", "report") if args.split == "all" else (args.split,)):
            part = [d for d in docs if d["split"] == split]
            if not part:
                continue
            misses: list = []
            out[f"{name}/{split}"] = r = evaluate(part, misses, args.pipeline)
            print(f"{name:12} {split:7} docs {len(part):4}  toponyms {r['toponyms']:5}  exact id {r['exact_id']}  "
                  f"country {r['country']} (n {r['country_n']})  median km {r['median_km']}  acc@161 {r['acc161']}")
            for x in misses[:args.misses]:
                print("   ", x)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
