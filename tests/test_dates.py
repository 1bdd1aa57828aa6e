"""marsad.events.dates: finding and resolving date expressions (published Saturday 2018-04-21)."""
import pytest
from hypothesis import given, settings, strategies as st

from marsad.events.dates import event_date, find_dates, prenormalize, resolve

PUB = "2018-04-21"  # a Saturday


@pytest.mark.parametrize("expr,date,precision", [
    ("last week", "2018-04-09", "week"),           # week = the Monday that starts it
    ("earlier this week", "2018-04-16", "week"),
    ("on Tuesday", "2018-04-17", "day"),
    ("last Tuesday", "2018-04-17", "day"),
    ("next Tuesday", "2018-04-24", "day"),
    ("Saturday", "2018-04-21", "day"),             # on or before the publication date
    ("last Saturday", "2018-04-14", "day"),        # strictly before
    ("yesterday", "2018-04-20", "day"),
    ("three days ago", "2018-04-18", "day"),
    ("two weeks ago", "2018-04-02", "week"),
    ("last month", "2018-03-01", "month"),
    ("last year", "2017-01-01", "year"),
    ("in 2011", "2011-01-01", "year"),
    ("on April 7", "2018-04-07", "day"),
    ("on May 7", "2017-05-07", "day"),             # yearless: the most recent one
    ("7 April 2018", "2018-04-07", "day"),
    ("April 7, 2018", "2018-04-07", "day"),
    ("Apr. 7", "2018-04-07", "day"),
    ("in May", "2017-05-01", "month"),
    ("March 2011", "2011-03-01", "month"),
    ("Wed 05 Apr 2017", "2017-04-05", "day"),
    ("2018-04-07", "2018-04-07", "day"),
])
def test_english(expr, date, precision):
    assert resolve(expr, "en", PUB) == (date, precision)


@pytest.mark.parametrize("expr,date,precision", [
    ("أمس", "2018-04-20", "day"),
    ("امس", "2018-04-20", "day"),
    ("بالأمس", "2018-04-20", "day"),
    ("أول أمس", "2018-04-19", "day"),
    ("يوم الثلاثاء", "2018-04-17", "day"),
    ("الثلاثاء الماضي", "2018-04-17", "day"),
    ("السبت الماضي", "2018-04-14", "day"),
    ("الثلاثاء المقبل", "2018-04-24", "day"),
    ("الأسبوع الماضي", "2018-04-09", "week"),
    ("الشهر الماضي", "2018-03-01", "month"),
    ("العام الماضي", "2017-01-01", "year"),
    ("السنة الماضية", "2017-01-01", "year"),
    ("بعد يومين", "2018-04-23", "day"),
    ("قبل ثلاثة أيام", "2018-04-18", "day"),
    ("قبل 3 أيام", "2018-04-18", "day"),
    ("منذ يومين", "2018-04-19", "day"),
    ("7 نيسان 2018", "2018-04-07", "day"),
    ("٧ نيسان ٢٠١٨", "2018-04-07", "day"),
    ("7 أبريل 2018", "2018-04-07", "day"),
    ("شباط", "2018-02-01", "month"),
    ("كانون الثاني", "2018-01-01", "month"),
    ("كانون الأول", "2017-12-01", "month"),
    ("تشرين الأول 2015", "2015-10-01", "month"),
    ("فبراير/شباط", "2018-02-01", "month"),
    ("أبريل (نيسان)", "2018-04-01", "month"),
    ("جانفي 2016", "2016-01-01", "month"),
    ("15 رمضان 1438 هـ", "2017-06-10", "day"),
    ("رمضان 1438", "2017-05-27", "month"),
    ("منذ عام 2011", "2011-01-01", "year"),
    ("في ٢٠١٣", "2013-01-01", "year"),
])
def test_arabic(expr, date, precision):
    assert resolve(expr, "ar", PUB) == (date, precision)


def test_offsets_and_spans_in_text():
    text = "Government forces retook Douma on Tuesday, a week after the talks of 7 April 2018; last month it was calm."
    found = find_dates(text, "en", PUB)
    assert [d["text"] for d in found] == ["Tuesday", "7 April 2018", "last month"]
    for d in found:
        assert text[d["start"]:d["end"]] == d["text"]
        assert 0 < d["confidence"] <= 1


