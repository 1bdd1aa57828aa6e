"""Span re-scoring (stacking): a second model that decides which candidate technique spans to report.

The CRF, the sentence classifier and the lexicon rules each propose spans (`candidates`); each candidate gets
a few numbers describing the evidence for it (its technique, where it came from, the sentence classifier's
probability relative to the technique's threshold, the CRF's marginals, how many other techniques the
sentence has, its length in tokens, the sentence's place in the text...; where the bundle has a span label
model, span_labels.py, its probability of the candidate's technique; `features`). A gradient-boosted
regressor, fitted on cross-validation predictions (held-out documents only, `marsad train techniques
--rescore`), predicts the share of the candidate that a gold span of the same technique covers (the
precision it would have under the partial-overlap measure); candidates predicted at or above the bundle's
`rescore.min_score` are reported, their confidence being that prediction.

Even-handedness: every length is counted in tokens, and a masked party name is one token whatever its
length, so naming another side does not change a feature; words are never features here.
"""
from __future__ import annotations

import functools
import math

from marsad.spans import SpanIndex
from marsad.techniques import span_labels
from marsad.techniques.features import peak_region
from marsad.techniques.words import _TECH, ANY, rule_spans

SOURCES = ("crf", "sent", "rule", "run", "lab")
_TOKEN_KEYS = ("lx", "qs", "ql", "rep2", "rep4", "caps", "title", "punct", "masked", "Bpat", "Ipat")
_KEY_SET = frozenset(_TOKEN_KEYS)


class _Marginals:
    """The CRF's marginals of one sentence, each label's column computed when first read (a sentence's
    candidates read a few techniques' columns, not all ~40). Read only while the tagger holds this sentence."""

    def __init__(self, tagger, n: int):
        self.tagger, self.n, self._columns = tagger, n, {}

    def column(self, label: str) -> list[float]:
        col = self._columns.get(label)
        if col is None:
            col = self._columns[label] = [self.tagger.marginal(label, i) for i in range(self.n)]
        return col

    def technique(self, tech: str, labels, tokens=None) -> list[float]:
        """Per token, the marginal of `tech` (its B- plus its I- label, those in `labels`); with `tokens`, only
        at those (0 elsewhere), read without computing the whole columns."""
        m = [0.0] * self.n
        for p in ("B-", "I-"):
            if p + tech not in labels:
                continue
            if tokens is None:
                col = self.column(p + tech)
                for i in range(self.n):
                    m[i] += col[i]
            else:
                col = self._columns.get(p + tech)
                for i in tokens:
                    m[i] += col[i] if col is not None else self.tagger.marginal(p + tech, i)
        return m


def _sentence_marginals(model, doc, k: int):
    """(labels, marginals: `_Marginals`) of sentence k under the CRF, or (None, None) without one; the tagger
    must be on sentence k (`Model.crf_sentence` leaves it there)."""
    tagger = model.tagger
    toks = doc.tokens[k]
    if tagger is None or not toks:
        return None, None
    return list(tagger.labels()), _Marginals(tagger, len(toks))


def candidates(model, doc, lo: float = 0.6, run_min: float = 0.1) -> list[dict]:
    """Every span the three parts propose (sentence spans from `lo` x the technique's threshold up), with
    `feats`: {name: number} (see module docstring)."""
    return [c for block in sentence_candidates(model, doc, lo, run_min) for c in block]


