"""Events dev set (issue 16): real articles annotated by hand, scored against marsad's events.

    python benchmarks/events_dev.py                    # accurate profile, table + misses
    python benchmarks/events_dev.py --profile fast     # classical models only
    python benchmarks/events_dev.py --profile fast --json out.json --lang ar
    python benchmarks/events_dev.py --profile fast --side-swap

Gold: benchmarks/events_dev/gold.jsonl, one article a line: its source (a file under ../shared/data, the row's
key and the text field), the sha256 of the text (a changed file is an error), and an analyst's annotation in the
seeds gold format (../shared/seeds/gold.json): places with coordinates, actors with sides, events (snippet = exact
substring of the text; type, sub_type, plover, actor1/actor2 as {name, accept}, place, modality as the list of
acceptable values, claimed_by, background) and must_not readings. Only ids and annotations live here; the text
is read in place (--data DIR, default ../shared/data next to the repository). The gold was written by reading
each text, never from marsad's output.

Scoring (per language and overall):
- a gold event's span is the first occurrence of its snippet (or the `occurrence`-th, 1-based);
- a predicted event of an ACLED type (not `Other`) matches a gold event when its evidence overlaps the gold span
  and its type is one of the gold's types; event_recall = gold events (not `optional`) with a match / gold events
  (not optional); event_precision = predicted non-Other events that match some gold event (optional ones
  included) / predicted non-Other events. event_precision_proxy (the seeds scorer's lower bound) also counts a
  prediction that merely touches any gold or must_not snippet;
- of the matched gold events (the best-scoring matching prediction each): sub_type right, actor1 right, actor2
  right (a predicted actor is right when its side, its id's tail or its name is in the gold's `accept` list;
  "none" accepts no actor; a gold actor of null means "not named": only no actor is right), modality right (in
  the gold list), place right (predicted place within max_km of the gold place's coordinates; only gold events
  with a place);
- must_not violations: a predicted non-Other event overlapping a must_not snippet that has every forbidden
  property the reading gives: modality (`forbid_modality`), type (`forbid_type`), sub_type (`forbid_sub_type`),
  actor1 (`forbid_actor1`, an accept-style list). "any" in an accept list accepts every actor (or none).

--side-swap: every paired actor and place name of SWAPS is exchanged with its partner in each text (both ways at
once, whole words, not after a hyphen, so "Al-Nusra Front" stays whole; Arabic names also after a one-letter
proclitic), marsad runs again, and each predicted
non-Other event's evidence is mapped back through the swap; an article is stable when the multiset of (type,
modality, mapped evidence start, mapped evidence end) is the same as on the original text. Reported: the share
of stable articles (all, and those where something was swapped) and the unstable ones.
Exit 0 = ran; 2 = gold or data missing or changed.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GOLD = ROOT / "benchmarks" / "events_dev" / "gold.jsonl"
DATA = ROOT.parent / "shared" / "data"
MAX_KM = 25.0
ACLED = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
         "Strategic developments")
TYPES = ACLED + ("Other",)
MODALITIES = ("asserted", "reported", "planned", "hypothetical", "negated")

# Paired names exchanged by --side-swap (each pair both ways). Actors of opposing camps, places of similar rank.
SWAPS_EN = [("United States", "Russia"), ("American", "Russian"), ("Free Syrian Army", "Syrian army"),
            ("Islamic State", "Hezbollah"), ("Daesh", "Nusra Front"), ("Turkey", "Iran"),
            ("Aleppo", "Mosul"), ("Damascus", "Baghdad"), ("Idlib", "Raqqa"), ("Deir ez-Zor", "Homs"),
            ("Qalamoun", "Afrin"), ("Hasakeh", "Daraa")]
SWAPS_AR = [("الولايات المتحدة", "روسيا"), ("الأمريكي", "الروسي"), ("الأمريكية", "الروسية"),
            ("الإسرائيلي", "الإيراني"), ("الإسرائيلية", "الإيرانية"), ("إسرائيل", "إيران"),
            ("تركيا", "السعودية"), ("الحوثيين", "الأكراد"), ("حلب", "الموصل"), ("دمشق", "بغداد"),
            ("درعا", "إدلب"), ("غزة", "الرقة"), ("اليمن", "ليبيا"), ("واشنطن", "موسكو"), ("العراق", "سوريا")]


class DataMissing(Exception):
    pass


# ---------------------------------------------------------------- gold and texts
def load_gold(path: Path = GOLD) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


_ROWS: dict = {}


def _rows(path: Path, key: str) -> dict:
    if (path, key) not in _ROWS:
        if path.suffix == ".csv":
            with open(path, encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
        else:
            rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        _ROWS[(path, key)] = {str(r.get(key)): r for r in rows}
    return _ROWS[(path, key)]


def source_text(doc: dict, data: Path = DATA) -> str:
    """The article's text from ../shared/data, checked against the gold's sha256."""
    src = doc["source"]
    path = data / src["file"]
    if not path.exists():
        raise DataMissing(f"{path} not found (the dev set's texts stay in ../shared/data; --data DIR)")
    row = _rows(path, src["key"]).get(str(src["value"]))
    if row is None:
        raise DataMissing(f"{doc['id']}: no row with {src['key']}={src['value']} in {path}")
    text = row[src["field"]]
    if sha256(text) != doc["sha256"]:
        raise DataMissing(f"{doc['id']}: the text in {path} changed (sha256 differs from the gold's)")
    return text


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def span(text: str, item: dict) -> tuple[int, int] | None:
    """Where the item's snippet is: its first (or `occurrence`-th) occurrence."""
    start, n = -1, item.get("occurrence", 1)
    for _ in range(n):
        start = text.find(item["snippet"], start + 1)
        if start < 0:
            return None
    return start, start + len(item["snippet"])


