"""Learned argument roles (accurate profile): who acts and who is acted on, read from the encoder's states.

A linear-chain CRF over each token's encoder vector (the mean of the layers the NER reads: the pipeline's one
encoder pass serves both) and a few lexical attributes tags the source (S), target (T) and reciprocal (R) actors
of a sentence's main event; trained on the ConfliBERT CAMEO spans (`python -m marsad.train.roles`, card:
models/roles-e5.md). The event rules ask it only where they found no actor for a role in the event's clause:
an actor mention whose tokens the tagger gives, on average, a marginal probability of at least one half for
that role fills it (the tagger's own decision; no threshold was tuned). The rules keep every role they fill.
"""
from __future__ import annotations

import bisect
from pathlib import Path

import numpy as np

from ..config import environment
from ..entities import ner_encoder
from ..entities.tokens import sentence_tokens

MODEL = Path(__file__).resolve().parent.parent / "models" / "roles-e5.crfsuite"
LAYERS = (6, 7, 8, 9)  # the NER heads' layers (ner-<lang>-e5.crfsuite.json): no second encoder pass
DECIDE = 0.5  # a role is filled where the tagger's mean marginal for it is at least this: its own decision
ROLE_TAGS = {"source": ("B-S", "I-S"), "target": ("B-T", "I-T")}


def items(words: list[str], vectors: np.ndarray) -> list[dict[str, float]]:
    """CRFsuite items of a sentence's tokens: lexical attributes (the word and its neighbours lower-cased, its
    shape, its fifth of the sentence) and the standardised encoder vector. The trainer builds the same."""
    n = len(words)
    lexical = []
    for i, w in enumerate(words):
        f = ["bias", "w=" + w.lower(), "title" if w[:1].isupper() else "lower", f"pos={min(i * 5 // max(n, 1), 4)}"]
        if i:
            f.append("w-1=" + words[i - 1].lower())
        if i < n - 1:
            f.append("w+1=" + words[i + 1].lower())
        lexical.append(f)
    return ner_encoder.attributes(lexical, vectors)


def model_path() -> Path | None:
    """The tagger file: the shipped one, or the one MARSAD_ROLES_MODEL names (a cross-validation fold's);
    None where that variable says "none" (the rules alone, for comparison)."""
    override = environment("MARSAD_ROLES_MODEL")
    if override == "none":
        return None
    return Path(override) if override else MODEL


def _tagger():
    path = model_path()
    return ner_encoder.tagger_at(path) if path else None


def layers() -> tuple[int, ...]:
    """The encoder layers the tagger reads (empty without its model)."""
    found = _tagger()
    return found[1].layers if found else ()


class SentenceRoles:
    """A document's role tagger over its encoder states: each sentence tagged once, when an event first asks."""

    def __init__(self, text: str, encoded, tagger, head):
        self.text, self.encoded, self.tagger, self.head = text, encoded, tagger, head
        self._done: dict[tuple[int, int], tuple[list[tuple[int, int]], dict[str, np.ndarray]]] = {}

    @classmethod
    def of(cls, text: str, encoded) -> "SentenceRoles | None":
        found = _tagger()
        if found is None or encoded is None or not len(encoded) \
                or any(k not in encoded.states for k in found[1].layers):
            return None
        return cls(text, encoded, *found)

    def _tag(self, sentence: tuple[int, int]):
        if sentence not in self._done:
            enc = self.encoded
            i0, i1 = enc.pieces(sentence)
            # the words the encoder read (a sentence may run past its character cap), as the NER cut them
            covered = enc.ends[i1 - 1] if i1 > i0 else sentence[0]
            tokens = [t for t in sentence_tokens(self.text, *sentence) if t[1] <= covered]
            probs: dict[str, np.ndarray] = {}
            if tokens:
                mix = enc.layer_mean(self.head.layers)[i0:i1]
                vec = ner_encoder.token_vectors(mix, enc.starts[i0:i1], enc.ends[i0:i1], tokens)
                self.tagger.set(items([self.text[a:b] for a, b in tokens], self.head.standardise(vec)))
                labels = set(self.tagger.labels())
                for role, tags in ROLE_TAGS.items():
                    probs[role] = np.array([sum(self.tagger.marginal(t, k) for t in tags if t in labels)
                                            for k in range(len(tokens))])
            self._done[sentence] = (tokens, probs)
        return self._done[sentence]

    def probability(self, sentence: tuple[int, int], mention: dict, role: str) -> float:
        """The mean marginal probability of `role` ("source" or "target") over the mention's tokens."""
        tokens, probs = self._tag(sentence)
        if role not in probs:
            return 0.0
        # the tokens overlapping the mention, found by bisect (a run-on sentence holds thousands)
        k0 = max(0, bisect.bisect_right(tokens, (mention["start"], float("inf"))) - 1)
        if k0 < len(tokens) and tokens[k0][1] <= mention["start"]:
            k0 += 1
        k1 = bisect.bisect_left(tokens, (mention["end"], -1))
        return float(probs[role][k0:k1].mean()) if k1 > k0 else 0.0

    def pick(self, sentence: tuple[int, int], candidates: list[dict], role: str, exclude: set) -> str | None:
        """The entity of the candidate mention the tagger reads in `role` most surely, if it decides so."""
        best = max(((self.probability(sentence, m, role), m["entity"]) for m in candidates
                    if m["entity"] not in exclude), default=(0.0, None))
        return best[1] if best[0] >= DECIDE else None
