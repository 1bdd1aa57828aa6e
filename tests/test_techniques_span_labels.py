"""The span label model of the accurate profile (marsad/techniques/span_labels.py): fitted on gold spans' encoder
vectors, it tells which technique a span is; a bundle trained with it gives the re-scorer that probability for
each candidate, and a masked party name reads the same whichever side it names."""
from __future__ import annotations

import numpy as np

from marsad import techniques as T
from marsad.techniques import encoder_features as EF
from marsad.techniques import rescore, span_labels

GROUP = (6, 7, 8, 9)
LOADED = ["brutal", "horrific", "barbaric", "savage", "monstrous", "vicious"]
FLAGS = ["for the glory of our nation", "for our beloved homeland", "for the honour of our people"]


def _examples():
    from marsad.train.technique_data import Example

    out = []
    for i in range(18):
        w, f = LOADED[i % len(LOADED)], FLAGS[i % len(FLAGS)]
        t = f"The {w} attack on the town killed {i + 2} people. We will fight {f}. Officials met on Monday."
        out.append(Example(f"d{i}", t, [(t.index(w), t.index(w) + len(w), "Loaded_Language"),
                                        (t.index(f), t.index(f) + len(f), "Flag_Waving")]))
    return out


def _encoded(ex):
    from marsad.train.technique_fit import make_doc

    doc = make_doc(ex, "en")
    doc.encoded = EF.encode(doc, (GROUP,))
    return doc


def test_span_label_model_tells_techniques_apart():
    data = _examples()
    train = [(_encoded(ex), ex.spans) for ex in data[:12]]
    part = span_labels.fit(train, GROUP, C=1.0)
    assert part["techniques"] == ["Flag_Waving", "Loaded_Language"] and part["W"].shape == (2, 2 * 384)
    assert span_labels.fit(train, GROUP, min_count=13) is None  # each technique has 12 spans: fewer than two kept
    right = 0
    for ex in data[12:]:  # held-out documents: their gold spans, and each span given the other label
        doc = _encoded(ex)
        P = span_labels.probabilities(part, doc, [(s, e) for s, e, _t in ex.spans])
        np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-5)
        right += sum(part["techniques"][int(p.argmax())] == t for p, (_s, _e, t) in zip(P, ex.spans))
        cands = [{"start": s, "end": e, "technique": t, "feats": {}} for s, e, t in ex.spans] + \
                [{"start": s, "end": e, "technique": u, "feats": {}} for (s, e, t), u in
                 zip(ex.spans, ["Flag_Waving", "Loaded_Language"])] + \
                [{"start": ex.spans[0][0], "end": ex.spans[0][1], "technique": "Doubt", "feats": {}}]
        span_labels.features(part, doc, cands)
        for c in cands:
            assert set(span_labels.FEATURES) <= c["feats"].keys()
        assert cands[0]["feats"]["lab_p"] > cands[2]["feats"]["lab_p"]  # the gold label beats the other one
        assert cands[0]["feats"]["lab_rank"] == 0 and cands[0]["feats"]["lab_share"] == 1.0
        assert cands[4]["feats"]["lab_p"] == 0.0  # a technique the model lacks
    assert right == 12


def test_bundle_with_span_labels_feeds_the_rescorer_and_is_even_handed(monkeypatch, tmp_path):
    from marsad.train import technique_fit
    from marsad.train import techniques as TT
    from marsad.train.technique_vectors import DocumentVectors

    data = _examples()
    vectors = DocumentVectors(groups=(GROUP,), cache=tmp_path / "v.pkl")
    vectors.ensure((ex.id, TT.make_doc(ex, "en")) for ex in data)
    monkeypatch.setattr(technique_fit, "VECTORS", vectors)
    params = {"iterations": 20, "minfreq": 1, "sentence_mode": "all", "threshold_shift": 0.0, "min_positives": 4,
              "span_labels": 0.3, "encoder": {"crf_group": list(GROUP), "sentence_group": list(GROUP), "dims": 8,
                                              "sentence_weight": 1.0, "doc_weight": 1.0}}
    bundle = TT.train_bundle("en", data, [], params, log=lambda m: None)
    assert bundle["span_labels"]["techniques"] == ["Flag_Waving", "Loaded_Language"]
    model = T.Model(bundle)
    # a raw text (no cached states): the model encodes it; names of either side masked as one placeholder
    a = "The Syrian army shelled the savage town. They fight for our beloved homeland."
    b = "The Free Syrian Army shelled the savage town. They fight for our beloved homeland."

    def cands_of(text, name):
        first = text.index(".") + 1
        i = text.index(name)
        doc = T.Doc(text, [(0, first), (first + 1, len(text))], "en", names=[(i, i + len(name), "NAME")])
        return rescore.candidates(model, doc)

    ca, cb = cands_of(a, "Syrian army"), cands_of(b, "Free Syrian Army")
    assert ca and all("lab_p" in c["feats"] for c in ca)
    assert [(c["technique"], a[c["start"]:c["end"]].replace("Syrian army", "N")) for c in ca] == \
        [(c["technique"], b[c["start"]:c["end"]].replace("Free Syrian Army", "N")) for c in cb]
    for x, y in zip(ca, cb):
        for k in span_labels.FEATURES:
            assert abs(x["feats"][k] - y["feats"][k]) < 1e-4, (k, x, y)
    # the re-scorer fitted on such candidates reads the span label columns
    for c in ca + cb:
        c["y"], c["r"] = float(c["technique"] == "Loaded_Language"), 0.0
    fitted = rescore.fit(ca + cb, T.TECHNIQUES, max_iter=5)
    assert set(span_labels.FEATURES) <= set(fitted["features"])
    assert "lab_p" not in rescore.feature_names(T.TECHNIQUES)


