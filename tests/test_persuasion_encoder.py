"""The persuasion score's encoder component and the v2 score (marsad/techniques/persuasion_encoder.py, issue 17):
a sentence and its translation read alike, the fast profile keeps the v1 rule, the record's new fields, and the
outlet profiles and corrections that recompute the score. Real models, real encoder; no mocks."""
from __future__ import annotations

import pytest

from marsad.record import validate
from marsad.techniques import persuasion as P
from marsad.techniques import persuasion_encoder as PE

pytestmark = pytest.mark.skipif(not PE.MODEL.exists(), reason="no encoder model shipped")

# (English, its Arabic translation): one loaded, one a plain wire sentence
LOADED = ("These bloodthirsty criminals must be wiped out before they slaughter every last one of our children!",
          "يجب القضاء على هؤلاء المجرمين المتعطشين للدماء قبل أن يذبحوا آخر طفل من أطفالنا!")
PLAIN = ("The ministry said on Tuesday that talks between the two delegations would resume next week in Geneva.",
         "قالت الوزارة يوم الثلاثاء إن المحادثات بين الوفدين ستستأنف الأسبوع المقبل في جنيف.")


def _component(text: str, lang: str) -> float:
    from marsad import lang as L
    from marsad import techniques
    from marsad.lang.sentences import split

    docs: list = []
    techniques.detect(text, split(text, L.get(lang)), lang, profile="accurate", docs=docs)
    return PE.document_component(text, docs, lang)


def test_a_sentence_and_its_translation_get_close_components():
    en_l, ar_l = _component(LOADED[0], "en"), _component(LOADED[1], "ar")
    en_p, ar_p = _component(PLAIN[0], "en"), _component(PLAIN[1], "ar")
    got = (en_l, ar_l, en_p, ar_p)
    assert min(en_l, ar_l) > 0.5 > max(en_p, ar_p), got  # the loaded one is persuasive in both, the plain one not
    # a text and its translation sit closer than the two texts in either language (here 0.26 and 0.02 apart,
    # against 0.88 and 0.61)
    gap = min(en_l - en_p, ar_l - ar_p)
    assert abs(en_l - ar_l) < 0.5 * gap and abs(en_p - ar_p) < 0.5 * gap, got


def test_party_names_are_masked_before_the_encoder_reads():
    """Which side is named changes nothing: the names are one placeholder, as for the technique models."""
    a = _component("The Syrian army shelled Douma again, the monitor said.", "en")
    b = _component("The Free Syrian Army shelled Aleppo again, the monitor said.", "en")
    assert a == b


def test_the_accurate_profile_writes_v2_and_the_fast_profile_keeps_v1():
    import marsad

    text = ("The so-called peace plan is a blatant lie, and the criminal regime knows it. Residents fled.")
    acc = marsad.analyze(text, language="en", profile="accurate")
    fast = marsad.analyze(text, language="en", profile="fast")
    for rec in (acc, fast):
        assert validate(rec) == []
    pa, pf = acc["persuasion"], fast["persuasion"]
    assert pf["method"] == P.METHOD and "encoder" not in pf and "technique_score" not in pf
    assert pa["method"] == P.METHOD_V2
    assert 0 <= pa["encoder"] <= 1 and 0 <= pa["technique_score"] <= 1 and 0 <= pa["score"] <= 1
    # the v1 parts keep their meaning: the rate, the families and the v1 score from the same spans
    v1 = P.persuasion({k: acc[k] for k in ("text", "language", "sentences", "techniques")})
    assert pa["technique_score"] == v1["score"] and pa["per_1000_words"] == v1["per_1000_words"]
    assert pa["families"] == v1["families"] and v1["method"] == P.METHOD
    assert pa["score"] == round(PE.blend(pa["technique_score"], pa["encoder"], PE.model()["blend"]), 4)
    assert pa == P.persuasion(acc)  # recomputed from the record: the component is kept


def test_arabic_accurate_records_get_v2():
    import marsad

    rec = marsad.analyze(LOADED[1], language="ar", profile="accurate")
    assert validate(rec) == [] and rec["persuasion"]["method"] == P.METHOD_V2


def test_the_new_fields_validate():
    from test_persuasion_score import SENT, _butchers, _full_record, _record

    rec = _record(SENT, [_butchers()])
    rec["persuasion"] = P.persuasion(rec, encoder=0.7)
    assert rec["persuasion"]["method"] == P.METHOD_V2 and validate(_full_record(rec)) == []
    for bad in ({"encoder": 1.5}, {"technique_score": -0.1}):
        broken = dict(rec, persuasion={**rec["persuasion"], **bad})
        assert any(next(iter(bad)) in p for p in validate(_full_record(broken))), bad


