"""Events: trigger matching in both scripts, modality, arguments, and even-handedness (sides swapped -> same type
and modality)."""
from __future__ import annotations

import functools

import pytest

from marsad import pipeline
from marsad.events import triggers as T
from marsad.ingest import Document


def _events(text: str, lang: str) -> list[dict]:
    rec = pipeline.analyze_document(Document(id="t", text=text, language=lang))
    return rec["events"], rec


@pytest.mark.parametrize("word", ["سيطر", "وسيطرت", "يسيطر", "تسيطر", "السيطرة"])
def test_arabic_conjugations_match(word):
    hits = T.triggers("ar").find(f"{word} على المدينة")
    assert hits and T.data(hits[0])["type"] == "Battles"


@pytest.mark.parametrize("word", ["استعاد", "واستعادت", "يستعيد"])
def test_arabic_regain_forms(word):
    assert T.triggers("ar").find(f"{word} الجيش البلدة")


def test_english_modalities():
    evs, _ = _events("Trump is considering a withdrawal of American troops.", "en")
    assert all(e["modality"] == "hypothetical" for e in evs if e["type"] != "Other")
    evs, _ = _events("The army denied that it shelled the town of Douma.", "en")
    assert evs and evs[0]["modality"] == "negated"
    evs, _ = _events("Rebels captured the town of Douma, according to the Syrian Observatory for Human Rights.", "en")
    assert evs[0]["modality"] == "reported" and evs[0]["claimed_by"]


@pytest.mark.parametrize("text", [
    "The ministry dismissed as fake news the reports of air strikes on the town.",  # issue 16's new-user case
    "Moscow dismissed as false the reports that its jets struck a hospital in Idlib.",
])
def test_a_report_dismissed_as_fake_is_a_denial(text):
    evs, _ = _events(text, "en")
    violent = [e for e in evs if e["type"] != "Other"]
    assert violent and all(e["modality"] == "negated" for e in violent)


@pytest.mark.parametrize("text", ["قصفت طائرات حربية روسية مدينة إدلب صباح اليوم.",
                                  "قصفت الطائرات الحربية الروسية مدينة إدلب صباح اليوم."])
def test_arabic_verb_then_warplanes_then_their_nationality_is_the_agent(text):
    # issue 16's new-user case: «طائرات حربية روسية» (Russian warplanes) came out as actor2, the target
    evs, _ = _events(text, "ar")
    assert evs and evs[0]["actor1"] == "actor:russia" and evs[0]["actor2"] != "actor:russia"


@pytest.mark.parametrize("text, lang, sub_type", [
    # a bare blast and the rocket it was: one shelling, never a car bomb (the dev set's must-not reading)
    ("The blast heard Saturday evening in the area of Burj Rouss Qsaa in the Syrian capital Damascus was due to a "
     "rocket bomb and not a car explosion, the correspondent reported.", "en", "Shelling/artillery/missile attack"),
    ("The explosion in the market was caused by an air strike, residents said.", "en", "Air/drone strike"),
    ("وقع انفجار في حي الميدان بدمشق ناجم عن قذيفة صاروخية.", "ar", "Shelling/artillery/missile attack"),
])
def test_a_bare_blast_is_the_event_of_the_specific_trigger_of_its_clause(text, lang, sub_type):
    evs, _ = _events(text, lang)
    assert [e["sub_type"] for e in evs if e["type"] != "Other"] == [sub_type]


def test_a_bare_blast_in_a_later_clause_is_the_same_explosion_and_a_bomb_alone_stays_one():
    evs, _ = _events("The rocket killed one person and wounded 40; it caused huge damage in the area of the "
                     "explosion, the correspondent added.", "en")
    assert [e["sub_type"] for e in evs] == ["Shelling/artillery/missile attack"]
    evs, _ = _events("A car bomb exploded near a checkpoint in Azaz, killing five people.", "en")
    assert [e["sub_type"] for e in evs] == ["Remote explosive/landmine/IED"]


