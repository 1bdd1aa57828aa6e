"""The cross-validation of the persuasion score's encoder component (benchmarks/persuasion_encoder.py): the
logistic regression on cached masked sentence vectors, the components of texts, out-of-fold components, the
centring by language neutrality and the blend with the v1 score. Everything here reads training data only."""
from __future__ import annotations

import sys

import numpy as np

import persuasion_score as PS


AGGS = ("mean", "wmean", "top2", "top3", "max")
# Only these are chosen from: the training texts are short (tweets, paragraphs, lines), and a top-k mean or the
# maximum rises with an article's length (a 40-sentence wire report has some loaded sentence), which the CV on
# short texts cannot see; the others are printed for comparison.
LENGTH_ROBUST = ("mean", "wmean")


def _text_vec(V, g, it) -> np.ndarray:
    a, b, w = V.rows(it)
    X = V.groups[g][a:b].astype(np.float32)
    if not len(X):
        return np.zeros(X.shape[1], np.float32)
    w = np.maximum(np.asarray(w, np.float32), 1.0)
    return (X * w[:, None]).sum(axis=0) / w.sum()


def fit_model(V, g, units, C: float, centre: str, unit_kind: str = "text", pairs=(), k: int = 0,
              lam: float = 0.0) -> dict:
    """A logistic regression on the training units (items with lang, label): each a text's words-weighted mean
    sentence vector (`text`) or each of its sentences with its label (`sentence`, weight 1/sentences); each
    language weighs the same in all (its units' weights sum to half). With k > 0, the k main directions of the
    differences between the (English, Arabic) `pairs`' text vectors, centred as the units are, are projected out
    of every vector first (PE.language_directions). With lam > 0, the L2 penalty on the coefficients is
    w'(I + lam S)w instead of w'w, S the second moment of the pairs' differences (English minus Arabic, each side
    as `unit` makes it) scaled to a mean eigenvalue of 1: a direction in which a text and its translation differ
    costs more (fitted as a plain logistic regression on X S^-1/2-like transformed rows; the coefficients are
    mapped back, so the model file and `unit` are as without it)."""
    from sklearn.linear_model import LogisticRegression

    X, y, lg, w = [], [], [], []
    for it in units:
        if unit_kind == "text":
            X.append(_text_vec(V, g, it)); y.append(it["label"]); lg.append(it["lang"]); w.append(1.0)
        else:
            a, b, _ = V.rows(it)
            for r in range(a, b):
                X.append(V.groups[g][r].astype(np.float32)); y.append(it["label"]); lg.append(it["lang"])
                w.append(1.0 / (b - a))
    X, y, lg, w = np.array(X), np.array(y), np.array(lg), np.array(w)
    for lang in set(lg):
        w[lg == lang] *= 0.5 / w[lg == lang].sum() * len(w)
    if centre == "language":
        means = {lang: X[lg == lang].mean(axis=0) for lang in sorted(set(lg))}
    elif centre == "balanced":  # per language, halfway between its persuasive and its other texts' means
        means = {lang: 0.5 * (X[(lg == lang) & (y == 1)].mean(axis=0) + X[(lg == lang) & (y == 0)].mean(axis=0))
                 for lang in sorted(set(lg))}
    else:
        means = {"*": X.mean(axis=0)}
    from marsad.techniques import persuasion_encoder as PE

    model = {"means": means, "coef": None, "intercept": 0.0, "proj": None}
    if k > 0 and len(pairs):
        def centred(its):
            return np.array([_text_vec(V, g, it) - means.get(it["lang"], means.get("*")) for it in its])
        model["proj"] = PE.language_directions(centred([e for e, _ in pairs]), centred([a for _, a in pairs]), k)
    Xu = np.empty_like(X)
    for lang in set(lg):
        Xu[lg == lang] = PE.unit(X[lg == lang], lang, model)
    T = None
    if lam > 0 and len(pairs):
        D = (np.array([PE.unit(_text_vec(V, g, e)[None], "en", model)[0] for e, _ in pairs])
             - np.array([PE.unit(_text_vec(V, g, a)[None], "ar", model)[0] for _, a in pairs])).astype(np.float64)
        S = D.T @ D / len(D)
        S /= np.trace(S) / len(S)
        vals, vecs = np.linalg.eigh(np.eye(len(S)) + lam * S)
        T = (vecs / np.sqrt(vals)) @ vecs.T  # (I + lam S)^-1/2
        Xu = (Xu @ T).astype(np.float32)
    m = LogisticRegression(C=C, max_iter=2000).fit(Xu, y, sample_weight=w)
    coef = m.coef_[0] if T is None else T @ m.coef_[0]
    model.update(coef=coef.astype(np.float32), intercept=float(m.intercept_[0]), group=list(g), C=C,
                 centre=centre, unit=unit_kind, k=k, lam=lam)
    return model


def component(V, model, it, agg: str) -> float:
    from marsad.techniques import persuasion_encoder as PE

    a, b, w = V.rows(it)
    X = V.groups[tuple(model["group"])][a:b]
    return PE.aggregate(PE.sentence_probs(X, it["lang"], model), w, agg) if len(X) else 0.0


