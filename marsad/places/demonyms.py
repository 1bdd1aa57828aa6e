"""Demonyms: the country a word for its people names ("Syrian", "Iraqis", "Sri Lankan", "Japanese", "European").

`country_place` gives the country (or continent) place a name read as a place calls by its people (a place
mention "Syrian" is Syria); `people_country` the country of a plural word for a people ("Iraqis",
"Palestinians"), which the mention stage links as that country's people (an actor with no side, not the state).
"""
from __future__ import annotations

import re

from . import world
from .gazetteer import Gazetteer, quick_key

_DEMONYM_EN = re.compile(r"^[A-Z][a-z]+(?: [A-Z][a-z]+)?(?:ians?|ans?|ese|ish|is?|ns?)$")
# a people's word = the place's name less its last letters + a suffix: Syri(a)+an, Iraq+i, Japan+ese, Mexic(o)+an,
# Ital(y)+ian, Pol(and)+ish, Ir(eland)+ish, Europe+an
_DEMONYM_SUFFIXES = ("ians", "ian", "ans", "an", "ese", "ish", "is", "i", "ns", "n")
_DEMONYM_ENDINGS = ("", "a", "ia", "o", "e", "y", "and", "eland")


def country_place(g: Gazetteer, surface: str) -> list[str]:
    """The country (or continent) a name read as a place calls by its people ("Syrian", "Iraqi", "Sri Lankan",
    "Japanese", "European"): the actor dictionary's state, else the country or continent whose name the word
    continues."""
    from marsad.entities import actors

    hit = [m for m in actors.match(surface) if (m["start"], m["end"]) == (0, len(surface))]
    cc = next(((actors.describe(m["entity"]) or {}).get("country") for m in hit
               if (actors.describe(m["entity"]) or {}).get("kind") == "state"), None)
    if _DEMONYM_EN.match(surface):
        for suffix in _DEMONYM_SUFFIXES:
            if not surface.endswith(suffix):
                continue
            for end in _DEMONYM_ENDINGS:
                stem = surface[:-len(suffix)] + end
                for i in g.names.get(quick_key(stem), []):
                    if g.places[i].feature == "country" and (cc is None or g.places[i].country == cc):
                        return [i]
                for p in world.lookup(stem):
                    if p.feature == "continent" and cc is None:
                        return [p.id]
    if cc:
        return [i for i, p in g.places.items() if p.feature == "country" and p.country == cc][:1]
    return []


def people_country(g: Gazetteer, surface: str) -> str | None:
    """The country code of a plural word for a country's people ("Iraqis", "Palestinians", "Ugandans"), or None
    (a singular adjective, "Iraqi", modifies a name; a people without a country of its own has none here)."""
    if not surface.endswith("s") or not _DEMONYM_EN.match(surface):
        return None
    found = country_place(g, surface)
    place = g.places.get(found[0]) if found else None
    return place.country if place is not None and place.feature == "country" else None
