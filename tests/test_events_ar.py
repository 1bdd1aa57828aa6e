"""Arabic event recall (issue 16): the lexicon's nominal and short event expressions, read as events."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

import marsad
from marsad.events import triggers as T


def events_of(text: str, **kw) -> list[dict]:
    return marsad.analyze(text, language="ar", profile="fast", published="2020-05-01", **kw)["events"]


def test_equally_long_trigger_matches_are_chosen_the_same_way_under_every_hash_seed():
    # «برصاصة» reads as the listed «برصاص» (by bullets, weight 1) or as «رصاص» plus a suffix (weight 0.5): the
    # choice followed the iteration order of a set of strings, which changes with the interpreter's hash seed
    code = ("from marsad.events import triggers as T\n"
            "t = 'أصيب برصاصة في رأسه'\n"
            "print([(T.data(h)['trigger'], T.data(h)['weight']) for h in T.triggers('ar').find(t)])")
    seen = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        seen.add(out.stdout.strip())
    assert seen == {"[('برصاص', 1.0)]"}
    assert [T.data(h)["trigger"] for h in T.triggers("ar").find("أصيب برصاصة")] == ["برصاص"]


def kinds(text: str) -> list[tuple[str, str]]:
    return [(e["type"], e["sub_type"]) for e in events_of(text)]


ARRESTS = ("Strategic developments", "Arrests")


def test_the_seizure_of_people_is_an_arrest_and_of_goods_or_oneself_is_not():
    # ضبط with a pronoun for people, or with the accused as its object, is an arrest
    assert ARRESTS in kinds("وأحالت الشرطة الشبان الثلاثة إلى النيابة بعد ضبطهم في حي الميدان.")
    assert ARRESTS in kinds("وضبطت الشرطة ثلاثة متهمين في حي الميدان بدمشق.")
    # «القبض على» with the arresting force between the verb and the noun
    assert ARRESTS in kinds("وألقت الشرطة القبض على خمسة أشخاص في حلب.")
    # ضبط النفس is restraint, ضبط شحنة a seizure of goods
    assert ARRESTS not in kinds("ودعت الأمم المتحدة الطرفين إلى ضبط النفس.")
    assert ARRESTS not in kinds("وتمكنت الشرطة من ضبط شحنة أسلحة في ميناء طرطوس.")


def test_a_hunger_strike_is_read_as_a_protest_trigger_with_the_weight_of_a_strong_word():
    # «إضراب» alone (a strike) is weak; «إضراب عن الطعام» is a protest by itself (ACLED codes hunger strikes as
    # protests), with an adjective between or the verb أضرب and its subject before «عن الطعام»
    for text in ("فخضت إضراباً عن الطعام لأجل ذلك", "وبدأ الأسرى إضراباً مفتوحاً عن الطعام",
                 "أضرب الأسرى عن الطعام في سجن عوفر"):
        found = [T.data(h) for h in T.triggers("ar").find(text)]
        assert [(d["type"], d["plover"], d["weight"]) for d in found] == [("Protests", "PROTEST", 1.0)], text
    assert not T.triggers("ar").find("ضرب الجندي الأسير")


def test_the_dispersal_of_a_sit_in_is_a_protest_with_intervention():
    assert ("Protests", "Protest with intervention") in \
        kinds("فضت قوات الأمن اعتصام المتظاهرين أمام مقر الحكومة في الخرطوم.")


def evidence_of(text: str, lang: str) -> list[str]:
    found = marsad.analyze(text, language=lang, profile="fast", published="2020-05-01")["events"]
    return [text[e["evidence"]["start"]:e["evidence"]["end"]] for e in found]


def test_the_generic_attack_a_specific_event_displaces_is_part_of_that_events_evidence():
    # «إثر هجوم مجموعة مسلحة عليهم» and «حيث فجرت عبوة ناسفة» tell one event: the bombing's evidence holds both
    text = "وقتل تسعة جنود أمس، إثر هجوم مجموعة مسلحة عليهم، حيث فجرت عبوة ناسفة بسيارتهم على طريق درعا."
    [evidence] = evidence_of(text, "ar")
    assert "إثر هجوم مجموعة مسلحة" in evidence and "عبوة ناسفة" in evidence
    [evidence] = evidence_of("Ten civilians were killed when regime airstrikes hit a bus near Aleppo.", "en")
    assert evidence.startswith("Ten civilians were killed")


def test_a_contrastive_boundary_keeps_another_killing_out_of_the_evidence():
    text = "The rebel barrage killed 10 people in Damascus while government air strikes on Eastern Ghouta killed 82."
    [evidence] = evidence_of(text, "en")
    assert "barrage" not in evidence and "air strikes" in evidence


def test_a_weak_killing_word_with_one_named_or_described_victim_is_an_event():
    # «مقتل»/«قتل» alone are weak (a killing talked about); with one person as the victim right after them they
    # report a death though no count is given. The accurate profile's confirmer accepts these; the plural
    # (the crime talked about) stays no event
    def violent(text):
        found = marsad.analyze(text, language="ar", profile="accurate", published="2020-05-01")["events"]
        return [e for e in found if e["type"] == "Violence against civilians"]

    assert violent("أكد المتحدث العسكري مقتل قائد ميداني في حلب.")
    [event] = violent("قتل ضابط في الجيش السوري أمس.")
    assert event["actor2"] == "actor:syrian-arab-army"
    assert not violent("يجب وقف قتل المدنيين في غزة.")


@pytest.mark.parametrize("text, sub_type", [
    ("قصفت طائرات حربية روسية بلدة كفرنبل في ريف إدلب.", "Air/drone strike"),  # «قصف» by aircraft
    ("Russian warplanes shelled Kafranbel on Monday.", "Air/drone strike"),
    ("قصفت المدفعية والطائرات بلدة كفرنبل.", "Shelling/artillery/missile attack"),  # guns named too: shelling
])
def test_a_bombardment_by_aircraft_is_an_air_strike(text, sub_type):
    rec = marsad.analyze(text, profile="fast")
    assert [e["sub_type"] for e in rec["events"]] == [sub_type]
