"""The NER model, trained on other regions' news, types unseen towns as persons or organisations; the retyping
rules (marsad/places/retyping.py) make them places by what the text says around them: a list with a place, two names
in one model mention, "in <area>" that holds them. Each rule also has a case where the name must stay what it is."""
from __future__ import annotations

import pytest

import marsad
from marsad.places import retyping as retype


def places_of(text: str, profile: str) -> dict[str, dict]:
    """Surface -> entity description of every place mention analyze() finds."""
    rec = marsad.analyze(text, profile=profile)
    return {m["text"]: rec["entities"].get(m["entity"]) or {} for m in rec["mentions"]
            if (rec["entities"].get(m["entity"]) or {}).get("kind") == "place"}


@pytest.mark.parametrize("profile", ["fast", "accurate"])
@pytest.mark.parametrize("text, names", [
    # joined by "and" to a place: a world-tier town (Myanmar) within 1,000 km of it
    ("Rebels seized Lashio and Myawaddy on Sunday.", {"Lashio": "MM", "Myawaddy": "MM"}),
    # a written list with commas, ending in "and": the Sahel's towns, in three countries
    ("Militants attacked Menaka, Kidal and Tillaberi last week.", {"Menaka": "ML", "Kidal": "ML",
                                                                   "Tillaberi": "NE"}),
    # one model mention over "Toretsk and Kupiansk" in a list with places: two places
    ("Russian troops advanced on Bakhmut, Vuhledar, Toretsk and Kupiansk.", {"Toretsk": "UA", "Kupiansk": "UA"}),
    # "in <area>" that holds it
    ("Ukraine held Sudzha in Kursk region for months.", {"Sudzha": "RU"}),
])
def test_towns_the_model_misreads_are_places_by_what_surrounds_them(text, names, profile):
    found = places_of(text, profile)
    assert {n: found.get(n, {}).get("country") for n in names} == names, found


def test_a_list_needs_its_and_and_a_far_namesake_is_no_place():
    text = "At the Oval, Surrey captain Rory Burns made a century."
    mentions = [{"start": 11, "end": 17, "text": "Surrey", "type": "ORG", "source": "ner"},
                {"start": 7, "end": 11, "text": "Oval", "type": "LOC", "source": "ner"}]
    assert retype._lists(mentions, text) == []  # a comma alone joins nothing
    # "Clinton" has towns of its name, but none within 1,000 km of Aleppo: the person stays a person
    text = "Aleppo and Clinton were on the agenda."
    mentions = [{"start": 0, "end": 6, "text": "Aleppo", "type": "LOC", "source": "ner"},
                {"start": 11, "end": 18, "text": "Clinton", "type": "PER", "source": "ner"}]
    retype.retype_conjuncts(mentions, text)
    assert mentions[1]["type"] == "PER"


def test_two_names_in_one_model_mention_split_only_when_they_are_places():
    text = "Talks between Smith and Wesson ended."
    m = {"start": 14, "end": 30, "text": "Smith and Wesson", "type": "ORG", "source": "ner"}
    assert retype.split_conjoined([m], text) == [m]  # no place in a list or an area: the company stays whole
    text = "Shelling hit Toretsk and Kupiansk overnight."
    m = {"start": 13, "end": 33, "text": "Toretsk and Kupiansk", "type": "ORG", "source": "ner"}
    out = retype.split_conjoined([m], text)
    assert [(x["text"], x["type"]) for x in out] == [("Toretsk", "LOC"), ("Kupiansk", "LOC")]


@pytest.mark.parametrize("text, name, place_id", [
    # the world tier's Arabic name after «في» + a place word, the model having left it O
    ("خطف ثلاثة رجال في ظروف مماثلة في محافظة ديالى الأحد الماضي.", "ديالى", "geonames:96965"),
])
def test_a_world_tier_arabic_name_where_a_place_comes_is_a_place(text, name, place_id):
    found = {m["text"]: m["entity"] for m in marsad.analyze(text, profile="fast")["mentions"]}
    assert found.get(name) == place_id, found