def components(V, model, units, aggs=AGGS) -> dict:
    """{agg: [component of each unit]}, the sentence probabilities computed one language at a time."""
    from marsad.techniques import persuasion_encoder as PE

    G = V.groups[tuple(model["group"])]
    out = {a: [0.0] * len(units) for a in aggs}
    for lang in sorted({u["lang"] for u in units}):
        idx = [i for i, u in enumerate(units) if u["lang"] == lang]
        spans = [V.rows(units[i]) for i in idx]
        rows = np.concatenate([np.arange(a, b) for a, b, _ in spans]) if spans else np.zeros(0, int)
        probs = PE.sentence_probs(G[rows], lang, model) if len(rows) else np.zeros(0)
        pos = 0
        for i, (a, b, w) in zip(idx, spans):
            p = probs[pos:pos + b - a]
            pos += b - a
            for ag in aggs:
                out[ag][i] = PE.aggregate(p, w, ag)
    return out


def cv_components(V, g, units, C, centre, unit_kind, folds=5, pairs=(), k: int = 0,
                  lam: float = 0.0) -> tuple[dict, list]:
    """Out-of-fold components {agg: [per unit]} and the fold models (model j: trained without fold j, its
    language directions from the `pairs` (English item, Arabic item) outside fold j)."""
    out = {a: [0.0] * len(units) for a in AGGS}
    models = []
    for j in range(folds):
        m = fit_model(V, g, [u for u in units if u["fold"] != j], C, centre, unit_kind,
                      [p for p in pairs if p[0]["fold"] != j], k, lam)
        models.append(m)
        idx = [i for i, u in enumerate(units) if u["fold"] == j]
        got = components(V, m, [units[i] for i in idx])
        for a in AGGS:
            for i, c in zip(idx, got[a]):
                out[a][i] = c
    return out, models


def _aucs(units, comp) -> dict:
    return {lang: round(PS.auc([u["label"] for u in units if u["lang"] == lang],
                               [c for u, c in zip(units, comp) if u["lang"] == lang]), 4) for lang in ("ar", "en")}


def _level_gap(units, comp) -> float:
    """How far apart the two languages' out-of-fold components sit for texts of the same label: the mean over
    the labels of |mean Arabic - mean English|. A score that means the same in both languages has it near 0."""
    m = {(lg, y): np.mean([c for u, c in zip(units, comp) if u["lang"] == lg and u["label"] == y])
         for lg in ("ar", "en") for y in (0, 1)}
    return float((abs(m["ar", 0] - m["en", 0]) + abs(m["ar", 1] - m["en", 1])) / 2)


def _centring(V, g, units, unit_kind, agg) -> dict:
    """The centring by language neutrality, then C by AUC (training data only, 5-fold CV). The CV AUC within
    each language cannot see a constant shift of one language's scores; global centring leaves one (on the
    training texts, Arabic non-persuasive texts averaged 0.63, English ones 0.22: a model over both languages
    can read the language as a prior). So the centring (global; per language; per language halfway between its
    persuasive and other texts' means, `balanced`) with the smallest level gap (_level_gap, at C 1) is taken,
    then its C with the highest mean out-of-fold AUC."""
    gaps = {}
    for centre in ("global", "language", "balanced"):
        oof, _ = cv_components(V, g, units, 1.0, centre, unit_kind)
        gaps[centre] = round(_level_gap(units, oof[agg]), 4)
    centre = min(gaps, key=gaps.get)
    best = None
    for C in (0.1, 0.3, 1.0, 3.0):
        oof, _ = cv_components(V, g, units, C, centre, unit_kind)
        cv = _aucs(units, oof[agg])
        print(f"centre {centre} C {C}: CV AUC {cv}", file=sys.stderr)
        if best is None or (cv["ar"] + cv["en"]) / 2 > best[0]:
            best = ((cv["ar"] + cv["en"]) / 2, C, cv)
    return {"centre": centre, "C": best[1], "ar": best[2]["ar"], "en": best[2]["en"], "level_gap": gaps}


def _fit_blend(rows, C: float = 1.0) -> list[float]:
    from sklearn.linear_model import LogisticRegression

    from marsad.techniques import persuasion_encoder as PE

    X = np.array([PE.blend_features(v, e) for _, _, _, v, e in rows])
    y = np.array([r[1] for r in rows])
    lg = np.array([r[0] for r in rows])
    w = np.ones(len(rows))
    for lang in set(lg):
        w[lg == lang] = 0.5 * len(w) / (lg == lang).sum()
    m = LogisticRegression(C=C, max_iter=1000).fit(X, y, sample_weight=w)
    return [float(m.intercept_[0])] + [float(x) for x in m.coef_[0]]


def _cv_blend(rows, fixed=None, folds=5) -> dict:
    """Out-of-fold AUC per language of v1, the encoder component and their blend (weights fitted per fold, or
    `fixed`: chosen beforehand by persuasion_language.py blend, whose AUC does not depend on w0 and the scale)."""
    from marsad.techniques import persuasion_encoder as PE

    out = {"rate (v1)": [r[3] for r in rows], "encoder": [r[4] for r in rows], "blend": [0.0] * len(rows)}
    for j in range(folds):
        wts = fixed or _fit_blend([r for r in rows if r[2] != j])
        for i, r in enumerate(rows):
            if r[2] == j:
                out["blend"][i] = PE.blend(r[3], r[4], wts)
    return {k: {lang: round(PS.auc([r[1] for r in rows if r[0] == lang],
                                   [s for r, s in zip(rows, v) if r[0] == lang]), 4) for lang in ("ar", "en")}
            for k, v in out.items()}