def test_shipped_arabic_accurate_bundle_has_the_span_label_model():
    """techniques-ar-e5.joblib (trained with --span-labels 0.3 --label-twins 1): its re-scorer reads the label
    model's columns, on the CRF's layers."""
    from marsad.techniques import model as M

    M._model.cache_clear()
    try:
        model = M._model("ar", "accurate")
        part = model.bundle["span_labels"]
        assert part["group"] == model.bundle["encoder"]["crf_group"] and len(part["techniques"]) > 10
        assert part["W"].shape == (len(part["techniques"]), 2 * len(model.bundle["encoder"]["sentence_mean"]))
        assert set(span_labels.FEATURES) <= set(model.bundle["rescore"]["features"])
        # trained with --label-twins 1 and the re-scorer's settings chosen by CV (techniques-ar-e5.md)
        assert model.config["label_twins"] == 1 and "src=lab" in model.bundle["rescore"]["features"]
        assert (model.bundle["rescore"]["min_score"], model.bundle["rescore"]["lam"]) == (0.2, 0.5)
        assert "span_labels" not in M._model("ar").bundle  # the fast model has none
    finally:
        M._model.cache_clear()


def test_label_twins_propose_each_span_under_the_label_models_likelier_technique(monkeypatch, tmp_path):
    """A bundle trained with --label-twins 1: a candidate whose span the label model reads as another technique
    comes twice, under its own technique and (source "lab") under that one, each with its own features; a bundle
    without the setting proposes no twins."""
    from marsad.train import technique_fit
    from marsad.train import techniques as TT
    from marsad.train.technique_vectors import DocumentVectors

    data = _examples()
    vectors = DocumentVectors(groups=(GROUP,), cache=tmp_path / "v.pkl")
    vectors.ensure((ex.id, TT.make_doc(ex, "en")) for ex in data)
    monkeypatch.setattr(technique_fit, "VECTORS", vectors)
    params = {"iterations": 20, "minfreq": 1, "sentence_mode": "all", "threshold_shift": 0.0, "min_positives": 4,
              "span_labels": 0.3, "label_twins": 1,
              "encoder": {"crf_group": list(GROUP), "sentence_group": list(GROUP), "dims": 8,
                          "sentence_weight": 1.0, "doc_weight": 1.0}}
    bundle = TT.train_bundle("en", data, [], params, log=lambda m: None)
    assert bundle["config"]["label_twins"] == 1
    # a label model that reads every span as the other technique: each candidate of the two gets a twin
    swap = {"Loaded_Language": "Flag_Waving", "Flag_Waving": "Loaded_Language"}
    bundle["span_labels"] = span_labels.fit([(_encoded(ex), [(a, b, swap[t]) for a, b, t in ex.spans])
                                             for ex in data[:12]], GROUP, C=1.0)
    text = "The savage attack on the town killed nine people. We will fight for our beloved homeland."
    first = text.index(".") + 1
    doc = T.Doc(text, [(0, first), (first + 1, len(text))], "en")
    cands = rescore.candidates(T.Model(bundle), doc)
    twins = [c for c in cands if c["source"] == "lab"]
    assert twins and all(c["feats"]["src=lab"] == 1.0 and "lab_p" in c["feats"] for c in twins)
    for t in twins:  # each twin is another candidate's span, under the technique the label model prefers
        own = [c for c in cands if c["source"] != "lab" and (c["start"], c["end"]) == (t["start"], t["end"])]
        assert own and all(c["technique"] != t["technique"] for c in own)
        assert t["feats"]["lab_rank"] == 0 and all(c["feats"]["lab_p"] <= t["feats"]["lab_p"] for c in own)
    keys = [(c["start"], c["end"], c["technique"]) for c in cands]
    assert all(keys.count((t["start"], t["end"], t["technique"])) == 1 for t in twins)  # none proposed twice
    del bundle["config"]["label_twins"]
    assert not [c for c in rescore.candidates(T.Model(bundle), doc) if c["source"] == "lab"]


def test_shipped_english_accurate_bundle_proposes_label_twins():
    """techniques-en-e5.joblib: trained with --label-twins 1, the re-scorer's settings as before (0.2 / 1.0)."""
    from marsad.techniques import model as M

    M._model.cache_clear()
    try:
        model = M._model("en", "accurate")
        assert model.config["label_twins"] == 1 and "src=lab" in model.bundle["rescore"]["features"]
        assert (model.bundle["rescore"]["min_score"], model.bundle["rescore"]["lam"]) == (0.2, 1.0)
        assert "label_twins" not in M._model("en").config  # the fast model proposes none
    finally:
        M._model.cache_clear()
