"""Stage (accurate profile): one pass of the multilingual encoder over the document's sentences.

The hidden states of the layers that the language's encoder heads read are kept for later stages in
`analysis.scratch["encoded"]`; no later stage runs the encoder again. Nothing is added to the record here.
In the fast profile, or for a language without encoder heads, the stage does nothing and the heads' stages
use their classical models.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from ..config import settings
from ..entities import ner_encoder
from . import declares


@dataclass
class EncodedDocument:
    """The document's pieces in text order, their character spans in `record["text"]`, and per layer the
    pieces' states ([n, H] float16: half the memory; the heads average layers in float32)."""

    starts: list[int]
    ends: list[int]
    states: dict  # layer -> np.ndarray
    _means: dict = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.starts)

    def pieces(self, span: tuple[int, int]) -> tuple[int, int]:
        """(first, end) indices of the pieces that start inside the character span (a sentence: each sentence is
        encoded on its own, so its pieces are these); first == end where the encoder did not read it."""
        return bisect.bisect_left(self.starts, span[0]), bisect.bisect_left(self.starts, span[1])

    def layer_mean(self, layers: tuple[int, ...]):
        """[n, H] float32: the pieces' states averaged over `layers`, computed once per document for every head
        that reads them (the NER and the event confirmer read the same layers)."""
        key = tuple(layers)
        if key not in self._means:
            self._means[key] = ner_encoder.layer_mean(self.states, key)
        return self._means[key]


def layers_needed(lang: str) -> tuple[int, ...]:
    """The layers any encoder head of this language reads (empty: no head, no pass): the NER's, the event
    confirmer's and the role tagger's (the role tagger alone starts no pass: it only adds to one)."""
    from ..events import classifier, roles

    confirmer = classifier.encoder_layers() if classifier.covers(lang) else ()
    heads = set(ner_encoder.layers(lang)) | set(confirmer)
    return tuple(sorted(heads | set(roles.layers()))) if heads else ()


@declares(requires=("text", "language", "sentences"), assigns=("encoded",))
def encode(analysis) -> None:
    if analysis.options.get("profile") != "accurate":
        return
    rec = analysis.record
    layers = layers_needed(rec["language"])
    if not layers or not rec["text"]:
        return
    import numpy as np  # here, not at import: `marsad --help` loads no numeric library

    from .. import encoder

    text = rec["text"]
    cap = settings()["encoder"]["max_chars"]
    spans = [(s["start"], s["end"]) for s in rec["sentences"] if s["start"] < cap] or [(0, min(len(text), cap))]
    enc = encoder.get(max(layers), settings()["encoder"]["threads"])
    parts = enc.encode([text[a:min(b, cap)] for a, b in spans], keep=layers)
    starts, ends = [], []
    for (a, _), part in zip(spans, parts):
        starts += [a + s for s in part.starts]
        ends += [a + e for e in part.ends]
    states = {k: np.concatenate([p.states[k].astype(np.float16) for p in parts]) if parts
              else np.zeros((0, 384), np.float16) for k in layers}
    analysis.scratch["encoded"] = EncodedDocument(starts, ends, states)
