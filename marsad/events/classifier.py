"""A small linear classifier that confirms an Arabic ASSAULT or PROTEST reading of a lexicon hit: does the sentence
report an event that happened (a bombing, a march), or only talk about the idea (assassination attempts, the
history of protests)?

Features: folded words and word pairs of the sentence with every actor and place name masked (so the decision never
depends on which side is named), plus the trigger types present. Weights live in marsad/models/events-ar.json
(trained by `python -m marsad.train.events`, card: events-ar.md); inference is plain Python. Without the model file
every hit is kept.
"""
from __future__ import annotations

import functools
import json
import math
from pathlib import Path

from . import triggers as T

MODEL = Path(__file__).resolve().parent.parent / "models" / "events-ar.json"
# The accurate profile's confirmer: the same decision over the encoder states the pipeline already holds
# (`python -m marsad.train.events --encoder`; card: events-ar.md).
ENCODER_MODEL = MODEL.with_name("events-ar-e5.json")


def covers(lang: str) -> bool:
    """Whether the model confirms the readings of this language (it is trained on Arabic: models/events-ar)."""
    return lang == MODEL.stem.removeprefix("events-")


@functools.cache
def _model() -> dict | None:
    if not MODEL.exists():
        return None
    return json.loads(MODEL.read_text(encoding="utf-8"))


def masked_words(sentence: str) -> list[str]:
    from .. import places
    from ..entities import actors
    spans = sorted((m["start"], m["end"]) for m in actors.match(sentence) + places.match(sentence))
    words = []
    j, reach = 0, -1  # reach: the furthest end of a name starting at or before the token (one sweep, no rescan)
    for s, e, w in T.tokens(sentence):
        while j < len(spans) and spans[j][0] <= s:
            reach = max(reach, spans[j][1])
            j += 1
        if e <= reach:  # inside a name
            if not words or words[-1] != "<NAME>":
                words.append("<NAME>")
        else:
            words.append("<NUM>" if w.isdigit() else w)
    return words


def features(sentence: str, lang: str = "ar") -> list[str]:
    words = masked_words(sentence)
    feats = [f"w={w}" for w in words] + [f"b={a}_{b}" for a, b in zip(words, words[1:])]
    for h in T.triggers(lang).find(sentence):
        d = T.data(h)
        feats += [f"t={d['type']}", f"s={d['sub_type']}", f"p={d['plover']}"]
    return feats


@functools.lru_cache(maxsize=64)
def _feature_set(sentence: str) -> frozenset[str]:
    """A sentence's features, kept for the next hit: every trigger of a sentence asks for them (a run-on
    sentence of a hostile document holds hundreds of triggers)."""
    return frozenset(features(sentence))


def score(sentence: str, plover: str) -> float | None:
    m = _model()
    if not m or plover not in m["models"]:
        return None
    w = m["models"][plover]
    z = w["bias"] + sum(w["weights"].get(f, 0.0) for f in _feature_set(sentence))
    return 1 / (1 + math.exp(-max(min(z, 30), -30)))


@functools.cache
def _encoder_model() -> dict | None:
    """{layers, models: {plover: (bias, weights, mean, scale, threshold)}} as numpy arrays, or None."""
    if not ENCODER_MODEL.exists():
        return None
    import numpy as np

    raw = json.loads(ENCODER_MODEL.read_text(encoding="utf-8"))
    return {"layers": tuple(raw["layers"]),
            "models": {k: (m["bias"], np.array(m["weights"], np.float32), np.array(m["mean"], np.float32),
                           np.array(m["scale"], np.float32), m["threshold"]) for k, m in raw["models"].items()}}


def encoder_layers() -> tuple[int, ...]:
    """The encoder layers the accurate confirmer reads (empty without its model)."""
    found = _encoder_model()
    return found["layers"] if found else ()


def sentence_vectors(mix, ends: list[int], trigger_start: int | None):
    """[2H]: the sentence's mean piece vector and the vector of the piece holding the trigger (the first piece
    ending after its start; zeros without a trigger). `mix`: the sentence's pieces' layer-mean states."""
    import numpy as np

    H = mix.shape[1]
    if not len(mix):
        return np.zeros(2 * H, np.float32)
    at = np.zeros(H, np.float32)
    if trigger_start is not None:
        k = next((i for i, e in enumerate(ends) if e > trigger_start), len(ends) - 1)
        at = mix[k]
    return np.concatenate([mix.mean(axis=0), at]).astype(np.float32)


class DocumentStates:
    """A document's encoder states as the accurate confirmer reads them: the layer mean over its layers (the
    encode stage's, computed once per document), and each sentence's `sentence_vectors` from it."""

    def __init__(self, encoded, layers: tuple[int, ...]):
        self.encoded, self.layers = encoded, layers

    @classmethod
    def of(cls, encoded) -> "DocumentStates | None":
        layers = encoder_layers()
        if encoded is None or not len(encoded) or not layers or any(k not in encoded.states for k in layers):
            return None
        return cls(encoded, layers)

    def vectors(self, sentence: tuple[int, int], hits, plover: str):
        """The sentence's vectors for `plover` (its first trigger of that type or AUTO), or None where the
        encoder did not read the sentence (past its character cap)."""
        enc = self.encoded
        i0, i1 = enc.pieces(sentence)
        if i1 <= i0:
            return None
        first = min((h.start for h in hits if T.data(h)["plover"] in (plover, "AUTO")), default=None)
        return sentence_vectors(enc.layer_mean(self.layers)[i0:i1], enc.ends[i0:i1], first)


def encoder_score(vectors, plover: str) -> tuple[float, float] | None:
    """(probability, threshold) of the accurate confirmer for these `sentence_vectors`, or None."""
    found = _encoder_model()
    if found is None or plover not in found["models"] or vectors is None:
        return None
    bias, weights, mean, scale, threshold = found["models"][plover]
    z = bias + float(((vectors - mean) / scale) @ weights)
    return 1 / (1 + math.exp(-max(min(z, 30), -30))), threshold


def confirm(sentence: str, plover: str, etype: str, weight: float, vectors=None) -> str | None:
    """The PLOVER type to keep for the hit, or None to drop it. A rejected ASSAULT reading of an explosion or a
    battle stays an event coded FIGHT; other rejected readings are dropped. `vectors`: the sentence's
    `sentence_vectors` from the document's encoder states (accurate profile): the encoder model decides;
    without them, the word model."""
    learned = encoder_score(vectors, plover)
    if learned is not None:
        p, threshold = learned
    else:
        m = _model()
        p = score(sentence, plover)
        threshold = m["models"][plover]["threshold"] if p is not None else 0.0
    if p is None or p >= threshold:
        return plover
    if plover == "ASSAULT" and etype in ("Explosions/Remote violence", "Battles"):
        return "FIGHT"
    return None
