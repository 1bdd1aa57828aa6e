"""Encoder features for the NER taggers of the accurate profile.

Each token (as marsad.entities.tokens cuts it) takes the encoder state of the first piece that overlaps it,
in the layers the model was trained on, averaged; the vector is standardised with the training data's mean
and spread and given to the CRF as real-valued attributes beside the lexical ones. The layers, the scaling
and the attribute prefix are stored next to the CRF file (<model>.json), so a model always reads what it
was trained on.
"""
from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from marsad.config import environment
from marsad.per_thread import per_thread

PREFIX = "e"
MODELS = Path(__file__).resolve().parent.parent / "models"
LANGS = ("ar", "en")


@dataclass(frozen=True)
class Head:
    """How a CRF file reads the encoder: layers averaged, and the standardisation of the vector."""

    layers: tuple[int, ...]
    mean: np.ndarray
    scale: np.ndarray
    weight: float = 1.0

    def to_json(self) -> dict:
        return {"layers": list(self.layers), "mean": self.mean.round(6).tolist(),
                "scale": self.scale.round(6).tolist(), "weight": self.weight}

    @classmethod
    def from_json(cls, data: dict) -> "Head":
        return cls(tuple(data["layers"]), np.asarray(data["mean"], np.float32),
                   np.asarray(data["scale"], np.float32), float(data.get("weight", 1.0)))

    @classmethod
    def fit(cls, layers: tuple[int, ...], vectors: np.ndarray, weight: float = 1.0) -> "Head":
        return cls(layers, vectors.mean(axis=0).astype(np.float32),
                   (vectors.std(axis=0) + 1e-6).astype(np.float32), weight)

    def standardise(self, vectors: np.ndarray) -> np.ndarray:
        return (vectors - self.mean) / self.scale * np.float32(self.weight)


def head_path(model: Path | str) -> Path:
    return Path(str(model) + ".json")


def load_head(model: Path | str) -> Head | None:
    path = head_path(model)
    return Head.from_json(json.loads(path.read_text(encoding="utf-8"))) if path.exists() else None


def save_head(model: Path | str, head: Head) -> Path:
    path = head_path(model)
    path.write_text(json.dumps(head.to_json()), encoding="utf-8")
    return path


def layer_mean(states: dict[int, np.ndarray], layers: tuple[int, ...]) -> np.ndarray:
    """[n_pieces, H] float32: the mean of the pieces' states over `layers`, summed one layer at a time (the same
    values as np.mean over the stacked layers, without holding a float32 copy of every layer at once: 170 MB
    on a long document, issue 13)."""
    out = np.array(states[layers[0]], dtype=np.float32)
    for k in layers[1:]:
        out += states[k]
    out /= np.float32(len(layers))
    return out


def token_vectors(mix: np.ndarray, starts: list[int], ends: list[int],
                  tokens: list[tuple[int, int]]) -> np.ndarray:
    """[n_tokens, H]: per token the row of `mix` (layer_mean) of the first piece overlapping the token's span
    (the piece before it when none does: a character the tokenizer dropped)."""
    out = np.zeros((len(tokens), mix.shape[1] if mix.ndim == 2 else 0), dtype=np.float32)
    if not len(starts):
        return out
    for t, (a, b) in enumerate(tokens):
        # first piece ending after a (pieces are in text order, ends non-decreasing)
        k = bisect.bisect_right(ends, a)
        if k >= len(starts) or starts[k] >= b:
            k = max(0, min(k, len(starts) - 1))
        out[t] = mix[k]
    return out


def attributes(lexical: list[list[str]], vectors: np.ndarray) -> list[dict[str, float]]:
    """CRFsuite items: the lexical attributes (value 1) and the encoder's values."""
    names = [f"{PREFIX}{k}" for k in range(vectors.shape[1])]
    out = []
    for feats, vec in zip(lexical, vectors.tolist()):
        item = dict.fromkeys(feats, 1.0)
        item.update(zip(names, vec))
        out.append(item)
    return out


# ---------------------------------------------------------------- the accurate profile's taggers
def model_path(lang: str) -> Path:
    """The encoder model (ner-<lang>-e5.crfsuite + .json), or the file named by MARSAD_NER_E5_MODEL_<LANG>
    (e.g. a cross-validation fold's model, so the official scorer can run the whole pipeline per fold)."""
    override = environment(f"MARSAD_NER_E5_MODEL_{lang.upper()}")
    return Path(override) if override else MODELS / f"ner-{lang}-e5.crfsuite"


def tagger(lang: str):
    """(CRFsuite tagger, Head) of the language's encoder model, or None where it has none; one per thread. The
    file is looked up at each call (an override may name another), its tagger opened once per file."""
    return tagger_at(model_path(lang)) if lang in LANGS else None


@per_thread  # a tagger holds the sequence it is tagging: one per thread (marsad/per_thread.py)
def tagger_at(path: Path):
    """(CRFsuite tagger, Head) of a CRF file with its encoder head beside it (<file>.json), opened once per file
    and thread; None where either is missing. The NER's and the event role tagger's files are such pairs."""
    head = load_head(path) if path.exists() else None
    if head is None:
        return None
    import pycrfsuite

    t = pycrfsuite.Tagger()
    t.open(str(path))
    return t, head


def layers(lang: str) -> tuple[int, ...]:
    """The encoder layers this language's NER reads in the accurate profile (none without a model)."""
    found = tagger(lang)
    return found[1].layers if found else ()
