"""Datelines (marsad/places/datelines.py): the capitalised place that opens a wire story is a place mention."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import marsad
from marsad.places import dateline_mentions


def places_of(text: str) -> dict[str, str]:
    r = marsad.analyze(text, profile="fast")
    return {m["text"]: m["entity"] for m in r["mentions"]
            if (r["entities"].get(m["entity"]) or {}).get("kind") == "place"}


@pytest.mark.parametrize("text, name, pid", [
    ("KRAMATORSK (Reuters) - Shelling killed two people on Monday.", "KRAMATORSK", "geonames:704508"),  # was ORG
    ("TORRINGTON — A fire destroyed a barn on Monday.", "TORRINGTON", "geonames:4844309"),  # was no mention; then
    # West Torrington, which GeoNames also calls "Torrington" (places/own_names.py)
    ("Car found in lake. HUDSON -- Officials in central Illinois said on Monday.", "HUDSON", None),
    ("Gannett March 24, 2009 MANSFIELD -- The mayor said.", "MANSFIELD", None),
])
def test_dateline_is_a_place(text, name, pid):
    found = places_of(text)
    assert name in found and (pid is None or found[name] == pid)


@pytest.mark.parametrize("text", ["BREAKING: Shelling in Aleppo on Monday.", "CRICKET - LEICESTERSHIRE TAKE OVER",
                                  "UPDATE - the ministry said.", "US — talks resumed."])
def test_a_capitalised_word_that_names_no_place_is_no_dateline(text):
    head = text.split()[0].rstrip(":")
    assert head not in places_of(text)


def test_a_dictionary_mention_is_left_as_it_is():
    r = marsad.analyze("WASHINGTON (AP) — The Pentagon said on Monday.", profile="fast")
    assert r["mentions"][0]["text"] == "WASHINGTON" and r["mentions"][0].get("source") != "dateline"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ABCKRT MNO-—:,.()\nad1")), max_size=60))
def test_dateline_spans_are_the_text(text):
    for m in dateline_mentions(text, []):
        assert text[m["start"]:m["end"]] == m["text"] and m["text"].strip() == m["text"] and m["type"] == "LOC"
