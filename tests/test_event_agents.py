"""Events: who is the agent, where the text names it by a label, through a speaker's title, in a dateline or in a
dispute (issue 16, from the FA-KES dev set's actor misses). Each rule has a case where it must not fire."""
from __future__ import annotations

import pytest

from marsad import pipeline
from marsad.events import arguments as A
from marsad.events.casualties import fatalities
from marsad.ingest import Document


def _violent(text: str, lang: str = "en") -> list[dict]:
    rec = pipeline.analyze_document(Document(id="t", text=text, language=lang))
    return [e for e in rec["events"] if e["type"] != "Other"]


def test_a_label_adjective_on_a_military_noun_names_the_agent_by_the_label():
    evs = _violent("Ten civilians were killed in terrorist rocket attacks on Aleppo.")
    assert evs and evs[0]["actor1"] == "actor:groups-labelled-terrorist"
    # after a group's name the label describes that group, which stays the agent
    evs = _violent("Nusra terrorist rocket attacks killed ten civilians in Aleppo.")
    assert evs and evs[0]["actor1"] == "actor:jabhat-al-nusra"


@pytest.mark.parametrize("text, found", [
    ("in terrorist rocket attacks on Aleppo", "terrorist"),
    ("a jihadist suicide attack on the checkpoint", "jihadist"),
    ("during anti-terrorist operations in Hama", None),  # a compound: no agent
    ("the terrorist group attacked", None),  # "group" is no military noun (the label's noun is matched as a name)
])
def test_label_phrases_in_english(text, found):
    got = A.implicit_agents(text, "en", [], {})
    assert [m["text"] for m in got] == ([found] if found else [])
    assert all(m.get("label") for m in got)


def test_label_phrases_in_arabic():
    got = A.implicit_agents("قتل عشرة مدنيين في اعتداءات إرهابية بالقذائف على حلب", "ar", [], {})
    assert [(m["text"], m["entity"]) for m in got] == [("إرهابية", "actor:groups-labelled-terrorist")]
    assert A.implicit_agents("أصيب مدنيون في اعتداءات على حلب", "ar", [], {}) == []


def test_an_actor_killed_in_its_own_attack_is_not_its_agent():
    # the attack is the terrorists', the killing the army's: the killed are never the agent
    evs = _violent("The Syrian army encountered a terrorist attack against one of its posts, killing 10 terrorists.")
    assert evs and evs[0]["actor1"] == "actor:syrian-arab-army"
    # the rule must not fire when others are killed
    evs = _violent("A terrorist attack on an army post killed 10 soldiers.")
    assert evs and evs[0]["actor1"] == "actor:groups-labelled-terrorist"


def test_the_actor_before_is_not_carried_onto_its_own_dead():
    evs = _violent("ISIS fighters attacked the town on Monday. About 70 ISIS militants were killed in the airstrikes.")
    assert evs[0]["actor1"] == "actor:isis" and evs[-1]["fatalities"]["total"] == 70
    assert evs[-1]["actor1"] is None


def test_a_speaker_named_with_its_title_is_not_the_agent():
    evs = _violent("Leading Syrian opposition figure George Sabra said in Turkey the attack had killed 1300 people.")
    assert evs and evs[0]["fatalities"]["total"] == 1300
    assert evs[0]["actor1"] not in ("actor:syrian-opposition", "actor:turkey")
    # no reporting verb: the subject stays the agent
    evs = _violent("Turkish troops shelled the village, killing 5 people.")
    assert evs and evs[0]["actor1"] == "actor:turkish-armed-forces"


def test_a_state_named_after_in_and_before_another_phrase_is_no_operation_s_agent():
    evs = _violent("23 ISIS members were killed in a Turkish Armed Forces operation.")
    assert evs and evs[0]["actor1"] == "actor:turkish-armed-forces"
    assert not A._op_noun("said in Turkey the attack", {"end": len("said in Turkey")})


def test_a_dateline_place_is_not_the_agent():
    evs = _violent("BEIRUT London- Warplanes bombed the town of Khan Sheikhoun.")
    assert evs and evs[0]["actor1"] != "actor:united-kingdom"
    evs = _violent("Russian-backed forces shelled the town of Khan Sheikhoun.")
    assert evs and evs[0]["actor1"] is not None


