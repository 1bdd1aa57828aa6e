"""Issue 18: the gazetteer builders' language rules (weak-name limits, word-frequency code, spelling variants,
column) and the language of a name by its script come from the language folders, not from tests of the code. A
toy Greek-script language registered from a temporary folder gets its own limits and its names by script."""
from __future__ import annotations

import pytest
from conftest import language_folder

from marsad import lang
from marsad.places.build_languages import clitic_traps, column_rules, is_weak, rules, spellings

TOML = """\
name = "Toy Greek"
script = "Greek"
terminators = ["."]
closers = []

[traits]
letter_case = true

[gazetteer]
wordfreq = "el"
weak_zipf = [[100000, 5.0], [0, 4.0]]
official_in = ["GR", "CY"]
weak_zipf_elsewhere = 2.0
final_variants = ["ςσ"]
"""

# Word frequencies (Zipf) of the toy language, as wordfreq.zipf_frequency would give them.
FREQ = {"πολις": 3.5, "αθηνα": 4.5}


def zipf(word: str, code: str) -> float:
    assert code == "el", "the word-frequency code comes from [gazetteer] wordfreq"
    return FREQ.get(word, 0.0)


@pytest.fixture
def toy(tmp_path):
    with language_folder(tmp_path, "tg", TOML):
        yield rules("tg")


def test_limits_come_from_the_folder(toy):
    assert toy.wordfreq == "el" and toy.weak_zipf == ((100000, 5.0), (0, 4.0))
    assert toy.official_in == {"GR", "CY"} and toy.weak_zipf_elsewhere == 2.0
    assert toy.column == "" and not toy.all_names_main  # the defaults of xx/language.toml
    # "Πολισ" is spelt "πολις" in the word list (final sigma, lower case): 3.5, under the village limit 4.0 in
    # Greece, over the 2.0 limit outside the countries where the language is official
    assert "πολις" in spellings("Πολισ", toy)
    assert not is_weak("Πολισ", toy, "village", 500, zipf, "GR")
    assert is_weak("Πολισ", toy, "village", 500, zipf, "TR")
    assert is_weak("Αθηνα", toy, "village", 500, zipf, "GR")  # 4.5 >= 4.0
    assert not is_weak("Αθηνα", toy, "city", 200000, zipf, "GR")  # a city's name outweighs the word
    assert clitic_traps(["Πολισ"], zipf, toy) == []  # no proclitics trait: no traps


def test_script_comes_from_the_folder(toy):
    assert lang.get("tg").script == "Greek"
    assert lang.by_script("Αθήνα") == "tg"
    assert lang.by_script("دمشق") == "ar" and lang.by_script("Damascus") == "en" and lang.by_script("2018") == "en"


def test_script_language_goes_with_its_folder(tmp_path):
    assert lang.by_script("Αθήνα") == "en"  # not registered: the default language
    with language_folder(tmp_path, "tg", TOML):
        assert lang.by_script("Αθήνα") == "tg"
    assert lang.by_script("Αθήνα") == "en"


def test_unknown_gazetteer_key_is_an_error(tmp_path):
    bad = 'name = "Bad"\nterminators = ["."]\nclosers = []\n[gazetteer]\nweak_zpif = []\n'
    with language_folder(tmp_path, "tz", bad), pytest.raises(ValueError, match="weak_zpif"):
        rules("tz")


def test_arabic_and_english_rules_are_their_folders():
    ar, en = rules("ar"), rules("en")
    assert column_rules("name_ar") == ar and column_rules("name") == en
    assert ar.wordfreq == "ar" and "SY" in ar.official_in and "IR" not in ar.official_in
    assert ar.weak_zipf[-1] == (0, 3.5) and en.weak_zipf[-1] == (0, 3.0)
    assert en.all_names_main and not en.official_in
    # the Arabic variants: harakat that normalization.tsv deletes, final ة/ه, initial alef forms, the article
    forms = spellings("إِدلبة", ar)
    assert {"إدلبة", "ادلبه", "أدلبة", "الادلبة", "الإدلبه"} <= forms
    assert spellings("Homs", en) == {"homs"}