def aslist(v) -> list:
    return v if isinstance(v, list) else ([] if v is None else [v])


# ---------------------------------------------------------------- scoring one article
def _key(s: str) -> str:
    return re.sub(r"[\W_]+", " ", str(s).casefold()).strip()


def actor_ok(gold, pred_id, entities: dict) -> bool:
    """A predicted actor (entity id or None) against a gold actor ({name, accept} or None = not named)."""
    accept = ["none"] if gold is None else [_key(a) for a in gold.get("accept", [])]
    if "any" in accept:
        return True
    if pred_id is None:
        return "none" in accept
    ent = entities.get(pred_id, {})
    tail = pred_id.split(":", 1)[-1]
    cands = {_key(tail), _key(ent.get("side") or ""), _key(ent.get("name") or ""), _key(ent.get("name_ar") or "")}
    return bool(cands & set(accept))


def km(a, b, c, d) -> float:
    p1, p2, dl = math.radians(a), math.radians(c), math.radians(d - b)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def place_ok(doc: dict, gold_event: dict, pred: dict, entities: dict) -> bool | None:
    names = aslist(gold_event.get("place"))
    if not names:
        return None
    ent = entities.get(pred.get("place") or "", {})
    if ent.get("lat") is None:
        return False
    places = {p["name"]: p for p in doc.get("places", [])}
    for n in names:
        p = places.get(n)
        if p and km(p["lat"], p["lon"], ent["lat"], ent["lon"]) <= p.get("max_km", doc.get("max_km", MAX_KM)):
            return True
    return False


def overlaps(ev: dict, sp) -> bool:
    return sp is not None and ev["evidence"]["start"] < sp[1] and sp[0] < ev["evidence"]["end"]


