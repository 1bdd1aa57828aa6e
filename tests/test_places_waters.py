"""Seas, straits, rivers, lakes and regions (marsad/data/places/regions_waters.tsv): where war news happens that is
no town or admin area, in English and Arabic, without taking the name from an area or a newspaper."""
from __future__ import annotations

import re

import pytest

import marsad
import marsad.places as P
from marsad.places.gazetteer import DATA, FEATURE_RANK, WIDE_FEATURES


def resolved(text: str, name: str) -> tuple[str | None, dict]:
    i = text.index(name)
    ms = [{"start": i, "end": i + len(name), "text": name, "type": "LOC"}]
    ents = P.resolve(ms, text)
    pid = ms[0].get("entity")
    return pid, ents.get(pid) or {}


def test_rows_valid():
    ids = set()
    for ln in (DATA / "regions_waters.tsv").read_text(encoding="utf-8").splitlines():
        if ln.startswith(("#", "id\t")) or not ln.strip():
            continue
        f = ln.split("\t")
        assert len(f) == 14, f[0]
        pid, name, name_ar, _ae, aliases_ar, feature, lat, lon, cc, _a1, prec, _pop, source, same = f
        assert not same or re.fullmatch(r"geonames:\d+", same), pid
        assert pid.startswith("place:") and pid not in ids and name and name_ar and source, pid
        ids.add(pid)
        assert feature in FEATURE_RANK, pid
        # a region lies in one country, unless disputed (the source says so); waters may lie in one
        assert (feature == "region") == bool(cc) or feature in ("strait", "river", "lake", "sea") \
            or "disputed" in source, pid
        assert -90 <= float(lat) <= 90 and -180 <= float(lon) <= 180 and float(prec) > 0, pid
        assert name_ar not in aliases_ar.split("|"), pid
    assert len(ids) > 60


@pytest.mark.parametrize("text, name, pid", [
    ("Houthi forces attacked a ship in the Red Sea near the Bab al-Mandab strait.", "Red Sea", "place:red-sea"),
    ("Houthi forces attacked a ship in the Red Sea near the Bab al-Mandab strait.", "Bab al-Mandab",
     "place:bab-el-mandeb"),
    ("هاجم الحوثيون سفينة في البحر الأحمر قرب باب المندب", "البحر الأحمر", "place:red-sea"),
    ("The Black Sea Fleet withdrew from Sevastopol.", "Black Sea", "place:black-sea"),
    ("Iran seized a tanker in the Strait of Hormuz.", "Strait of Hormuz", "place:strait-of-hormuz"),
    ("احتجزت إيران ناقلة في مضيق هرمز", "مضيق هرمز", "place:strait-of-hormuz"),
    ("SDF fighters east of the Euphrates clashed with militias.", "Euphrates", "place:euphrates"),
    ("قوات سوريا الديمقراطية شرق الفرات", "الفرات", "place:euphrates"),  # was Fürth, Germany
    ("غرق مهاجرون في البحر المتوسط قبالة ليبيا", "البحر المتوسط", "place:mediterranean-sea"),
    ("Tensions in the Middle East rose.", "Middle East", "place:middle-east"),  # not the Maryland village
    ("The Levant and the Balkans.", "Levant", "place:levant"),  # not Levant, Maine
    ("في بلاد الشام والقوقاز والبلقان", "البلقان", "place:balkans"),  # was Bologna
    ("اشتباكات في كشمير", "كشمير", "place:kashmir"),  # was Cashmere, Washington
    ("Jihadists in the Sahel attacked a base.", "Sahel", "place:sahel"),
    ("Fighting in Darfur and Kordofan.", "Darfur", "place:darfur"),
    ("قصف مدفعي على دونباس", "دونباس", "place:donbas"),
    ("قصف على محور فيلادلفيا جنوب قطاع غزة", "محور فيلادلفيا", "place:philadelphi-corridor"),  # was Philadelphia
    ("Fighting in the Nuba Mountains and Jebel Marra.", "Nuba Mountains", "place:nuba-mountains"),
    ("غارات على جبال قنديل", "جبال قنديل", "place:qandil-mountains"),
])
def test_waters_and_regions_resolve(text, name, pid):
    assert resolved(text, name)[0] == pid


def test_an_area_word_names_the_area_not_the_sea():
    pid, e = resolved("Protests in Red Sea state.", "Red Sea")
    assert (e.get("feature"), e.get("country")) == ("admin1", "SD")
    assert resolved("احتجاجات في ولاية البحر الأحمر", "البحر الأحمر")[0] != "place:red-sea"


def test_a_region_in_quotation_marks_is_a_newspaper():
    """«الشرق الأوسط» alone in quotation marks is Asharq al-Awsat; the region unquoted stays the region."""
    text = "قال مصدر لـ«الشرق الأوسط» إن التوتر يتصاعد في الشرق الأوسط."
    ids = [m.get("entity") for m in marsad.analyze(text, profile="fast")["mentions"]]
    assert ids.count("place:middle-east") == 1
    r = marsad.analyze("وأفادت صحيفة الشرق الأوسط بأن التوتر يتصاعد.", profile="fast")
    assert "actor:asharq-al-awsat" in {m.get("entity") for m in r["mentions"]}


