"""Property tests: for any Unicode input, every offset indexes the returned text, and bad code points are
rejected with InputError, never a crash."""
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import marsad
from marsad import lang
from marsad.lang.names import NameIndex
from marsad.lang.sentences import split
from marsad.record import validate

# Pieces that break naive text code: bidi marks, zero-width joiners, combining marks, Arabic presentation
# forms and ligatures, emoji with skin tones and ZWJ sequences, tatweel, Arabic and Latin punctuation.
TRICKY = ["\u200f", "\u200e", "\u200d", "\u200c", "\u0651", "\u064e", "\u0301", "ﻻ", "ﷲ", "ﺍﻟﺠﻴﺶ", "👍🏽",
          "👩‍👩‍👧", "ـ", "،", "؟", "«", "»", ". ", "\n", "U.S. ", "Mr. ", "“", "”", "!", "٣", "ß", "İ"]
text_st = st.lists(st.one_of(st.sampled_from(TRICKY), st.text(min_size=1, max_size=8),
                             st.sampled_from(["قال الجيش", "Douma", "البوكمال", "واشنطن"])),
                   min_size=1, max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_st, st.sampled_from([None, "ar", "en", "fr"]))
def test_offsets_index_the_returned_text(text, language):
    try:
        r = marsad.analyze(text, language=language)
    except marsad.InputError as e:
        assert not text.strip() or any(0xD800 <= ord(c) <= 0xDFFF for c in text), e
        return
    assert r["text"] == text
    assert validate(r) == []
    prev = 0
    for s in r["sentences"]:
        assert prev <= s["start"] < s["end"] <= len(text)
        assert text[s["start"]:s["end"]].strip() == text[s["start"]:s["end"]]
        prev = s["end"]


@given(st.text())
def test_lone_surrogates_are_rejected_cleanly(text):
    bad = text + "\udc80"
    try:
        marsad.analyze(bad)
    except marsad.InputError as e:
        assert "lone surrogate" in str(e) or "empty" in str(e)
    else:
        raise AssertionError("a lone surrogate was accepted")


@settings(max_examples=200, deadline=None)
@given(text_st)
def test_fold_offsets_are_monotone_and_in_range(text):
    for code in ("ar", "en", "xx"):
        f = lang.get(code).fold(text)
        assert len(f.offsets) == len(f.text) + 1
        assert all(0 <= a <= b <= len(text) for a, b in zip(f.offsets, f.offsets[1:]))


@settings(max_examples=150, deadline=None)
@given(text_st, st.sampled_from(["", "و", "ب", "ل", "وال", "لل"]))
def test_name_matches_index_the_text(text, clitic):
    ix = NameIndex()
    for name in ("البوكمال", "الجيش العربي السوري", "Douma", "US", "واشنطن"):
        ix.add(name, name)
    full = text + " " + clitic + "واشنطن " + text
    for m in ix.find(full):
        assert 0 <= m.start < m.end <= len(full)
        assert full[m.start:m.end].strip() == full[m.start:m.end]
    assert any(m.payloads == ("واشنطن",) for m in ix.find(full))


@given(st.text(alphabet=string.ascii_letters + " .", min_size=1))
def test_english_sentences_cover_all_words(text):
    spans = split(text, lang.get("en"))
    covered = "".join(text[a:b] for a, b in spans)
    assert covered.replace(" ", "") == text.replace(" ", "")


span_st = st.tuples(st.integers(0, 30), st.integers(0, 30), st.sampled_from(["s", "m PER", "m LOC"]),
                    st.text(max_size=5)).map(lambda t: (min(t[0], t[1]), max(t[0], t[1]), t[2], t[3]))


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=30), st.lists(span_st, max_size=8))
def test_rendered_spans_are_well_formed_and_keep_the_text(text, spans):
    import html as htmllib
    import re

    from marsad.outputs.html import render_spans

    out = render_spans(text, spans)
    depth = 0
    for tag in re.findall(r"</?span", out):
        depth += 1 if tag == "<span" else -1
        assert depth >= 0
    assert depth == 0
    body = re.sub(r"<sup[^>]*>.*?</sup>", "", out, flags=re.S)
    assert htmllib.unescape(re.sub(r"<[^>]+>", "", body)) == text


@settings(max_examples=300, deadline=None)
@given(text_st)
def test_fast_fold_equals_the_per_character_fold(text):
    for code in ("ar", "en", "xx"):
        profile = lang.get(code)
        out, offs = [], []
        profile._fold_chars(text, 0, len(text), out, offs)
        folded = profile.fold(text)
        assert folded.text == "".join(out)
        assert list(folded.offsets) == offs + [len(text)]
    matching = lang.fold_for_matching(text)
    assert len(matching.offsets) == len(matching.text) + 1
