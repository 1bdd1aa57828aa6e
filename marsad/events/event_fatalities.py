"""The fatalities of an event: the casualty parser's counts of a sentence (casualties.py), masked where date
expressions stand, and what of them the event takes (a war-wide toll none, a bombing's "people" civilians).
"""
from __future__ import annotations

import bisect

from . import casualties

# No single attack or battle of the wars marsad reads has killed this many: a count this large is a war-wide toll
# even where the sentence does not say "since 2011" ("More than 300000 people have been killed"). The deadliest
# single events ACLED and the VDC record (the 2013 Ghouta chemical attack, about 1,400 dead) are far below it.
_WAR_TOLL = 10000
_EMPTY_FAT = {"total": None, "civilians": None, "children": None, "women": None, "combatants": None}


def _fat_for(etype: str, fat: dict) -> dict:
    """The event's fatalities. People killed by a bombing, shelling or air strike with no fighters among the
    counted dead are civilians (the FA-KES / VDC convention: "a car bomb killed 20 people")."""
    if "cumulative" in str(fat.get("note") or "") or (fat.get("total") or 0) >= _WAR_TOLL:
        return dict(_EMPTY_FAT)  # "210,000 have been killed since 2011": a war-wide toll, not this event's
    f = {k: fat.get(k) for k in _EMPTY_FAT}
    if fat.get("note"):
        f["note"] = fat["note"]  # "at least", "dozens": how firm the figure is
    named_civ = (f["civilians"] or 0) - (f["children"] or 0) - (f["women"] or 0)  # "civilians" said as such
    if etype == "Explosions/Remote violence" and f["total"] and (f["civilians"] or 0) < f["total"] \
            and not f["combatants"] and named_civ <= 0:
        # "23 people were killed, including eight children": no fighters among them, so all 23 count as civilians;
        # "30 killed, including 20 civilians" keeps its 20
        f["civilians"] = f["total"]
        f["civilians_inferred"] = True  # the text said "people", not "civilians": say so
    return f


def _within(spans: list[tuple[int, int]], sent: tuple[int, int]) -> list[tuple[int, int]]:
    """The spans (in text order, non-overlapping) that overlap the sentence, in the sentence's own offsets."""
    lo, hi = sent
    out = []
    for a, b in spans[bisect.bisect_right(spans, lo, key=lambda s: s[1]):]:
        if a >= hi:
            break
        out.append((max(a, lo) - lo, min(b, hi) - lo))
    return out


def _fatalities(sentence: str, lang: str, date_spans=None):
    f = casualties.fatalities(sentence, lang, date_spans)
    return f if isinstance(f, dict) and any(f.get(k) for k in _EMPTY_FAT) else None
