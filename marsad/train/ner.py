"""`marsad train ner`: train (and cross-validate) the CRF entity taggers of marsad.entities.ner.

    marsad train ner --lang en --data ../shared/data/ner/conll2003/train.txt \
        --eval ../shared/data/ner/conll2003/dev.txt --out marsad/models/ner-en.crfsuite
    marsad train ner --lang ar --data ../shared/data/ner/anercorp/train.txt ../shared/data/ner/aqmar \
        --cv 5 --out marsad/models/ner-ar.crfsuite

Whole-pipeline cross-validation with the official scorer: keep the fold models and held-out parts, then
score `marsad analyze` per fold with the fold's model in place of the shipped one:

    marsad train ner --lang ar --data ../shared/data/ner/anercorp/train.txt --cv 5 --folds-dir /tmp/folds
    MARSAD_NER_MODEL_AR=/tmp/folds/fold1.crfsuite marsad eval ner /tmp/folds/fold1.test.txt --lang ar \
        --profile fast --format json --out /tmp/folds/e2e1.json

Data are read in place (never copied): CoNLL-style files or folders of them (token ... tag per line, blank
line between sentences, -DOCSTART- between documents; IOB1 or IOB2; ANERcorp's B-PERS, AQMAR's MIS0-3).
With --cv K the first --data path is cut into K contiguous folds and scored; the other paths only add
training data to every fold.  Scoring is marsad.evaluation.ner's (`marsad eval ner`): documents of 20
sentences, tokens joined by spaces, the model tokenizes that text itself, predicted character spans are
mapped back onto the gold tokens, exact-match P/R/F1 over PER/ORG/LOC, MISC ignored on both sides.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from marsad.entities import ner, ner_encoder, ner_stack
from marsad.entities.tokens import retokenize
from marsad.evaluation import EvalError
from marsad.evaluation.ner import DOC_SENTENCES, SCORED, chunked, covered_chunks, iter_conll, layout, to_iob2
from marsad.train.ner_vectors import SentenceVectors

Sentence = tuple[list[str], list[str]]  # tokens, IOB2 tags
Document = list[Sentence]
def read_conll(path: str | Path) -> list[Document]:
    """Documents (split at -DOCSTART- and at file starts) of sentences (tokens, IOB2 tags)."""
    try:
        return list(iter_conll(path))
    except EvalError as e:
        raise SystemExit(f"marsad train ner: {e}") from None


def chunk_docs(docs: list[Document], n: int = DOC_SENTENCES) -> list[Document]:
    """Documents cut into runs of n sentences, the unit the official scorer feeds to marsad."""
    return list(chunked(docs, n))


# ---------------------------------------------------------------- training
def sequences(lang: str, docs: list[Document], first_pass=None, types: dict[str, str] | None = None,
              encoder: tuple | None = None):
    """(features, tags) per sentence, after cutting gold tokens the way the run-time tokenizer does.
    `first_pass`: a tagger whose labels are added (second-pass features, marsad/entities/ner_stack.py).
    `encoder`: (SentenceVectors, Head): each token also gets its standardised encoder vector."""
    if types is None:
        types = one_token_types(docs)
    for doc in chunk_docs(docs):
        cut = [retokenize(t, y, types) for t, y in doc]
        sents = [t for t, _ in cut]
        feats_doc = ner.featurize(lang, sents)
        if first_pass is not None:
            feats_doc = ner_stack.label_features(sents, feats_doc, first_pass)
        if encoder is not None:
            vectors, head = encoder
            feats_doc = [ner_encoder.attributes(f, head.standardise(vectors(gold)))
                         for f, (gold, _) in zip(feats_doc, doc)]
        for feats, (_, tags) in zip(feats_doc, cut):
            if feats:
                yield feats, to_iob2(tags)


def one_token_types(docs: list[Document]) -> dict[str, str]:
    """word -> its most frequent type when it is a whole entity on its own ("U.S." -> LOC)."""
    seen: dict[str, Counter] = {}
    for doc in docs:
        for toks, tags in doc:
            for s, e, t in ner.spans_of(tags):
                if e - s == 1:
                    seen.setdefault(toks[s], Counter())[t] += 1
    return {w: c.most_common(1)[0][0] for w, c in seen.items()}


def train(lang: str, docs: list[Document], out: Path | str, c1: float, c2: float,
          iterations: int, min_freq: int, verbose: bool = False, stack: bool = False,
          vectors: SentenceVectors | None = None, encoder_weight: float = 1.0) -> Path:
    """Train a CRF on `docs` into `out`; with `stack`, also its second pass (train_stacked); with
    `vectors`, an encoder model (the accurate profile's): its head (layers, scaling) goes to <out>.json."""
    params = {"c1": c1, "c2": c2, "iterations": iterations, "min_freq": min_freq, "verbose": verbose}
    if vectors is not None:
        sents = [t for d in docs for t, _ in d]
        vectors.ensure(sents)
        head = ner_encoder.Head.fit(vectors.layers, np.concatenate([vectors(t) for t in sents if t]),
                                    encoder_weight)
        _fit(sequences(lang, docs, encoder=(vectors, head)), out, **params)
        ner_encoder.save_head(out, head)
        return Path(out)
    if stack:
        return train_stacked(lang, docs, out, **params)
    ner_stack.second_path(out).unlink(missing_ok=True)  # a stale second pass must not join this model
    return _fit(sequences(lang, docs), out, **params)


def _fit(seqs, out: Path | str, c1: float, c2: float, iterations: int, min_freq: int,
         verbose: bool = False) -> Path:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=verbose)
    for x, y in seqs:
        trainer.append(x, y)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations,
                        "feature.minfreq": min_freq, "feature.possible_transitions": True})
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    return out