def sentence_candidates(model, doc, lo: float = 0.6, run_min: float = 0.1):
    """`candidates`, one list per sentence as each is done (a long document's feature dicts need not all be
    in memory at once)."""
    thr = model.sent.get("thresholds", {}) if model.sent else {}
    long_set = set(model.config.get("sentence_techniques", []))
    frac = model.config.get("tight_frac") or 0.4
    probs = dict(model.sentence_probs(doc))
    n_sent = len(doc.sentences)
    ratios = []  # per sentence: {tech: p / threshold}
    for k in range(n_sent):
        ratios.append({t: p / max(thr.get(t, 0.5), 1e-3) for t, p in probs.get(k, {}).items() if t in _TECH})
    doc_max = [max(r.values(), default=0.0) for r in ratios]
    doc_mean = sum(doc_max) / max(1, len(doc_max))
    rules = rule_spans(doc, [])
    rules_near = SpanIndex(rules)  # by bisect: no loop over every span per sentence
    labeller = model.bundle.get("span_labels")  # the accurate profile's span label model, where it has one
    twins = model.config.get("label_twins", 0)  # a bundle trained with --label-twins N
    for k, (a, b) in enumerate(doc.sentences):
        toks = doc.tokens[k]
        if not toks:
            continue
        mine = []  # this sentence's candidates (every candidate starts inside its own sentence)
        # the CRF tags one sentence at a time (its spans lie inside it), then its marginals are read: a long
        # document's feature dicts are never all held (issue 13)
        crf_here = [s for s in model.crf_sentence(doc, k) if s["technique"] in _TECH]
        labels, marg = _sentence_marginals(model, doc, k)
        li = {lab: j for j, lab in enumerate(labels or [])}
        o = li.get("O")
        prop = [1.0 - p for p in marg.column("O")] if marg and o is not None else [0.0] * len(toks)
        r = ratios[k]
        ranked = sorted(r.values(), reverse=True)
        text_s = doc.text[a:b].rstrip()
        sfeat = {"sent_rel": k / max(1, n_sent - 1), "sent_first": float(k == 0), "n_sent": float(n_sent),
                 "sent_tokens": float(len(toks)), "r_max": ranked[0] if ranked else 0.0,
                 "r_2nd": ranked[1] if len(ranked) > 1 else 0.0, "n_pass": float(sum(x >= 1 for x in ranked)),
                 "doc_mean": doc_mean, "prev_max": doc_max[k - 1] if k else 0.0,
                 "next_max": doc_max[k + 1] if k + 1 < n_sent else 0.0,
                 "crf_any_max": max(prop), "crf_any_sum": sum(prop) / len(toks),
                 "q": float(text_s.endswith("?")), "x": float(text_s.endswith("!")),
                 "quote": float(any(c in text_s for c in "\"“”")),
                 "p_any": probs.get(k, {}).get(ANY, -1.0)}

        @functools.cache  # per sentence: each token's flags among _TOKEN_KEYS ("key" or "key=..." features)
        def token_flags():
            return [{x.partition("=")[0] for x in g} & _KEY_SET for g in doc.features[k]]

        @functools.cache  # per sentence: one list per technique, read by every candidate of it
        def tech_marg(tech):
            return marg.technique(tech, li)

        def add(s, e, tech, src, p=None):
            i0 = next((i for i, t in enumerate(toks) if t[1] > s), len(toks))
            i1 = next((i for i in range(len(toks) - 1, -1, -1) if toks[i][0] < e), -1)
            n_tok = max(1, i1 - i0 + 1)
            m = tech_marg(tech) if marg else [0.0] * len(toks)
            inside = m[i0:i1 + 1] or [0.0]
            f = dict(sfeat)
            tf = token_flags()[i0:i1 + 1]
            for key in _TOKEN_KEYS:  # share of the span's tokens with each word-shape / lexicon flag
                f[f"tok_{key}"] = sum(key in g for g in tf) / n_tok
            f["n_same"] = float(sum(1 for x in mine if x["technique"] == tech and a <= x["start"] < b))
            f.update({f"t={tech}": 1.0, f"src={src}": 1.0, "p": r.get(tech, 0.0) * thr.get(tech, 0.5),
                      "ratio": r.get(tech, 0.0), "log_ratio": math.log(max(r.get(tech, 0.0), 1e-4)),
                      "rank": float(sum(x > r.get(tech, 0.0) for x in ranked)),
                      "long": float(tech in long_set), "span_tokens": float(n_tok),
                      "span_frac": n_tok / len(toks), "m_peak": max(m), "m_sum": sum(m),
                      "m_in_mean": sum(inside) / len(inside), "m_in_max": max(inside),
                      "crf_same": float(any(x["technique"] == tech for x in crf_here)),
                      "conf": float(p) if p is not None else 0.0})
            mine.append({"technique": tech, "start": s, "end": e, "source": src, "feats": f})

        for x in crf_here:
            add(x["start"], x["end"], x["technique"], "crf", x["confidence"])
        for x in rules_near.starting(a, b):
            add(x["start"], x["end"], x["technique"], "rule", x["confidence"])
        for tech, ratio in r.items():
            if ratio < lo:
                continue
            if tech in long_set or not marg or "B-" + tech not in li:
                add(a, b, tech, "sent")
            else:  # Model.tight_span, from the marginals above instead of a second forward-backward
                cb = marg.column("B-" + tech)
                ci = marg.column("I-" + tech) if "I-" + tech in li else [0.0] * len(toks)
                peak = [max(b_, i_) for b_, i_ in zip(cb, ci)]
                s, e = peak_region(toks, peak, frac)
                add(s, e, tech, "sent")
        if marg:  # runs of tokens where the CRF gives a short technique some probability
            # A technique's B + I marginal is at most 1 - P(O): only tokens where that reaches run_min can be
            # in a run, and a sentence without one has none (its other columns are never computed).
            live = [i for i, q in enumerate(prop) if q >= run_min - 1e-9] if o is not None else range(len(toks))
            for tech in (sorted({lab[2:] for lab in li if lab != "O"} - long_set) if live else ()):
                m = marg.technique(tech, li, live)
                i = 0
                while i < len(m):
                    if m[i] < run_min:
                        i += 1
                        continue
                    j = i
                    while j + 1 < len(m) and m[j + 1] >= run_min:
                        j += 1
                    add(toks[i][0], toks[j][1], tech, "run")
                    i = j + 1
        if labeller and mine:  # the span label model's view of each candidate's technique
            P = span_labels.features(labeller, doc, mine)
            if twins:  # the same span under the label model's likelier techniques, for the re-scorer to weigh
                have = {(c["start"], c["end"], c["technique"]) for c in mine}
                base = len(mine)
                others_of = span_labels.best_other(labeller, P, mine, twins)  # before `add` lengthens `mine`
                origin = []  # per twin, the row of P of the span it repeats: the same span, the same probabilities
                for row, (c, others) in enumerate(zip(mine[:base], others_of)):
                    for tech in others:
                        if tech in _TECH and (c["start"], c["end"], tech) not in have:
                            have.add((c["start"], c["end"], tech))
                            add(c["start"], c["end"], tech, "lab")
                            origin.append(row)
                if origin:
                    span_labels.features(labeller, doc, mine[base:], P[origin])
        yield mine


