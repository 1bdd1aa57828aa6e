"""A state's name, or its capital's read as the state, that names a town of the text's own region instead: "Paris"
in a story of Henry County, Tennessee; "Palestine" in one of Anderson County, Texas; "Georgia" beside Gainesville
and Atlanta. The actor dictionary reads such a name before the places are resolved; once they are, a name whose
state nothing else in the text is in, and that has a namesake beside the text's other places (in their first-level
area or within resolve.LOCAL_KM), or is the outlet's home itself, is that namesake: a place mention, no longer the
state."""
from __future__ import annotations

from . import world
from .gazetteer import Place, load, quick_key
from .resolve import get, locally_supported


def _is_place_id(i: str | None) -> bool:
    return str(i or "").startswith(("geonames:", "place:"))


def local_namesakes(mentions: list[dict], entities: dict[str, dict], text: str, home: tuple[str, ...] = ()) -> None:
    """Make each such state mention the place it names (updates the mentions and `entities` in place)."""
    states = [m for m in mentions if str(m.get("entity", "")).startswith("actor:") and _is_place_id(m.get("place"))]
    if not states:
        return
    g = load()
    state_mentions = {id(m) for m in states}
    named = [(quick_key(text[m["start"]:m["end"]]), get(m["entity"] if _is_place_id(m.get("entity")) else m["place"]))
             for m in mentions if m.get("type") == "LOC" and _is_place_id(m.get("entity")) or id(m) in state_mentions]
    home_places = [p for p in map(get, home) if p is not None]
    home_ids = {p.id for p in home_places}
    towns: dict[tuple[str, str], Place | None] = {}  # (name, state's place) -> its namesake or None: decided once

    def namesake(key: str, state_place: str) -> Place | None:
        state = get(state_place)
        others = [p for k, p in named if p is not None and k != key] + home_places
        if state is None or any(p.country == state.country for p in others):
            return None  # "Paris" beside Lyon or France is the French state
        near = [p for p in (*(get(i) for i in g.names.get(key, ())), *world.lookup(key)) if p is not None
                and p.country != state.country and p.feature != "country"
                and (p.id in home_ids or locally_supported(p, others))]  # a Georgia paper's "Georgia": its home
        return max(near, key=lambda p: p.prior) if near else None

    for m in states:
        key = (quick_key(text[m["start"]:m["end"]]), m["place"])
        if key not in towns:
            towns[key] = namesake(*key)
        town = towns[key]
        if town is not None:
            m["type"], m["entity"] = "LOC", town.id
            for k in ("place", "candidates"):
                m.pop(k, None)
            entities.setdefault(town.id, town.describe())
