"""The article's places, read once for all its events: the mentions naming a place, the article's main place, the
state it lies in, and whether a paragraph names the main place (arguments.place weighs each event's own place
against them).
"""
from __future__ import annotations

from collections import Counter

from marsad.places.gazetteer import CONTEXT_FEATURES
from marsad.spans import SpanIndex

from . import arguments as A


def _place_mentions(mentions, entities, text) -> list[dict]:
    """Mentions naming a place; a name the tagger read otherwise ("Douma" as a person at a sentence start) counts
    as the place that the same words name elsewhere in the article."""
    out, by_text = [], {}
    names = SpanIndex([n for n in mentions if str(n.get("entity", "")).startswith("actor:") and not A.is_place(n, {})
                       or n.get("type") == "ORG"])
    for m in mentions:
        pid = A.is_place(m, entities)
        if pid and any(_inside(m, names.spans[i]) for i in names.overlapping(m)):
            # «فيلق القدس» (the Quds Force), "University of Texas": a place word inside an actor's or an
            # organisation's name places no event (the expert's university is not where the outbreak is)
            continue
        if pid:
            out.append(dict(m, pid=pid))
            by_text.setdefault(m["text"].casefold(), pid)
    for m in mentions:
        e = entities.get(m["entity"]) or {}
        if not A.is_place(m, entities) and m["entity"].startswith("ent:") and not e.get("side"):
            pid = by_text.get(m["text"].casefold())
            if pid:
                out.append(dict(m, pid=pid))
    return sorted(out, key=lambda m: m["start"])


def _inside(m: dict, n: dict) -> bool:
    """m lies within n and is shorter."""
    return n["start"] <= m["start"] and m["end"] <= n["end"] and (n["start"], n["end"]) != (m["start"], m["end"])


def _main_place(places, entities) -> str | None:
    """The article's main place: the most mentioned below country level (early mentions count double), in the
    country the article names most (its places, early ones double, and the state itself once a mention): a Syria
    story datelined "BEIRUT" or "UNITED NATIONS" keeps a Syrian main place. Seas, rivers and regions across
    borders ("the Middle East", "the Korean Peninsula") are context like countries: the main place only when the
    article names nothing else."""
    c, countries = Counter(), Counter()
    for i, m in enumerate(places):
        e = entities.get(m["pid"]) or {}
        if len(m["text"]) > 3 and m["text"].isupper():
            continue  # a dateline ("BEIRUT, Lebanon:") says where the reporter is, not where it happened
        if e.get("feature") in CONTEXT_FEATURES or m.get("place") or e.get("lat") is None:
            countries[e.get("country")] += 1
            continue
        c[m["pid"]] += 2 if i < 3 else 1
        countries[e.get("country")] += 2 if i < 3 else 1
    countries.pop(None, None)
    if c:
        top = countries.most_common(1)[0][0] if countries else None
        placed = [p for p in c if A.placed(entities.get(p) or {})]  # places the gazetteer puts in a province
        home = [p for p in placed if (entities.get(p) or {}).get("country") == top]
        if home or placed:
            return max(home or placed, key=lambda p: c[p])  # Counter order: the first mentioned wins a tie
        return c.most_common(1)[0][0]
    return places[0]["pid"] if places else None


def _home_state(main_place, places, mentions, entities) -> str | None:
    """The state mention naming the country the article's main place lies in ("Syria" for an Aleppo story)."""
    country = (entities.get(main_place) or {}).get("country")
    return next((m["entity"] for m in mentions if country and A.is_place(m, {})
                 and (entities.get(m["entity"]) or {}).get("kind") == "state"
                 and entities[m["entity"]].get("country") == country), None)


def _named_in_paragraph(text: str, at: int, pid: str | None, places: list[dict]) -> bool:
    """Whether place `pid` is named in the paragraph (text between line breaks) holding offset `at`."""
    if not pid:
        return False
    lo, hi = text.rfind("\n", 0, at) + 1, text.find("\n", at)
    hi = len(text) if hi < 0 else hi
    return any(m["pid"] == pid and lo <= m["start"] < hi for m in places)