def test_parties_disputing_who_attacked_are_not_its_agents():
    evs = _violent("The Syrian army and Russia were trading assertions about who carried out the bombing of the "
                   "market that killed 72 people.")
    assert evs and evs[0]["actor1"] is None
    evs = _violent("The Syrian army carried out the bombing of the market that killed 72 people.")
    assert evs and evs[0]["actor1"] == "actor:syrian-arab-army"


def test_who_condemns_an_attack_is_not_its_agent():
    evs = _violent("The rebels stood with their allies to condemn the shelling of the market that killed 20 people.")
    assert evs and evs[0]["actor1"] is None
    evs = _violent("The rebels shelled the market in Idlib.")
    assert evs and evs[0]["actor1"] == "actor:armed-opposition-generic"


def test_an_actor_said_to_be_responsible_is_accused_unless_denied():
    evs = _violent("He said the regime is responsible. A chemical attack killed 1300 people.")
    assert evs and evs[0]["actor1"] == "actor:syrian-government"
    evs = _violent("He said the regime is not responsible. A chemical attack killed 1300 people.")
    assert evs and evs[0]["actor1"] is None


def test_aviation_is_an_air_force():
    evs = _violent("We demand an investigation of the chemical attack by Syrian aviation on the city of Khan Shaikhoun.")
    assert evs and evs[0]["actor1"] == "actor:syrian-air-force"


@pytest.mark.parametrize("text, total, civilians, combatants", [
    ("6 citizens killed 22 injured in attacks with shells in Damascus.", 6, 6, None),
    ("The Syrian army has killed 60 Daesh takfiri terrorists near the city.", 60, None, 60),
    ("The army killed 60 foreign mercenaries.", 60, None, 60),
    ("Twelve terrorist attacks killed 3 people in Aleppo.", 3, None, None),  # an adjective before no person noun
])
def test_casualty_nouns_and_adjectives(text, total, civilians, combatants):
    f = fatalities(text, "en")
    assert (f["total"], f["civilians"], f["combatants"]) == (total, civilians, combatants)


def test_a_toll_brought_up_over_the_war_is_cumulative():
    f = fatalities("The downing brought the toll for Russian soldiers killed in the Syrian conflict to 18.", "en")
    assert "cumulative" in (f["note"] or "")
    # an attack's own toll brought up is the attack's
    f = fatalities("The attack brought the toll to 18.", "en")
    assert "cumulative" not in (f["note"] or "")


@pytest.mark.parametrize("text", ["In an Ambush Syrian Forces Kill 35 Terrorists.",
                                  "In an ambush, rebels killed five soldiers near Idlib."])
def test_the_subject_right_after_a_fronted_operation_phrase_is_its_agent(text):
    # "In an ambush X killed": the actor after the phrase is the clause's subject, not the ambush's target
    evs = _violent(text)
    assert evs and evs[0]["actor1"] in ("actor:syrian-arab-army", "actor:armed-opposition-generic")
    assert evs[0]["actor2"] != evs[0]["actor1"]


def test_an_actor_after_a_preposition_behind_the_operation_stays_its_target():
    evs = _violent("In an attack on Syrian forces, rebels killed five soldiers.")
    assert evs[0]["actor1"] == "actor:armed-opposition-generic" and evs[0]["actor2"] == "actor:syrian-arab-army"


def test_an_armed_group_named_before_is_not_carried_onto_air_strikes():
    # only states fly warplanes: IS, named in the sentence before, is not the barrel bombs' agent
    evs = _violent("Government helicopters dropped barrel bombs on Al-Bab, which is held by the Islamic State group. "
                   "Al-Bab is one of IS's closest positions to Aleppo. "
                   "In May more than 60 civilians were killed by barrel bomb attacks on the town.")
    assert evs[-1]["actor1"] != "actor:isis"
    # a ground attack after the same sentence still carries the group over
    evs = _violent("Fighters of the Islamic State group advanced on Al-Bab. "
                   "More than 60 civilians were killed in the shelling of the town.")
    assert evs[-1]["actor1"] == "actor:isis"
