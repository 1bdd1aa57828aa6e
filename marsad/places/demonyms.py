"""Demonyms: the country a word for its people names ("Syrian", "Iraqis", "Sri Lankan", "Japanese", "European").

`country_place` gives the country (or continent) place a name read as a place calls by its people (a place
mention "Syrian" is Syria); `people_country` the country of a plural word for a people ("Iraqis",
"Palestinians"; «فلسطينيين» by the [people] rules of lang/<code>/language.toml), which the mention stage links
as that country's people (an actor with no side, not the state) and the casualty reader counts as people.
"""
from __future__ import annotations

import re
from functools import lru_cache

from marsad.lang import by_script
from marsad.lang import get as get_language

from . import world
from .gazetteer import DATA, Gazetteer, quick_key

_DEMONYM_EN = re.compile(r"^[A-Z][a-z]+(?: [A-Z][a-z]+)?(?:ians?|ans?|ese|ish|is?|ns?)$")
# a people's word = the place's name less its last letters + a suffix: Syri(a)+an, Iraq+i, Japan+ese, Mexic(o)+an,
# Ital(y)+ian, Pol(and)+ish, Ir(eland)+ish, Europe+an
_DEMONYM_SUFFIXES = ("ians", "ian", "ans", "an", "ese", "ish", "is", "i", "ns", "n")
_DEMONYM_ENDINGS = ("", "a", "ia", "o", "e", "y", "and", "eland")


def in_table(surface: str) -> bool:
    """Whether a name is a country's word for its people in the demonym table ("Canadian", "Peruvians"); a
    capital's name ("Paris", "London") is a metonym of its state in the actor dictionary, and no demonym."""
    word = surface.strip()
    return word in _table() or (word.endswith("s") and word[:-1] in _table())


def country_place(g: Gazetteer, surface: str) -> list[str]:
    """The country (or continent) a name read as a place calls by its people ("Syrian", "Iraqi", "Sri Lankan",
    "Japanese", "European", "Peruvians"): the demonym table's country (demonyms_en.tsv), else the actor
    dictionary's state, else the country or continent whose name the word continues (the longest such name:
    "Nigerian" is Nigeria, not Niger)."""
    from marsad.entities import actors

    word = surface.strip()
    cc = next((_table().get(w) for w in (word, word[:-1] if word.endswith("s") else "") if _table().get(w)), None)
    if cc is None:
        hit = [m for m in actors.match(surface) if (m["start"], m["end"]) == (0, len(surface))]
        cc = next(((actors.describe(m["entity"]) or {}).get("country") for m in hit
                   if (actors.describe(m["entity"]) or {}).get("kind") == "state"), None)
    if _DEMONYM_EN.match(surface):
        found: list[tuple[int, str]] = []  # (length of the name, place id)
        for suffix in _DEMONYM_SUFFIXES:
            if not surface.endswith(suffix):
                continue
            for end in _DEMONYM_ENDINGS:
                stem = surface[:-len(suffix)] + end
                found += [(len(stem), i) for i in g.names.get(quick_key(stem), [])
                          if g.places[i].feature == "country" and (cc is None or g.places[i].country == cc)]
                if cc is None:
                    found += [(len(stem), p.id) for p in world.lookup(stem) if p.feature == "continent"]
        if found:
            return [max(found, key=lambda f: f[0])[1]]
    if cc:
        return [i for i, p in g.places.items() if p.feature == "country" and p.country == cc][:1]
    return []


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """demonyms_en.tsv: a country's people's word -> its ISO code (build_demonyms.py)."""
    rows = (DATA / "demonyms_en.tsv").read_text(encoding="utf-8").splitlines()
    return dict(r.split("\t")[:2] for r in rows if r and not r.startswith("#"))


def people_country(g: Gazetteer, surface: str) -> str | None:
    """The country code of a plural word for a country's people ("Iraqis", "Palestinians", «فلسطينيين»,
    «العراقيين»), or None (a singular adjective, "Iraqi", modifies a name; a people without a country of its own
    has none here)."""
    if in_table(surface) or _DEMONYM_EN.match(surface):
        found = country_place(g, surface) if surface.endswith("s") else []
        place = g.places.get(found[0]) if found else None
        return place.country if place is not None and place.feature == "country" else None
    return _by_plural_ending(g, surface)


def _by_plural_ending(g: Gazetteer, surface: str) -> str | None:
    """The [people] rules of the word's language (language.toml): its plural ending off, a name ending on, the
    country of that name (the gazetteer's keys drop the definite article); one glued proclitic may come first."""
    language = get_language(by_script(surface))
    rules = language.section("people")
    word = surface.strip()
    if not rules["plural_endings"] or " " in word:
        return None
    for form in (word, word[1:]) if word[:1] in language.traits.proclitics else (word,):
        for ending in rules["plural_endings"]:
            if not form.endswith(ending) or len(form) - len(ending) < 2:
                continue
            for name_end in rules["name_endings"]:
                for i in g.names.get(quick_key(form[:-len(ending)] + name_end), []):
                    if g.places[i].feature == "country":
                        return g.places[i].country
    return None
