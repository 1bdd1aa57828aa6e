"""marsad.events.numbers: number expressions and fatality counts."""
import pytest
from hypothesis import given, settings, strategies as st

from marsad.events.casualties import fatalities
from marsad.events.numbers import parse_number

AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize("s,lang,value", [
    ("70", "en", 70), ("1,234", "en", 1234), ("١٬٢٣٤", "ar", 1234), ("٧٠", "ar", 70), ("۷۰", "ar", 70),
    ("seventy", "en", 70), ("Seventy", "en", 70), ("twenty-five", "en", 25),
    ("two hundred and fifty", "en", 250), ("a dozen", "en", 12), ("two dozen", "en", 24),
    ("half a dozen", "en", 6), ("a hundred", "en", 100), ("three thousand", "en", 3000),
    ("1.5 million", "en", 1_500_000), ("10 آلاف", "ar", 10000),
    ("dozens", "en", None), ("hundreds", "en", None), ("hundred", "en", None), ("the", "en", None),
    ("سبعين", "ar", 70), ("سبعون", "ar", 70), ("ثلاثة", "ar", 3), ("ثلاث", "ar", 3), ("عشرة", "ar", 10),
    ("مئة", "ar", 100), ("مائة", "ar", 100), ("ألف", "ar", 1000), ("ألفين", "ar", 2000),
    ("مئتين", "ar", 200), ("ثلاثمائة وخمسون", "ar", 350), ("خمسة وعشرون", "ar", 25),
    ("خمسة عشر", "ar", 15), ("اثنا عشر", "ar", 12), ("إحدى عشرة", "ar", 11), ("ثلاثة آلاف", "ar", 3000),
    ("سَبْعِينَ", "ar", 70),
    ("عشرات", "ar", None), ("آلاف", "ar", None), ("مئات", "ar", None),
    ("مدنيين اثنين", "ar", 2), ("شخصين", "ar", 2), ("طفلين", "ar", 2), ("مدنيين", "ar", None),
    ("", "en", None), ("12abc", "en", None),
])
def test_parse_number(s, lang, value):
    assert parse_number(s, lang) == value


def F(total=None, civilians=None, children=None, women=None, combatants=None):
    return {"total": total, "civilians": civilians, "children": children, "women": women, "combatants": combatants}


def counts(d):
    return {k: d[k] for k in ("total", "civilians", "children", "women", "combatants")}


@pytest.mark.parametrize("text,lang,expected,note", [
    ("The attack killed at least 70 people.", "en", F(70), "at least"),
    ("Six people were killed.", "en", F(6), None),
    ("The death toll rose to 19.", "en", F(19), None),
    ("The strike hit the market, killing 12 civilians including 5 children.", "en", F(12, 12, 5), None),
    ("An explosion killed six people and injured another ten.", "en", F(6), None),
    ("19 people were injured and an unspecified number of others killed.", "en", F(), None),
    ("It killed more than 100 people including 25 children and 15 women and injured 400 others.", "en",
     F(100, 40, 25, 15), "more than"),
    ("Ten children were among at least 48 people killed.", "en", F(48, 10, 10), "at least"),
    ("5 soldiers and 3 civilians were killed in 20 air strikes.", "en", F(8, 3, None, None, 5), None),
    ("12 ISIS militants were killed.", "en", F(12, None, None, None, 12), None),
    ("Oil rose to $90 a barrel as 30 people were wounded.", "en", F(), None),
    ("Dozens killed in air strikes.", "en", F(), "dozens"),
    ("Three civilians were killed and more than twenty others suffered from suffocation.", "en", F(3, 3), None),
    ("أسفر القصف عن مقتل سبعين مدنياً.", "ar", F(70, 70), None),
    ("استشهاد 5 أطفال في غارة.", "ar", F(5, 5, 5), None),
    ("سقوط 12 قتيلاً و20 جريحاً", "ar", F(12), None),
    ("ارتفاع حصيلة القتلى إلى 19", "ar", F(19), None),
    ("مقتل 12 شخصا بينهم 5 أطفال وامرأتان وإصابة 20 آخرين", "ar", F(12, 7, 5, 2), None),
    ("سقوط عشرات القتلى", "ar", F(), "dozens"),
    ("مقتل أكثر من 30 مسلحاً", "ar", F(30, None, None, None, 30), "more than"),
    ("مقتل مدنيين اثنين", "ar", F(2, 2), None),
    ("مقتل شخصين وإصابة ثلاثة", "ar", F(2), None),
    ("قتل 7 جنود و3 مدنيين", "ar", F(10, 3, None, None, 7), None),
    ("مقتل ١٢ عنصراً من قوات النظام", "ar", F(12, None, None, None, 12), None),
    ("أصيب 20 شخصا بجروح", "ar", F(), None),
    ("قتل ما لا يقل عن 15 شخصا", "ar", F(15), "at least"),
])
def test_fatalities(text, lang, expected, note):
    got = fatalities(text, lang)
    assert counts(got) == expected
    assert got["note"] == note


def test_cumulative_note():
    got = fatalities("More than 330000 people have been killed since the conflict began in March 2011.", "en")
    assert got["total"] == 330000 and "cumulative" in got["note"]


def test_numbers_in_dates_do_not_count():
    assert counts(fatalities("On 7 April 2018 the strike killed 12 people.", "en")) == F(12)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_property_digits_round_trip(n):
    assert parse_number(str(n), "en") == n
    assert parse_number(str(n).translate(AR_DIGITS), "ar") == n
    assert parse_number(f"{n:,}", "en") == n
    assert parse_number(f"{n:,}".replace(",", "٬").translate(AR_DIGITS), "ar") == n


_EN_WORDS = {1: "one", 2: "two", 3: "three", 7: "seven", 12: "twelve", 19: "nineteen", 20: "twenty",
             45: "forty-five", 70: "seventy", 99: "ninety-nine"}


@pytest.mark.parametrize("n,word", sorted(_EN_WORDS.items()))
def test_english_words(n, word):
    assert parse_number(word, "en") == n
    assert parse_number(f"{word} hundred", "en") == n * 100


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120), st.sampled_from(["en", "ar", "fr", ""]))
def test_property_never_raises(text, lang):
    v = parse_number(text, lang)
    assert v is None or isinstance(v, int)
    f = fatalities(text, lang)
    assert set(f) == {"total", "civilians", "children", "women", "combatants", "note"}