def feature_names(techniques, extra=()) -> list[str]:
    """The re-scorer's columns; `extra`: more numeric features (span_labels.FEATURES, where the bundle has that
    part)."""
    base = ["sent_rel", "sent_first", "n_sent", "sent_tokens", "r_max", "r_2nd", "n_pass", "doc_mean", "prev_max",
            "next_max", "crf_any_max", "crf_any_sum", "q", "x", "quote", "p", "ratio", "log_ratio", "rank", "long",
            "span_tokens", "span_frac", "m_peak", "m_sum", "m_in_mean", "m_in_max", "crf_same", "conf", "p_any",
            "n_same"] + [f"tok_{k}" for k in _TOKEN_KEYS]
    return base + list(extra) + [f"src={s}" for s in SOURCES] + [f"t={t}" for t in techniques]


def matrix(cands: list[dict], names: list[str]):
    import numpy as np

    X = np.full((len(cands), len(names)), np.nan, dtype=np.float32)
    idx = {n: j for j, n in enumerate(names)}
    for i, c in enumerate(cands):
        for n, v in c["feats"].items():
            j = idx.get(n)
            if j is not None:
                X[i, j] = v
    for j, n in enumerate(names):  # one-hot columns: absent = 0
        if n.startswith(("t=", "src=")):
            X[np.isnan(X[:, j]), j] = 0.0
    return X


