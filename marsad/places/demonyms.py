"""Demonyms: the country a word for its people names ("Syrian", "Iraqis", "Sri Lankan", "Japanese", "European").

`country_place` gives the country (or continent) place a name read as a place calls by its people (a place
mention "Syrian" is Syria); `people_country` the country of a plural word for a people ("Iraqis",
"Palestinians"; «فلسطينيين» by the [people] rules of lang/<code>/language.toml), which the mention stage links
as that country's people (an actor with no side, not the state) and the casualty reader counts as people.
"""
from __future__ import annotations

import re
from functools import lru_cache

from marsad.lang import by_script, fold_for_matching
from marsad.lang import get as get_language

from . import world
from .gazetteer import DATA, Gazetteer, quick_key

_WORD = re.compile(r"\w+")
_DEMONYM_EN = re.compile(r"^[A-Z][a-z]+(?: [A-Z][a-z]+)?(?:ians?|ans?|ese|ish|is?|ns?)$")
# a people's word = the place's name less its last letters + a suffix: Syri(a)+an, Iraq+i, Japan+ese, Mexic(o)+an,
# Ital(y)+ian, Pol(and)+ish, Ir(eland)+ish, Europe+an
_DEMONYM_SUFFIXES = ("ians", "ian", "ans", "an", "ese", "ish", "is", "i", "ns", "n")
_DEMONYM_ENDINGS = ("", "a", "ia", "o", "e", "y", "and", "eland", "as")  # ... Tex(as)+an
# curated places besides countries whose people a word names ("Central American", "South Ossetians")
_PEOPLE_AREAS = ("world_region", "region")


def in_table(surface: str) -> bool:
    """Whether a name is a country's word for its people in the demonym table ("Canadian", "Peruvians"); a
    capital's name ("Paris", "London") is a metonym of its state in the actor dictionary, and no demonym."""
    return _table_country(surface) is not None


def _table_country(surface: str) -> str | None:
    """The demonym table's country of a word or of its singular ("Peruvians" -> PE)."""
    word = surface.strip()
    return _table().get(word) or (_table().get(word[:-1]) if word.endswith("s") else None)


def country_place(g: Gazetteer, surface: str, derived: bool = False) -> list[str]:
    """The place a name read as a place calls by its people ("Syrian", "Iraqi", "Sri Lankan", "Japanese",
    "European", "Peruvians", "Minnesotans", "Central American"): the demonym table's country (demonyms_en.tsv),
    else the actor dictionary's state (or the place an organisation's name stands for: the EU, Europe), else the place whose name the word continues: the longest such name
    ("Nigerian" is Nigeria, not Niger), a country before a continent or region across borders, and those before
    a first-level area ("Georgian" is Georgia, the country; "Texans" Texas, each state of that name a candidate)."""
    from marsad.entities import actors

    cc = _table_country(surface)
    if cc is None:
        hit = [m for m in actors.match(surface) if (m["start"], m["end"]) == (0, len(surface))]
        cc = next(((actors.describe(m["entity"]) or {}).get("country") for m in hit
                   if (actors.describe(m["entity"]) or {}).get("kind") == "state"), None)
        stands_for = [a.place for a in (actors.load().actors.get(m["entity"]) for m in hit) if a and a.place]
        # "the EU" read as a place: Europe (the actor's `place`); a capital's name ("Brussels", the EU's
        # metonym) stands for itself
        if cc is None and stands_for and not derived and quick_key(surface) not in _metonyms():
            return stands_for[:1]
    if _DEMONYM_EN.match(surface):
        found: list[tuple[int, int, str]] = []  # (length of the name, rank of its kind, place id)
        for suffix in _DEMONYM_SUFFIXES:
            if not surface.endswith(suffix):
                continue
            for end in _DEMONYM_ENDINGS:
                stem = surface[:-len(suffix)] + end
                found += [(len(stem), 3, i) for i in g.names.get(quick_key(stem), [])
                          if g.places[i].feature == "country" and (cc is None or g.places[i].country == cc)]
                if cc is None:
                    found += [(len(stem), 2, i) for i in g.names.get(quick_key(stem), [])
                              if g.places[i].feature in _PEOPLE_AREAS]
                    found += [(len(stem), 2 if p.feature == "continent" else 1, p.id) for p in world.lookup(stem)
                              if p.feature in ("continent", "admin1")]
        if found:
            best = max(found)[:2]
            return list(dict.fromkeys(i for n, rank, i in found if (n, rank) == best))
    if cc and not derived:  # `derived`: only a place the word continues ("Pentagon" continues none)
        return _country_ids(g, cc)
    return []