def test_governed_names_only_after_a_preposition_or_place_word_and_never_a_common_word():
    from marsad.lang import folded_words
    import importlib

    from marsad.places import governed
    resolve = importlib.import_module("marsad.places.resolve")  # the package exports its function of that name

    prepositions = folded_words("ar", "place_prepositions.txt")

    def names(text):
        return [h["text"] for h in governed.governed_names(text, prepositions, ("محافظه",), lambda s, e: False,
                                                           resolve.world_ids)]
    assert names("وصل الوفد إلى ميران شاه أمس") == ["ميران شاه"]  # the longest name at the position
    assert names("ميران شاه مدينة") == []  # no preposition before it
    assert names("قال في البيت إن الوقت قد حان") == []  # common words, whatever village bears their name
    assert names("في محافظة ديالى") == ["ديالى"]  # the place word is not part of the name
    assert governed.governed_names("no Arabic here", prepositions, (), lambda s, e: False, resolve.world_ids) == []


def test_a_foreign_name_no_spelling_names_is_tried_by_its_consonants_where_a_place_comes():
    # «باخموت» has no Arabic spelling in GeoNames and the model left it O; after «نحو», unknown to the frequency
    # table, its skeleton B-KH-M-T is Bakhmut, which Ukraine named in the text supports
    rec = marsad.analyze("تقدمت القوات الروسية نحو باخموت، بحسب ما أعلنت أوكرانيا.", profile="fast")
    found = {m["text"]: rec["entities"].get(m["entity"], {}).get("name") for m in rec["mentions"]}
    assert found.get("باخموت") == "Bakhmut", found


def test_a_several_word_place_name_the_model_calls_a_person_is_a_place():
    text = "Voters in the primary were told that South Carolina and Sioux Falls would report first."
    ms = [{"start": text.index(n), "end": text.index(n) + len(n), "text": n, "type": "PER", "source": "ner"}
          for n in ("South Carolina", "Sioux Falls")]
    other = "Martin Luther King spoke."  # a person's name of several words that names no place stays a person
    ms_other = [{"start": 0, "end": 18, "text": "Martin Luther King", "type": "PER", "source": "ner"}]
    retype.retype_place_names(ms, text, 100_000)
    retype.retype_place_names(ms_other, other, 100_000)
    assert [m["type"] for m in ms] == ["LOC", "LOC"] and ms_other[0]["type"] == "PER"
    one_word = [{"start": 0, "end": 7, "text": "Georgia", "type": "PER", "source": "ner"}]
    retype.retype_place_names(one_word, "Georgia said she would run.", 100_000)
    assert one_word[0]["type"] == "PER"  # one word may be a given name


@pytest.mark.parametrize("profile", ["fast", "accurate"])
def test_a_place_name_before_a_noun_it_modifies_is_the_place(profile):
    # the models read a bare town's name before "officials" or "-based" as an organisation
    found = places_of("A handful of Gainesville companies moved, said officials in Alachua County, Florida. "
                      "The Houston-based contractor KBR declined to comment.", profile)
    assert found["Gainesville"].get("admin1") == "Florida"
    assert found["Houston"].get("admin1") == "Texas"


def test_a_small_town_as_a_modifier_needs_a_place_near_it():
    mentions = [{"start": 0, "end": 9, "text": "Chiefland", "type": "ORG", "source": "ner", "confidence": 0.9}]
    retype.retype_modifiers(mentions, "Chiefland officials declined to comment.", 100_000)
    assert mentions[0]["type"] == "LOC" and mentions[0]["weak"] and mentions[0]["ner_type"] == "ORG"
    # with no place near it in the text, the analysis gives the organisation its type back
    rec = marsad.analyze("Chiefland officials declined to comment on the report on Friday.", profile="fast")
    assert all(m["type"] != "LOC" for m in rec["mentions"] if m["text"] == "Chiefland")
    # a noun it does not modify leaves the name as the model read it
    other = [{"start": 0, "end": 9, "text": "Chiefland", "type": "ORG", "source": "ner", "confidence": 0.9}]
    retype.retype_modifiers(other, "Chiefland announced a sale.", 100_000)
    assert other[0]["type"] == "ORG" and "weak" not in other[0]


