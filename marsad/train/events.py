"""Train the Arabic event classifier (marsad/models/events-ar.json) on judged sentences.

    python -m marsad.train.events [--data ../shared/data/events/arabic_event_gsr] [--out marsad/models/events-ar.json]

Data: the Arabic event GSR (assault_dev.csv, protest_dev.csv): sentences judged for PLOVER ASSAULT / PROTEST; label
"yes" is positive, everything else negative. Model: logistic regression (scikit-learn, needed only here) over the
features of marsad.events.classifier; the decision threshold is chosen by 5-fold cross-validation to maximise the F1
of the whole rule (lexicon hit AND classifier), and the final weights are fitted on all the data.
"""
from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from ..events import classifier
from ..events import triggers as T

DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "events" / "arabic_event_gsr"


def _hit(text: str, plover: str) -> bool:
    for h in T.triggers("ar").find(text):
        p = T.data(h)["plover"]
        if p == plover or (plover == "ASSAULT" and p == "AUTO"):
            return True
    return False


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m marsad.train.events")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=classifier.MODEL)
    args = ap.parse_args(argv)
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    out = {"source": "arabic_event_gsr (assault_dev.csv, protest_dev.csv)", "models": {}, "cv": {}}
    for plover, name in (("ASSAULT", "assault_dev.csv"), ("PROTEST", "protest_dev.csv")):
        rows = list(csv.DictReader(open(args.data / name, encoding="utf-8")))
        texts = [r["text"] for r in rows]
        y = np.array([r["label"].strip().lower().startswith("yes") for r in rows], dtype=int)
        lex = np.array([_hit(t, plover) for t in texts])
        feats = [dict.fromkeys(classifier.features(t), 1) for t in texts]
        vec = DictVectorizer()
        X = vec.fit_transform(feats)
        prob = np.zeros(len(y))
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=0).split(X, y):
            clf = LogisticRegression(C=0.5, class_weight="balanced", max_iter=2000).fit(X[tr], y[tr])
            prob[te] = clf.predict_proba(X[te])[:, 1]
        best = (0.0, 0.5)
        for th in np.arange(0.1, 0.95, 0.025):
            pred = lex & (prob >= th)
            tp, fp, fn = (pred & (y == 1)).sum(), (pred & (y == 0)).sum(), (~pred & (y == 1)).sum()
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            best = max(best, (f1, float(th)))
        lex_only = lex.astype(bool)
        tp, fp, fn = (lex_only & (y == 1)).sum(), (lex_only & (y == 0)).sum(), (~lex_only & (y == 1)).sum()
        clf = LogisticRegression(C=0.5, class_weight="balanced", max_iter=2000).fit(X, y)
        names = vec.get_feature_names_out()
        weights = {n: round(float(w), 4) for n, w in zip(names, clf.coef_[0]) if abs(w) >= 0.01}
        out["models"][plover] = {"bias": round(float(clf.intercept_[0]), 4), "threshold": round(best[1], 3),
                                 "weights": weights}
        out["cv"][plover] = {"n": len(y), "positives": int(y.sum()), "cv_f1_lexicon_and_classifier": round(best[0], 4),
                             "f1_lexicon_only": round(float(2 * tp / (2 * tp + fp + fn)), 4)}
        print(plover, out["cv"][plover], "threshold", best[1])
    args.out.write_text(json.dumps(out, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    print("wrote", args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
