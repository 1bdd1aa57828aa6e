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
