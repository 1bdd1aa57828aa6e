"""Places that organisations are named for (marsad/places/named_for.py): "Athens Police Department" holds Athens,
«مجلس دير الزور العسكري» Deir ez-Zor; "Rifle Association" and "Justice Department" hold no place."""
from __future__ import annotations

import pytest

import marsad
from marsad.places import named_for
from marsad.places.retyping import _big_or_area, _known_ids


def place(surface: str) -> str | None:
    found = named_for.place_in_name(surface, _known_ids, lambda ids: _big_or_area(ids, 100_000))
    return surface[found[0]:found[1]] if found else None


@pytest.mark.parametrize("surface, expected", [
    ("Athens Police Department", "Athens"),
    ("Clarke County Board of Education", "Clarke County"),  # "County" is the place's own word here
    ("Tarrant County Public Health", "Tarrant County"),  # ... and "Public" stands between
    ("Virginia State Board of Elections", "Virginia"),
    ("Bank of Japan", "Japan"),
    ("Government of South Sudan", "South Sudan"),
    ("Deir ez-Zor Military Council", "Deir ez-Zor"),  # a lower-case particle inside a capitalised name
    ("شرطة حلب", "حلب"),
    ("مجلس دير الزور العسكري", "دير الزور"),
    ("مديرية صحة إدلب", "إدلب"),  # صحة stands between
    ("Guernsey County Courthouse", "Guernsey County"), ("Lexington County Coroner", "Lexington County"),
    ("Ohio Highway Patrol", "Ohio"), ("West Virginia Democratic Party", "West Virginia"),
    # no place: a person's or a company's name, institution words, a small town of a common word, no organisation word
    ("Wells Fargo Bank", None), ("Washington Post", None), ("Justice Department", None), ("Supreme Court", None),
    ("Home Office", None), ("National Rifle Association", None), ("Warren Commission", None),
    ("the Police Department", None), ("Henderson County Crimestoppers", None), ("مجلس الشعب", None),
    ("Communist Party", None), ("Green Party", None),  # a party named for an idea ("Green": a town, too small)
])
def test_the_place_an_organisation_is_named_for(surface, expected):
    assert place(surface) == expected


def test_the_place_is_a_mention_inside_the_organisation_and_places_no_event():
    text = ("Officers of the Dallas Police Department shot a man on Friday, a spokesman said. "
            "Separately, an air strike killed five people in Idlib on Saturday.")
    rec = marsad.analyze(text, profile="fast")
    org = next(m for m in rec["mentions"] if m["text"] == "Dallas Police Department")
    inner = next(m for m in rec["mentions"] if m["text"] == "Dallas")
    assert org["type"] == "ORG" and inner["type"] == "LOC" and inner["source"] == "in_name"
    assert org["start"] <= inner["start"] and inner["end"] <= org["end"]
    assert rec["entities"][inner["entity"]]["country"] == "US"
    # the police department's town is where it sits, not where anything happened: no event takes it
    assert all(e.get("place") != inner["entity"] for e in rec["events"])


def test_a_small_town_before_a_word_of_local_government_is_a_weak_place():
    # "Torrington" (36,000 people) is no big town, but "Fire Department" after it is local government's
    assert named_for.place_in_name("Torrington Fire Department", _known_ids,
                                   lambda ids: _big_or_area(ids, 100_000)) == (0, 10, True)
    assert named_for.place_in_name("Athens Police Department", _known_ids,
                                   lambda ids: _big_or_area(ids, 100_000))[2] is False  # a big town stands alone


def test_a_small_towns_court_and_county_offices_are_local_government():
    """"Bantam Superior Court", "Byesville Volunteer Fire Department": the town before a local court or office."""
    for surface, name in [("Bantam Superior Court", "Bantam"), ("Byesville Volunteer Fire Department", "Byesville")]:
        found = named_for.place_in_name(surface, _known_ids, lambda ids: _big_or_area(ids, 100_000))
        assert found and surface[found[0]:found[1]] == name and found[2] is True, surface


def test_a_weak_place_in_a_name_stands_only_beside_a_place_near_it():
    near = marsad.analyze("Crews of the Torrington Fire Department helped fight the blaze in Litchfield, "
                          "Connecticut, on Tuesday.", profile="fast")
    town = next(m for m in near["mentions"] if m["text"] == "Torrington")
    assert town["source"] == "in_name" and near["entities"][town["entity"]]["admin1"] == "Connecticut"
    assert "weak" not in town
    # the same name with no place near it in the text: no place mention
    alone = marsad.analyze("Crews of the Torrington Fire Department said on Tuesday that the blaze was out.",
                           profile="fast")
    assert not any(m["text"] == "Torrington" for m in alone["mentions"])
