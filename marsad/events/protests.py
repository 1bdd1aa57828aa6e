"""Protests the authorities acted against: ACLED's "Protest with intervention" and "Excessive force against
protesters" (Codebook 2023, Protests). A protest whose clause tells of arrests, dispersal, tear gas or rubber
bullets is a protest with intervention; of live fire, one with excessive force (lang/<code>/
protest_interventions.tsv). The clause's own Arrests reading ("12 protesters were arrested") is that intervention,
not an event of its own: it is folded into the protest, its agent (the police) the protest's actor2.
"""
from __future__ import annotations

from . import triggers as T

PEACEFUL = ("Protests", "Peaceful protest")
ARRESTS = ("Strategic developments", "Arrests")
# the stronger sub-type wins when a clause tells of both
_RANK = {"Protest with intervention": 1, "Excessive force against protesters": 2}


def mark_interventions(events: list[dict], text: str, lang: str, toks) -> list[dict]:
    """The events with each peaceful protest's sub-type set by the interventions its clause tells of, and the
    arrests of the same clause folded into it (the event list returned; the others unchanged)."""
    protests = [e for e in events if (e["type"], e["sub_type"]) == PEACEFUL]
    if not protests:
        return events
    hits = T.interventions(lang).find(text, toks)
    all_arrests = [o for o in events if (o["type"], o["sub_type"]) == ARRESTS]
    folded: set[int] = set()
    for e in protests:
        start, end = e["evidence"]["start"], e["evidence"]["end"]
        subs = [T.data(h)["sub_type"] for h in hits if start <= h.start < end]
        arrests = [o for o in all_arrests if id(o) not in folded
                   and o["evidence"]["start"] < end and start < o["evidence"]["end"]]
        if arrests:
            subs.append("Protest with intervention")
        if not subs:
            continue
        e["sub_type"] = max(subs, key=lambda s: _RANK.get(s, 0))
        for o in arrests:
            folded.add(id(o))
            if not e.get("actor2") and o.get("actor1") and o["actor1"] != e.get("actor1"):
                e["actor2"] = o["actor1"]
    return [e for e in events if id(e) not in folded]
