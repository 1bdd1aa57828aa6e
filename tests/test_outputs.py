"""Output writers: the HTML page is self-contained, right-to-left for Arabic, and never lets article text
become markup."""
import io
import re

import marsad
from marsad.outputs import writer
from marsad.outputs.html import render_spans


def page(*records):
    buf = io.StringIO()
    w = writer("html", buf)
    for r in records:
        w.write(r)
    w.close()
    return buf.getvalue()


def test_hostile_article_cannot_inject_markup():
    evil = '<script>alert(1)</script> <img src=x onerror=alert(2)> "quoted" & done.'
    r = marsad.analyze(evil, title="<b>title</b>", url="javascript:alert(3)", source="<i>src</i>")
    html = page(r)
    assert "<script>" not in html and "<img" not in html and "<b>title" not in html and "<i>src" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    assert "default-src 'none'" in html  # CSP: nothing may load or run even if escaping failed


def test_page_is_self_contained_and_arabic_is_rtl():
    ar = marsad.analyze("قال الجيش إنه دخل المدينة. ثم غادر.")
    en = marsad.analyze("The army entered the town. Then it left.")
    html = page(en, ar)
    assert 'dir="rtl" lang="ar"' in html and 'dir="ltr" lang="en"' in html
    assert "http://" not in html.replace('content="', "") and "https://" not in html
    assert html.count('class="s"') == 4
    assert html.rstrip().endswith("</html>")


def test_render_spans_keeps_tags_balanced_for_overlaps():
    text = "abcdefghij"
    out = render_spans(text, [(0, 6, "s", "sentence 1"), (4, 9, "m", "x"), (2, 3, "m", "y")])
    assert out.count("<span") == out.count("</span>")
    stripped = re.sub(r"<sup[^>]*>.*?</sup>", "", out)
    assert re.sub(r"<[^>]+>", "", stripped) == text


def test_json_array_writer_empty_and_nonempty():
    buf = io.StringIO()
    w = writer("json", buf)
    w.close()
    assert buf.getvalue() == "[]\n"


def test_mentions_are_highlighted_with_legend_and_entity_table():
    r = marsad.analyze("The Syrian army entered Douma. قال الجيش العربي السوري إنه دخل دوما.")
    html = page(r)
    assert 'class="m LOC"' in html and 'class="m ORG"' in html
    assert "Legend:" in html
    assert "<summary>Entities</summary>" in html
    assert "Douma</td><td dir=\"rtl\" lang=\"ar\">دوما</td>" in html


def _record_with_event():
    r = marsad.analyze("The army entered Douma on Saturday. Fighting killed 12 people.", published="2018-04-14")
    douma = next(m for m in r["mentions"] if m["text"] == "Douma")
    r["events"] = [{"type": "Battles", "sub_type": "Government regains territory", "plover": "FIGHT",
                    "actor1": None, "actor2": None, "place": douma["entity"], "date": "2018-04-14",
                    "date_precision": "day", "modality": "asserted", "claimed_by": None, "means": None,
                    "fatalities": {"total": 12, "civilians": None, "children": None, "women": None,
                                   "combatants": None},
                    "evidence": {"start": 0, "end": 35}, "confidence": 0.8}]
    r["techniques"] = [{"technique": "Loaded_Language", "start": 4, "end": 8, "confidence": 0.6}]
    return r


def test_csv_has_acled_columns_and_one_row_per_event():
    import csv

    buf = io.StringIO()
    w = writer("csv", buf)
    w.write(_record_with_event())
    w.write(marsad.analyze("Nothing happened here."))
    w.close()
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert len(rows) == 1
    row = rows[0]
    assert (row["event_type"], row["sub_event_type"], row["location"], row["admin1"], row["time_precision"],
            row["fatalities"], row["modality"]) == ("Battles", "Government regains territory", "Douma",
                                                    "Rif Dimashq", "1", "12", "asserted")
    assert row["notes"] == "The army entered Douma on Saturday."
    assert abs(float(row["latitude"]) - 33.57) < 0.05


def test_geojson_is_a_feature_collection_of_located_events():
    import json

    buf = io.StringIO()
    w = writer("geojson", buf)
    w.write(_record_with_event())
    w.close()
    fc = json.loads(buf.getvalue())
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 1
    lon, lat = fc["features"][0]["geometry"]["coordinates"]
    assert 36 < lon < 37 and 33 < lat < 34
    empty = io.StringIO()
    w = writer("geojson", empty)
    w.close()
    assert json.loads(empty.getvalue())["features"] == []


def test_html_shows_events_techniques_and_a_map():
    html = page(_record_with_event())
    assert "<summary>Events</summary>" in html and "Government regains territory" in html
    assert 'class="t T-Loaded_Language"' in html and 'id="f-Loaded_Language"' in html
    assert "Words with strong emotional charge" in html  # the one-line explanation
    assert "<svg" in html and "Douma" in html.split("<svg", 1)[1]
