"""Stage: entity mentions and the entities they name, in both scripts.

Three sources, merged by one rule: the actor dictionary and the gazetteer give precise spans with ids; the
NER model finds the names neither knows (people, small groups, places spelled oddly). Where spans overlap,
a dictionary or gazetteer span wins over a model span, and a longer dictionary span over a shorter one.

A state named in the text is both an actor and a territory ("Jordan backs...", "in Jordan"): its mention
names the actor in `entity` and the territory in `place` (a marsad addition to marsad/1), so events can
use either.
"""
from __future__ import annotations

import re

from .. import places
from ..entities import actors, ner

_SLUG = re.compile(r"[^\w]+")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
# Types that a model span may have when no dictionary knows it.
_KIND_OF_TYPE = {"PER": "person", "ORG": "organization", "MISC": "other", "LOC": "place"}


def find(analysis) -> None:
    rec = analysis.record
    text = rec["text"]
    lang = rec["language"]
    sentences = [(s["start"], s["end"]) for s in rec["sentences"]]

    dict_mentions = actors.match(text)
    place_mentions = places.match(text)
    model_mentions = ner.predict(text, sentences, lang)

    merged = _merge_precise(dict_mentions, place_mentions)
    merged += _uncovered(model_mentions, merged)
    merged.sort(key=lambda m: (m["start"], -m["end"]))

    entities: dict[str, dict] = {}
    # Places: gazetteer candidates and model LOC spans are resolved together, so that context (the
    # article's other places) disambiguates each of them.
    to_place = [m for m in merged if m["type"] == "LOC" and "entity" not in m]
    entities.update(places.resolve(to_place, text))
    _link_unknown(merged, entities, text)
    for m in merged:
        for key in ("entity", "place"):
            eid = m.get(key)
            if eid and eid not in entities:
                desc = actors.describe(eid) if eid.startswith("actor:") else places.describe(eid)
                if desc:
                    entities[eid] = desc
    rec["mentions"] = [_public(m, text) for m in merged if m.get("entity")]
    rec["entities"] = {k: entities[k] for k in sorted(entities)
                       if any(m.get("entity") == k or m.get("place") == k for m in rec["mentions"])}


def _overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _merge_precise(dict_mentions: list[dict], place_mentions: list[dict]) -> list[dict]:
    """Actor matches first; a gazetteer match on the same span adds the territory of a state actor; a
    gazetteer match elsewhere stands on its own unless a longer actor match covers it."""
    out = [dict(m) for m in dict_mentions]
    by_span = {(m["start"], m["end"]): m for m in out}
    for p in place_mentions:
        same = by_span.get((p["start"], p["end"]))
        if same is not None:
            same["_candidates"] = p.get("candidates", [])
            continue
        # A place inside a longer actor name ("the guarantor states in Astana") is kept as well: the
        # actor is named, and so is the place. A place that only partly overlaps a name is dropped.
        if any(_overlaps(p, m) and not (m["start"] <= p["start"] and p["end"] <= m["end"]) for m in out):
            continue
        out.append(dict(p))
    for m in out:
        if "_candidates" in m:
            cands = m.pop("_candidates")
            if cands:
                m["place"] = cands[0]
    return out


def _uncovered(model_mentions: list[dict], precise: list[dict]) -> list[dict]:
    return [dict(m, source="ner") for m in model_mentions if not any(_overlaps(m, p) for p in precise)]


def _slug(name: str) -> str:
    return _SLUG.sub("-", name.casefold()).strip("-") or "x"


def _link_unknown(mentions: list[dict], entities: dict, text: str) -> None:
    """Give model-found PER/ORG/MISC names an `ent:` id; a later short form of a person's name ("Magnier"
    after "Elijah Magnier") joins the earlier full name."""
    persons: list[tuple[set[str], str]] = []
    for m in mentions:
        if m.get("entity") or m["type"] == "LOC":
            continue
        surface = text[m["start"]:m["end"]]
        words = set(surface.casefold().split())
        eid = None
        if m["type"] == "PER":
            eid = next((pid for ws, pid in persons if words and words <= ws), None)
        if eid is None:
            eid = f"ent:{_slug(surface)}"
            arabic = bool(_ARABIC.search(surface))
            entities.setdefault(eid, {"name": None if arabic else surface, "name_ar": surface if arabic else None,
                                      "kind": _KIND_OF_TYPE[m["type"]]})
            if m["type"] == "PER":
                persons.append((words, eid))
        m["entity"] = eid


def _public(m: dict, text: str) -> dict:
    out = {"start": m["start"], "end": m["end"], "text": text[m["start"]:m["end"]], "type": m["type"],
           "entity": m["entity"], "confidence": round(float(m.get("confidence", 0.5)), 3)}
    for key in ("place", "label", "source"):
        if m.get(key):
            out[key] = m[key]
    return out
