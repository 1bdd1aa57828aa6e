"""What a sentence leaves out, the article may say: the passes over an article's events, once they are all read,
that fill an event's missing agent or means from the rest of the article, count a bare toll as the fighters it
is, and mark background events (each inferred reading is marked on the event).
"""
from __future__ import annotations

from collections import Counter

from .clause_events import VIOLENT


def _claimed_attacks(events: list[dict], claimed: list) -> None:
    """Violent events that name no agent take the actor the article says claimed responsibility ("The Daesh
    group claimed responsibility for the attack"), or, failing the article naming one by the means, the actor it
    says was accused of it; marked `actor1_inferred`."""
    if not claimed:
        return
    for e in events:
        if e["type"] in VIOLENT and not e.get("actor1") and claimed[0] != e.get("actor2"):
            e["actor1"], e["actor1_inferred"] = claimed[0], True


def _implicit_agents(events: list[dict], entities: dict) -> None:
    """A violent event whose text names no agent ("At least 51 civilians were killed in air raids") takes the
    agent the same article names for violence by the same means ("regime airstrikes ... hit Aleppo"): the one
    named most often, the first named on a tie; an event whose means is itself inferred is no evidence of who uses
    those means. The event says so with `actor1_inferred`."""
    named: dict = {}
    for e in events:
        a1 = e.get("actor1")
        if e["type"] in VIOLENT and e.get("means") and a1 and (entities.get(a1) or {}).get("side") \
                and e["modality"] in ("asserted", "reported") and not e.get("means_inferred"):
            named.setdefault(e["means"], Counter())[a1] += 1
    for e in events:
        if e["type"] in VIOLENT and not e.get("actor1") and e.get("means") in named:
            c = named[e["means"]]
            best = max(c, key=lambda a: c[a])
            if best != e.get("actor2"):
                e["actor1"], e["actor1_inferred"] = best, True


def _implicit_means(events: list[dict]) -> None:
    """A generic violent event ("13 citizens killed in terrorist attacks", "clashes left 20 dead") whose words name
    no means takes the means the article names most for its violent events ("rocket shells fired by ..."): the
    attacks it reports are those it describes. The event says so with `means_inferred`."""
    c = Counter(e["means"] for e in events if e["type"] in VIOLENT and e.get("means")
                and e["modality"] in ("asserted", "reported"))
    if not c:
        return
    best = max(c, key=lambda m: c[m])
    for e in events:
        if e["type"] in VIOLENT and not e.get("means") and e.get("sub_type") in ("Attack", "Armed clash"):
            e["means"], e["means_inferred"] = best, True


def _same_count(events: list[dict], fighters: set) -> None:
    """A bare count read as civilians ("Syrian air strikes on Raqqa kill 19") that the article gives elsewhere as
    fighters ("killing at least 19 terrorists") is those fighters."""
    for e in events:
        f = e["fatalities"]
        if f.get("civilians_inferred") and f.get("total") in fighters:
            f["civilians"], f["combatants"] = None, f["total"]
            del f["civilians_inferred"]


def _background_tolls(events: list[dict]) -> None:
    """A violent event the text dates explicitly before the article's lead violent event ("An earlier attack in
    July left 270 dead", "Last month bombings killed 170") is background: it is marked `background` and keeps its
    toll, so a reader counting this report's dead can leave it out without losing what the text says."""
    viol = [e for e in events if e["type"] in VIOLENT]
    lead = viol[0]["date"] if viol else None
    if not lead:
        return
    for e in viol[1:]:
        if e.get("date") and e.get("date_precision") != "week" and e["date"] < lead[:len(e["date"])]:
            e["background"] = True
