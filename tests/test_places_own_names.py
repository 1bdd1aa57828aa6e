"""A place's own name against the other names GeoNames lists for it (marsad/places/own_names.py)."""
from __future__ import annotations

import pytest

import marsad.places as P
from marsad.places.gazetteer import Place
from marsad.places.own_names import by_own_name


def place(name: str, feature: str = "town") -> Place:
    return Place("geonames:1", name, "", feature, 0.0, 0.0, "US", "", 1000, 5.0, "test")


@pytest.mark.parametrize("surface, name, own", [
    ("Delaware", "Delaware", True),
    ("New York City", "New York", True),      # a word more
    ("Washington, D.C.", "Washington", True),
    ("Enfield", "Enfield Town", True),        # a settlement word less
    ("Valdai", "Valday", True),               # a spelling: the same consonant skeleton
    ("St. Paul", "Saint Paul", True),
    ("Washington", "Washington Court House", False),  # a word less that is no settlement word
    ("Torrington", "West Torrington", False),
    ("Delaware", "West Point", False),         # a former name GeoNames lists
    ("Atlantic", "East Rockaway", False),
])
def test_by_own_name(surface, name, own):
    assert by_own_name(surface, place(name)) is own


def resolved(text: str, name: str, *others: str) -> dict:
    """The place of `name` where it and `others` are the text's LOC mentions (each other's context)."""
    ms = [{"start": text.index(n), "end": text.index(n) + len(n), "text": n, "type": "LOC"} for n in (name, *others)]
    ents = P.resolve(ms, text)
    return ents.get(ms[0].get("entity")) or {}


def test_a_state_is_not_a_village_named_for_it_long_ago():
    """GeoNames lists "Delaware" among the names of West Point, Virginia: near Virginia's towns it was that village."""
    text = "The company sold its stores in Richmond, Virginia, and Louisville, Kentucky, to a Delaware company."
    e = resolved(text, "Delaware", "Richmond", "Virginia", "Louisville", "Kentucky")
    assert (e.get("name"), e.get("feature")) == ("Delaware", "admin1")


def test_a_town_named_by_its_short_name_stays_found():
    """"Enfield" in a north London story is Enfield Town, which GeoNames names with its settlement word."""
    e = resolved("Riots spread from Tottenham to Enfield and Edmonton in north London.", "Enfield", "Tottenham",
                 "Edmonton", "London")
    assert (e.get("name"), e.get("country")) == ("Enfield Town", "GB")


def test_abbreviations_are_no_own_names():
    """"Pa." is Pennsylvania's abbreviation, not a name some other place owns."""
    e = resolved("The plant in Scranton, Pa. closed.", "Pa.", "Scranton")
    assert e.get("name") == "Pennsylvania"


def test_one_name_in_longer_mentions_is_one_name():
    """"Dublin City" (of "Dublin City Council") and the site "Dublin Veterinary Clinic" beside "Dublin" name one
    place: none of them is context for the others, so Dublin's own mentions cannot outvote a story's Ohio towns.
    "Iowa County" beside "Iowa" is another place, and the state is its context."""
    from marsad.places.context import name_roots
    from marsad.places.gazetteer import quick_key
    from marsad.places.resolve import _name_families

    keys = ["dublin city", "dublin", "dublin veterinary clinic", "columbus", "dubliner", "iowa county", "iowa"]
    sites = [False, False, True, False, False, False, False]
    assert name_roots(keys, sites) == ["dublin", "dublin", "dublin", "columbus", "dubliner", "iowa county", "iowa"]
    text = "Dublin City Council; Dublin; Columbus; Dublin"
    locs = [{"start": 0, "end": 11}, {"start": 21, "end": 27}, {"start": 29, "end": 37}, {"start": 39, "end": 45}]
    keys = [quick_key(text[m["start"]:m["end"]]) for m in locs]
    assert _name_families(keys, name_roots(keys, [False] * len(locs))) == [[1, 3], [0], [], [0]]
