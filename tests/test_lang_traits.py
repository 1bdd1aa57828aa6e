"""Issue 18: a language is a folder (language.toml with its traits, and data files), not a code string the stages
test. A toy third language registered from a temporary folder gets sentences from its own profile and no
English-rule dates, numbers, fatality counts or events; the date, number and casualty modules test no code."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import language_folder

import marsad
from marsad import lang
from marsad.events import casualties, dates, numbers

EVENTS = Path(marsad.__file__).parent / "events"

TOML = """\
name = "Toy"
direction = "ltr"
terminators = [".", "!", "?"]
closers = ["\\"", ")"]
quotes = [["\\u201c", "\\u201d"]]
needs_capital = false

[traits]
letter_case = false
compound_numbers = "ten-unit"
"""

# Text in the toy language, with English-looking dates, numbers and an English event sentence: English rules
# would find "7 April 2018", "last week", "twelve" and an attack with fatalities; the toy language has none of
# the data files those need (months.tsv, casualty_words.tsv, event_triggers.tsv).
TEXT = ("Blorp zanu kifta 7 April 2018. Last week, twelve people were killed in an air strike on Douma. "
        "Zanu blorp, twelve killed?")


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    with language_folder(tmp_path_factory.mktemp("langs"), "tq", TOML,
                         {"number_words.tsv": "zanu\t1\tunit\nkifta\t2\tunit\n"}):
        yield lang.get("tq")


def test_registered_folder_is_found(toy):
    assert toy.code == "tq" and toy.name == "Toy"
    assert toy.folder.name == "tq"
    assert toy.traits.compound_numbers == "ten-unit" and not toy.traits.letter_case
    assert "tq" in lang.supported()
    assert toy.data("months.tsv") is None and toy.data("number_words.tsv") is not None


def test_unknown_trait_is_an_error(tmp_path):
    bad = 'name = "Bad"\nterminators = ["."]\nclosers = []\n[traits]\nvowel_harmony = true\n'
    with language_folder(tmp_path, "zq", bad), pytest.raises(ValueError, match="vowel_harmony"):
        lang.get("zq")


def test_stages_use_no_english_rules(toy):
    assert dates.find_dates(TEXT, "tq", "2018-04-21") == []
    assert dates.resolve("last week", toy, "2018-04-21") == (None, None)
    assert numbers.parse_number("twelve", "tq") is None  # not an English number word here
    assert numbers.parse_number("zanu", "tq") == 1  # its own number words are read
    f = casualties.fatalities("twelve people were killed", "tq")
    assert f["total"] is None and f["note"] is None


def test_analyze_toy_text(toy):
    r = marsad.analyze(TEXT, language="tq", published="2018-04-21", profile="fast")
    assert r["language"] == "tq"
    assert len(r["sentences"]) == 3  # split by the toy profile's terminators
    assert [m["text"] for m in r["mentions"] if m["type"] == "LOC"] == ["Douma"]  # the gazetteer's names
    assert r["events"] == []
    assert any("no event rules" in w for w in r["warnings"])


def test_events_without_date_data_warn(tmp_path):
    """A language with event triggers but no months.tsv: events are coded, dates left empty, with a warning."""
    triggers = (Path(marsad.__file__).parent / "lang" / "en" / "event_triggers.tsv").read_text(encoding="utf-8")
    with language_folder(tmp_path, "tw", TOML, {"event_triggers.tsv": triggers}):
        r = marsad.analyze(TEXT, language="tw", published="2018-04-21", profile="fast")
    assert r["events"], "the triggers are the language's own data"
    assert all(e["fatalities"]["total"] is None for e in r["events"])
    assert all(e["date_precision"] in ("week", None) for e in r["events"])  # the publication week, no date found
    assert any("months.tsv" in w and "casualty_words.tsv" in w for w in r["warnings"])


def test_generic_profile_language_gets_no_dates_or_numbers():
    """A code with no folder at all (the generic xx profile) finds nothing either."""
    assert dates.find_dates("7 April 2018, last week", "fr", "2018-04-21") == []
    assert numbers.parse_number("twelve", "fr") is None
    assert casualties.fatalities("twelve people were killed", "fr")["total"] is None


def test_english_and_arabic_unchanged():
    assert numbers.parse_number("two hundred and fifty", lang.get("en")) == 250
    assert numbers.parse_number("شخصين", "ar") == 2
    assert dates.find_dates("on 7 April 2018", "en", None)[0]["date"] == "2018-04-07"


@pytest.mark.parametrize("module", ["dates.py", "numbers.py", "casualties.py"])
def test_no_language_code_tests(module):
    """The done-when of issue 18 for these modules: no `== "ar"` / `== "en"` (or !=) in the code."""
    src = (EVENTS / module).read_text(encoding="utf-8")
    assert re.findall(r'[=!]= "(?:ar|en)"', src) == []
    assert '"ar" if lang == "ar" else "en"' not in src
