"""The technique model of the accurate profile (marsad/techniques/encoder_features.py): what the encoder reads
(party names masked, one placeholder each), the CRF attributes and sentence features it adds, a bundle trained
with them (marsad.train.techniques with encoder vectors) and how the profiles choose their bundle."""
from __future__ import annotations

import numpy as np
import pytest

from marsad import techniques as T
from marsad.techniques import encoder_features as EF
from marsad.techniques import model as M

A = "The Syrian army shelled the brutal rebels in Douma. Witnesses described a horrific massacre."
B = "The Free Syrian Army shelled the brutal rebels in Douma. Witnesses described a horrific massacre."


def doc_of(text: str, name: str) -> T.Doc:
    a = text.index(name)
    first = text.index(".") + 1
    return T.Doc(text, [(0, first), (first + 1, len(text))], "en", names=[(a, a + len(name), "NAME")])


def test_encoder_reads_masked_names_as_one_placeholder():
    da, db = doc_of(A, "Syrian army"), doc_of(B, "Free Syrian Army")
    ta, sa = EF.masked_sentence(da, 0)
    tb, sb = EF.masked_sentence(db, 0)
    P = EF.PLACEHOLDER  # "rebels" too: a group word of the lexicon
    assert ta == tb == f"{P} shelled the brutal {P} in Douma."
    assert "Syrian" not in ta
    # each token's span in the encoder's text holds that token's text (or the placeholder)
    for (s, e), (x, y), m in zip(da.tokens[0], sa, da.masks[0]):
        assert ta[x:y] == (EF.PLACEHOLDER if m else A[s:e])


def test_encoded_states_do_not_depend_on_the_side_named():
    groups = ((6, 7, 8, 9),)
    ea = EF.encode(doc_of(A, "Syrian army"), groups)
    eb = EF.encode(doc_of(B, "Free Syrian Army"), groups)
    assert len(ea) == len(eb) == 2
    for x, y, n in zip(ea, eb, [len(t) for t in doc_of(A, "Syrian army").tokens]):
        assert x["tokens"][groups[0]].shape == (n, 384)
        np.testing.assert_allclose(x["tokens"][groups[0]], y["tokens"][groups[0]], atol=1e-5)
        np.testing.assert_allclose(x["sentence"][groups[0]], y["sentence"][groups[0]], atol=1e-5)
    assert not np.allclose(ea[0]["sentence"][groups[0]], ea[1]["sentence"][groups[0]])


def test_projection_and_crf_items():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 20)) @ rng.normal(size=(20, 20)) + 3.0
    proj = EF.fit_projection(X, 5)
    Z = EF.project(proj, X)
    assert Z.shape == (500, 5)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-3)
    np.testing.assert_allclose(Z.std(axis=0), 1, atol=1e-2)
    items = EF.crf_items([["bias", "w=x"], ["bias", "w=y"]], Z[:2], weight=2.0)
    assert items[0]["w=x"] == 1.0 and "w=y" not in items[0]
    assert items[1][f"{EF.PREFIX}4"] == pytest.approx(2.0 * Z[1, 4], rel=1e-5)


def test_sentence_features_unit_rows_and_article_mean():
    V = np.array([[1.0, 0.0], [0.0, 2.0], [3.0, 3.0]], np.float32)
    cfg = {"sentence_mean": np.zeros(2, np.float32), "sentence_weight": 1.0, "doc_weight": 2.0}
    F = EF.sentence_features(cfg, V, [0, 0, 1])
    assert F.shape == (3, 4)
    np.testing.assert_allclose(np.linalg.norm(F[:, :2], axis=1), 1.0, atol=1e-6)
    np.testing.assert_allclose(F[0, 2:], F[1, 2:])  # the same article: the same mean
    np.testing.assert_allclose(F[2, 2:], 2.0 * F[2, :2], atol=1e-6)  # alone in its article


def _examples():
    from marsad.train.techniques import Example

    words = ["brutal", "horrific", "barbaric", "savage", "monstrous", "vicious", "evil", "cruel"]
    out = []
    for i in range(24):
        w = words[i % len(words)]
        t = (f"The {w} attack on the town killed {i + 2} people. Officials met on Monday to discuss the budget. "
             f"Such a {w} crime shocks everyone.")
        spans = [(t.index(w), t.index(w) + len(w), "Loaded_Language"),
                 (t.rindex(w), t.rindex(w) + len(w), "Loaded_Language")]
        out.append(Example(f"d{i}", t, spans))
    return out


