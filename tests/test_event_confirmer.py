"""The accurate profile's Arabic ASSAULT confirmer reads the encoder states the encode stage left (no second pass),
built exactly as its trainer builds them from a sentence encoded alone."""
from __future__ import annotations

import numpy as np
import pytest

from marsad import pipeline, record
from marsad.events import classifier
from marsad.ingest import Document
from marsad.train import events as train_events

pytestmark = pytest.mark.skipif(not classifier.ENCODER_MODEL.exists(), reason="no events-ar-e5.json")

SENTENCE = "قتل خمسة مدنيين في قصف مدفعي استهدف سوقا شعبية في مدينة دوما."


def _analysed(text: str) -> pipeline.Analysis:
    analysis = pipeline.Analysis(record.new(Document(id="t", text=text, language="ar")),
                                 options=pipeline.resolve_options({"profile": "accurate"}))
    for name, stage in pipeline.stages():
        stage(analysis)
        if name == "encode":
            break
    return analysis


def test_runtime_vectors_are_the_trainers():
    analysis = _analysed(SENTENCE)
    states = classifier.DocumentStates.of(analysis.scratch["encoded"])
    assert states is not None and states.layers == classifier.encoder_layers()
    from marsad.events import triggers as T
    hits = T.triggers("ar").find(SENTENCE, T.tokens(SENTENCE))
    runtime = states.vectors((0, len(SENTENCE)), hits, "ASSAULT")
    trained, _layers = train_events._vectors([SENTENCE], "ASSAULT")
    assert runtime.shape == trained[0].shape
    np.testing.assert_allclose(runtime, trained[0], rtol=0, atol=2e-2)  # the stage keeps states as float16
    p, threshold = classifier.encoder_score(runtime, "ASSAULT")
    assert 0.0 < p < 1.0
    assert classifier.confirm(SENTENCE, "ASSAULT", "Violence against civilians", 1.0, runtime) == (
        "ASSAULT" if p >= threshold else None)


def test_no_states_past_the_encoders_reach_means_the_word_model():
    analysis = _analysed(SENTENCE)
    states = classifier.DocumentStates.of(analysis.scratch["encoded"])
    assert states.vectors((len(SENTENCE) + 10, len(SENTENCE) + 20), [], "ASSAULT") is None
    assert classifier.DocumentStates.of(None) is None
    assert classifier.encoder_score(None, "ASSAULT") is None
    # PROTEST has no encoder model (the word model did better by CV): it is decided by words
    assert classifier.encoder_score(np.zeros(768, np.float32), "PROTEST") is None
