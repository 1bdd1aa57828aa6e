"""The place argument of an event and its precision (1 a town, 2 a district or region, 3 a province or country):
the most specific place its sentence names, weighed against the article's main place (`place`), and the province a
place lies in where marsad curates that country's provinces (`placed`).
"""
from __future__ import annotations

import math
import re

from marsad.config import settings
from marsad.places.gazetteer import WATER_FEATURES

from . import triggers as T
from .argument_cues import _cues

# (a sea or a region across borders is as wide as a country; a strait, river or lake as a district)
_FEATURE_PRECISION = {"continent": 3, "country": 3, "admin1": 3, "governorate": 3, "province": 3, "region": 2,
                      "district": 2, "admin2": 2, "area": 2, "sea": 3, "world_region": 3, "strait": 2, "river": 2,
                      "lake": 2}


ABROAD_NEAR_KM = 500.0  # a place abroad this close to the article's main place may be a reference point


def _km(a: dict, b: dict) -> float:
    """Great-circle distance between two entity descriptions; 0 when either lacks coordinates."""
    if a.get("lat") is None or b.get("lat") is None:
        return 0.0
    p1, p2 = math.radians(a["lat"]), math.radians(b["lat"])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b["lon"] - a["lon"]) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def placed(e: dict) -> str | None:
    """The admin1 of a place that lies in a country whose provinces marsad curates (settings.toml [places]
    province_countries), else None."""
    return e.get("admin1") if e.get("country") in settings()["places"]["province_countries"] else None


def place(text: str, trigger: tuple[int, int], clause, sentence, places: list[dict], entities: dict,
          fallback: str | None, actors: tuple = (), main_here: bool = True,
          violent: bool = False) -> tuple[str | None, int | None]:
    """(place id, precision 1-3): the most specific place of the sentence, in the clause first and nearest the
    trigger; a place named as a reference point ("east of Damascus") or as an actor counts last. The article's
    main place (`fallback`) replaces a place the sentence names only when it is named in the same paragraph
    (`main_here`): a Khan Younis strike pasted under a Donetsk story keeps Khan Younis. A `violent` event's target
    state named in its own clause is its place before a town of another clause."""
    t0 = trigger[0]
    in_sentence = [m for m in places if sentence[0] <= m["start"] < sentence[1]]
    cands = [m for m in in_sentence if not (m["entity"] in actors and m.get("place"))]
    # "Israeli strikes hit south Lebanon, a day after rockets struck Kiryat Shmona": the state a violent event
    # strikes (actor2), named in its own clause, is where it happened (not so for "sanctions on Iran")
    own_state = [m for m in in_sentence if m["entity"] == actors[1] and m.get("place")
                 and clause[0] <= m["start"] < clause[1]
                 and (entities.get(m["pid"]) or {}).get("feature") == "country"] if violent and len(actors) > 1 else []
    # a place across "while" / «فيما» is the other event's when this side names one: "X struck Idlib, while Y
    # shelled Kiryat Shmona"
    own_side = [m for m in cands if not T.contrast(text, min(m["end"], trigger[1]), max(m["start"], trigger[0]))]
    cands = own_side or cands
    main = entities.get(fallback) or {}
    home = main.get("country") if placed(main) else None  # the country the article's main place lies in
    if cands:
        def key(m):
            e = entities.get(m["pid"]) or {}
            ref = bool(_cues().reference.search(text[max(0, m["start"] - 20):m["start"]]))
            metonymic = bool(m.get("place")) and not _cues().locative.search(text[max(0, m["start"] - 12):m["start"]])
            prec = _precision(e)
            geocoded = e.get("lat") is not None
            abroad = bool(home) and e.get("country") not in (home, None)  # a dateline ("Beirut") or a place abroad
            return (not geocoded, abroad, metonymic, prec == 3, not (clause[0] <= m["start"] < clause[1]), prec,
                    ref, abs(m["start"] - t0) + (0 if m["start"] >= t0 else 20))
        best = min(cands, key=key)
        if own_state and not clause[0] <= best["start"] < clause[1]:
            state = min(own_state, key=lambda m: abs(m["start"] - t0))
            e = entities.get(state["pid"]) or {}
            if fallback and _precision(main) < 3 and main.get("country") == e.get("country"):
                return fallback, 2  # "strikes hit Syria" in an Aleppo story: the article's own place says more
            return state["pid"], _precision(e)
        e = entities.get(best["pid"]) or {}
        # "the town of Khan Shaikhoun in Idlib Province": a town the gazetteer puts in another province than the
        # one named with it in the clause is the wrong town of that name; the province is sure
        provinces = [m for m in cands if _precision(entities.get(m["pid"]) or {}) == 3
                     and placed(entities.get(m["pid"]) or {})
                     and re.fullmatch(r",?\s+(?:in|of)\s+(?:the\s+)?(?:\w+ern\s+)?", text[best["end"]:m["start"]])]
        if placed(e) and provinces and all((entities.get(m["pid"]) or {}).get("admin1") != e["admin1"]
                                                 for m in provinces):
            main_there = main.get("admin1") == (entities.get(provinces[0]["pid"]) or {}).get("admin1")
            return (fallback, 2) if main_there and _precision(main) < 3 else (provinces[0]["pid"], 3)
        prec = _precision(e)
        # a sea, strait or river holds no town: the article's main place is no finer reading of it
        water = e.get("feature") in WATER_FEATURES
        weak = e.get("lat") is None or (prec == 3 and not water)
        # a place the gazetteer cannot put in a province, or one abroad when the article's own place is at home:
        # the article's main place says more about where this happened
        # ...but only near home (Kilis for an Aleppo story): a place on another front (a Khan Younis strike pasted
        # under a Donetsk story) is where its own event happened
        unplaced = bool(home) and (not placed(e) or e.get("country") != home) and main_here \
            and _km(e, main) <= ABROAD_NEAR_KM and not water
        if weak and fallback and _precision(main) < 3 and (main_here or e.get("lat") is None):
            return fallback, 2  # "in Syria": the article's own place says more
        if unplaced:
            return fallback, max(2, _precision(main))
        if prec == 1 and _cues().reference.search(text[max(0, best["start"] - 20):best["start"]]):
            prec = 2
        return best["pid"], prec
    if fallback:
        return fallback, max(2, _precision(entities.get(fallback) or {}))
    return None, None


def _precision(e: dict) -> int:
    feat = str(e.get("feature") or "").lower()
    if feat in _FEATURE_PRECISION:
        return _FEATURE_PRECISION[feat]
    if e.get("kind") == "place" and not e.get("admin1") and feat not in ("city", "town", "village", "capital"):
        return 2 if e.get("lat") is not None else 3
    return 1