def test_trained_bundle_runs_on_raw_text_and_is_even_handed(monkeypatch, tmp_path):
    from marsad.train import techniques as TT
    from marsad.train.technique_vectors import DocumentVectors

    data = _examples()
    vectors = DocumentVectors(groups=((6, 7, 8, 9),), cache=tmp_path / "v.pkl")
    vectors.ensure((ex.id, TT.make_doc(ex, "en")) for ex in data)
    assert (tmp_path / "v.pkl").exists() and DocumentVectors(((6, 7, 8, 9),), tmp_path / "v.pkl").table.keys() == vectors.table.keys()
    from marsad.train import technique_fit
    monkeypatch.setattr(technique_fit, "VECTORS", vectors)  # what --encoder-cache sets
    params = {"iterations": 20, "minfreq": 1, "sentence_mode": "all", "threshold_shift": 0.0, "min_positives": 4,
              "encoder": {"crf_group": [6, 7, 8, 9], "sentence_group": [6, 7, 8, 9], "dims": 8,
                          "sentence_weight": 1.0, "doc_weight": 1.0}}
    bundle = TT.train_bundle("en", data, [], params, log=lambda m: None)
    cfg = bundle["encoder"]
    assert cfg["crf"]["components"].shape == (8, 384) and len(cfg["sentence_mean"]) == 384
    model = T.Model(bundle)
    assert model.sent["W"].shape[1] > 2 * 384  # TF-IDF columns + the sentence vector + its article mean
    # at run time the document has no cached states: the model encodes its masked sentences itself
    da, db = doc_of(A, "Syrian army"), doc_of(B, "Free Syrian Army")
    sa, sb = model.detect(da), model.detect(db)
    assert da.crf_vectors is not None and da.crf_vectors[0].shape == (len(da.tokens[0]), 8)
    assert isinstance(da.crf_items(0)[0], dict) and "v0" in da.crf_items(0)[0]
    # the same spans, whichever side is named (their text with the name put back as "N")
    assert sa and sorted((s["technique"], A[s["start"]:s["end"]].replace("Syrian army", "N")) for s in sa) == \
        sorted((s["technique"], B[s["start"]:s["end"]].replace("Free Syrian Army", "N")) for s in sb)
    for w in ("brutal", "horrific"):  # the loaded words it was trained on are found in unseen sentences
        assert any(s["technique"] == "Loaded_Language" and s["start"] <= A.index(w) < s["end"] for s in sa), sa


def test_profiles_choose_their_bundle(monkeypatch, tmp_path):
    M._model.cache_clear()
    monkeypatch.setenv("MARSAD_TECHNIQUES_E5_MODEL_EN", str(tmp_path / "none.joblib"))
    try:
        assert M.model_path("en", "accurate") == tmp_path / "none.joblib"
        assert M.model_path("en") == M.MODELS / "techniques-en.joblib"
        # no encoder bundle: the accurate profile falls back to the fast model
        assert T.load("en", "accurate") is T.load("en") is not None
        assert "encoder" not in T.load("en").bundle
    finally:
        M._model.cache_clear()


def _arabic_examples():
    from marsad.train.techniques import Example

    words = ["الوحشي", "المروع", "الهمجي", "الشنيع"]
    data, extra = [], []
    for i in range(16):
        w = words[i % len(words)]
        t = f"أدى الهجوم {w} على البلدة إلى مقتل {i + 2} أشخاص. اجتمع المسؤولون يوم الاثنين لمناقشة الميزانية."
        data.append(Example(f"p{i}", t, [(t.index(w), t.index(w) + len(w), "Loaded_Language")]))
        # a task 1B text (one sentence, document labels) with a span paragraph's id, as ArAIEval's train has
        extra.append(Example(f"p{i}", f"هذا العمل {w} يصدم الجميع.", [], {"Loaded_Language"}, "doc"))
    return data, extra