def test_wide_places_give_no_nearness_and_are_no_main_place():
    """An event whose clause names the sea is placed there, as wide as a country; the article's main place stays
    the town it names (a sea is context, like a country)."""
    text = ("Houthi forces attacked a cargo ship in the Red Sea on Monday, the group said. "
            "Later, air strikes hit the port of Hodeidah, killing three people.")
    r = marsad.analyze(text, profile="fast")
    by_place = {e["place"]: e for e in r["events"]}
    assert by_place["place:red-sea"]["place_precision"] == 3
    assert r["entities"]["place:red-sea"]["feature"] in WIDE_FEATURES
    hodeidah = [e for e in r["events"] if e["place"] == "geonames:79415"]  # Al Hudaydah
    assert hodeidah and hodeidah[0]["place_precision"] == 1


@pytest.mark.parametrize("text, name, pid", [
    ("Strikes hit the Maghazi camp and al-Mawasi overnight.", "Maghazi", "place:maghazi-camp"),
    ("Strikes hit the Maghazi camp and al-Mawasi overnight.", "al-Mawasi", "place:al-mawasi"),
    ("غارات على مخيم الشاطئ وحي الزيتون والشجاعية", "حي الزيتون", "place:zeitoun-gaza"),
    ("Families fled Khan Younis for Deir al-Balah.", "Deir al-Balah", "geonames:281141"),
])
def test_gaza_camps_and_neighbourhoods(text, name, pid):
    """The camps and neighbourhoods of the Gaza war are curated (supplement.tsv); «الزيتون» alone stays 'olives'."""
    assert resolved(text, name)[0] == pid


def test_khiam_is_a_town_only_where_the_text_makes_it_one():
    """«الخيام» is Khiam (Lebanon) after a place cue or beside a place, and 'the tents' otherwise."""
    assert resolved("قصف على بلدة الخيام جنوب لبنان", "الخيام")[0] == "place:khiam"
    found = marsad.analyze("يعيش النازحون في الخيام منذ أشهر", profile="fast")["mentions"]
    assert not any(m.get("entity") == "place:khiam" for m in found)


def test_a_river_in_a_set_phrase_is_no_place():
    """«النيل من» ('to harm') is no Nile, «النيل منذ» ('the Nile since') still is."""
    def ids(text):
        return [m.get("entity") for m in marsad.analyze(text, profile="fast")["mentions"]]
    assert "place:nile" not in ids("حملات مستمرة لمحاولة النيل من الشعب السوري")
    assert "place:nile" in ids("غرق قارب في النيل منذ أيام")


@pytest.mark.parametrize("text, name, pid, same", [
    ("Tensions in the Middle East rose.", "Middle East", "place:middle-east", "geonames:6269133"),
    ("Jihadists in the Sahel attacked a base.", "Sahel", "place:sahel", "geonames:2425938"),
    ("غرق مهاجرون في البحر المتوسط قبالة ليبيا", "البحر المتوسط", "place:mediterranean-sea", "geonames:363196"),
    ("Shelling across Idlib Governorate and Aleppo.", "Idlib Governorate", "place:idlib-governorate",
     "geonames:169387"),
])
def test_a_place_of_marsads_own_names_the_geonames_feature_it_is(text, name, pid, same):
    """The record keeps marsad's id and names GeoNames' beside it (`geonames`), so GeoNames-coded data joins it."""
    got, e = resolved(text, name)
    assert (got, e.get("geonames")) == (pid, same)


def test_a_name_geonames_gives_two_features_is_linked_to_none():
    """GeoNames lists two Red Seas (350155 and 7577043) in its no-country table: neither is chosen."""
    pid, e = resolved("Houthi forces attacked a ship in the Red Sea.", "Red Sea")
    assert pid == "place:red-sea" and "geonames" not in e


def test_a_town_keeps_no_geonames_field():
    _pid, e = resolved("Shelling hit Aleppo and Homs.", "Homs")
    assert e.get("country") == "SY" and "geonames" not in e


def test_a_bare_ocean_name_is_the_ocean_only_as_a_whole_mention():
    # "the Atlantic" that the NER finds is the ocean, not Atlantic, Iowa (stop_en.txt mode "whole")
    assert resolved("Hurricanes form over the warm tropical Atlantic in August.", "Atlantic")[0] == \
        "place:atlantic-ocean"
    assert resolved("Tuna stocks in the western Pacific fell again this year.", "Pacific")[0] == "place:pacific-ocean"
    # the matcher never finds it in running text: in a longer name it is no ocean
    oceans = {"place:atlantic-ocean", "place:pacific-ocean"}
    assert not [m for m in P.match("Casinos in Atlantic City and the Asia-Pacific region reopened; the Pacific Fleet "
                                   "sailed.") if oceans & set(m["candidates"])]
    assert P.match("Ships crossed the Atlantic Ocean.")[0]["candidates"] == ["place:atlantic-ocean"]  # its full name
    rec = marsad.analyze("Police in Atlantic City, New Jersey, closed the boardwalk on Monday.", profile="fast")
    assert all(m.get("entity") != "place:atlantic-ocean" for m in rec["mentions"])
