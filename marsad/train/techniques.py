"""Train the persuasion-technique models (marsad/models/techniques-<lang>.joblib) from the shared data, read
in place, and measure them.

    python -m marsad.train.techniques --lang en --out marsad/models/techniques-en.joblib
    python -m marsad.train.techniques --lang en --cv 5 --workers 5 --folds-dir /tmp/tech-en   # + fold models, PTC-layout folds
    python -m marsad.train.techniques --lang en --cv 5 --folds-dir D --any-sentence --rescore --out X  # + re-scorer (card)
    python -m marsad.train.techniques --lang en --cv 5 ... --encoder-cache F --out marsad/models/techniques-en-e5.joblib  # accurate (card)
    python -m marsad.train.techniques --lang ar --out marsad/models/techniques-ar.joblib --eval-dev
    python -m marsad.train.techniques --lang ar --cv 5 --folds-dir /tmp/tech-ar      # ArMPro folds (araieval24 layout)
    python -m marsad.train.techniques --lang ar --cv 5 ... --encoder-cache F --out marsad/models/techniques-ar-e5.joblib  # accurate (card)

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
import sys
import time
from pathlib import Path

from marsad import techniques as T
from marsad.train.technique_data import (  # noqa: F401 (the readers, also read as techniques.X)
    CORPORA, DATA_ROOT, DEV_SETS, MAP_2020, Example, load_data, read_armpro, read_ptc, read_task1b, read_translated)
from marsad.train.technique_fit import (  # noqa: F401 (training and CV, also read as techniques.X)
    cross_validate, labelled_candidates, make_doc, predict, rescore_config, rescored_folds, save, score_multilabel,
    score_spans, sentence_labels, token_tags, train_bundle, write_fold)


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
                         "(filled by python -m marsad.train.technique_vectors)")
    ap.add_argument("--enc-dims", type=int, default=32, help="encoder token vectors reduced to this many CRF attributes (0: none)")
    ap.add_argument("--enc-crf-weight", type=float, default=1.0)
    ap.add_argument("--enc-crf-group", default="6,7,8,9", help="layers averaged for the CRF's token vectors")
    ap.add_argument("--enc-sentence-group", default="10,11,12", help="layers averaged for the sentence vectors")
    ap.add_argument("--enc-sentence-weight", type=float, default=1.0, help="encoder sentence vector in the sentence classifier (x W)")
    ap.add_argument("--enc-doc-weight", type=float, default=0.0, help="its article's mean encoder vector (x W)")
    ap.add_argument("--span-labels", type=float, default=0.0, metavar="C",
                    help="with --encoder-cache and --rescore: a span label model (marsad/techniques/span_labels.py, "
                         "logistic regression of inverse L2 weight C) whose probability of each candidate's "
                         "technique the re-scorer reads; 0: none")
    ap.add_argument("--label-twins", type=int, default=0, metavar="N",
                    help="with --span-labels: a candidate span is also proposed under each of the label model's N "
                         "likeliest techniques that is not its own (source 'lab'), for the re-scorer to keep or "
                         "drop; 0: none")
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
        from marsad.train import technique_fit
        from marsad.train.technique_vectors import DocumentVectors

        groups = tuple(dict.fromkeys(tuple(int(x) for x in g.split(",")) for g in (args.enc_crf_group,
                                                                                    args.enc_sentence_group)))
        technique_fit.VECTORS = DocumentVectors(cache=args.encoder_cache)  # make_doc attaches the states
        if not set(groups) <= set(technique_fit.VECTORS.groups):
            raise SystemExit(f"{args.encoder_cache}: groups {technique_fit.VECTORS.groups}, not {groups}")
        params["encoder"] = {"crf_group": [int(x) for x in args.enc_crf_group.split(",")],
                             "sentence_group": [int(x) for x in args.enc_sentence_group.split(",")],
                             "dims": args.enc_dims, "crf_weight": args.enc_crf_weight,
                             "sentence_weight": args.enc_sentence_weight, "doc_weight": args.enc_doc_weight}
        if args.span_labels:
            params["span_labels"] = args.span_labels
            if args.label_twins:
                params["label_twins"] = args.label_twins
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
        if args.eval_dev and args.lang in DEV_SETS:
            dev = DEV_SETS[args.lang](Path(args.data_root))
            model = T.Model(bundle)
            preds = [{s["technique"] for s in model.detect(make_doc(Example(ex.id, ex.text), args.lang))}
                     for ex in dev]
            print(f"ArAIEval-2023 1B dev (internal): micro {score_multilabel([ex.labels for ex in dev], preds)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
