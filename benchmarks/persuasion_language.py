"""The persuasion score's language neutrality (issue 17): how many language directions to project out of the
encoder component's vectors, and how much of the v1 technique rate to blend in, both chosen by 5-fold CV on
training data only (ArAIEval-2023 1A train, PTC train lines, the translated PTC span pairs of Train.tsv), with
the cross-language agreement of those pairs in the objective as well as the AUC.

    python benchmarks/persuasion_language.py choose [--dir D]   # the C x k x lam grid (~4 min) -> D/choose_k.json
    python benchmarks/persuasion_language.py blend  [--dir D]   # the blend's v1 share (~1 min) -> D/choose_blend.json

Needs <dir>/spans.jsonl, en_all.jsonl, vectors.npz (persuasion_score.py collect / arfolds / enfolds,
persuasion_encoder.py vectors) and pairs.jsonl, pairs_vectors.npz (persuasion_pairs.py collect). The Dev.tsv
pairs are read by neither step.

What is chosen, and how (figures: persuasion-encoder.md). The encoder model's setting (C; k language
directions projected out, PE.language_directions; lam, a penalty on coefficients along the directions in which
texts and their translations differ, persuasion_encoder_cv.fit_model): among the settings whose out-of-fold AUC
in each language is within TOLERANCE of the best setting's, the highest out-of-fold Spearman over the Train.tsv
pairs (each pair scored by the fold model that saw neither its article's lines nor its article's pairs); within
TIE of it, the highest mean AUC. The blend's v1 share: the highest mean AUC + Spearman (`blend`). Honest note on
the order: the tolerance rule was written before the first grid (k only, C 0.3 and 1: projecting directions
out did not raise the Spearman); C 0.01-0.1 and lam were added after it, TIE after two settings came out 0.0001
apart, and the blend's objective after the tolerance rule, applied to the share, kept 0.75 (Spearman 0.55 on
the train pairs): all on training data, with the Dev.tsv pairs unread until the model was fitted.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import persuasion_score as PS  # noqa: E402
from persuasion_encoder import _blend_units, _v1, data, training_units  # noqa: E402
from persuasion_encoder_cv import _aucs, components, cv_components  # noqa: E402

KS = (0, 4, 16)
CS = (0.01, 0.03, 0.1, 0.3, 1.0)
LAMS = (0.0, 1.0, 3.0, 10.0)
TOLERANCE = 0.01
TIE = 0.002
AGG = "wmean"
SHARES = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 1.5, 2.2)


def pair_components(V, models, pairs, agg=AGG) -> list[tuple[float, float]]:
    """(English, Arabic) encoder components of each pair, by the fold model that did not see its article
    (models[fold]) or by one model for all (models a dict)."""
    out = [None] * len(pairs)
    for j in range(len(models) if isinstance(models, list) else 1):
        m = models[j] if isinstance(models, list) else models
        idx = [i for i, (e, _) in enumerate(pairs) if not isinstance(models, list) or e["fold"] == j]
        if not idx:
            continue
        flat = [it for i in idx for it in pairs[i]]
        got = components(V, m, flat, (agg,))[agg]
        for n, i in enumerate(idx):
            out[i] = (got[2 * n], got[2 * n + 1])
    return out


def pick(rows: list[dict], score: str) -> dict:
    """The encoder's rule (module docstring): AUC within TOLERANCE of the best in each language, then the highest
    `score`; within TIE of it, the highest mean AUC."""
    best_ar, best_en = max(r["ar"] for r in rows), max(r["en"] for r in rows)
    ok = [r for r in rows if r["ar"] >= best_ar - TOLERANCE and r["en"] >= best_en - TOLERANCE]
    top = max(r[score] for r in ok)
    return max((r for r in ok if r[score] >= top - TIE), key=lambda r: r["ar"] + r["en"])


def choose(args) -> None:
    items, en_all, V, pairs = data(args)
    units = training_units(items, en_all)
    g = (6, 7, 8, 9)
    res = []
    for C, k, lam in ((C, k, lam) for C in CS for k in KS for lam in LAMS):
        t0 = time.time()
        oof, models = cv_components(V, g, units, C, args.centre, "text", pairs=pairs, k=k, lam=lam)
        pc = pair_components(V, models, pairs)
        row = {"k": k, "lam": lam, "C": C, "centre": args.centre, **_aucs(units, oof[AGG]),
               "spearman_train_pairs_oof": round(PS.spearman([e for e, _ in pc], [a for _, a in pc]), 4),
               "mean_en": round(float(np.mean([e for e, _ in pc])), 4),
               "mean_ar": round(float(np.mean([a for _, a in pc])), 4)}
        res.append(row)
        print(json.dumps(row), f"{time.time() - t0:.0f}s", flush=True)
    ch = pick(res, "spearman_train_pairs_oof")
    print(f"chosen: {json.dumps(ch)}", file=sys.stderr)
    (Path(args.dir) / "choose_k.json").write_text(json.dumps({"grid": res, "chosen": ch}), encoding="utf-8")


def blend(args) -> None:
    """The blend's v1 share t (score = sigmoid(w0 + s (t x v1 + logit(encoder)))) over SHARES: the highest sum
    of the mean out-of-fold AUC of the labelled training texts (both parts out-of-fold, as persuasion_encoder.py
    fit) and the Spearman over the Train.tsv pairs (encoder component out-of-fold; v1 from the shipped technique
    models, which saw these spans). A v1 share only adds AUC, so no floor is needed as for the encoder. Then w0
    and s by logistic regression on the training texts, each language weighing half."""
    from persuasion_encoder_cv import _fit_blend

    from marsad.techniques import persuasion_encoder as PE

    items, en_all, V, pairs = data(args)
    units = training_units(items, en_all)
    ch = json.loads((Path(args.dir) / "choose_k.json").read_text(encoding="utf-8"))["chosen"]
    oof, models = cv_components(V, (6, 7, 8, 9), units, ch["C"], ch["centre"], "text", pairs=pairs, k=ch["k"],
                                 lam=ch["lam"])
    rows = _blend_units(items, en_all, units, oof[AGG])
    pc = pair_components(V, models, pairs)
    pv = [(_v1(e), _v1(a)) for e, a in pairs]
    res = []
    for t in SHARES:
        z = [t * r[3] + PE.logit(r[4]) for r in rows]
        auc = {lang: round(PS.auc([r[1] for r in rows if r[0] == lang],
                                  [s for r, s in zip(rows, z) if r[0] == lang]), 4) for lang in ("ar", "en")}
        ze = [t * v + PE.logit(c) for (v, _), (c, _) in zip(pv, pc)]
        za = [t * v + PE.logit(c) for (_, v), (_, c) in zip(pv, pc)]
        sp = round(PS.spearman(ze, za), 4)
        res.append({"share": t, **auc, "spearman": sp, "objective": round((auc["ar"] + auc["en"]) / 2 + sp, 4)})
        print(json.dumps(res[-1]), flush=True)
    best = max(res, key=lambda r: r["objective"])
    s1 = _fit_blend([(r[0], r[1], r[2], 0.0, PE.sigmoid(best["share"] * r[3] + PE.logit(r[4]))) for r in rows])
    wts = [s1[0], s1[2] * best["share"], s1[2]]
    print(f"chosen: {json.dumps(best)}; blend {wts}", file=sys.stderr)
    (Path(args.dir) / "choose_blend.json").write_text(json.dumps({"grid": res, "chosen": best, "blend": wts}),
                                                      encoding="utf-8")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("step", choices=("choose", "blend"))
    ap.add_argument("--dir", default="/tmp/persuasion")
    ap.add_argument("--centre", default="balanced")
    args = ap.parse_args(argv)
    {"choose": choose, "blend": blend}[args.step](args)


if __name__ == "__main__":
    main()
