"""Sites named after a place ("Khartoum International Airport", «جامعة حلب»; marsad/places/sites.py): a facility no
table lists is put at the place it is named for, its mention marked `site: true`; names that only look like it stay
what they are."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import marsad
from marsad.places import sites
from marsad.places.resolve import get as place_by_id
from marsad.places.resolve import resolve as resolve_places


@pytest.mark.parametrize("surface, place", [
    ("Khartoum International Airport", "Khartoum"),
    ("the Port of Los Angeles", "Los Angeles"),
    ("Colorado State University", "Colorado"),
    ("Zaporizhzhia Nuclear Power Plant", "Zaporizhzhia"),
    ("Kramatorsk Railway Station", "Kramatorsk"),
    ("Rio Grande City Station", "Rio Grande City"),  # longest first: "City" may be the town's own
    ("مطار دمشق الدولي", "دمشق"),
    ("سجن صيدنايا العسكري", "صيدنايا"),
])
def test_the_place_part_of_a_site_name(surface, place):
    assert place in [surface[a:b] for a, b in sites.place_parts(surface)]


def test_the_longest_place_part_that_names_a_place_wins():
    from marsad.places.retyping import _known_ids  # a whole name's places in either tier

    ids = sites.place_of("Rio Grande City Station", _known_ids)
    assert ids and all(place_by_id(i).country == "US" for i in ids)  # not Rio Grande, Brazil
    assert sites.place_of("Khartoum International Airport", _known_ids)[0] == "geonames:379252"


@pytest.mark.parametrize("surface", [
    "Columbia University",  # a weak head needs a modifier: named for a person as often as for a town
    "Victoria Station",
    "St. Michael's Hospital",  # a saint's name, not a place's
    "International Airport",  # no name left
    "the new airport",
    "Trump Tower",  # no site word
    "Tahrir Square",  # squares are named for ideas and people
    "Airport",
    "University of Cambridge",  # in an American text Massachusetts' Cambridge; the university is no site here
])
def test_names_that_are_no_site_of_a_place(surface):
    assert sites.place_parts(surface) == []


@given(st.text(max_size=40))
def test_the_place_parts_lie_inside_the_name_longest_first(surface):
    parts = sites.place_parts(surface)
    for start, end in parts:
        assert 0 <= start < end <= len(surface)
        assert surface[start:end].strip() == surface[start:end]
    assert [b - a for a, b in parts] == sorted((b - a for a, b in parts), reverse=True)


def test_a_gold_site_span_resolves_to_its_town_and_says_so():
    text = "Flights at Pearson International Airport resumed. A drone struck Khartoum International Airport."
    mentions = [{"start": text.index(n), "end": text.index(n) + len(n), "text": n, "type": "LOC"}
                for n in ("Pearson International Airport", "Khartoum International Airport")]
    resolve_places(mentions, text)
    pearson, khartoum = mentions
    assert khartoum["entity"] == "geonames:379252" and khartoum["site"] is True
    # Pearson, Georgia is a village of a few thousand people that nothing in the text supports: no place
    assert "entity" not in pearson and "site" not in pearson


@pytest.mark.parametrize("profile", ["fast", "accurate"])
def test_an_event_at_a_site_takes_the_town_the_site_is_named_for(profile):
    rec = marsad.analyze("A drone struck Khartoum International Airport on Tuesday.", profile=profile)
    site = next(m for m in rec["mentions"] if m["text"] == "Khartoum International Airport")
    assert site["type"] == "LOC" and site["site"] is True and site["entity"] == "geonames:379252"
    assert rec["entities"]["geonames:379252"]["country"] == "SD"
    assert [e["place"] for e in rec["events"]] == ["geonames:379252"]


def test_a_university_named_for_a_person_stays_an_organisation():
    rec = marsad.analyze("Columbia University students protested on Monday.", profile="fast")
    assert not any(m.get("site") for m in rec["mentions"])
    assert all(m["type"] != "LOC" for m in rec["mentions"] if m["text"] == "Columbia University")