def test_arabic_offsets_cover_diacritics_and_tatweel():
    text = "وفي 15 رمضان 1438 هـ قُتل مدنيون، وأمسِ قصفت الطائرات."
    found = find_dates(text, "ar", PUB)
    assert [d["text"] for d in found] == ["15 رمضان 1438 هـ", "أمسِ"]
    for d in found:
        assert text[d["start"]:d["end"]] == d["text"]


@pytest.mark.parametrize("text", [
    "We said $90 a day was enough.", "You may go now.", "They March on the capital.", "He sat down.",
    "In 12 towns 30 people", "الأب والأم", "مارس الضغط على الحكومة", "شهر رمضان",
])
def test_false_positives(text):
    lang = "ar" if any("\u0600" <= c <= "\u06ff" for c in text) else "en"
    assert find_dates(text, lang, PUB) == []


def test_without_publication_date():
    found = find_dates("The strike came yesterday, not on 7 April 2018.", "en", None)
    assert [(d["text"], d["date"], d["precision"]) for d in found] == [
        ("yesterday", None, "day"), ("7 April 2018", "2018-04-07", "day")]
    assert resolve("الأسبوع الماضي", "ar", None) == (None, "week")


def test_dateparser_fallback_for_numeric_dates():
    assert resolve("07/04/2018", "ar", PUB) == ("2018-04-07", "day")  # day first in Arabic
    assert resolve("07/04/2018", "en", PUB) == ("2018-07-04", "day")  # dateparser's English default


def test_prenormalize():
    assert prenormalize("يوم الثلاثاء المقبل", "ar") == "الثلاثاء القادم"
    assert prenormalize("7 شباط 2018", "ar") == "7 فبراير 2018"


def test_event_date_rule():
    text = ("Published 3 May 2016. Rebels shelled the city. "
            "On Tuesday, an air strike killed 12 civilians in Idlib. The UN condemned it.")
    pub = "2016-05-05"  # a Thursday
    a = text.index("an air strike")
    assert event_date(text, a, a + 13, "en", pub) == ("2016-05-03", "day")  # same sentence: Tuesday
    b = text.index("The UN")
    assert event_date(text, b, b + 6, "en", pub) == ("2016-05-03", "day")  # previous sentence
    c = text.index("Rebels")
    assert event_date(text, c, c + 6, "en", pub) == ("2016-05-03", "day")  # previous sentence: the dateline
    assert event_date("Rebels shelled the city.", 0, 6, "en", pub) == ("2016-05-05", "week")  # fallback
    assert event_date("Rebels shelled the city.", 0, 6, "en", None) == (None, None)


def test_event_date_prefers_date_inside_evidence():
    text = "قصفت الطائرات المدينة يوم الثلاثاء، وكانت المعارك بدأت في شباط."
    a = text.index("قصفت")
    assert event_date(text, a, text.index("،"), "ar", PUB) == ("2018-04-17", "day")


def test_bad_input_never_raises():
    assert find_dates("", "en", PUB) == []
    assert find_dates("last week", "en", "not a date")[0]["date"] is None
    # a language with no months.tsv has no dates: never English rules (issue 18)
    assert find_dates("last week, 7 April 2018", "xx", PUB) == []
    assert resolve("last week", "fr", PUB) == (None, None)
    assert resolve("", "ar", PUB) == (None, None)
    assert event_date("", 0, 0, "en", None) == (None, None)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["en", "ar"]))
def test_property_offsets_index_text(text, lang):
    for d in find_dates(text, lang, PUB):
        assert 0 <= d["start"] < d["end"] <= len(text)
        assert text[d["start"]:d["end"]] == d["text"]
        assert d["precision"] in ("day", "week", "month", "year")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["last week", " and ", "on Tuesday", " 7 April 2018 ", "أمس", " الأسبوع الماضي ",
                                  "x", "،", "7 نيسان 2018", "\u064b", "ـ"]), max_size=12),
       st.sampled_from(["en", "ar"]))
def test_property_offsets_on_date_like_text(parts, lang):
    text = "".join(parts)
    for d in find_dates(text, lang, PUB):
        assert text[d["start"]:d["end"]] == d["text"]
