"""Which technique a span is (the accurate profile's span label model): a multinomial logistic regression over
the encoder's view of a span, fitted on the training documents' gold spans; the re-scorer reads its
probability of each candidate's own technique (rescore.py `features`), so a span found in the right place but
with the wrong label can be dropped.

A span's vector: the mean of its own tokens' encoder vectors (the layer group the CRF reads, the masked text:
a party name is the placeholder, whatever side it names) and the mean of the vectors of the sentences it
touches, each centred on the training spans' mean and L2-normalised. Words are never features here.
The bundle's part ("span_labels") holds numpy arrays only: the group, the two means, W, b, the techniques.
"""
from __future__ import annotations

import bisect

import numpy as np

FEATURES = ("lab_p", "lab_max", "lab_share", "lab_rank")  # the re-scorer's columns (`features`)


def _raw(doc, spans, group) -> np.ndarray:
    """[len(spans), 2H]: per (start, end), the mean of its tokens' vectors and of its sentences' (from
    `doc.encoded`, the layer `group`)."""
    g = tuple(group)
    enc = doc.encoded or []
    H = next((len(next(iter(x["sentence"].values()))) for x in enc if x is not None), 384)
    ends = [b for _a, b in doc.sentences]
    sentence_parts: dict[int, tuple] = {}  # k -> (token offsets, token vectors, sentence vector): once per sentence

    def part(k: int) -> tuple:
        if k not in sentence_parts:
            sentence_parts[k] = (np.asarray(doc.tokens[k]), enc[k]["tokens"][g],
                                 np.asarray(enc[k]["sentence"][g], np.float32))
        return sentence_parts[k]

    out = np.zeros((len(spans), 2 * H), np.float32)
    for r, (s, e) in enumerate(spans):
        tok, sen = [], []
        k = bisect.bisect_right(ends, s)  # the first sentence ending after the span starts
        while k < len(enc) and doc.sentences[k][0] < e:
            if enc[k] is not None and doc.tokens[k]:
                t, vectors, sentence = part(k)
                sen.append(sentence)
                inside = (t[:, 0] < e) & (t[:, 1] > s)
                if inside.any():
                    tok.append(np.asarray(vectors[inside], np.float32))
            k += 1
        if tok:
            out[r, :H] = np.vstack(tok).mean(axis=0)
        if sen:
            out[r, H:] = np.mean(sen, axis=0)
    return out


def _unit(X: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Each half (span, sentence) of the rows centred and L2-normalised."""
    H = X.shape[1] // 2
    X = X - mean
    for part in (slice(0, H), slice(H, None)):
        X[:, part] /= np.maximum(np.linalg.norm(X[:, part], axis=1, keepdims=True), 1e-6)
    return X


def fit(docs_spans, group, C: float = 1.0, min_count: int = 5) -> dict | None:
    """docs_spans: (Doc with `encoded`, [(start, end, technique)]) of the training documents. One row per gold
    span and label; techniques with fewer than `min_count` spans are left out. None without two techniques."""
    from collections import Counter

    from sklearn.linear_model import LogisticRegression

    rows, labels = [], []
    for doc, spans in docs_spans:
        if spans and doc.encoded:
            rows.append(_raw(doc, [(s, e) for s, e, _t in spans], group))
            labels += [t for _s, _e, t in spans]
    counts = Counter(labels)
    keep = np.array([counts[t] >= min_count for t in labels], bool)
    if len({t for t in labels if counts[t] >= min_count}) < 2:
        return None
    X = np.vstack(rows)[keep]
    y = np.array(labels)[keep]
    mean = X.mean(axis=0)
    clf = LogisticRegression(C=C, max_iter=2000).fit(_unit(X, mean), y)
    W, b = clf.coef_, clf.intercept_
    if len(clf.classes_) == 2:  # one row (the second class's log-odds): as two, whose softmax is the same
        W, b = np.vstack([-W / 2, W / 2]), np.concatenate([-b / 2, b / 2])
    return {"group": list(group), "mean": mean.astype(np.float32), "W": W.astype(np.float32),
            "b": b.astype(np.float32), "techniques": [str(t) for t in clf.classes_]}


def probabilities(part: dict, doc, spans) -> np.ndarray:
    """[len(spans), len(part["techniques"])]: each (start, end)'s probability of each technique."""
    if not spans:
        return np.zeros((0, len(part["techniques"])), np.float32)
    z = _unit(_raw(doc, spans, part["group"]), part["mean"]) @ part["W"].T + part["b"]
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def features(part: dict, doc, cands: list[dict], P: np.ndarray | None = None) -> np.ndarray:
    """Add FEATURES to each candidate's `feats`: the probability of its own technique (0 for one the model
    lacks), the best technique's, their ratio, and how many techniques are likelier. Returns the probabilities
    (`probabilities`; given as `P` where the caller has them for these spans already)."""
    if P is None:
        P = probabilities(part, doc, [(c["start"], c["end"]) for c in cands])
    col = {t: j for j, t in enumerate(part["techniques"])}
    for c, p in zip(cands, P):
        j = col.get(c["technique"])
        own = float(p[j]) if j is not None else 0.0
        top = float(p.max())
        c["feats"].update({"lab_p": own, "lab_max": top, "lab_share": own / max(top, 1e-6),
                           "lab_rank": float((p > own).sum())})
    return P


def best_other(part: dict, P: np.ndarray, cands: list[dict], n: int) -> list[list[str]]:
    """Per candidate, those of the model's `n` likeliest techniques that are not its own (a span found in the
    right place under another technique's evidence: rescore.py's label twins)."""
    names = part["techniques"]
    return [[names[j] for j in np.argsort(-p, kind="stable")[:n] if names[j] != c["technique"]]
            for c, p in zip(cands, P)]
