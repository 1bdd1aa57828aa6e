"""The scare-quote readings whose PTC precision benchmarks/scare_quotes.py measures (issue 17): which quoted
phrases each reading takes, on sentences written for the test (no shared data needed)."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import scare_quotes as SQ  # noqa: E402

SHORT, PURPOSE, DISTANCING, DETERMINER, VIRTUE = SQ.EN_READINGS[1:6]


def readings(text: str) -> dict[str, dict[str, bool]]:
    return {text[s:e]: flags for s, e, flags in SQ.english_quotes(text)}


def test_the_seed_form_is_a_short_purpose_quote_with_a_virtue_word():
    r = readings("Washington and its vassals bombed Syria to “save lives”, and on Tuesday reports emerged.")
    flags = r["“save lives”"]
    assert flags[SHORT] and flags[PURPOSE] and flags[VIRTUE] and not flags[DETERMINER]


def test_reported_speech_titles_and_names_are_not_scare_quotes():
    r = readings('The minister said “we will win” on Monday. They launched “Operation Freedom” in May. '
                 'He wrote: "peace now" in his letter.')
    assert set(r) == {"“we will win”", "“Operation Freedom”", '"peace now"'}
    assert not any(flags[SHORT] for flags in r.values())


def test_so_called_and_determiner_readings():
    r = readings("The so-called “moderate rebels” crossed over. Their “humanitarian” intervention failed.")
    assert r["“moderate rebels”"][DISTANCING]
    assert r["“humanitarian”"][DETERMINER] and r["“humanitarian”"][VIRTUE]


def test_arabic_short_guillemets_with_a_speech_word_before_are_not_counted():
    text = "قصفوا المدينة «لإنقاذ الأرواح» ثم قال الوزير «سننتصر»"
    found = [(text[s:e], list(flags)) for s, e, flags in SQ.arabic_quotes(text)]
    assert ("«لإنقاذ الأرواح»", [SQ.AR_READINGS[1]]) in found
    assert ("«سننتصر»", [SQ.AR_READINGS[1]]) not in found
    assert ("«سننتصر»", [SQ.AR_READINGS[0]]) in found