def name_countries(g: Gazetteer, mentions: list[dict], text: str) -> None:
    """Give each mention whose whole text is a word for a country's (or a continent's) people or its adjective
    ("Egyptian", "Sri Lankan", "Palestinians", "European", «الروسي», «العراقيين») the place it names as `place`, marked
    `demonym`: the record then says which country the word names, as a state's name says its territory. It names no
    event's place (events/arguments.py is_place): "Egyptian mediators" are not in Egypt. A state named by another
    of its names, typed LOC ("DPRK", "Czech Republic"), gets its territory as `place`, as "Jordan" has it; a
    state's organ ("Iraqi government", «الدولة السورية») or a building's or capital's name for a state ("Kremlin",
    "Brussels") gets none here."""
    from marsad.entities import actors

    for m in mentions:
        if m.get("place") or m["type"] not in ("MISC", "LOC", "ORG") or m.get("label") \
                or not str(m.get("entity", "")).startswith(("actor:", "ent:")):  # a place is no word for a people
            continue
        surface = text[m["start"]:m["end"]]
        if quick_key(surface) in _metonyms():  # "Kremlin", "Pentagon": a building's name for its state
            continue
        people = str(m.get("entity", "")).removeprefix("ent:people-").upper()  # «العراقيين»: ent:people-iq
        state = (actors.describe(m["entity"]) or {}) if m["entity"].startswith("actor:") else {}
        state_cc = state.get("country") if state.get("kind") == "state" else None
        if len(people) == 2:
            ids = _country_ids(g, people)
        elif in_table(surface):
            ids = country_place(g, surface)
        elif _DEMONYM_EN.match(surface) and not _a_place_name(g, surface):  # "Washington", "Cairns" end like
            ids = country_place(g, surface, derived=True)  # "Texan" or "Iraqi" but are places
        elif state_cc and (m["type"] == "MISC" or actors._is_nisba(surface)):  # a state's adjective: «الروسي»
            ids = _country_ids(g, state_cc)
        else:
            country = _country_ids(g, state_cc) if state_cc and m["type"] == "LOC" else []  # not "Iraqi government"
            if country and country[0] in g.names.get(quick_key(state.get("name") or ""), ()):
                m["place"] = country[0]  # the state itself by another name: "DPRK" is North Korea
            continue
        if ids and ids[0] != m.get("entity"):
            m["place"], m["demonym"] = ids[0], True


def _country_ids(g: Gazetteer, code: str | None) -> list[str]:
    """[the country place of an ISO code], or []."""
    found = g.countries.get(code or "")
    return [found] if found else []


def _a_place_name(g: Gazetteer, surface: str) -> bool:
    """Whether a word is, whole, the name of a place of either tier."""
    return bool(g.names.get(quick_key(surface)) or world.lookup(surface))


@lru_cache(maxsize=1)
def _metonyms() -> frozenset[str]:
    """The actor dictionary's metonyms (a capital for its state or body: "Brussels"), folded as names are."""
    from marsad.entities import actors

    return frozenset(quick_key(e.surface) for e in actors.load().entries if e.metonym)


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


def people_words(g: Gazetteer, text: str, code: str) -> list[tuple[int, int, str]]:
    """(start, end, country) of each plural word for a country's people in a text of language `code`, by its
    [people] rules («العراقيين», «والفلسطينيين»); [] for a language without them (English names its peoples with
    capitals, which its NER reads)."""
    endings = tuple(get_language(code).section("people")["plural_endings"])
    if not endings:
        return []
    out, prev = [], None
    nouns = _person_nouns(code)
    for m in _WORD.finditer(text):
        word = m.group()
        if word.endswith(endings) and not (prev and prev.end() >= m.start() - 1 and _bare(prev.group(), code) in nouns):
            cc = _by_plural_ending(g, word)  # after a noun for persons it is that noun's adjective: «جنود عراقيين»
            if cc:
                out.append((m.start(), m.end(), cc))
        prev = m
    return out


@lru_cache(maxsize=None)
def _person_nouns(code: str) -> frozenset[str]:
    """The language's nouns for persons (lang/<code>/casualty_words.tsv, class "person": جنود، مدنيين), folded."""
    path = get_language(code).data("casualty_words.tsv")
    rows = path.read_text(encoding="utf-8").splitlines() if path else []
    return frozenset(_bare(r.split("\t")[0], code) for r in rows
                     if not r.startswith("#") and r.count("\t") >= 1 and r.split("\t")[1] == "person")


def _bare(word: str, code: str) -> str:
    """A word folded, without one proclitic and the article («والجنود» -> «جنود»)."""
    language = get_language(code)
    w = fold_for_matching(word).text
    if w[:1] in language.traits.proclitics and len(w) > 3:
        w = w[1:]
    article = language.traits.definite_article
    return w[len(article):] if article and w.startswith(article) and len(w) > len(article) + 2 else w


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
