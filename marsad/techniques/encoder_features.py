"""Encoder states for the technique model (the accurate profile): what multilingual-e5-small makes of each
sentence of a `Doc`, with the party names already masked.

The encoder reads each sentence as the technique model's tokens: the tokens' own text with the gaps between
them kept, except that every masked name (one token of the Doc, whatever its length in words) is written as
one placeholder, `PLACEHOLDER`. So the encoder, like the CRF and the sentence classifier, never sees which side
is named, and a name's length in words changes nothing.

Per sentence it gives, per layer group (a tuple of layers averaged), the vector of each token (its first
piece, as marsad/entities/ner_encoder.token_vectors does for the NER) and the sentence vector (the mean over
the sentence's pieces). The technique bundle keeps, under "encoder", the groups it read and the projections
(mean, components: PCA fitted on the training tokens) that turn those vectors into CRF attributes and
sentence-classifier features; `project` applies them.
"""
from __future__ import annotations

import numpy as np

from marsad.entities import ner_encoder

PLACEHOLDER = "X"
PREFIX = "v"  # CRF attribute names: v0, v1, ...


def masked_sentence(doc, k: int, placeholder: str = PLACEHOLDER) -> tuple[str, list[tuple[int, int]]]:
    """Sentence k of `doc` as the encoder reads it, and each Doc token's span in that string."""
    text = doc.text
    parts, spans, pos, prev = [], [], 0, None
    for (s, e), m in zip(doc.tokens[k], doc.masks[k]):
        if prev is not None and s > prev:
            parts.append(" ")
            pos += 1
        w = placeholder if m else text[s:e]
        parts.append(w)
        spans.append((pos, pos + len(w)))
        pos += len(w)
        prev = e
    return "".join(parts), spans


MAX_CHARS = 4096  # masked text encoded at a time (~2,048 pieces): a long document's states are never all held


def encoded_once(texts: list[str], keep: tuple[int, ...], threads: int = 1):
    """(text, its `Encoded` with the layers in `keep`) for each distinct text, in order, encoded a chunk at a time
    (about MAX_CHARS): holding every sentence's kept layers at once took an unpunctuated 1 MB Arabic text past 1 GB.
    A text's states do not depend on the others' beyond float32 rounding (about 1e-6: a batch's shape changes the
    order of sums). The technique model's pass (`encode`) and the persuasion score's both read through here."""
    from marsad import encoder

    enc = encoder.get(max(keep), threads)
    unique = list(dict.fromkeys(texts))
    chunk: list[str] = []
    size = 0  # characters in the chunk
    for i, text in enumerate(unique):
        chunk.append(text)
        size += len(text)
        if i + 1 < len(unique) and size + len(unique[i + 1]) <= MAX_CHARS:
            continue
        yield from zip(chunk, enc.encode(chunk, keep=keep))
        chunk, size = [], 0


def layer_means(part, groups) -> dict:
    """Per layer group, the mean of those layers' states of each piece of `part` ([n_pieces, H])."""
    return {g: ner_encoder.layer_mean(part.states, g) if len(part) else np.zeros((0, 384), np.float32)
            for g in groups}


def mean_vector(mix: np.ndarray) -> np.ndarray:
    """A sentence's vector: the mean of its pieces' (zeros for none)."""
    return mix.mean(axis=0) if len(mix) else np.zeros(mix.shape[1], np.float32)


def encode(doc, groups: tuple[tuple[int, ...], ...], threads: int = 1, placeholder: str = PLACEHOLDER) -> list[dict]:
    """Per sentence of `doc`: {"tokens": {group: [n_tokens, H] float32}, "sentence": {group: [H] float32}}, each
    distinct masked sentence encoded once (`encoded_once`)."""
    keep = tuple(sorted({k for g in groups for k in g}))
    masked = [masked_sentence(doc, k, placeholder) for k in range(len(doc.sentences))]
    where: dict[str, list[int]] = {}  # masked text -> the sentences written so
    for k, (text, _) in enumerate(masked):
        where.setdefault(text, []).append(k)
    out: list = [None] * len(masked)
    for text, part in (encoded_once(list(where), keep, threads) if masked else ()):
        mixes = layer_means(part, groups)
        for k in where[text]:
            out[k] = {"tokens": {g: ner_encoder.token_vectors(mix, part.starts, part.ends, masked[k][1])
                                 for g, mix in mixes.items()},
                      "sentence": {g: mean_vector(mix) for g, mix in mixes.items()}}
    return out


def fit_projection(vectors: np.ndarray, dims: int) -> dict:
    """PCA of `vectors` ([n, H]) to `dims` components, each scaled to unit variance."""
    X = np.asarray(vectors, dtype=np.float64)
    mean = X.mean(axis=0)
    Xc = X - mean
    _u, s, vt = np.linalg.svd(Xc[:: max(1, len(Xc) // 100_000)], full_matrices=False)
    comps = vt[:dims]
    sd = (Xc @ comps.T).std(axis=0) + 1e-6
    return {"mean": mean.astype(np.float32), "components": (comps / sd[:, None]).astype(np.float32)}


def project(proj: dict, vectors: np.ndarray) -> np.ndarray:
    return (np.asarray(vectors, np.float32) - proj["mean"]) @ proj["components"].T


def crf_items(lexical: list[list[str]], reduced: np.ndarray, weight: float = 1.0) -> list[dict[str, float]]:
    """CRFsuite items: the lexical attributes (value 1) and the reduced encoder values (x weight)."""
    names = [f"{PREFIX}{k}" for k in range(reduced.shape[1])]
    out = []
    for feats, vec in zip(lexical, (reduced * weight).tolist()):
        item = dict.fromkeys(feats, 1.0)
        item.update(zip(names, vec))
        out.append(item)
    return out


def unit_rows(vectors: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Sentence vectors centred on the training sentences' mean and L2-normalised (the scale of the sentence
    classifier's other parts: TF-IDF rows and USE vectors have unit norm)."""
    X = np.asarray(vectors, np.float32) - np.asarray(mean, np.float32)
    return X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-6)


def sentence_features(cfg: dict, vectors: np.ndarray, groups) -> np.ndarray:
    """The sentence classifier's encoder columns: each sentence's vector (x sentence_weight) and the mean of
    its article's (x doc_weight, `groups`: each row's article)."""
    from marsad.sentence_vectors import document_means

    U = unit_rows(vectors, cfg["sentence_mean"]) if len(vectors) else np.zeros((0, len(cfg["sentence_mean"])),
                                                                                 np.float32)
    parts = []
    if cfg.get("sentence_weight"):
        parts.append(U * cfg["sentence_weight"])
    if cfg.get("doc_weight"):
        parts.append((document_means(U, groups) if len(U) else U) * cfg["doc_weight"])
    return np.hstack(parts).astype(np.float32)
