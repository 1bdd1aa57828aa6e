"""The persuasion score's encoder component (issue 17): how persuasive multilingual-e5-small finds each sentence.

    sentence_vectors(text, sentences, lang, groups) -> ({group: [n, 384] float32}, [words per sentence])
    component(vectors, words, model) -> 0..1     # the article's encoder component

The encoder reads each sentence with the party names masked exactly as the technique models read it
(`Doc` + encoder_features.masked_sentence: each name one placeholder), so every side is read by the same rules and
a sentence and its translation land near each other. A logistic regression fitted on both languages' labelled
short texts (marsad/models/persuasion-encoder.npz, its card persuasion-encoder.md) gives each sentence a
probability; the article's component aggregates them (the model file says how: a mean, or the mean of the top k).
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np

from marsad.config import settings
from marsad.techniques import encoder_features as EF
from marsad.techniques.features import Doc


def sentence_vectors(text: str, sentences: list[tuple[int, int]], lang: str, groups=((6, 7, 8, 9),),
                     names: list[tuple[int, int, str]] | None = None, doc=None) -> tuple[dict, list[int]]:
    """Per layer group, each sentence's vector (the mean over its pieces of the group's mean state) of the masked
    sentence, for the sentences that start within the encoder's character cap (settings.toml [encoder]
    max_chars); and each of those sentences' words. `doc`: a techniques.Doc of these sentences (its `encoded`
    states are used where they hold the groups)."""
    cap = settings()["encoder"]["max_chars"]
    sents = [(a, b) for a, b in sentences if b > a and a < cap]
    if doc is None:
        doc = Doc(text, sents, lang, one_token_names=True, names=names)
    if not doc.sentences:
        return {g: np.zeros((0, 384), np.float32) for g in groups}, []
    enc = doc.encoded
    if enc is not None and all(g in enc[0]["sentence"] for g in groups):
        vecs = {g: np.stack([np.asarray(s["sentence"][g], np.float32) for s in enc]) for g in groups}
    else:
        vecs = _sentence_means(doc, tuple(groups))
    return vecs, [len(text[a:b].split()) for a, b in doc.sentences]


def _sentence_means(doc, groups: tuple) -> dict:
    """Per layer group, each masked sentence's mean state (EF.encode's sentence vector, without its token
    vectors), each distinct sentence encoded once, a chunk at a time (EF.encoded_once)."""
    keep = tuple(sorted({k for g in groups for k in g}))
    texts = [EF.masked_sentence(doc, k)[0] for k in range(len(doc.sentences))]
    means = {t: {g: EF.mean_vector(mix) for g, mix in EF.layer_means(part, groups).items()}
             for t, part in EF.encoded_once(texts, keep, settings()["encoder"]["threads"])}
    return {g: np.stack([means[t][g] for t in texts]).astype(np.float32) if texts else np.zeros((0, 384), np.float32)
            for g in groups}


def unit(X: np.ndarray, lang: str, model: dict) -> np.ndarray:
    """Rows centred on the model's mean for the language (its `centre`: one mean per language, or one for all),
    with the model's language directions projected out (its `proj`, k orthonormal rows: the main directions in
    which an English text's vector and its Arabic translation's differ; none where k is 0) and L2-normalised."""
    means = model["means"]
    mu = means.get(lang, means.get("*"))
    X = np.asarray(X, np.float32) - np.asarray(mu, np.float32)
    P = model.get("proj")
    if P is not None and len(P):
        P = np.asarray(P, np.float32)
        X = X - (X @ P.T) @ P
    return X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-6)


def language_directions(en: np.ndarray, ar: np.ndarray, k: int) -> np.ndarray:
    """The k main directions (orthonormal rows, [k, dim]) of the differences between English texts' vectors and
    their Arabic translations' (rows paired; each already centred as `unit` centres it), each pair's difference
    L2-normalised so that every pair weighs the same; uncentred, so a mean shift between the languages is the
    first direction."""
    if k <= 0 or not len(en):
        return np.zeros((0, en.shape[1] if en.ndim == 2 else 384), np.float32)
    D = np.asarray(en, np.float64) - np.asarray(ar, np.float64)
    D /= np.maximum(np.linalg.norm(D, axis=1, keepdims=True), 1e-9)
    return np.linalg.svd(D, full_matrices=False)[2][:k].astype(np.float32)


def sentence_probs(X: np.ndarray, lang: str, model: dict) -> np.ndarray:
    """Each row's (sentence's) probability of being persuasive under the model's logistic regression."""
    z = unit(X, lang, model) @ np.asarray(model["coef"], np.float32) + float(model["intercept"])
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def aggregate(probs, words, how: str) -> float:
    """The article's encoder component from its sentences' probabilities: `mean`, `wmean` (weighted by words),
    `top<k>` (the mean of the k highest), `max`; 0 with no sentence."""
    p = np.asarray(probs, np.float64)
    if not len(p):
        return 0.0
    if how == "wmean":
        w = np.maximum(np.asarray(words, np.float64), 1.0)
        return float((p * w).sum() / w.sum())
    if how.startswith("top"):
        return float(np.sort(p)[::-1][:int(how[3:])].mean())
    if how == "max":
        return float(p.max())
    return float(p.mean())


def logit(p: float, eps: float = 1e-4) -> float:
    p = min(1 - eps, max(eps, float(p)))
    return float(np.log(p / (1 - p)))


def sigmoid(z: float) -> float:
    return float(1.0 / (1.0 + np.exp(-max(-50.0, min(50.0, float(z))))))


def blend_features(rate_score: float, enc: float) -> list[float]:
    """The blend's inputs: the technique-rate score (v1, 0..1) and the encoder component's logit."""
    return [float(rate_score), logit(enc)]


def blend(rate_score: float, enc: float, weights: list[float]) -> float:
    """score = sigmoid(w0 + w1 x rate score + w2 x logit(encoder component))."""
    return sigmoid(weights[0] + sum(w * x for w, x in zip(weights[1:], blend_features(rate_score, enc))))


MODEL = Path(__file__).resolve().parent.parent / "models" / "persuasion-encoder.npz"


@functools.cache
def model() -> dict | None:
    """The shipped encoder model (marsad/models/persuasion-encoder.npz), read once; None without the file."""
    if not MODEL.exists():
        return None
    z = np.load(MODEL)
    meta = json.loads(str(z["meta"]))
    return {**meta, "coef": z["coef"], "means": {k[5:]: z[k] for k in z.files if k.startswith("mean_")},
            "proj": z["proj"] if "proj" in z.files else None}


def covers(lang: str) -> bool:
    m = model()
    return bool(m) and lang in m["languages"]


def document_component(text: str, docs: list, lang: str) -> float | None:
    """The article's encoder component from the Docs the technique models read (techniques.detect(docs=...)):
    their sentences within the encoder's cap, masked as those models masked them; None where the language has
    no model (the score then stays the v1 rule)."""
    if not covers(lang):
        return None
    m = model()
    g = tuple(m["group"])
    cap = settings()["encoder"]["max_chars"]
    rows, words = [], []
    for doc in docs:
        if not doc.sentences or doc.sentences[0][0] >= cap:
            continue
        vecs, wds = sentence_vectors(text, doc.sentences, lang, (g,), doc=doc)
        rows.append(vecs[g])
        words += wds
    X = np.concatenate(rows) if rows else np.zeros((0, len(m["coef"])), np.float32)
    return round(aggregate(sentence_probs(X, lang, m), words, m["agg"]), 4)