def test_a_town_and_its_state_after_a_comma_are_places_whatever_the_model_says():
    """"Surprise, Ariz.": the model's ORG over a town that a comma and its state follow is the town; "Lexington,
    South Carolina": the state after its town is the state. A name whose state does not hold it stays what it was."""
    text = "Finalists were Sioux Falls and Surprise, Ariz. An agency of Lexington, South Carolina won."
    at = {n: text.index(n) for n in ("Surprise", "Ariz.", "Lexington", "South Carolina")}
    ms = [{"start": at["Surprise"], "end": at["Surprise"] + 8, "text": "Surprise", "type": "ORG", "source": "ner"},
          {"start": at["Ariz."], "end": at["Ariz."] + 5, "text": "Ariz.", "type": "LOC", "source": "ner"},
          {"start": at["Lexington"], "end": at["Lexington"] + 9, "text": "Lexington", "type": "LOC"},
          {"start": at["South Carolina"], "end": at["South Carolina"] + 14, "text": "South Carolina", "type": "ORG",
           "source": "ner"}]
    retype.retype_contained(ms, text)
    assert [m["type"] for m in ms] == ["LOC", "LOC", "LOC", "LOC"]
    text = "Coach Surprise, Texas said it."  # no Surprise in Texas (Arizona's and Nebraska's)
    ms = [{"start": 6, "end": 14, "text": "Surprise", "type": "PER", "source": "ner"},
          {"start": 16, "end": 21, "text": "Texas", "type": "LOC", "source": "ner"}]
    retype.retype_contained(ms, text)
    assert ms[0]["type"] == "PER"



def test_a_small_town_after_a_locative_preposition_is_a_weak_place():
    """"nearby in Bellmore": the model's ORG over a small town after "in" is a place that must find a place near it
    (resolve.py), and keeps the model's type to give back; a big town or an area needs nothing more."""
    text = "He owns horses nearby in Bellmore, and fought in Kherson."
    ms = [{"start": 25, "end": 33, "text": "Bellmore", "type": "ORG", "source": "ner"},
          {"start": 49, "end": 56, "text": "Kherson", "type": "PER", "source": "ner"}]
    retype.retype_located(ms, text, 100_000)
    assert (ms[0]["type"], ms[0].get("weak"), ms[0].get("ner_type")) == ("LOC", True, "ORG")
    assert (ms[1]["type"], ms[1].get("weak")) == ("LOC", None)
    alone = marsad.analyze("He owns horses nearby in Bellmore.", profile="fast")
    assert not any("weak" in m or "ner_type" in m for m in alone["mentions"])  # the marks never reach the record


def test_the_name_of_a_place_mention_is_that_place_wherever_the_model_reads_a_person():
    """One sense per discourse: "Shiloh" typed PER where the text names "Shiloh" as a place is the place; a name
    no place mention has, or an actor's, stays what it is; a weak place (not yet supported) lends its type to none."""
    text = "Shiloh voters met. Police in Shiloh said Bush and Hamas were not there."
    ms = [{"start": 0, "end": 6, "text": "Shiloh", "type": "PER", "source": "ner"},
          {"start": 29, "end": 35, "text": "Shiloh", "type": "LOC", "source": "ner"},
          {"start": 41, "end": 45, "text": "Bush", "type": "PER", "source": "ner"},
          {"start": 50, "end": 55, "text": "Hamas", "type": "ORG", "source": "ner", "entity": "actor:hamas"}]
    retype.retype_same_name(ms, text, 100_000)
    assert [m["type"] for m in ms] == ["LOC", "LOC", "PER", "ORG"]
    ms = [{"start": 0, "end": 6, "text": "Shiloh", "type": "PER", "source": "ner"},
          {"start": 29, "end": 35, "text": "Shiloh", "type": "LOC", "source": "ner", "weak": True}]
    retype.retype_same_name(ms, text, 100_000)
    assert ms[0]["type"] == "PER"
    # the model's LOC over a person's name is its error, not a sense to spread: "Duke" of "David Duke" (Duke,
    # Oklahoma, is a place), "Manafort" (no place at all)
    text = "David Duke spoke. Duke said Manafort was in Duke. Manafort left."
    ms = [{"start": 0, "end": 10, "text": "David Duke", "type": "PER", "source": "ner"},
          {"start": 18, "end": 22, "text": "Duke", "type": "PER", "source": "ner"},
          {"start": 28, "end": 36, "text": "Manafort", "type": "LOC", "source": "ner"},
          {"start": 44, "end": 48, "text": "Duke", "type": "LOC", "source": "ner"},
          {"start": 50, "end": 58, "text": "Manafort", "type": "PER", "source": "ner"}]
    retype.retype_same_name(ms, text, 100_000)
    assert [m["type"] for m in ms] == ["PER", "PER", "LOC", "LOC", "PER"]
