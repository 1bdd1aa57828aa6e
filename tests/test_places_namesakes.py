"""A state's name, or its capital's, that names a town of the text's own region (marsad/places/namesakes.py):
"Paris" in a Henry County, Tennessee story is Paris, Tennessee; the same word beside nothing of that region, or beside
the state's own places, stays the state."""
from __future__ import annotations

import pytest

import marsad


def reading(text: str, word: str, profile: str = "fast") -> tuple[str, dict]:
    rec = marsad.analyze(text, profile=profile)
    m = next(m for m in rec["mentions"] if m["text"] == word)
    return m["entity"], rec["entities"].get(m.get("place") or m["entity"]) or {}


@pytest.mark.parametrize("profile", ["fast", "accurate"])
def test_a_capital_named_beside_its_namesakes_region_is_the_namesake(profile):
    entity, place = reading("A fire in Paris on Monday closed a plant near Puryear, where Henry County deputies said "
                            "nobody was hurt.", "Paris", profile)
    assert not entity.startswith("actor:") and (place["country"], place["admin1"]) == ("US", "Tennessee")


@pytest.mark.parametrize("text, word, country", [
    ("Paris said on Monday it would send troops to Mali.", "Paris", "FR"),  # nothing of a namesake's region
    ("Paris and Lyon hosted the talks, with Nashville's mayor as a guest.", "Paris", "FR"),  # its own state's town
])
def test_a_capital_beside_nothing_of_a_namesakes_region_stays_its_state(text, word, country):
    entity, place = reading(text, word)
    assert entity.startswith("actor:") and place["country"] == country
