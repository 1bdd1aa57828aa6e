"""The article's persuasion score, one rule for every language and length (issue 17 item 2).

    persuasion(record) -> {"score", "per_1000_words", "families": {family: per_1000_words}, "spans", "words",
                           "method"}

Computed from the record's own `techniques` spans, `sentences` and `text` (nothing is re-analysed):

1. spans with no letter in them (list numbers such as "3." or "٣-", dashes, lone punctuation) are dropped
   (`suppressed`): a technique needs words;
2. each technique belongs to one of the six SemEval-2023 families (`FAMILY`: attack on reputation, justification,
   simplification, distraction, call, manipulative wording); within each sentence, a family counts once, with
   the highest confidence among that family's spans starting in the sentence. So an Arabic sentence-long span
   and an English one-word span count alike (one technique-family occurrence), and ten loaded words in one
   sentence count once per family;
3. that confidence is mapped to a weight by the language's calibration (marsad/models/persuasion-calibration.json,
   which says on what data and with which command; `benchmarks/persuasion_score.py fit` refits it): one of a
   logistic map per family, one per language, or a scale (weight = k x confidence, k = the share of the
   language's detected families that the gold labels confirm / their mean confidence), whichever 5-fold
   cross-validation on each language's labelled training data picks (the shipped file: the scale). Weights under
   the file's `min_weight` count 0;
4. per_1000_words = 1,000 x the summed weights / the text's words, its words counted in English-equivalent
   words (an Arabic word counts `words_factor`: how many English words one Arabic word renders, measured on
   translated pairs), per family and in all;
5. score = r / (r + half), 0..1, where r is the rate over (words + `prior_words`): a short text is shrunk
   towards 0 (one span in a 20-word tweet is weak evidence of a rate of 50 per 1,000), an article of 1,000 words
   or more keeps nearly its raw rate; `half` is the median r of the persuasive training texts of both languages,
   so 0.5 means "as dense as a typical persuasive text".

v2 (the accurate profile, `method` family-occurrences-and-encoder/v2): the record also gets `encoder`, how
persuasive the multilingual encoder finds its masked sentences (marsad/techniques/persuasion_encoder.py), and
`technique_score`, the v1 score above; `score` is then their logistic blend (weights in
marsad/models/persuasion-encoder.npz). The fast profile, or a language the encoder model does not cover, keeps v1.

The older `scores.persuasion` (share of the text's characters inside spans, weighted by confidence) is kept in
records as it was; it is not comparable across languages (Arabic spans are sentences, English ones words).
"""
from __future__ import annotations

import bisect
import functools
import json
import math
from pathlib import Path

from marsad.techniques import persuasion_encoder as PE

CALIBRATION = Path(__file__).resolve().parent.parent / "models" / "persuasion-calibration.json"
METHOD = "family-occurrences-per-1000-words/v1"
METHOD_V2 = "family-occurrences-and-encoder/v2"
FAMILIES = ("attack_on_reputation", "justification", "simplification", "distraction", "call",
            "manipulative_wording")
FAMILY = {
    "Appeal_to_Time": "call", "Conversation_Killer": "call", "Slogans": "call",
    "Red_Herring": "distraction", "Straw_Man": "distraction", "Whataboutism": "distraction",
    "Appeal_to_Authority": "justification", "Appeal_to_Fear-Prejudice": "justification",
    "Appeal_to_Popularity": "justification", "Appeal_to_Values": "justification", "Flag_Waving": "justification",
    "Exaggeration-Minimisation": "manipulative_wording", "Loaded_Language": "manipulative_wording",
    "Obfuscation-Vagueness-Confusion": "manipulative_wording", "Repetition": "manipulative_wording",
    "Appeal_to_Hypocrisy": "attack_on_reputation", "Doubt": "attack_on_reputation",
    "Guilt_by_Association": "attack_on_reputation", "Name_Calling-Labeling": "attack_on_reputation",
    "Questioning_the_Reputation": "attack_on_reputation",
    "Causal_Oversimplification": "simplification", "Consequential_Oversimplification": "simplification",
    "False_Dilemma-No_Choice": "simplification",
}
_EPS = 1e-4


