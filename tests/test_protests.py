"""ACLED's protest sub-event types: a protest the authorities acted against (marsad/events/protests.py)."""
from __future__ import annotations

import pytest

import marsad


def events_of(text: str) -> list[tuple[str, str]]:
    return [(e["type"], e["sub_type"]) for e in marsad.analyze(text, profile="fast")["events"]]


@pytest.mark.parametrize("text, sub_type", [
    ("Police fired tear gas to disperse protesters in Baghdad on Friday.", "Protest with intervention"),
    ("Security forces opened fire on protesters in Khartoum.", "Excessive force against protesters"),
    ("Thousands of protesters marched in Baghdad on Friday.", "Peaceful protest"),
])
def test_a_protest_takes_the_sub_type_of_what_the_authorities_did(text, sub_type):
    assert ("Protests", sub_type) in events_of(text)


def test_the_arrest_of_protesters_is_the_protests_intervention_not_an_event_of_its_own():
    # ACLED codes "12 protesters were arrested" as one protest with intervention, not a protest and an arrest
    assert events_of("Police arrested 12 protesters in Baghdad on Friday.") == [("Protests", "Protest with intervention")]
    # an arrest in another clause stays an arrest
    found = events_of("Protesters marched in Basra on Friday; police arrested a journalist in Baghdad a day later.")
    assert ("Strategic developments", "Arrests") in found and ("Protests", "Peaceful protest") in found
