"""Train the Arabic event classifier (marsad/models/events-ar.json) on judged sentences.

    python -m marsad.train.events [--data ../shared/data/events/arabic_event_gsr] [--out marsad/models/events-ar.json]
                                  [--positive majority|yes]
    python -m marsad.train.events --encoder [--out marsad/models/events-ar-e5.json]   # the accurate profile's

Data: the Arabic event GSR (assault_dev.csv, protest_dev.csv): sentences judged for PLOVER ASSAULT / PROTEST by
three annotators. Positive (`--positive`): "yes" (default), all accepted, the GSR's own label and what
`marsad_eval gsr` scores; "majority", more accepted than rejected (figures for both in models/events-ar.md).
Model: logistic regression (scikit-learn, needed only here) over the
features of marsad.events.classifier; the decision threshold is chosen by 5-fold cross-validation to maximise the F1
of the whole rule (lexicon hit AND classifier), and the final weights are fitted on all the data.

`--encoder` trains the accurate profile's confirmer instead (marsad/models/events-ar-e5.json): the same logistic
regression over encoder states, not words: the sentence's mean piece vector and the vector of its first ASSAULT
(or AUTO) / PROTEST trigger's piece, each the mean of the layers the Arabic NER head reads (so the pipeline's one
encoder pass serves both), standardised; C and the threshold chosen by 5-fold cross-validation (F1 of lexicon
hit AND classifier, averaged over three fold seeds).
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


def _positive(row: dict, rule: str) -> bool:
    if rule == "yes":
        return row["label"].strip().lower().startswith("yes")
    return int(row["accept"] or 0) > int(row["reject"] or 0)


def _vectors(texts: list[str], plover: str):
    """[n, 2H]: per sentence its mean piece vector and its first trigger's piece vector (zeros without one),
    as marsad.events.classifier.encoder_vectors builds them from a document's encoder states."""
    import numpy as np

    from .. import encoder
    from ..entities import ner_encoder

    layers = ner_encoder.layers("ar")
    enc = encoder.get(max(layers), 1)
    rows = []
    for text, part in zip(texts, enc.encode(texts, keep=layers)):
        mix = ner_encoder.layer_mean(part.states, layers)
        hits = [h.start for h in T.triggers("ar").find(text) if T.data(h)["plover"] in (plover, "AUTO")]
        rows.append(classifier.sentence_vectors(mix, part.ends, hits[0] if hits else None))
    return np.array(rows, dtype=np.float32), layers


def _f1(pred, y) -> float:
    tp, fp, fn = (pred & (y == 1)).sum(), (pred & (y == 0)).sum(), (~pred & (y == 1)).sum()
    return float(2 * tp / (2 * tp + fp + fn)) if tp else 0.0


def _best_threshold(lex, prob, y, lowest: float = 0.05) -> tuple[float, float]:
    """(F1, threshold) of the rule "lexicon hit AND probability >= threshold" at its best threshold."""
    import numpy as np

    best = (0.0, 0.5)
    for th in np.arange(lowest, 0.95, 0.025):
        best = max(best, (_f1(lex & (prob >= th), y), float(th)))
    return best