def suppressed(span: dict, text: str) -> bool:
    """A span that cannot carry a technique: no letter in it (list numbers "3.", "٣-", dashes, punctuation)."""
    return not any(ch.isalpha() for ch in text[max(0, span["start"]):span["end"]])


def words(text: str) -> int:
    return len(text.split())


@functools.cache
def _shipped() -> dict:
    return json.loads(CALIBRATION.read_text(encoding="utf-8")) if CALIBRATION.exists() else {}


def calibration() -> dict:
    """The shipped calibration (marsad/models/persuasion-calibration.json), read once."""
    return _shipped()


def _logit(c: float) -> float:
    c = min(1 - _EPS, max(_EPS, float(c)))
    return math.log(c / (1 - c))


def weight(confidence: float, lang: str, family: str, cal: dict) -> float:
    """The calibrated weight of a family's occurrence (its best span's confidence) in a language: the language's
    logistic map for the family (or for all families), or its `scale` x the confidence; without a calibration
    for the language, the confidence itself. Under the file's `min_weight`: 0."""
    lc = (cal.get("languages") or {}).get(lang) or {}
    ab = (lc.get("families") or {}).get(family) or lc.get("default")
    if ab:
        z = ab[0] + ab[1] * _logit(confidence)
        w = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
    else:
        w = min(1.0, float(confidence) * float(lc.get("scale", 1.0)))
    return w if w >= cal.get("min_weight", 0.0) else 0.0


def occurrences(record: dict) -> list[tuple[int, str, float]]:
    """(sentence index, family, best confidence) for each family found in each sentence, after suppression."""
    text = record.get("text") or ""
    sents = sorted((s["start"], s["end"]) for s in record.get("sentences") or [] if s["end"] > s["start"])
    if not sents:
        sents = [(0, len(text))]
    starts = [a for a, _ in sents]
    best: dict[tuple[int, str], float] = {}
    for sp in record.get("techniques") or []:
        fam = FAMILY.get(sp.get("technique"))
        if fam is None or suppressed(sp, text):
            continue
        k = max(0, bisect.bisect_right(starts, sp["start"]) - 1)
        c = float(sp.get("confidence", 1.0))
        if c > best.get((k, fam), -1.0):
            best[(k, fam)] = c
    return [(k, fam, c) for (k, fam), c in sorted(best.items())]


def _score(weights: float, n_words: float, cal: dict) -> float:
    """0..1 from the summed weights and the (English-equivalent) words: the rate per 1,000 words shrunk towards 0
    by `prior_words` words without techniques (a 20-word tweet with one span is weak evidence of a rate of 50),
    then r / (r + half)."""
    n = n_words + float(cal.get("prior_words", 0.0))
    rate = 1000.0 * weights / n if n > 0 else 0.0
    half = float(cal.get("half", 10.0))
    return round(rate / (rate + half), 4) if rate > 0 else 0.0


def weights(record: dict, calibration: dict | None = None) -> tuple[dict[str, float], float]:
    """({family: summed calibrated weight}, English-equivalent words) of a record: what the score is made of,
    and what outlet profiles add up over documents."""
    cal = _shipped() if calibration is None else calibration
    lang = record.get("language") or ""
    lc = (cal.get("languages") or {}).get(lang) or {}
    fam_sum = dict.fromkeys(FAMILIES, 0.0)
    for _k, fam, c in occurrences(record):
        fam_sum[fam] += weight(c, lang, fam, cal)
    return fam_sum, words(record.get("text") or "") * float(lc.get("words_factor", 1.0))


