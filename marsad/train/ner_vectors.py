"""Encoder vectors of training sentences for `marsad train ner --encoder` (the accurate profile's taggers).

Each sentence is encoded on its own, exactly as the encode stage does at run time (the scorer's documents
join a sentence's tokens by spaces; marsad's sentence splitter keeps such lines whole), so a sentence's
vectors depend only on its tokens: they are computed once per distinct sentence and kept in memory, and
in a cache file when `cache` names one (re-running a cross-validation then skips the encoder).
"""
from __future__ import annotations

import pickle
import sys
import time
from pathlib import Path

import numpy as np

from marsad.entities import ner_encoder
from marsad.entities.tokens import tokenize

Key = tuple[str, ...]


def token_spans(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The sentence text (gold tokens joined by spaces) and the spans of the tokens that `retokenize` makes
    of them (each gold token cut by the run-time tokenizer)."""
    spans, pos = [], 0
    for tok in tokens:
        for a, b in (tokenize(tok) or [(0, len(tok))]):
            spans.append((pos + a, pos + b))
        pos += len(tok) + 1
    return " ".join(tokens), spans


class SentenceVectors:
    """Token vectors (the mean of `layers`, float16) per distinct sentence, encoded on demand in batches."""

    def __init__(self, layers: tuple[int, ...], cache: Path | str | None = None):
        self.layers = tuple(layers)
        self.cache = Path(cache) if cache else None
        self.table: dict[Key, np.ndarray] = {}
        if self.cache and self.cache.exists():
            stored = pickle.loads(self.cache.read_bytes())
            if tuple(stored["layers"]) == self.layers:
                self.table = stored["table"]

    def ensure(self, sentences: list[list[str]], batch: int = 512) -> None:
        from marsad import encoder

        todo = list(dict.fromkeys(tuple(s) for s in sentences if s and tuple(s) not in self.table))
        if not todo:
            return
        enc = encoder.get(max(self.layers))
        t0, done = time.time(), 0
        for k in range(0, len(todo), batch):
            part = todo[k:k + batch]
            texts, spans = zip(*(token_spans(list(s)) for s in part))
            for key, sp, out in zip(part, spans, enc.encode(list(texts), keep=self.layers)):
                mix = ner_encoder.layer_mean(out.states, self.layers)
                vec = ner_encoder.token_vectors(mix, out.starts, out.ends, sp)
                self.table[key] = vec.astype(np.float16)
            done += len(part)
            print(f"encoder: {done}/{len(todo)} sentences ({time.time() - t0:.0f}s)", file=sys.stderr, flush=True)
        if self.cache:
            self.cache.parent.mkdir(parents=True, exist_ok=True)
            self.cache.write_bytes(pickle.dumps({"layers": self.layers, "table": self.table}, protocol=5))

    def __call__(self, tokens: list[str]) -> np.ndarray:
        return self.table[tuple(tokens)].astype(np.float32)
