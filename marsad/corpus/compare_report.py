"""What one cluster of `marsad compare` says (marsad/corpus/compare.py): per outlet the languages, modality,
evidence, group labels and casualty figures of its events, whether the outlets' figures disagree, and the
cluster as text.
"""
from __future__ import annotations

import json
from collections import Counter

DISAGREE = 0.10  # relative difference of casualty figures above which outlets disagree


def family(ev_type: str | None, plover: str | None) -> str | None:
    """The key events are grouped by: the ACLED type, or for `Other` (or none) the PLOVER type."""
    if ev_type and ev_type != "Other":
        return ev_type
    return f"Other/{plover}" if plover else (ev_type or None)


def _differ(values: list[int]) -> bool:
    """Whether figures differ by more than DISAGREE (relative to the largest)."""
    values = [v for v in values if v is not None]
    if len(values) < 2:
        return False
    hi, lo = max(values), min(values)
    return hi > 0 and (hi - lo) / hi > DISAGREE


def _records(corpus, docs: set[int]) -> dict[int, dict]:
    """rowid -> record (text put back) for these documents."""
    out = {}
    ids = sorted(docs)
    for k in range(0, len(ids), 500):
        chunk = ids[k:k + 500]
        q = f"SELECT rowid, text, record FROM documents WHERE rowid IN ({','.join('?' * len(chunk))})"
        for rowid, text, rec in corpus.conn.execute(q, chunk):
            r = json.loads(rec)
            r["text"] = text
            out[rowid] = r
    return out


def _window(rec: dict, start, end) -> tuple[int, int]:
    """The evidence span widened to the sentences it touches (labels often sit just outside the clause)."""
    if not isinstance(start, int) or not isinstance(end, int):
        return 0, 0
    lo, hi = start, end
    for s in rec.get("sentences") or []:
        if isinstance(s, dict) and s.get("start", 0) < end and s.get("end", 0) > start:
            lo, hi = min(lo, s["start"]), max(hi, s["end"])
    return lo, hi


def _labels(rec: dict, lo: int, hi: int) -> list[dict]:
    ents = rec.get("entities") or {}
    out = []
    for m in rec.get("mentions") or []:
        if not isinstance(m, dict) or not m.get("label"):
            continue
        if isinstance(m.get("start"), int) and lo <= m["start"] and m.get("end", 0) <= hi:
            ent = ents.get(m.get("entity")) or {}
            out.append({"label": m["label"], "stance": m.get("stance"), "entity": m.get("entity"),
                        "side": ent.get("side")})
    return out


def _name(rec: dict, ent_id: str | None) -> str | None:
    e = (rec.get("entities") or {}).get(ent_id) or {}
    return e.get("name") or e.get("name_ar") or ent_id