def summary(fam_sum: dict[str, float], n_words: float, calibration: dict | None = None,
            encoder: float | None = None) -> dict:
    """{score, per_1000_words, families} from summed family weights over `n_words` English-equivalent words (one
    document's, or an outlet's documents' pooled). With `encoder` (the encoder component, 0..1: a document's, or
    an outlet's documents' words-weighted mean) and the encoder model shipped: the v2 score, the blend of the
    rate's score (kept as `technique_score`) and the component (kept as `encoder`)."""
    cal = _shipped() if calibration is None else calibration
    per = {f: (1000.0 * fam_sum.get(f, 0.0) / n_words if n_words else 0.0) for f in FAMILIES}
    out = {"score": _score(sum(fam_sum.values()), n_words, cal),
           "per_1000_words": round(sum(per.values()), 2),
           "families": {f: round(v, 2) for f, v in per.items()}}
    if encoder is not None:
        m = PE.model()
        if m:
            out = {**out, "score": round(PE.blend(out["score"], encoder, m["blend"]), 4),
                   "technique_score": out["score"], "encoder": round(float(encoder), 4)}
    return out


def persuasion(record: dict, calibration: dict | None = None, encoder: float | None = None) -> dict:
    """The record's persuasion measure (see the module's docstring): {score, per_1000_words, families, spans,
    words, method}; with the encoder component (`encoder`, or the one the record's `persuasion` already holds:
    it does not depend on the spans, so a corrected record keeps it), also {technique_score, encoder} and the
    v2 score."""
    cal = _shipped() if calibration is None else calibration
    fam_sum, n_words = weights(record, cal)
    text = record.get("text") or ""
    if encoder is None:
        encoder = (record.get("persuasion") or {}).get("encoder")
    out = summary(fam_sum, n_words, cal, encoder)
    return {**out,
            "spans": sum(1 for sp in record.get("techniques") or [] if not suppressed(sp, text)),
            "words": round(n_words, 1),
            "method": (METHOD_V2 if "encoder" in out else METHOD) + ("" if cal else " (uncalibrated)")}


# ---------------------------------------------------------------- fitting (benchmarks/persuasion_score.py fit)
def auc(labels: list[int], scores: list[float]) -> float:
    """ROC AUC (ties count one half)."""
    from scipy.stats import rankdata

    r = rankdata(scores)
    npos = sum(labels)
    nneg = len(labels) - npos
    if not npos or not nneg:
        return float("nan")
    return float((sum(x for x, y in zip(r, labels) if y) - npos * (npos + 1) / 2) / (npos * nneg))


def _fit_ab(xs: list[float], ys: list[int]) -> list[float] | None:
    if len(xs) < 20 or len(set(ys)) < 2:
        return None
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(C=1.0).fit([[x] for x in xs], ys)
    return [round(float(m.intercept_[0]), 4), round(float(m.coef_[0][0]), 4)]


def _fit_lang(units: list[tuple[str, float, int]], mode: str = "family") -> dict:
    """units: (family, best confidence in the text, family in the text's gold) -> {families: {f: [a, b]}, default}
    (mode "family": a logistic map per family, the language's for families with too few units; "language": one
    map for all families; "scale": weight = k x confidence, k = the units' precision / their mean confidence,
    which keeps each language's ranking and sets its level; "none": the confidence itself)."""
    if mode in ("scale", "none"):  # scale: the confidences times one number, so that their mean is the precision
        conf = [c for _, c, _ in units]
        k = (sum(y for _, _, y in units) / sum(conf)) if mode == "scale" and conf and sum(conf) else 1.0
        return {"families": {}, "default": None, "scale": round(k, 4)}
    out = {"families": {}, "default": _fit_ab([_logit(c) for _, c, _ in units], [y for _, _, y in units])}
    if mode == "language":
        return out
    for f in FAMILIES:
        ab = _fit_ab([_logit(c) for g, c, _ in units if g == f], [y for g, _, y in units if g == f])
        if ab:
            out["families"][f] = ab
    return out