def _word_cv(X, y, seed: int):
    """Held-out probabilities of the word model (5 folds of this seed)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    prob = np.zeros(len(y))
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed).split(X, y):
        clf = LogisticRegression(C=0.5, class_weight="balanced", max_iter=2000).fit(X[tr], y[tr])
        prob[te] = clf.predict_proba(X[te])[:, 1]
    return prob


def train_encoder(data: Path, positive: str, out_path: Path) -> dict:
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    out = {"source": "arabic_event_gsr (assault_dev.csv, protest_dev.csv)", "positive": positive, "models": {},
           "cv": {}}
    for plover, name in (("ASSAULT", "assault_dev.csv"), ("PROTEST", "protest_dev.csv")):
        rows = list(csv.DictReader(open(data / name, encoding="utf-8")))
        texts = [r["text"] for r in rows]
        y = np.array([_positive(r, positive) for r in rows], dtype=int)
        lex = np.array([_hit(t, plover) for t in texts])
        X, layers = _vectors(texts, plover)
        mean, scale = X.mean(axis=0), X.std(axis=0) + 1e-6
        Z = (X - mean) / scale  # standardised on all the data: no label is read, so the folds stay honest
        scores, probs = {}, {}
        for C in (0.001, 0.003, 0.01, 0.03, 0.1):
            found = []
            for seed in range(3):
                prob = probs[C, seed] = np.zeros(len(y))
                for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed).split(Z, y):
                    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=3000).fit(Z[tr], y[tr])
                    prob[te] = clf.predict_proba(Z[te])[:, 1]
                found.append(_best_threshold(lex, prob, y))
            scores[C] = (float(np.mean([f for f, _ in found])), float(np.median([t for _, t in found])))
        C = max(scores, key=lambda c: scores[c][0])
        f1, threshold = scores[C]
        # The same held-out predictions at the chosen threshold, scored against the GSR's unanimous "yes" too
        # (what `marsad_eval gsr` counts), so that either reading of the labels can be compared.
        unanimous = np.array([_positive(r, "yes") for r in rows], dtype=int)
        f1_yes = float(np.mean([_f1(lex & (probs[C, seed] >= threshold), unanimous) for seed in range(3)]))
        # The word model on the same folds: a type keeps the encoder model only where it does better.
        Xw = DictVectorizer().fit_transform([dict.fromkeys(classifier.features(t), 1) for t in texts])
        f1_words = float(np.mean([_best_threshold(lex, _word_cv(Xw, y, seed), y, lowest=0.1)[0]
                                  for seed in range(3)]))
        out["cv"][plover] = {"n": len(y), "positives": int(y.sum()), "C": C,
                             "cv_f1_lexicon_and_classifier_3_seeds": round(f1, 4),
                             "cv_f1_against_unanimous_yes": round(f1_yes, 4),
                             "cv_f1_word_model_3_seeds": round(f1_words, 4),
                             "cv_f1_by_C": {str(c): round(v[0], 4) for c, v in scores.items()}}
        out["layers"] = list(layers)
        print(plover, out["cv"][plover], "threshold", threshold, flush=True)
        if f1 <= f1_words:
            continue
        clf = LogisticRegression(C=C, class_weight="balanced", max_iter=3000).fit(Z, y)
        out["models"][plover] = {"bias": round(float(clf.intercept_[0]), 6), "threshold": round(threshold, 3),
                                 "weights": [round(float(w), 6) for w in clf.coef_[0]],
                                 "mean": [round(float(v), 6) for v in mean], "scale": [round(float(v), 6) for v in scale]}
    out_path.write_text(json.dumps(out, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    print("wrote", out_path)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m marsad.train.events")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=classifier.MODEL)
    ap.add_argument("--positive", choices=("yes", "majority"), default="yes",
                    help="which sentences are events: all annotators accepting (the GSR's 'yes', default), or more "
                         "accepting than rejecting")
    ap.add_argument("--encoder", action="store_true",
                    help="train the accurate profile's confirmer on encoder states (default --out: "
                         "marsad/models/events-ar-e5.json)")
    args = ap.parse_args(argv)
    if args.encoder:
        train_encoder(args.data, args.positive,
                      args.out if args.out != classifier.MODEL else classifier.ENCODER_MODEL)
        return 0
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    out = {"source": "arabic_event_gsr (assault_dev.csv, protest_dev.csv)", "positive": args.positive,
           "models": {}, "cv": {}}
    for plover, name in (("ASSAULT", "assault_dev.csv"), ("PROTEST", "protest_dev.csv")):
        rows = list(csv.DictReader(open(args.data / name, encoding="utf-8")))
        texts = [r["text"] for r in rows]
        y = np.array([_positive(r, args.positive) for r in rows], dtype=int)
        lex = np.array([_hit(t, plover) for t in texts])
        feats = [dict.fromkeys(classifier.features(t), 1) for t in texts]
        vec = DictVectorizer()
        X = vec.fit_transform(feats)
        best = _best_threshold(lex, _word_cv(X, y, seed=0), y, lowest=0.1)
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