def _describe(members: list[tuple], records: dict[int, dict]) -> dict:
    events, outlets = [], {}
    for fam, day, r, by_text in sorted(members, key=lambda m: (m[1], m[2][20], m[2][0], m[2][1])):
        (doc, n, typ, sub, plover, place, lat, lon, date, modality, fat, civ, es, ee, a1, a1s, a2, a2s,
         claimed, doc_id, outlet, lang, published) = r[:23]
        rec = records.get(doc, {})
        text = rec.get("text") or ""
        lo, hi = _window(rec, es, ee)
        labels = _labels(rec, lo, hi)
        evidence = text[es:ee] if isinstance(es, int) and isinstance(ee, int) else ""
        events.append({"document": doc_id, "n": n, "outlet": outlet, "language": lang, "date": date,
                       "published": published, "type": typ, "sub_type": sub, "plover": plover,
                       "place": place, "place_name": _name(rec, place), "lat": lat, "lon": lon,
                       "modality": modality, "claimed_by": claimed,
                       "actor1": a1, "actor1_name": _name(rec, a1) if a1 else None, "actor1_side": a1s,
                       "actor2": a2, "actor2_name": _name(rec, a2) if a2 else None, "actor2_side": a2s,
                       "fatalities": fat, "civilians": civ, "evidence": evidence, "labels": labels,
                       "joined_by": "text" if by_text else "place"})
        o = outlets.setdefault(outlet, {"documents": [], "languages": [], "modality": Counter(), "labels": {},
                                        "fatalities": None, "civilians": None, "evidence": []})
        if doc_id not in o["documents"]:
            o["documents"].append(doc_id)
        if lang and lang not in o["languages"]:
            o["languages"].append(lang)
        o["modality"][modality or "unknown"] += 1
        for lab in labels:
            key = (lab["label"], lab["stance"], lab["side"])
            o["labels"].setdefault(key, lab | {"count": 0})["count"] += 1
        if evidence:
            o["evidence"].append(" ".join(evidence.split()))
        # one outlet telling the event in several sentences: its figure is the largest it gives
        for key, val in (("fatalities", fat), ("civilians", civ)):
            if isinstance(val, int) and (o[key] is None or val > o[key]):
                o[key] = val
    for o in outlets.values():
        o["modality"] = dict(o["modality"].most_common())
        o["labels"] = sorted(o["labels"].values(), key=lambda x: (-x["count"], x["label"]))
        o["evidence"] = list(dict.fromkeys(o["evidence"]))
    totals = {k: o["fatalities"] for k, o in outlets.items() if o["fatalities"] is not None}
    civilians = {k: o["civilians"] for k, o in outlets.items() if o["civilians"] is not None}
    places = Counter(e["place_name"] for e in events if e["place_name"])
    dates = sorted(e["date"] for e in events if e["date"])
    fams = Counter(family(e["type"], e["plover"]) for e in events)
    return {
        "type": fams.most_common(1)[0][0],
        "sub_types": dict(Counter(e["sub_type"] for e in events if e["sub_type"]).most_common()),
        "place": places.most_common(1)[0][0] if places else None,
        "places": list(places),
        "dates": [dates[0], dates[-1]] if dates else [None, None],
        "outlets": sorted(outlets),
        "languages": sorted({e["language"] for e in events if e["language"]}),
        "documents": sorted({e["document"] for e in events}),
        "per_outlet": outlets,
        "casualties": {"fatalities": totals, "civilians": civilians,
                       "disagree": _differ(list(totals.values())) or _differ(list(civilians.values()))},
        "events": events,
    }


# -- text rendering -------------------------------------------------------------------------------------

def _fmt_labels(labels: list[dict]) -> str:
    return ", ".join(f"\"{x['label']}\" ({x['stance'] or '?'}{', ' + x['side'] if x['side'] else ''})"
                     for x in labels) or "-"


def _fmt_stories(c: dict) -> str:
    """', 3 stories' when wire copies make fewer independent tellings than outlets."""
    n = c.get("stories")
    return f", {n} {'story' if n == 1 else 'stories'}" if n is not None and n < len(c["outlets"]) else ""


def render_clusters(cs: list[dict]) -> str:
    lines = []
    for c in cs:
        d0, d1 = c["dates"]
        dates = d0 if d0 == d1 else f"{d0} .. {d1}"
        flag = "  DISAGREE" if c["casualties"]["disagree"] else ""
        sim = f", sim {c['similarity']:.2f}" if c.get("similarity") is not None else ""
        by_text = sum(e.get("joined_by") == "text" for e in c["events"])
        joined = f", {by_text} joined by text" if by_text else ""
        lines.append(f"#{c['id']} {c['type']} at {c['place']}  {dates}  "
                     f"({len(c['outlets'])} outlets{_fmt_stories(c)}, {len(c['events'])} events{joined}, "
                     f"{'/'.join(c['languages'])}{sim}){flag}")
        if len(c["places"]) > 1:
            lines.append(f"    places: {', '.join(c['places'])}")
        for outlets in c.get("copies", []):
            lines.append(f"    one story (wire copies): {', '.join(outlets)}")
        for name in c["outlets"]:
            o = c["per_outlet"][name]
            cas = []
            if o["fatalities"] is not None:
                cas.append(f"{o['fatalities']} killed")
            if o["civilians"] is not None:
                cas.append(f"{o['civilians']} civilians")
            mod = ", ".join(f"{k} {v}" if v > 1 else k for k, v in o["modality"].items())
            lines.append(f"  {name} [{'/'.join(o['languages']) or '?'}] {mod}; labels: {_fmt_labels(o['labels'])}"
                         f"; casualties: {', '.join(cas) or '-'}")
            if o["evidence"]:
                ev = o["evidence"][0]
                lines.append(f"      \"{ev[:160]}{'...' if len(ev) > 160 else ''}\"")
        lines.append("")
    return "\n".join(lines)