def score_doc(doc: dict, text: str, record: dict) -> dict:
    ents = record.get("entities", {})
    preds = [e for e in record.get("events", []) if e.get("type") != "Other"]
    gold = doc.get("events", [])
    spans = [span(text, g) for g in gold]
    out = Counter()
    misses = []
    matched_pred = set()
    for g, sp in zip(gold, spans):
        types = aslist(g["type"])
        cands = [i for i, p in enumerate(preds) if overlaps(p, sp) and p["type"] in types]
        matched_pred.update(cands)
        if g.get("optional"):
            continue
        out["gold"] += 1
        if not cands:
            near = [p for p in preds if overlaps(p, sp)]
            why = (f"typed {', '.join(sorted({p['type'] for p in near}))}" if near
                   else "no event over the snippet")
            misses.append({"doc": doc["id"], "event": g["id"], "kind": "missed", "why": why,
                           "snippet": g["snippet"][:60], "type": types[0]})
            continue
        out["matched"] += 1

        def checks(p):
            c = {"sub_type": p.get("sub_type") in aslist(g.get("sub_type")) if g.get("sub_type") else None,
                 "actor1": actor_ok(g.get("actor1"), p.get("actor1"), ents),
                 "actor2": actor_ok(g.get("actor2"), p.get("actor2"), ents),
                 "modality": p.get("modality") in aslist(g["modality"]),
                 "place": place_ok(doc, g, p, ents)}
            return c
        best = max((checks(preds[i]) for i in cands), key=lambda c: sum(1 for v in c.values() if v))
        for k, v in best.items():
            if v is None:
                continue
            out[k + "_n"] += 1
            out[k + "_right"] += bool(v)
            if not v:
                p = preds[cands[0]]
                got = {"sub_type": p.get("sub_type"), "modality": p.get("modality"),
                       "actor1": p.get("actor1"), "actor2": p.get("actor2"), "place": p.get("place")}[k]
                want = {"sub_type": g.get("sub_type"), "modality": g.get("modality"),
                        "actor1": (g.get("actor1") or {}).get("accept", "none"),
                        "actor2": (g.get("actor2") or {}).get("accept", "none"), "place": g.get("place")}[k]
                misses.append({"doc": doc["id"], "event": g["id"], "kind": "wrong_" + k,
                               "why": f"got {got}, gold {want}", "snippet": g["snippet"][:60]})
    touch = [span(text, m) for m in doc.get("must_not", [])] + spans
    out["pred"] += len(preds)
    out["pred_matched"] += len(matched_pred)
    out["pred_touching"] += sum(1 for p in preds if any(overlaps(p, sp) for sp in touch))
    for i, p in enumerate(preds):
        if i not in matched_pred:
            misses.append({"doc": doc["id"], "event": None, "kind": "spurious",
                           "why": f"{p['type']} / {p.get('sub_type')} ({p.get('modality')})",
                           "snippet": text[p["evidence"]["start"]:p["evidence"]["end"]][:60]})
    for m in doc.get("must_not", []):
        sp = span(text, m)
        for p in preds:
            if not overlaps(p, sp):
                continue
            conds = []
            if "forbid_modality" in m:
                conds.append(p.get("modality") in m["forbid_modality"])
            if "forbid_type" in m:
                conds.append(p["type"] in m["forbid_type"])
            if "forbid_sub_type" in m:
                conds.append(p.get("sub_type") in m["forbid_sub_type"])
            if "forbid_actor1" in m:
                conds.append(p.get("actor1") is not None
                             and actor_ok({"accept": m["forbid_actor1"]}, p.get("actor1"), ents))
            if conds and all(conds):
                out["must_not_violations"] += 1
                misses.append({"doc": doc["id"], "event": m["id"], "kind": "must_not",
                               "why": f"{p['type']} {p.get('modality')} actor1={p.get('actor1')}",
                               "snippet": m["snippet"][:60]})
    return {"counts": out, "misses": misses}


def figures(c: Counter, docs: int) -> dict:
    def r(a, b):
        return round(c[a] / c[b], 4) if c[b] else None
    return {"articles": docs, "gold_events": c["gold"], "predicted_events": c["pred"],
            "event_recall": r("matched", "gold"), "event_precision": r("pred_matched", "pred"),
            "event_precision_proxy": r("pred_touching", "pred"),
            "sub_type_right": r("sub_type_right", "sub_type_n"), "actor1_right": r("actor1_right", "actor1_n"),
            "actor2_right": r("actor2_right", "actor2_n"), "modality_right": r("modality_right", "modality_n"),
            "place_right": r("place_right", "place_n"), "must_not_violations": c["must_not_violations"]}


# ---------------------------------------------------------------- side swap
def swap_text(text: str, language: str) -> tuple[str, list[tuple[int, int, int, int]]]:
    """The text with paired names exchanged, and the replaced pieces as (old_start, old_end, new_start, new_end)."""
    pairs = SWAPS_AR if language == "ar" else SWAPS_EN
    table = {}
    for a, b in pairs:
        table[a.casefold()], table[b.casefold()] = b, a
    alts = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    if language == "ar":
        rx = re.compile(rf"(?<![^\W\d_وبلفك])(?:{alts})(?![\w])")
    else:
        rx = re.compile(rf"(?<![\w-])(?:{alts})\b", re.IGNORECASE)
    parts, pieces, pos, shift = [], [], 0, 0
    for m in rx.finditer(text):
        new = table[m.group(0).casefold()]
        parts.append(text[pos:m.start()])
        parts.append(new)
        ns = m.start() + shift
        pieces.append((m.start(), m.end(), ns, ns + len(new)))
        shift += len(new) - (m.end() - m.start())
        pos = m.end()
    parts.append(text[pos:])
    return "".join(parts), pieces