def _units(item: dict, rec: dict) -> list[tuple[str, float, int]]:
    best: dict[str, float] = {}
    for _k, fam, c in occurrences(rec):
        best[fam] = max(best.get(fam, 0.0), c)
    gold = set(item.get("families") or [])
    return [(f, c, int(f in gold)) for f, c in best.items()]


def fit(items: list[dict], to_record, folds: int = 5, grid=(0.0, 0.1, 0.2, 0.3, 0.4, 0.5),
        prior_grid=(0, 25, 50, 100), modes=("family", "language", "scale", "none"), words_factor: dict | None = None,
        verbose: bool = False) -> dict:
    """The calibration from labelled training texts (items: {lang, label 0/1, families, fold, ...};
    to_record(item) -> record): per language a map of confidences to weights (see _fit_lang), fitted on all the
    data. The kind of map, `min_weight` and `prior_words` are chosen on out-of-fold weights (each fold weighted by
    maps fitted on the other folds) to maximise the mean over languages of the rate's ROC AUC; choices are tried
    in the order given and a later one is taken only where it gains more than 0.002. `half` = the median shrunk
    rate of the persuasive texts (both languages pooled, out-of-fold). prior_grid stops at 100 words by design:
    an article of 1,000 words or more is then within 10% of its raw rate."""
    import statistics
    import sys

    recs = [to_record(it) for it in items]
    langs = sorted({it["lang"] for it in items})
    base = {"languages": {lg: {"words_factor": (words_factor or {}).get(lg, 1.0)} for lg in langs}}
    best = None
    for mode in modes:
        oof: list[dict | None] = [None] * len(items)
        for j in range(folds):
            cal = json.loads(json.dumps(base))
            for lg in langs:
                units = [u for it, r in zip(items, recs) if it["lang"] == lg and it["fold"] != j
                         for u in _units(it, r)]
                cal["languages"][lg].update(_fit_lang(units, mode))
            for i, it in enumerate(items):
                if it["fold"] == j:
                    oof[i] = cal
        for t in grid:
            sums = [sum(weight(c, items[i]["lang"], f, {**oof[i], "min_weight": t}) for _k, f, c in occurrences(r))
                    for i, r in enumerate(recs)]
            n_words = [words(r["text"]) * oof[i]["languages"][items[i]["lang"]]["words_factor"]
                       for i, r in enumerate(recs)]
            for w0 in prior_grid:
                rates = [1000.0 * w / (n + w0) if n + w0 > 0 else 0.0 for w, n in zip(sums, n_words)]
                aucs = {}
                for lg in langs:
                    idx = [i for i, it in enumerate(items) if it["lang"] == lg]
                    aucs[lg] = auc([items[i]["label"] for i in idx], [rates[i] for i in idx])
                mean = sum(aucs.values()) / len(aucs)
                if verbose:
                    print(f"map {mode} min_weight {t} prior_words {w0}: CV AUC "
                          + ", ".join(f"{k} {v:.3f}" for k, v in aucs.items()) + f"; mean {mean:.3f}", file=sys.stderr)
                if best is None or mean > best[0] + 0.002:  # a later (plainer) choice must gain more than 0.002
                    pos = [r for r, it in zip(rates, items) if it["label"] and r > 0]
                    best = (mean, t, w0, aucs, statistics.median(pos) if pos else 10.0, mode)
    cal = json.loads(json.dumps(base))
    for lg in langs:
        units = [u for it, r in zip(items, recs) if it["lang"] == lg for u in _units(it, r)]
        cal["languages"][lg].update(_fit_lang(units, best[5]))
    cal.update({"method": METHOD, "map": best[5], "min_weight": best[1], "prior_words": best[2],
                "half": round(best[4], 2),
                "cv_auc": {lg: round(v, 3) for lg, v in best[3].items()}})
    return cal
