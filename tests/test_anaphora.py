"""Definite nouns that refer back to a named actor (marsad/entities/anaphora.py): «وقال الحزب» after «حزب الله» is
Hezbollah, "the group" after "the Wagner Group" is Wagner; never an actor whose name lacks the noun, never a name."""
from __future__ import annotations

import pytest

import marsad
from marsad.entities import anaphora


def _mention(text: str, surface: str, entity: str, type_: str = "ORG", nth: int = 0) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return {"start": start, "end": start + len(surface), "type": type_, "entity": entity}


@pytest.mark.parametrize("profile", ["fast", "accurate"])
def test_the_party_after_hezbollah_is_hezbollah_and_acts(profile):
    text = "أعلن حزب الله أنه استهدف موقعا إسرائيليا. وقال الحزب في بيان إن مقاتليه قصفوا ثكنة عسكرية."
    rec = marsad.analyze(text, profile=profile)
    ref = [m for m in rec["mentions"] if m.get("source") == "anaphora"]
    assert [(m["text"], m["entity"]) for m in ref] == [("الحزب", "actor:hezbollah")]
    assert rec["events"] and all(e["actor1"] == "actor:hezbollah" for e in rec["events"])


def test_the_head_must_be_in_the_antecedents_own_name():
    text = "The Wagner Group sent fighters. The Syrian army advanced. The group said it had lost ten men."
    mentions = [_mention(text, "Wagner Group", "actor:wagner-group"), _mention(text, "Syrian army", "actor:saa")]
    found = anaphora.references(text, "en", mentions)
    assert [(m["text"], m["entity"], m["source"]) for m in found] == [("The group", "actor:wagner-group", "anaphora")]
    # "the party" has no antecedent holding "party": nothing; nor before its antecedent is named
    text = "The party met on Monday. Hezbollah said the party would vote."
    assert anaphora.references(text, "en", [_mention(text, "Hezbollah", "actor:hezbollah")]) == []


def test_a_name_or_another_mentions_words_are_no_reference():
    text = "The Kurdistan Workers' Party fought on. The Party of God rallied."  # capitalised: a name
    assert anaphora.references(text, "en", [_mention(text, "Kurdistan Workers' Party", "actor:pkk")]) == []
    text = "قال حزب الله إنه رد. وأعلن الحزب الشيوعي تأييده."
    other = {"start": text.index("الحزب الشيوعي"), "end": text.index("الحزب الشيوعي") + len("الحزب الشيوعي"),
             "type": "ORG", "entity": "ent:communist-party"}
    assert anaphora.references(text, "ar", [_mention(text, "حزب الله", "actor:hezbollah"), other]) == []


def test_a_language_without_the_table_has_no_references():
    text = "Le groupe Wagner a envoyé des combattants. Le groupe a dit."
    assert anaphora.references(text, "fr", [_mention(text, "groupe Wagner", "actor:wagner-group")]) == []