def test_arabic_bundle_reads_the_other_texts_encoder_vectors(monkeypatch, tmp_path):
    """Arabic's sentence classifier also trains on texts with no spans (task 1B, translated snippets): the
    cache keys them by kind (a 1B text may share a span paragraph's id) and their one sentence's vector joins
    the classifier's rows; a text the cache lacks is encoded when the bundle is trained."""
    from marsad.train import technique_fit
    from marsad.train import techniques as TT
    from marsad.train.technique_vectors import DocumentVectors

    data, extra = _arabic_examples()
    vectors = DocumentVectors(groups=((6, 7, 8, 9),), cache=tmp_path / "v.pkl")
    vectors.ensure((technique_fit.vector_key(ex), TT.make_doc(ex, "ar")) for ex in data + extra[:-1])
    assert {"p0", "doc:p0"} <= vectors.table.keys() and "doc:p15" not in vectors.table
    assert len(vectors("doc:p0")) == 1 and len(vectors("p0")) == 2  # one sentence; the paragraph's two
    monkeypatch.setattr(technique_fit, "VECTORS", vectors)
    params = {"iterations": 20, "minfreq": 1, "sentence_mode": "all", "threshold_shift": 0.0, "min_positives": 4,
              "encoder": {"crf_group": [6, 7, 8, 9], "sentence_group": [6, 7, 8, 9], "dims": 8,
                          "sentence_weight": 1.0, "doc_weight": 1.0}}
    bundle = TT.train_bundle("ar", data, extra, params, log=lambda m: None)
    model = T.Model(bundle)
    assert model.sent["W"].shape[1] > 2 * 384
    text = "وصف الشهود الهجوم الوحشي على القرية. عاد السكان إلى منازلهم."
    first = text.index(".") + 1
    spans = model.detect(T.Doc(text, [(0, first), (first + 1, len(text))], "ar"))
    assert any(s["technique"] == "Loaded_Language" and s["start"] <= text.index("الوحشي") < s["end"] for s in spans), spans


def test_arabic_accurate_profile_reads_its_encoder_bundle():
    """The shipped techniques-ar-e5.joblib: the accurate profile's Arabic model reads the encoder; the fast
    profile keeps techniques-ar.joblib (no encoder part)."""
    M._model.cache_clear()
    try:
        assert M.model_path("ar", "accurate") == M.MODELS / "techniques-ar-e5.joblib"
        assert M.model_path("ar") == M.MODELS / "techniques-ar.joblib"
        accurate, fast = T.load("ar", "accurate"), T.load("ar")
        assert accurate is not fast and "encoder" in accurate.bundle and "encoder" not in fast.bundle
        # the CRF reads 128 PCA dimensions of the token states (64 before stop 38; chosen by ArMPro CV)
        assert accurate.bundle["encoder"]["crf"]["components"].shape == (128, 384)
        text = "وصف الشهود الهجوم الوحشي على القرية بأنه مجزرة مروعة. إن هذا النظام الإرهابي المجرم لا يعرف إلا لغة القتل."
        first = text.index(".") + 1
        sentences = [(0, first), (first + 1, len(text))]
        spans = T.detect(text, sentences, "ar", profile="accurate")
        at = text.index("مروعة")
        assert any(s["technique"] == "Loaded_Language" and s["start"] <= at < s["end"] for s in spans), spans
        assert spans != T.detect(text, sentences, "ar", profile="fast")  # two models
    finally:
        M._model.cache_clear()


def test_a_long_document_encoded_in_chunks_gives_the_same_vectors(monkeypatch):
    # repeated and distinct sentences: each distinct one is encoded once, a chunk at a time
    sentences = ["The Syrian army shelled the brutal rebels in Douma.", "Witnesses described a horrific massacre.",
                 "The Syrian army shelled the brutal rebels in Douma.", "Aid trucks were turned back at the border."]
    text = " ".join(sentences)
    bounds, pos = [], 0
    for s in sentences:
        bounds.append((pos, pos + len(s)))
        pos += len(s) + 1
    doc = T.Doc(text, bounds, "en", names=[])
    groups = ((6, 7, 8, 9),)
    whole = EF.encode(doc, groups)
    monkeypatch.setattr(EF, "MAX_CHARS", 10)  # one sentence per chunk
    chunked = EF.encode(doc, groups)
    assert len(whole) == len(chunked) == 4
    for x, y in zip(whole, chunked):  # equal up to float32 rounding (a batch's shape changes the sums' order)
        np.testing.assert_allclose(x["tokens"][groups[0]], y["tokens"][groups[0]], atol=1e-5)
        np.testing.assert_allclose(x["sentence"][groups[0]], y["sentence"][groups[0]], atol=1e-5)
    np.testing.assert_array_equal(chunked[0]["sentence"][groups[0]], chunked[2]["sentence"][groups[0]])


def test_a_fold_never_trains_on_another_copy_of_its_held_out_paragraphs():
    from marsad.train.technique_data import Example
    from marsad.train.technique_fit import extra_without

    held = [Example("p1", "نص الفقرة الأولى"), Example("p2", "فقرة ثانية")]
    extra = [Example("p1", "نص الفقرة الأولى", labels={"Doubt"}, kind="doc"),  # the same paragraph, as 1B has it
             Example("x9", " فقرة ثانية ", labels=set(), kind="doc"),  # the same text under another id
             Example("x3", "نص آخر", labels=set(), kind="doc")]
    assert [x.id for x in extra_without(extra, held)] == ["x3"]