def map_back(off: int, pieces) -> int:
    """An offset of the swapped text mapped to the original (inside a replaced name: that name's start or end)."""
    shift = 0
    for os_, oe, ns, ne in pieces:
        if off < ns:
            break
        if off < ne:
            return os_ if off == ns else oe
        shift = oe - ne
    return off + shift


def signature(record: dict, pieces=()) -> Counter:
    return Counter((e["type"], e.get("modality"), map_back(e["evidence"]["start"], pieces),
                    map_back(e["evidence"]["end"], pieces))
                   for e in record.get("events", []) if e.get("type") != "Other")


# ---------------------------------------------------------------- main
def analyze(marsad, doc: dict, text: str, profile: str) -> dict:
    return marsad.analyze(text, language=doc["language"], published=doc.get("published"), id=doc["id"],
                          profile=profile)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--profile", default="accurate", choices=("accurate", "fast"))
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--lang", choices=("ar", "en"))
    ap.add_argument("--json", type=Path, help="write the full result (figures, misses, side swap) here")
    ap.add_argument("--side-swap", action="store_true")
    ap.add_argument("--misses", type=int, default=200, help="how many misses to list (default 200)")
    args = ap.parse_args(argv)
    if not args.gold.exists():
        print(f"events_dev: gold file {args.gold} not found", file=sys.stderr)
        return 2
    docs = [d for d in load_gold(args.gold) if not args.lang or d["language"] == args.lang]
    try:
        texts = {d["id"]: source_text(d, args.data) for d in docs}
    except DataMissing as e:
        print(f"events_dev: {e}", file=sys.stderr)
        return 2
    import marsad
    t0 = time.time()
    per_lang, ndocs, misses, records = defaultdict(Counter), Counter(), [], {}
    for d in docs:
        rec = analyze(marsad, d, texts[d["id"]], args.profile)
        records[d["id"]] = rec
        s = score_doc(d, texts[d["id"]], rec)
        per_lang[d["language"]].update(s["counts"])
        per_lang["all"].update(s["counts"])
        ndocs[d["language"]] += 1
        ndocs["all"] += 1
        misses += s["misses"]
    result = {"profile": args.profile, "seconds": round(time.time() - t0, 1),
              "figures": {k: figures(per_lang[k], ndocs[k]) for k in ("ar", "en", "all") if ndocs[k]},
              "miss_kinds": dict(Counter(m["kind"] for m in misses).most_common()), "misses": misses}
    cols = ["articles", "gold_events", "predicted_events", "event_recall", "event_precision",
            "event_precision_proxy", "sub_type_right", "actor1_right", "actor2_right", "modality_right",
            "place_right", "must_not_violations"]
    print(f"profile {args.profile}, {ndocs['all']} articles, {result['seconds']} s")
    print(f"{'':24}" + "".join(f"{k:>8}" for k in result["figures"]))
    for c in cols:
        print(f"{c:24}" + "".join(f"{str(f[c]):>8}" for f in result["figures"].values()))
    print("misses by kind:", result["miss_kinds"])
    for m in misses[:args.misses]:
        print(f"  {m['kind']:15} {m['doc']:28} {str(m['event']):24} {m['why']}  «{m['snippet']}»")
    if args.side_swap:
        stable, swapped, unstable = 0, 0, []
        for d in docs:
            new, pieces = swap_text(texts[d["id"]], d["language"])
            swapped += bool(pieces)
            same = signature(analyze(marsad, d, new, args.profile), pieces) == signature(records[d["id"]])
            stable += same
            if not same:
                unstable.append(d["id"])
        result["side_swap"] = {"articles": len(docs), "with_swaps": swapped, "stable": stable,
                               "stable_share": round(stable / len(docs), 4) if docs else None,
                               "unstable": unstable}
        print(f"side swap: {stable}/{len(docs)} articles keep the same events and modalities "
              f"({swapped} had names swapped); unstable: {', '.join(unstable) or 'none'}")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