@pytest.mark.parametrize("text, expected", [
    ("Nearly 40 soldiers were killed when rebels blew up a tunnel under a government position in Aleppo.",
     ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
    ("The Syrian army also advanced in Huweijet al-Sakr, killing scores of militants.", ("Battles", "Armed clash")),
    ("The Syrian army units continued operations in Jobar, establishing control over building blocks.",
     ("Battles", "Government regains territory")),
    ("The Syrian army killed a terrorist commander near Filita.", ("Violence against civilians", "Attack")),
])
def test_what_the_english_triggers_read_as_events(text, expected):
    evs, _ = _events(text, "en")
    assert expected in [(e["type"], e["sub_type"]) for e in evs], evs


@pytest.mark.parametrize("text", [
    "Iran has placed importance on helping the Syrian regime establish control over the area.",  # meant, not done
    "The coalition has done nothing to stop this major advance in Iran's expansion.",  # a noun
    "The senator advanced in the polls after the debate.",  # no violence around it
    "The talks blew up over the weekend.",
])
def test_what_the_english_triggers_leave_alone(text):
    evs, _ = _events(text, "en")
    assert [e for e in evs if e["type"] in ("Battles", "Explosions/Remote violence")] == []


def test_an_indefinite_weak_word_is_a_new_event_and_a_definite_one_the_event_before():
    text = ("Rebel shelling of Aleppo killed 84 people in three days, the army said. The Nusra Front is one of the "
            "groups taking part in an offensive against western Aleppo that began on Friday.")
    evs, _ = _events(text, "en")
    assert [e["type"] for e in evs] == ["Explosions/Remote violence", "Battles"]
    text = "Rebel shelling of Aleppo killed 84 people in three days. The attack began on Friday."
    evs, _ = _events(text, "en")
    assert [e["type"] for e in evs] == ["Explosions/Remote violence"]
    assert evs[0]["evidence"]["end"] == len(text)  # the sentence that goes on about it is its evidence too


def test_arguments_and_territory_sub_type():
    evs, rec = _events("The Syrian army liberated Douma on Tuesday.", "en")
    e = evs[0]
    assert e["sub_type"] == "Government regains territory"
    assert rec["entities"][e["actor1"]]["side"] == "syrian_government"
    assert rec["entities"][e["place"]]["name"] == "Douma" and e["place_precision"] == 1
    evs, _ = _events("Jaysh al-Islam captured Douma on Tuesday.", "en")
    assert evs[0]["sub_type"] == "Non-state actor overtakes territory"


# Sentence templates with {A} (an actor) and {P} (a place): each is filled with one side, then the other.
EN = ["{A} liberated {P} on Tuesday.", "{A} shelled {P} on Monday, killing five civilians.",
      "{A} captured {P} after heavy clashes.", "Warplanes of {A} bombed {P}.", "{A} denied shelling {P}.",
      "{A} will attack {P} next week.", "{A} may seize {P}.", "Clashes erupted between {A} and locals in {P}.",
      "{A} agreed to evacuate {P}.", "A car bomb exploded in {P}, {A} said.", "{A} arrested dozens in {P}.",
      "According to {A}, a massacre took place in {P}.", "{A} kidnapped two journalists in {P}.",
      "Protesters in {P} denounced {A}.", "{A} fired rockets at {P}."]
EN_SIDES = [("The Syrian army", "Douma"), ("The rebels", "Azaz"), ("The SDF", "Manbij")]
AR = ["سيطرت {A} على {P}.", "قصفت {A} مدينة {P}.", "استعادت {A} السيطرة على {P}.", "نفت {A} قصف {P}.",
      "ستقوم {A} بمهاجمة {P}.", "اندلعت اشتباكات بين {A} ومسلحين في {P}.", "قد تقتحم {A} مدينة {P}.",
      "أفادت مصادر بأن {A} قصفت {P}.", "شنت طائرات {A} غارات على {P}.", "اعتقلت {A} عشرات الشبان في {P}.",
      "انفجرت سيارة مفخخة في {P} وفقاً لـ{A}.", "خرجت مظاهرة في {P} ضد {A}.", "اختطفت {A} صحفيين في {P}.",
      "تستعد {A} لتسليم {P}."]
AR_SIDES = [("قوات النظام", "دوما"), ("الفصائل", "إعزاز"), ("الجيش التركي", "عفرين")]


@functools.lru_cache(maxsize=None)
def _signature(text, lang):
    evs, _ = _events(text, lang)
    return sorted((e["type"], e["plover"], e["modality"]) for e in evs if e["type"] != "Other")


def test_sides_swapped_agree():
    pairs = []
    for lang, templates, sides in (("en", EN, EN_SIDES), ("ar", AR, AR_SIDES)):
        for t in templates:
            for (a1, p1), (a2, p2) in zip(sides, sides[1:] + sides[:1]):
                pairs.append((lang, t.format(A=a1, P=p1), t.format(A=a2, P=p2)))
    assert len(pairs) >= 40 and {lang for lang, *_ in pairs} == {"ar", "en"}
    agree = [_signature(a, lang) == _signature(b, lang) for lang, a, b in pairs]
    bad = [(a, b) for (lang, a, b), ok in zip(pairs, agree) if not ok]
    assert sum(agree) / len(agree) >= 0.95, bad
    assert sum(bool(_signature(a, lang)) for lang, a, _ in pairs) / len(pairs) >= 0.8  # events are found at all


def test_generic_attack_means_from_cue_words():
    from marsad.events import _means_cue
    assert _means_cue("killed in a terrorist attack with rocket shells", "en") == "shelling"
    assert _means_cue("65 civilians were killed in multiple air raids", "en") == "air_strike"
    assert _means_cue("a car bomb attack killed 20 people", "en") == "explosion"
    assert _means_cue("victims of a suspected sarin attack", "en") == "chemical"
    assert _means_cue("the attack on the town", "en") is None


def test_event_fatalities_rules():
    from marsad.events import _fat_for
    f = _fat_for("Explosions/Remote violence", {"total": 20, "civilians": None, "combatants": None})
    assert f["civilians"] == 20  # "a car bomb killed 20 people"
    f = _fat_for("Battles", {"total": 20, "civilians": None, "combatants": None})
    assert f["civilians"] is None
    f = _fat_for("Explosions/Remote violence", {"total": 210000, "note": "cumulative"})
    assert f["total"] is None  # a war-wide toll is not the event's


@pytest.mark.parametrize("text,lang,side", [
    ("Regime warplanes bombed Douma, killing five civilians.", "en", "syrian_government"),
    ("Rebel rocket fire hit Aleppo, killing five civilians.", "en", "opposition"),
    ("Turkish artillery shelled Afrin, killing five civilians.", "en", "turkey"),
    ("Russian jets bombed Idlib, killing five civilians.", "en", "russia"),
    ("قصف الطيران الروسي مدينة دوما.", "ar", "russia"),
    ("قصفت المدفعية التركية مدينة عفرين.", "ar", "turkey"),
])
def test_agent_named_by_a_sides_adjective(text, lang, side):
    evs, rec = _events(text, lang)
    violent = [e for e in evs if e["type"] == "Explosions/Remote violence"]
    assert violent and rec["entities"][violent[0]["actor1"]]["side"] == side


@pytest.mark.parametrize("agent,side", [("Regime air strikes", "syrian_government"),
                                        ("Coalition air strikes", "us_coalition")])
def test_agent_inferred_from_the_same_means_in_the_article(agent, side):
    evs, rec = _events(f"{agent} hit Raqqa on Monday. The town has been besieged since March. Aid "
                       "agencies appealed for a truce. At least 20 civilians were killed in air raids on the town.", "en")
    later = [e for e in evs if e["type"] == "Explosions/Remote violence" and e["fatalities"]["total"] == 20]
    assert later and later[0].get("actor1_inferred") is True
    assert rec["entities"][later[0]["actor1"]]["side"] == side
    assert not any(e.get("actor1_inferred") for e in evs if e is not later[0])


@pytest.mark.parametrize("text,side", [
    ("The Syrian army killed 35 terrorists in an ambush near Douma.", "syrian_government"),
    ("Rebels killed 35 soldiers in an ambush near Douma.", "opposition"),
    ("At least 23 ISIS militants were killed in a Turkish army operation near Manbij.", "turkey"),
    ("At least 23 soldiers were killed in an ISIS attack near Manbij.", "isis"),
])
def test_counted_victims_are_not_agents(text, side):
    evs, rec = _events(text, "en")
    violent = [e for e in evs if e["type"] in ("Battles", "Violence against civilians", "Explosions/Remote violence")]
    assert violent and (rec["entities"].get(violent[0]["actor1"]) or {}).get("side") == side


def test_generic_attack_takes_the_means_the_article_names():
    evs, _ = _events("13 people were killed in attacks on Aleppo on Monday. The town has been besieged since March. "
                     "Aid agencies appealed for a truce. Gunmen fired rocket shells at the Midan neighbourhood.", "en")
    generic = [e for e in evs if e["type"] == "Violence against civilians" and e["fatalities"]["total"] == 13]
    assert generic and generic[0]["means"] == "shelling" and generic[0]["means_inferred"] is True
    assert all(not e.get("means_inferred") for e in evs if e["sub_type"] != "Attack")


def test_dateline_abroad_gives_way_to_the_articles_place():
    evs, rec = _events("BEIRUT, Lebanon: Air strikes killed 12 civilians on Monday, residents said. Douma has been "
                       "besieged since 2013. Residents of Douma said the strikes hit a market.", "en")
    strike = next(e for e in evs if e["fatalities"]["total"] == 12)
    assert rec["entities"][strike["place"]]["name"] == "Douma"


def test_war_wide_toll_is_not_an_events_toll():
    evs, _ = _events("Air strikes killed 12 civilians in Douma on Monday. More than 300,000 people have been killed "
                     "and millions forced to flee their homes.", "en")
    assert max(e["fatalities"]["total"] or 0 for e in evs) == 12


def test_bare_count_given_elsewhere_as_fighters():
    evs, _ = _events("Syrian air strikes on Raqqa kill 19. The strikes hit the town on Sunday, killing at least 19 "
                     "jihadists, the monitor said.", "en")
    f = [e["fatalities"] for e in evs if e["fatalities"]["total"] == 19]
    assert f and all(x["combatants"] == 19 and not x["civilians"] for x in f)


@pytest.mark.parametrize("text,side", [
    ("Regime air raids on a town held by the Islamic State group killed 23 civilians.", "syrian_government"),
    ("Russian air raids on a town held by the rebels killed 23 civilians.", "russia"),
    ("A suicide bomber from the Nusra Front blew himself up at an army post in Aleppo, killing 25 soldiers.",
     "jihadist"),
    ("A suicide bomber from the Islamic State blew himself up at a rebel post in Azaz, killing 25 rebels.", "isis"),
])
def test_by_and_from_name_the_right_agent(text, side):
    evs, rec = _events(text, "en")
    violent = [e for e in evs if e["fatalities"]["total"]]
    assert violent and (rec["entities"].get(violent[0]["actor1"]) or {}).get("side") == side


def test_the_home_state_is_a_place_unless_its_air_force_acts():
    evs, rec = _events("12 dead in Syria car bomb. A car bomb killed 12 people in Inkhil in Daraa province on "
                       "Thursday.", "en")
    assert not any((rec["entities"].get(e["actor1"]) or {}).get("name") == "Syria" for e in evs)
    evs, rec = _events("Syria air raids kill 20 militants. At least 20 militants were killed in air strikes on a "
                       "base in Raqqa province.", "en")
    assert (rec["entities"].get(evs[0]["actor1"]) or {}).get("side") == "syrian_government"


@pytest.mark.parametrize("claim,side", [("The Daesh group claimed responsibility for the attack.", "isis"),
                                        ("Jaysh al-Islam claimed responsibility for the attack.", "opposition")])
def test_claimed_responsibility_names_the_bombings_agent(claim, side):
    evs, rec = _events(f"A twin bombing struck a crowd in Qamishli on Wednesday, killing 44 people. {claim}", "en")
    bomb = next(e for e in evs if e["fatalities"]["total"] == 44)
    assert bomb["sub_type"] == "Remote explosive/landmine/IED" and bomb["actor1_inferred"] is True
    assert rec["entities"][bomb["actor1"]]["side"] == side
    evs, _ = _events("A twin bombing struck a crowd in Qamishli on Wednesday, killing 44 people. No group has "
                     "claimed responsibility for the attack.", "en")
    assert not next(e for e in evs if e["fatalities"]["total"] == 44)["actor1"]


def test_main_place_lies_in_the_country_the_article_names_most():
    evs, rec = _events("UNITED NATIONS, New York: The Security Council met on Monday. Air strikes killed 35 civilians, "
                       "activists said. Aleppo has been shelled for weeks; residents of Aleppo fled to Syria's north.",
                       "en")
    strike = next(e for e in evs if e["fatalities"]["total"] == 35)
    assert rec["entities"][strike["place"]].get("country") == "SY"


def test_victims_of_one_sentence_do_not_act_in_the_next():
    evs, rec = _events("Warplanes struck hideouts of ISIS terrorists near al-Bab on Wednesday. About 70 militants were "
                       "killed in the airstrikes, the source said.", "en")
    later = next(e for e in evs if e["fatalities"]["total"] == 70)
    assert (rec["entities"].get(later["actor1"]) or {}).get("side") != "isis"


@pytest.mark.parametrize("accusation,side", [
    ("The opposition called on the Security Council to hold the Assad regime accountable for the attack.",
     "syrian_government"),
    ("The government blamed the attack on the rebels.", "opposition"),
])
def test_an_accusation_names_the_alleged_agent(accusation, side):
    evs, rec = _events(f"A chemical attack killed 80 people in Khan Sheikhoun on Tuesday. {accusation}", "en")
    attack = next(e for e in evs if e["fatalities"]["total"] == 80)
    assert attack["actor1_inferred"] is True and rec["entities"][attack["actor1"]]["side"] == side


def test_by_in_a_later_clause_belongs_to_its_own_event():
    evs, rec = _events("Syrian air strikes killed 70 people in Douma after rocket attacks by rebels that had hit "
                       "the capital.", "en")
    strike = next(e for e in evs if e["fatalities"]["total"] == 70)
    assert rec["entities"][strike["actor1"]]["side"] == "syrian_government"


def test_bombing_dead_with_no_fighters_named_count_as_civilians():
    evs, _ = _events("Government shelling of Jayrud killed 23 people, including eight children, on Saturday.", "en")
    f = next(e["fatalities"] for e in evs if e["fatalities"]["total"] == 23)
    assert f["civilians"] == 23 and f["civilians_inferred"] is True
    evs, _ = _events("Shelling of Jayrud killed 23 people, including eight children and ten soldiers.", "en")
    f = next(e["fatalities"] for e in evs if e["fatalities"]["total"] == 23)
    assert f["civilians"] != 23
    evs, _ = _events("Shelling of Jayrud killed 30 people, including 20 civilians, on Saturday.", "en")
    f = next(e["fatalities"] for e in evs if e["fatalities"]["total"] == 30)
    assert f["civilians"] == 20


def test_a_town_in_another_province_than_the_one_named_with_it_gives_way():
    evs, rec = _events("Air strikes killed 20 people in the town of Khan Shaikhoun in Idlib Province on Tuesday.", "en")
    strike = next(e for e in evs if e["fatalities"]["total"] == 20)
    assert rec["entities"][strike["place"]].get("admin1") == "Idlib"


@pytest.mark.parametrize("speaker", ["President Barack Obama", "President Vladimir Putin"])
def test_a_speaker_is_not_the_agent_of_the_attack_he_talks_about(speaker):
    evs, rec = _events(f"{speaker} asked parliament to act on the chemical attack that killed 80 people in Khan "
                       "Sheikhoun.", "en")
    attack = next(e for e in evs if e["fatalities"]["total"] == 80)
    assert (rec["entities"].get(attack["actor1"]) or {}).get("kind") != "person"


def test_the_subject_of_an_auxiliary_verb_is_read_as_the_clause_subject():
    evs, rec = _events("The Syrian Army alongside a volunteer militia has killed some 70 Islamic State fighters near "
                       "Qamishli.", "en")
    kill = next(e for e in evs if e["fatalities"]["total"] == 70)
    assert rec["entities"][kill["actor1"]]["side"] == "syrian_government"


def test_a_weak_trigger_takes_the_means_its_clause_names():
    evs, _ = _events("Russian aircraft targeted rebel positions in Idlib on Monday.", "en")
    assert evs and evs[0]["sub_type"] == "Air/drone strike" and evs[0]["means"] == "air_strike"


@pytest.mark.parametrize("agent,side", [("Russian aircraft", "russia"), ("Turkish jets", "turkey")])
def test_a_continuing_sentence_names_the_agent_of_the_event_before(agent, side):
    evs, rec = _events(f"Airstrikes killed 60 militants near Aleppo on Monday. {agent} in 35 missions targeted "
                       "their positions south of the city.", "en")
    strike = next(e for e in evs if e["fatalities"]["total"] == 60)
    assert rec["entities"][strike["actor1"]]["side"] == side


@pytest.mark.parametrize("text,lang", [
    ("Turkish troops killed 12 PKK militants in the mountains.", "en"),
    ("Militants attacked an army checkpoint near Homs, killing four soldiers.", "en"),
    ("قتلت قوات الأمن عشرة مسلحين في هجوم على مخبئهم قرب الموصل.", "ar"),
])
def test_generic_killing_of_fighters_is_a_battle(text, lang):
    # ACLED: violence between armed actors is a battle, not violence against civilians (events dev set, issue 16)
    evs, _ = _events(text, lang)
    assert [(e["type"], e["sub_type"]) for e in evs] == [("Battles", "Armed clash")]


def test_generic_killing_of_civilians_stays_violence_against_civilians():
    evs, _ = _events("Gunmen killed 12 villagers near Raqqa.", "en")
    assert [e["type"] for e in evs] == ["Violence against civilians"]


def test_reporting_verb_with_that_reports_its_whole_complement():
    # "said ... that" reports everything after it, however far the trigger (events dev set, issue 16)
    text = ("The ministry said in a statement on Tuesday that the militants and what it described as other armed "
            "factions had fired dozens of rockets at residential districts of Hama over the past four days in a "
            "barrage that included mortar rounds.")
    evs, _ = _events(text, "en")
    assert evs and {e["modality"] for e in evs if e["type"] != "Other"} == {"reported"}
    far, _ = _events("Rebels shelled Hama on Tuesday, killing four people and wounding dozens of others in the "
                     "residential districts of the city over the past four days, the ministry said.", "en")
    assert [e["modality"] for e in far if e["type"] != "Other"] == ["reported"]


@pytest.mark.parametrize("text,lang", [
    ("The campaign targeted young voters in Manchester.", "en"),
    ("The drill targeted readiness at the hospital.", "en"),
    ("واستهدفت المناورة قياس الجهوزية لدى الطواقم الطبية في مدينة نابلس.", "ar"),
    ("استهدفت الحملة الانتخابية الشباب في مدينة الزرقاء.", "ar"),
])
def test_figurative_targeted_is_no_event(text, lang):
    # "targeted" / "استهدف" name a strike only with violence around them (events dev set, issue 16)
    evs, _ = _events(text, lang)
    assert not [e for e in evs if e["type"] != "Other"]


@pytest.mark.parametrize("text,lang", [
    ("Rockets targeted a village near Homs.", "en"),
    ("A roadside bomb targeted a patrol near Homs.", "en"),
    ("Israeli aircraft targeted a house in Rafah.", "en"),
    ("استهدف الجيش بالمدفعية مواقع المسلحين قرب حماة.", "ar"),
    ("استهدف مسلحون حافلة في ريف حمص ما أدى إلى مقتل ثلاثة أشخاص.", "ar"),
])
def test_targeted_with_violence_is_a_strike(text, lang):
    evs, _ = _events(text, lang)
    assert [e["type"] for e in evs if e["type"] != "Other"] == ["Explosions/Remote violence"]


def test_month_name_is_no_protest():
    # "March" inside a date expression is the month, not a march (events dev set, issue 16)
    evs, _ = _events("The town has been under siege since March 2014, and its population has shrunk.", "en")
    assert not [e for e in evs if e["type"] == "Protests"]
    evs, _ = _events("Thousands marched in Beirut on 3 March 2015 against the government.", "en")
    assert [e["type"] for e in evs] == ["Protests"]


def _published(text: str, lang: str) -> list[dict]:
    rec = pipeline.analyze_document(Document(id="t", text=text, language=lang, published="2017-07-10"))
    return rec["events"]


@pytest.mark.parametrize("text, lang", [
    # issue 16: "declared victory over IS in Mosul" dated the seizure of three years before to the publication
    ("The prime minister declared victory over IS in Mosul, three years after militants seized the city.", "en"),
    ("She has not heard from her husband for four years after he was arrested by the regime.", "en"),
    ("أعلن رئيس الوزراء النصر على داعش في الموصل بعد ثلاث سنوات من سيطرة المسلحين على المدينة.", "ar"),
])
def test_event_told_as_history_is_background_and_not_dated_to_publication(text, lang):
    [event] = [e for e in _published(text, lang) if e["type"] != "Other"]
    assert event.get("background") is True
    assert event["date"] is None  # no date in its sentence: not the publication's


def test_history_cue_dates_from_its_sentence_and_stops_at_the_clause():
    [seized] = _published("قبل ثلاث سنوات سيطر المسلحون على المدينة.", "ar")
    assert seized.get("background") is True and seized["date"].startswith("2014")
    # "two years after the truce" is history; the attack in the next clause is this report's news
    evs = _published("Two years after the truce, rebels attacked the town, killing five people.", "en")
    truce = next(e for e in evs if e["sub_type"] == "Agreement")
    attack = next(e for e in evs if e["fatalities"]["total"] == 5)
    assert truce.get("background") is True
    assert "background" not in attack and attack["date"] == "2017-07-10"


def test_killing_beside_an_arrest_is_its_own_event_with_its_own_toll():
    # issue 16's new-user case: "killing one person and arresting 12" reported 12 dead; then the arrest hid the
    # killing. A weak killing word with its own toll stays beside a strong non-violent trigger; the 12 arrested
    # are not dead.
    evs = _published("Police raided the camp, killing one person and arresting 12.", "en")
    assert sorted((e["sub_type"], e["fatalities"]["total"]) for e in evs) == [("Arrests", None), ("Attack", 1)]
    # a war-wide toll beside a strong trigger is still no event of its own
    evs = _published("The civil war which began with peaceful protests in 2011 has killed more than 280000 people.",
                     "en")
    assert not any(e["type"] == "Violence against civilians" for e in evs)


@pytest.mark.parametrize("text, lang, denier", [
    # issue 16's new-user case: the denier came out as the agent of the air strikes it denies
    ("The Syrian government dismissed as fake news the reports of air strikes on Douma.", "en",
     "actor:syrian-government"),
    ("نفت الحكومة السورية التقارير عن غارات جوية على دوما.", "ar", None),
])
def test_who_speaks_about_reports_of_an_event_is_not_its_agent(text, lang, denier):
    [strike] = _published(text, lang)
    assert strike["actor1"] is None and strike["modality"] == "negated"
    assert strike["claimed_by"] == denier


@pytest.mark.parametrize("text", [
    "Russia denied carrying out air strikes on Douma.",  # issue 16: the denied act's agent came out as None
    "Russia denied any involvement in the air strikes on Douma.",
])
def test_who_denies_its_own_act_is_its_agent(text):
    [strike] = _published(text, "en")
    assert strike["actor1"] == "actor:russia" and strike["modality"] == "negated"
    [other] = _published("Russia denied that air strikes hit a hospital in Idlib.", "en")
    assert other["actor1"] is None  # denying a report of strikes names no agent


@pytest.mark.parametrize("text, agent", [
    # issue 16, new-user case: "its" is the speaker's, and the speaker is the nearer mention, not the victims
    ("The US-led coalition said its air strikes killed 100 militants near Mosul.", "actor:us-led-coalition"),
    ("Russia says its jets hit 30 targets in Idlib.", "actor:russia"),
    ("The rebels said their fighters captured the village of Kafr Nabl.", "actor:armed-opposition-generic"),
])
def test_a_possessive_before_the_act_names_its_agent_and_the_speaker_is_the_nearer_mention(text, agent):
    [event] = _published(text, "en")
    assert event["actor1"] == agent and event["claimed_by"] == agent and event["modality"] == "reported"
    # the speaker after the verb, the victims before it: the nearer one speaks
    [event] = _published("Air strikes killed 12 rebels in Idlib, said the Syrian Observatory for Human Rights.", "en")
    assert event["claimed_by"] == "actor:sohr"
    # a mention far after "said" is in what was said, not its speaker (the bare "coalition" is no actor here)
    [event] = _published("The coalition said its air strikes killed 100 militants near Mosul.", "en")
    assert event["claimed_by"] is None and event["modality"] == "reported"


def test_a_country_people_is_an_actor_without_a_side_and_a_count_of_them_is_a_toll():
    # issue 16: "a nationality word links to its country; plural people are victims or actors, not places"
    rec = pipeline.analyze_document(Document(id="t", text="Iraqis protested in Baghdad against the government.",
                                             language="en", published="2017-07-10"))
    [protest] = rec["events"]
    assert protest["type"] == "Protests" and protest["actor1"] == "ent:people-iq"
    assert rec["entities"]["ent:people-iq"] == {"name": "Iraqis", "name_ar": None, "kind": "other", "country": "IQ",
                                                "side": None, "people": True}
    [clash] = _published("Palestinians clashed with Israeli troops in Hebron.", "en")
    assert (clash["actor1"], clash["actor2"]) == ("ent:people-ps", "actor:idf")
    [killing] = _published("Israeli troops killed three Palestinians in Hebron.", "en")  # was no event at all
    assert killing["actor1"] == "actor:idf" and killing["fatalities"]["total"] == 3
    [strike] = _published("Russian air strikes killed 12 Syrians in Idlib.", "en")
    assert strike["fatalities"]["total"] == 12
    from marsad.events.casualties import fatalities
    assert fatalities("قتلت القوات الإسرائيلية ثلاثة فلسطينيين في الخليل.", "ar")["total"] == 3
    # a name or a singular nationality still leads to its noun: "12 ISIS militants", "20 Syrian soldiers"
    [battle] = _published("Twenty Syrian soldiers were killed in Homs.", "en")
    assert battle["fatalities"]["combatants"] == 20


@pytest.mark.parametrize("text, agent", [
    # issue 16, new-user case: the counted subject of a surrender was set aside as victims, leaving no agent
    ("About 300 rebels surrendered to the army near Daraa.", "actor:armed-opposition-generic"),
    ("200 ISIS fighters withdrew from the town.", "actor:isis"),
])
def test_a_count_makes_victims_only_of_violence(text, agent):
    [event] = _published(text, "en")
    assert event["type"] == "Strategic developments" and event["actor1"] == agent
    [killing] = _published("Syrian troops killed 31 jihadists near Palmyra.", "en")
    assert killing["actor1"] == "actor:syrian-arab-army"  # the counted jihadists are the victims, not the agent


@pytest.mark.parametrize("text, lang, agent", [
    ("ISIS militants stormed a hotel in Raqqa.", "en", "actor:isis"),  # the label "militants" describes ISIS
    ("Al-Shabaab militants stormed a hotel in Mogadishu.", "en", "actor:al-shabaab"),
    # parties beyond the Levant (data/actors/other_fronts.yaml), in both languages
    ("RSF fighters attacked the town of El Fasher, killing 20 civilians.", "en", "actor:rapid-support-forces"),
    ("هاجمت قوات الدعم السريع مدينة الفاشر وقتلت 20 مدنيا.", "ar", "actor:rapid-support-forces"),
    ("قصفت القوات الأوكرانية مواقع روسية قرب باخموت.", "ar", "actor:ukrainian-armed-forces"),
])
def test_a_label_after_a_name_is_the_named_actor_and_other_fronts_have_their_parties(text, lang, agent):
    events = [e for e in _published(text, lang) if e["type"] != "Other"]
    assert events and events[0]["actor1"] == agent
    # the bare acronym is no militia: Reporters Without Borders is also RSF
    rec = pipeline.analyze_document(Document(id="t", text="Reporters Without Borders (RSF) condemned the arrest.",
                                             language="en"))
    assert "actor:rapid-support-forces" not in rec["entities"]


@pytest.mark.parametrize("text, lang, place", [
    ("Government forces backed by the Damascus regime seized areas outside Zabadani on Monday.", "en",
     "geonames:172059"),
    ("Militants loyal to the Kyiv regime shelled Donetsk on Monday.", "en", "geonames:709717"),
    ("هاجمت قوات فيلق القدس الإيراني مواقع قرب البوكمال أمس.", "ar", "geonames:174448"),
])
def test_a_place_inside_an_actors_name_places_no_event(text, lang, place):
    """«فيلق القدس» (the Quds Force), "the Damascus regime": the place word is part of a name, not where it happened."""
    events, rec = _events(text, lang)
    assert events and {e["place"] for e in events} == {place}


@pytest.mark.parametrize("text, lang, accused", [
    ("Moscow accused Ukrainian forces of shelling Donetsk on Monday.", "en", "actor:ukrainian-armed-forces"),
    ("The Ukrainian government accused Russian forces of shelling Kharkiv on Monday.", "en",
     "actor:russian-armed-forces"),
    ("اتهمت موسكو القوات الأوكرانية بقصف دونيتسك.", "ar", "actor:ukrainian-armed-forces"),
    ("اتهمت الحكومة الأوكرانية القوات الروسية بقصف خاركيف.", "ar", "actor:russian-armed-forces"),
])
def test_an_accusation_reports_the_accused_as_the_agent(text, lang, accused):
    """"X accused Y of shelling", «اتهم X Y بقصف»: the shelling is X's claim (reported), Y its alleged agent, on
    both sides of a war alike; in Arabic the accuser stands right after the verb."""
    events, _ = _events(text, lang)
    attack = next(e for e in events if e["type"] == "Explosions/Remote violence")
    assert (attack["actor1"], attack["modality"]) == (accused, "reported")
    assert attack["claimed_by"] != accused


def test_a_speaker_telling_of_its_own_act_is_its_agent_or_target():
    """"X said it had captured Y": the speaker's own pronoun is the act's subject, so X is actor1 (a junta named in
    the sentence before stays out); "X said it was attacked by Y": X is the target."""
    import marsad

    rec = marsad.analyze("Myanmar's junta carried out air strikes on a village in Sagaing region, a rebel spokesman "
                         "said. The Arakan Army said it had captured the town of Paletwa.", profile="fast")
    taken = [e for e in rec["events"] if e["sub_type"] == "Non-state actor overtakes territory"]
    assert [e["actor1"] for e in taken] == ["actor:arakan-army"]
    rec = marsad.analyze("The SDF said it was attacked by ISIS near Raqqa.", profile="fast")
    assert [(e["actor1"], e["actor2"]) for e in rec["events"]] == [("actor:isis", "actor:sdf")]


@pytest.mark.parametrize("text, sub_types", [
    ("The army said its aircraft struck RSF positions in Omdurman.", ["Air/drone strike"]),
    ("Israeli jets struck a Syrian weapons facility near Masyaf.", ["Air/drone strike"]),
    ("A ground-to-ground missile struck a rebel-held neighbourhood of Aleppo.", ["Shelling/artillery/missile attack"]),
    ("The two sides struck a deal in Doha.", [None]),  # PLOVER AGREE, no strike
    ("The deadly plague that has struck Madagascar spread.", []),  # "struck" alone is no trigger
])
def test_struck_is_a_strike_only_after_a_weapon(text, sub_types):
    import marsad

    assert [e["sub_type"] for e in marsad.analyze(text, profile="fast")["events"]] == sub_types


def test_the_army_of_the_article_s_country_speaking_of_its_own_strike_is_its_agent():
    import marsad

    rec = marsad.analyze("The Rapid Support Forces shelled a displacement camp near El Fasher, killing 14 civilians. "
                         "The army said its aircraft struck RSF positions in Omdurman.", profile="fast")
    strike = [e for e in rec["events"] if e["sub_type"] == "Air/drone strike"]
    assert [(e["actor1"], e["actor2"]) for e in strike] == [("actor:sudanese-armed-forces", "actor:rapid-support-forces")]


@pytest.mark.parametrize("text, wanted", [
    # the speaker speaks through its air force ("Ukraine's air force said it had shot down")
    ("Russian forces launched a drone attack on Kharkiv. Ukraine's air force said it had shot down 40 of 48 drones.",
     [("Disrupted weapons use", "actor:ukraine")]),
    ("قصف الطيران الأوكراني مواقع روسية في بيلغورود.", [("Air/drone strike", "actor:ukrainian-armed-forces")]),
    # no subject carries across «فيما» / "while": the second clause's agent is not the first one's
    ("قصفت طائرات النظام سراقب، فيما قصف المعارضون القرداحة.",
     [("Air/drone strike", "actor:syrian-arab-army"), ("Shelling/artillery/missile attack", None)]),
])
def test_agents_of_other_fronts_and_across_while(text, wanted):
    import marsad

    rec = marsad.analyze(text, profile="fast")
    got = [(e["sub_type"], e["actor1"]) for e in rec["events"]]
    assert all(w in got for w in wanted), got