def test_a_correction_keeps_the_encoder_component():
    from marsad.corpus.corrections import apply_corrections
    from test_persuasion_score import SENT, _butchers, _full_record, _record

    rec = _full_record(_record(SENT, [_butchers()]))
    rec["persuasion"] = P.persuasion(rec, encoder=0.6)
    sp = rec["techniques"][0]
    fixed = apply_corrections(rec, [{"id": 1, "doc_id": "x", "target": "technique", "target_start": sp["start"],
                                     "target_end": sp["end"], "target_n": 0, "field": "deleted",
                                     "old_value": "false", "new_value": "true"}])
    p = fixed["persuasion"]
    assert p["encoder"] == 0.6 and p["technique_score"] == 0 and p["method"] == P.METHOD_V2
    assert p["score"] < rec["persuasion"]["score"] and validate(fixed) == []


def test_outlet_profiles_pool_the_component(tmp_path):
    from marsad.corpus import Corpus
    from marsad.corpus.compare import profiles

    docs = [{"id": "p1", "source": "partisan", "language": "en", "text": LOADED[0] + " Wake up!"},
            {"id": "w1", "source": "wire", "language": "ar", "text": PLAIN[1]}]
    with Corpus(str(tmp_path / "p.db")) as c:
        assert c.ingest(docs, options={"profile": "accurate"}).added == 2
        ps = profiles(c)
    for outlet in ("partisan", "wire"):
        pe = ps[outlet]["persuasion"]
        assert {"score", "per_1000_words", "families", "encoder", "technique_score"} <= set(pe)
    assert ps["partisan"]["persuasion"]["score"] > ps["wire"]["persuasion"]["score"]


def test_language_directions_are_projected_out_before_the_model_reads():
    """A model with `proj` (persuasion_language.py's k) reads no part of a vector along the directions in which
    texts and their translations differ; the main direction of a constant shift is that shift."""
    import numpy as np

    rng = np.random.default_rng(0)
    base = rng.normal(size=(50, 8)).astype(np.float32)
    shift = np.zeros(8, np.float32)
    shift[2] = 3.0
    en, ar = base + shift + 0.01 * rng.normal(size=(50, 8)), base
    P_ = PE.language_directions(en, ar, 1)
    assert P_.shape == (1, 8) and abs(abs(P_[0, 2]) - 1) < 1e-3
    assert PE.language_directions(en, ar, 0).shape == (0, 8)
    model = {"means": {"*": np.zeros(8, np.float32)}, "proj": P_}
    u_en, u_ar = PE.unit(en, "en", model), PE.unit(ar, "ar", model)
    assert np.abs(u_en[:, 2]).max() < 0.01 and np.allclose(u_en, u_ar, atol=0.02)
    assert np.allclose(np.linalg.norm(u_en, axis=1), 1, atol=1e-5)
    # without proj (the shipped model's k 0), unit only centres and normalises
    plain = PE.unit(en, "en", {"means": {"*": np.zeros(8, np.float32)}})
    assert np.allclose(plain, en / np.linalg.norm(en, axis=1, keepdims=True), atol=1e-6)


def test_the_shipped_model_says_how_its_language_neutrality_was_chosen():
    """The model file records its choice (persuasion_language.py choose, blend; card persuasion-encoder.md): the
    C, the k language directions and the penalty lam, and the blend's cross-validated figures on training data."""
    m = PE.model()
    assert {"C", "k", "lam", "blend", "cv_auc_blend", "cv_spearman_train_pairs"} <= set(m)
    assert m["k"] == 0 or m["proj"].shape == (m["k"], len(m["coef"]))
    cv = m["cv_auc_blend"]["blend"]
    assert min(cv.values()) >= 0.75 and m["cv_spearman_train_pairs"]["blend"] >= 0.6, m
    # v1 and the encoder both count: a persuasive technique rate raises the score at any encoder value
    assert m["blend"][1] > 0 and m["blend"][2] > 0


def test_a_loaded_text_and_its_translation_score_alike_and_above_plain_ones():
    """The v2 score (accurate) of a text and of its translation: the loaded pair above the plain pair in both
    languages, and each pair closer than the loaded and plain texts of either language."""
    import marsad

    s = {(k, lang): marsad.analyze(t, language=lang, profile="accurate")["persuasion"]["score"]
         for k, pair in (("loaded", LOADED), ("plain", PLAIN)) for lang, t in zip(("en", "ar"), pair)}
    gap = min(s["loaded", "en"] - s["plain", "en"], s["loaded", "ar"] - s["plain", "ar"])
    assert gap > 0.5, s
    assert abs(s["loaded", "en"] - s["loaded", "ar"]) < 0.5 * gap and abs(s["plain", "en"] - s["plain", "ar"]) < 0.1, s
