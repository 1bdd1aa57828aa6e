"""Language profiles, normalisation for matching, sentence rules, language identification."""
from marsad import lang
from marsad.lang.detect import detect
from marsad.lang.sentences import split

EN, AR = lang.get("en"), lang.get("ar")


def sents(text, profile):
    return [text[a:b] for a, b in split(text, profile)]


def test_arabic_fold_removes_diacritics_tatweel_and_unifies_letters():
    f = AR.fold("الإرهابيّين ــ أُسامة إلى ١٢٣")
    assert f.text == "الارهابيين  اسامه الي 123"
    assert len(f.offsets) == len(f.text) + 1


def test_fold_offsets_point_back_into_the_original():
    text = "قالَ: «الجيشُ» ﻻ"
    f = AR.fold(text)
    for i, ch in enumerate(f.text):
        assert text[f.offsets[i]] in (ch, "ﻻ") or AR.fold(text[f.offsets[i]]).text.find(ch) >= 0
    k = f.text.index("الجيش")
    a, b = f.span(k, k + len("الجيش"))
    assert text[a:b].startswith("الجيش")


def test_presentation_form_ligature_folds_to_two_letters():
    f = AR.fold("ﻻ")
    assert f.text == "لا" and f.offsets == (0, 0, 1)


def test_english_fold_casefolds_and_unifies_quotes():
    assert EN.normalize("The “U.S.” Army’s") == 'the "u.s." army\'s'


def test_unknown_language_gets_generic_profile():
    p = lang.get("fr")
    assert p.name == "Other" and "." in p.terminators
    assert set(lang.supported()) >= {"ar", "en"}


def test_english_abbreviations_do_not_end_sentences():
    text = "Mr. Smith met U.S. officials on Jan. 5. He left. Gen. Smith said so! Then St. Louis."
    assert sents(text, EN) == ["Mr. Smith met U.S. officials on Jan. 5.", "He left.", "Gen. Smith said so!",
                               "Then St. Louis."]


def test_english_initialism_at_sentence_end_splits_before_a_sentence_starter():
    assert sents("Troops left the U.S. The war went on.", EN) == ["Troops left the U.S.", "The war went on."]


def test_english_quotes_and_lowercase_continuation():
    text = 'He left. "Did he?" she asked. J. Doe said “We will fight. We will win.” Done.'
    assert sents(text, EN) == ["He left.", '"Did he?" she asked.', "J. Doe said “We will fight. We will win.”",
                               "Done."]


def test_arabic_comma_and_semicolon_do_not_end_sentences():
    text = "قال المسؤول، إن الجيش تقدم؛ ثم توقف. هل هذا صحيح؟ نعم!"
    assert sents(text, AR) == ["قال المسؤول، إن الجيش تقدم؛ ثم توقف.", "هل هذا صحيح؟", "نعم!"]


def test_arabic_guillemets_keep_quoted_sentences_together():
    text = "وأضاف «لن نتراجع. سنقاتل». ثم غادر. قال «نعم» وذهب."
    assert sents(text, AR) == ["وأضاف «لن نتراجع. سنقاتل».", "ثم غادر.", "قال «نعم» وذهب."]


def test_unclosed_quote_does_not_swallow_the_paragraph():
    text = "قال «" + "كلمة " * 120 + ". جملة ثانية."
    assert len(sents(text, AR)) == 2


def test_paragraph_breaks_end_sentences_but_hard_wraps_do_not_in_english():
    assert sents("عنوان بلا نقطة\nنص الخبر.", AR) == ["عنوان بلا نقطة", "نص الخبر."]
    assert sents("Headline\nThe army\nentered the town.", EN) == ["Headline", "The army\nentered the town."]


def test_spans_are_trimmed_and_ordered():
    text = "  First one.   Second one.  \n\n  Third  "
    spans = split(text, EN)
    assert [text[a:b] for a, b in spans] == ["First one.", "Second one.", "Third"]
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))


def test_detect_arabic_english_and_letterless_text():
    assert detect("خاصة مع ضياع البوصلة الاميركية بعد نصر البوكمال")[0] == "ar"
    assert detect("Douma was liberated last week, right after Washington bombed Syria")[0] == "en"
    assert detect("12345 !!! 🙂") == ("und", 0.0)