def train_stacked(lang: str, docs: list[Document], out: Path | str, **params) -> Path:
    """The first pass on all of `docs` into `out`, then the second pass into ner_stack.second_path(out),
    trained on first-pass labels that are out-of-fold: the 20-sentence documents are cut into two
    contiguous halves, each tagged by a first-pass model trained on the other half (4 trainings)."""
    chunks = chunk_docs(docs)
    halves = [chunks[:len(chunks) // 2], chunks[len(chunks) // 2:]]
    if not halves[0]:
        raise SystemExit(f"marsad train ner --stack: needs two documents of {DOC_SENTENCES} sentences or more")
    types = one_token_types(docs)
    second = ner_stack.second_path(out)
    with tempfile.TemporaryDirectory() as tmp:
        others = [ner.open_tagger(train(lang, halves[1 - h], Path(tmp) / f"half{h}.crfsuite", **params))
                  for h in (0, 1)]
        seqs = (x for h in (0, 1) for x in sequences(lang, halves[h], first_pass=others[h], types=types))
        _fit(seqs, Path(tmp) / "second.crfsuite", **params)
        train(lang, docs, out, **params)
        shutil.move(Path(tmp) / "second.crfsuite", second)
    return Path(out)


# ---------------------------------------------------------------- scoring (as marsad_eval.py ner)
def score(tagger, lang: str, docs: list[Document], encoder: tuple | None = None
          ) -> tuple[Counter, Counter, Counter, int]:
    """tp / predicted / gold counts per type, and the number of tokens. `encoder`: (SentenceVectors, Head)
    for an encoder model."""
    tp, npred, ngold, ntok = Counter(), Counter(), Counter(), 0
    if encoder is not None:
        encoder[0].ensure([t for d in docs for t, _ in d])
    for doc in chunk_docs(docs):
        text, toks = layout(doc)
        gold, base = set(), 0
        for words, tags in doc:
            gold |= {(base + s, base + e, t) for s, e, t in ner.spans_of(tags) if t in SCORED}
            base += len(words)
        sents, at = [], 0
        for ln in text.split("\n"):
            sents.append((at, at + len(ln)))
            at += len(ln) + 1
        ntok += len(toks)
        vectors = None
        if encoder is not None:
            def vectors(i, _spans, doc=doc):
                return encoder[1].standardise(encoder[0](doc[i][0]))
        mentions = ner.predict_with(tagger, text, sents, lang, vectors)
        pred = {c for c in covered_chunks(toks, mentions) if c[2] in SCORED}
        tp.update(c[2] for c in pred & gold)
        npred.update(c[2] for c in pred)
        ngold.update(c[2] for c in gold)
    return tp, npred, ngold, ntok


def prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def report(title: str, tp: Counter, npred: Counter, ngold: Counter) -> str:
    rows = [title, f"{'type':6} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6}"]
    for t in SCORED:
        rows.append(f"{t:6} " + " ".join(f"{v:6.4f}" for v in prf(tp[t], npred[t], ngold[t]))
                    + f" {ngold[t]:6d} {npred[t]:6d}")
    T, P, G = sum(tp.values()), sum(npred.values()), sum(ngold.values())
    rows.append(f"{'micro':6} " + " ".join(f"{v:6.4f}" for v in prf(T, P, G)) + f" {G:6d} {P:6d}")
    return "\n".join(rows)


def write_conll(docs: list[Document], path: Path | str) -> Path:
    """Documents as a CoNLL file (token TAB IOB2 tag; -DOCSTART- between documents), readable by
    read_conll and by marsad_eval.py ner (same 20-sentence documents as the in-process scorer)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for doc in docs:
            f.write("-DOCSTART-\tO\n\n")
            for toks, tags in doc:
                f.writelines(f"{t}\t{y}\n" for t, y in zip(toks, tags))
                f.write("\n")
    return path


def _fold(job) -> tuple[Counter, Counter, Counter, int]:
    lang, train_docs, test_docs, params, keep = job
    with tempfile.TemporaryDirectory() as tmp:
        path = train(lang, train_docs, keep or Path(tmp) / "fold.crfsuite", **params)
        return _score_file(path, lang, test_docs, params.get("vectors"))


def _score_file(path: Path, lang: str, docs: list[Document], vectors: SentenceVectors | None):
    head = ner_encoder.load_head(path) if vectors is not None else None
    if head is None:
        return score(ner.open_tagger(path), lang, docs)
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return score(tagger, lang, docs, (vectors, head))


def cross_validate(lang: str, docs: list[Document], extra: list[Document], k: int, params: dict,
                   workers: int, folds_dir: Path | str | None = None,
                   only: set[int] | None = None) -> tuple[Counter, Counter, Counter]:
    """K contiguous folds over the sentences of `docs` (contiguous keeps an article's repeated names in
    one fold, closer to unseen text than a shuffled split); `extra` joins every training side.

    `folds_dir`: keep each fold's model (fold<J>.crfsuite) and write its held-out part (fold<J>.test.txt)
    and the in-process counts (cv.tsv), so that the whole pipeline can be scored per fold with
    MARSAD_NER_MODEL_<LANG>=DIR/fold<J>.crfsuite marsad_eval.py ner DIR/fold<J>.test.txt.
    `only`: run just these folds (1-based; quick comparisons on a few folds of the same K-fold cut)."""
    sents = [(i, s) for i, d in enumerate(docs) for s in d]
    bounds = [round(len(sents) * j / k) for j in range(k + 1)]

    def regroup(items):
        out: dict[int, Document] = {}
        for i, s in items:
            out.setdefault(i, []).append(s)
        return list(out.values())

    jobs = []
    for j in range(k):
        if only and j + 1 not in only:
            continue
        test = sents[bounds[j]:bounds[j + 1]]
        rest = sents[:bounds[j]] + sents[bounds[j + 1]:]
        keep = None
        if folds_dir:
            keep = Path(folds_dir) / f"fold{j + 1}.crfsuite"
            write_conll(regroup(test), Path(folds_dir) / f"fold{j + 1}.test.txt")
        jobs.append((j + 1, (lang, regroup(rest) + extra, regroup(test), params, keep)))
    tp, npred, ngold = Counter(), Counter(), Counter()
    rows = ["fold\ttype\ttp\tpred\tgold"]
    with ProcessPoolExecutor(max_workers=max(1, min(workers, k))) as pool:
        for j, (a, b, c, _) in zip([j for j, _ in jobs], pool.map(_fold, [job for _, job in jobs])):
            print(report(f"fold {j}/{k}", a, b, c), file=sys.stderr)
            rows += [f"{j}\t{t}\t{a[t]}\t{b[t]}\t{c[t]}" for t in SCORED]
            tp += a
            npred += b
            ngold += c
    if folds_dir:
        (Path(folds_dir) / "cv.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return tp, npred, ngold


# ---------------------------------------------------------------- CLI
def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="marsad train ner", description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", required=True, choices=ner.LANGS)
    ap.add_argument("--data", required=True, nargs="+", help="CoNLL files or folders (with --cv: the first is scored)")
    ap.add_argument("--out", help="model file to write (e.g. marsad/models/ner-en.crfsuite)")
    ap.add_argument("--cv", type=int, metavar="K", help="K-fold cross-validation on the first --data path")
    ap.add_argument("--cv-folds", metavar="J,J", help="with --cv: run only these folds (1-based, e.g. 2,3)")
    ap.add_argument("--folds-dir", metavar="DIR", help="with --cv: keep fold<J>.crfsuite and write fold<J>.test.txt "
                    "(held-out part, CoNLL) and cv.tsv here, for scoring the whole pipeline per fold")
    ap.add_argument("--eval", nargs="*", default=[], metavar="PATH", help="score the trained model on these files")
    ap.add_argument("--c1", type=float, default=0.05, help="L1 weight (prunes features: smaller model)")
    ap.add_argument("--c2", type=float, default=0.01, help="L2 weight")
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--min-freq", type=int, default=1, help="drop features seen fewer times")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="parallel CV folds")
    ap.add_argument("--stack", action="store_true", help="also train a second pass that sees the first pass's "
                    "labels of the same word elsewhere in the document (marsad/entities/ner_stack.py)")
    ap.add_argument("--encoder", action="store_true", help="train the accurate profile's model: the lexical "
                    "features plus each token's multilingual-e5-small vector (marsad/entities/ner_encoder.py); "
                    "writes <out> and <out>.json")
    ap.add_argument("--layers", default="6,7,8", metavar="L,L", help="with --encoder: encoder layers averaged "
                    "(default 6,7,8; chosen on CoNLL/ANERcorp train splits, see marsad/models/ner-en-e5.md)")
    ap.add_argument("--encoder-weight", type=float, default=1.0, metavar="W",
                    help="with --encoder: scale of the standardised vector values (against c1/c2)")
    ap.add_argument("--encoder-cache", metavar="FILE", help="with --encoder: keep the sentences' vectors in "
                    "this file and reuse them on the next run (the encoder is the slow part)")
    ap.add_argument("--verbose", action="store_true")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.folds_dir and not args.cv:
        print("marsad train ner: --folds-dir needs --cv", file=sys.stderr)
        return 2
    if not args.out and not args.cv and not args.eval:
        print("marsad train ner: nothing to do (give --out, --cv or --eval)", file=sys.stderr)
        return 2
    sets = [read_conll(p) for p in args.data]
    params = {"c1": args.c1, "c2": args.c2, "iterations": args.iterations, "min_freq": args.min_freq,
              "stack": args.stack}
    if args.encoder:
        layers = tuple(int(x) for x in args.layers.split(","))
        params.update(vectors=SentenceVectors(layers, args.encoder_cache), encoder_weight=args.encoder_weight)
    for p, d in zip(args.data, sets):
        print(f"{p}: {len(d)} documents, {sum(len(s) for s in d)} sentences, "
              f"{sum(len(t) for s in d for t, _ in s)} tokens", file=sys.stderr)
    if args.encoder:  # once, before the folds: each fold job then finds its sentences' vectors
        params["vectors"].ensure([t for d in sets for doc in d for t, _ in doc])
    if args.cv:
        t0 = time.time()
        extra = [doc for d in sets[1:] for doc in d]
        only = {int(j) for j in args.cv_folds.split(",")} if args.cv_folds else None
        tp, npred, ngold = cross_validate(args.lang, sets[0], extra, args.cv, params, args.workers,
                                          folds_dir=args.folds_dir, only=only)
        print(report(f"{args.cv}-fold CV on {args.data[0]} ({time.time() - t0:.0f}s)", tp, npred, ngold))
    if args.out or args.eval:
        t0 = time.time()
        out = Path(args.out) if args.out else Path(tempfile.mkdtemp()) / "ner.crfsuite"
        train(args.lang, [doc for d in sets for doc in d], out, verbose=args.verbose, **params)
        print(f"trained {out} in {time.time() - t0:.0f}s ({out.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
        for p in args.eval:
            t0 = time.time()
            tp, npred, ngold, ntok = _score_file(out, args.lang, read_conll(p), params.get("vectors"))
            dt = time.time() - t0
            print(report(f"{p} ({ntok} tokens, {ntok / dt:.0f} tokens/s)", tp, npred, ngold))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