def fit(cands: list[dict], techniques, **params):
    """The re-scorer: two gradient-boosted regressions over the candidates' features, of `y` (the share of
    the candidate inside gold spans of its technique: its precision) and of `r` (the summed shares of those
    gold spans it covers: what it adds to recall)."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingRegressor

    # the span label model's columns where the candidates have them (a bundle with that part)
    names = feature_names(techniques, span_labels.FEATURES if cands and "lab_p" in cands[0]["feats"] else ())
    X = matrix(cands, names)
    p = {"max_iter": 200, "learning_rate": 0.05, "max_leaf_nodes": 15, "min_samples_leaf": 20, "random_state": 0}
    p.update(params)
    out = {"features": names}
    for key, cap in (("y", 1.0), ("r", 3.0)):
        y = np.array([min(c[key], cap) for c in cands], dtype=np.float32)
        out["model" if key == "y" else "model_r"] = HistGradientBoostingRegressor(**p).fit(X, y)
    return out


def select(rs: dict, cands: list[dict]) -> list[tuple[dict, float]]:
    """(candidate, predicted precision) of those reported: value = predicted precision + lam x predicted
    recall share at least min_score, best first, a candidate dropped where a better one of the same technique
    overlaps it; plus the lexicon's sure formulae (rule spans whose emit confidence is >= rule_keep)."""
    if not cands:
        return []
    return _choose(rs, cands, *_predict(rs, cands))


def _predict(rs: dict, cands: list[dict]):
    """(predicted precision, value) per candidate; row by row, so blocks of candidates give the same numbers."""
    X = matrix(cands, rs["features"])
    py = rs["model"].predict(X)
    return py, py + rs.get("lam", 0.0) * (rs["model_r"].predict(X) if rs.get("model_r") is not None else 0.0)


def _choose(rs: dict, cands: list[dict], py, value) -> list[tuple[dict, float]]:
    import numpy as np

    keep, sure = rs.get("min_score", 0.2), rs.get("rule_keep", 0.4)
    out = []
    kept: dict[str, SpanIndex] = {}  # per technique, the spans kept so far: an overlap test in log time
    for i in np.argsort(-value, kind="stable"):
        c = cands[i]
        conf = float(min(1.0, max(0.0, py[i])))
        same = kept.setdefault(c["technique"], SpanIndex([]))
        if c["source"] == "rule" and c["feats"]["conf"] >= sure:
            conf = max(conf, c["feats"]["conf"])
        elif value[i] < keep or same.overlapping(c):
            continue
        same.add(c)
        out.append((c, conf))
    return out


def apply(model, doc) -> list[dict]:
    """The spans the re-scorer reports (`select`), confidence = the predicted precision."""
    import numpy as np

    rs = model.bundle["rescore"]
    # Scored a block of sentences at a time, keeping of each candidate only what _choose reads: the feature
    # dicts of a 20,000-sentence document took ~1 GB when all were kept (issue 13).
    slim, pys, values, block = [], [], [], []

    def score_block():
        if block:
            py, value = _predict(rs, block)
            pys.append(py)
            values.append(value)
            slim.extend({"technique": c["technique"], "start": c["start"], "end": c["end"], "source": c["source"],
                         "feats": {"conf": c["feats"]["conf"]}} for c in block)
            block.clear()

    for sentence in sentence_candidates(model, doc, rs.get("lo", 0.6), rs.get("run_min", 0.1)):
        block.extend(sentence)
        if len(block) >= _BLOCK:
            score_block()
    score_block()
    if not slim:
        return []
    chosen = _choose(rs, slim, np.concatenate(pys), np.concatenate(values))
    return [{"technique": c["technique"], "start": c["start"], "end": c["end"], "confidence": round(conf, 3)}
            for c, conf in chosen]


_BLOCK = 2000  # candidates scored at once in `apply` (a news article has ~20-100)
