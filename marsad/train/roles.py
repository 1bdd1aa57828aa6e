"""Train (and cross-validate) the accurate profile's argument-role tagger (marsad/models/roles-e5.crfsuite).

    python -m marsad.train.roles --cv 5                  # cross-validated span P/R/F1 per role, nothing written
    python -m marsad.train.roles --out marsad/models/roles-e5.crfsuite   # fit on all the data (card: roles-e5.md)
    python -m marsad.train.roles --cv 5 --lexical-only   # the same CRF without the encoder, for comparison
    python -m marsad.train.roles --cv 5 --folds-dir /tmp/roles   # keep the folds: score the pipeline per fold
    MARSAD_ROLES_MODEL=/tmp/roles/fold0.crfsuite marsad eval roles /tmp/roles/fold0.test.txt

Data: ConfliBERT / Multi-CoPED CAMEO sentences (`../shared/data/events/conflibert_cameo/cameo_ner_train.txt`,
GPL-3.0, read in place): English news sentences whose main political event's source actor (S), target actor
(T) and reciprocal actors (R, "X and Y held talks") are marked as BIO spans. The tagger learns who acts and who
is acted on from the encoder's token states (the layers the NER reads, so the pipeline's one encoder pass serves
both) and a few lexical attributes; through the multilingual encoder it also reads Arabic, where it has no
training data of its own (no figure is claimed for Arabic).
Folds: sentences shuffled with seed 0 and dealt into K folds; scored by exact span match per role.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from marsad.entities import ner_encoder
from marsad.entities.tokens import tokenize
from marsad.evaluation import EvalError
from marsad.evaluation.roles import Sentence, chunks, read_spans
from marsad.events import roles
from marsad.train.ner_vectors import SentenceVectors

DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "events" / "conflibert_cameo" \
    / "cameo_ner_train.txt"
CRF_PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}

def run_time_tokens(sentence: Sentence) -> tuple[list[str], list[str]]:
    """The sentence's tokens as the run-time tokenizer cuts them, and their tags (a cut token's later parts
    continue its span). Not entities.tokens.retokenize: that one gives a name's type to the name part of
    "US-backed" alone, an NER convention; a role span keeps the whole compound ("US-backed forces")."""
    words, tags = [], []
    for token, tag in sentence:
        for i, (a, b) in enumerate(tokenize(token) or [(0, len(token))]):
            words.append(token[a:b])
            tags.append(tag if i == 0 or tag == "O" else "I-" + tag[2:])
    return words, tags


class Data:
    """The sentences with their run-time tokens, tags and encoder vectors."""

    def __init__(self, path: Path, cache: Path | None = None):
        self.sentences = list(read_spans(path))
        self.words, self.tags = zip(*(run_time_tokens(s) for s in self.sentences))
        self.vectors = SentenceVectors(roles.LAYERS, cache)
        self.vectors.ensure([[t for t, _ in s] for s in self.sentences])
        self.head = ner_encoder.Head.fit(roles.LAYERS, np.concatenate([self.vec(i) for i in range(len(self))]))

    def __len__(self) -> int:
        return len(self.sentences)

    def vec(self, i: int) -> np.ndarray:
        return self.vectors([t for t, _ in self.sentences[i]])

    def items(self, i: int, lexical_only: bool = False) -> list[dict[str, float]]:
        vec = self.head.standardise(self.vec(i))
        return roles.items(list(self.words[i]), vec[:, :0] if lexical_only else vec)


def fit(data: Data, index: list[int], out: Path, lexical_only: bool = False) -> Path:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for i in index:
        trainer.append(data.items(i, lexical_only), list(data.tags[i]))
    trainer.set_params(CRF_PARAMS)
    trainer.train(str(out))
    return out


def cross_validate(data: Data, k: int, lexical_only: bool = False, folds_dir: Path | None = None) -> dict:
    """Span P/R/F1 per role over K folds. `folds_dir`: keep each fold's model (with its head) and its held-out
    sentences (fold<f>.test.txt), so that the whole pipeline can be scored per fold:
    MARSAD_ROLES_MODEL=DIR/fold<f>.crfsuite marsad eval roles DIR/fold<f>.test.txt"""
    import pycrfsuite

    order = list(range(len(data)))
    random.Random(0).shuffle(order)
    counts = {r: [0, 0, 0] for r in "STR"}  # tp, fp, fn
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        where = folds_dir or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        for f in range(k):
            held = set(order[f::k])
            model = fit(data, [i for i in order if i not in held], where / f"fold{f}.crfsuite", lexical_only)
            if folds_dir:
                ner_encoder.save_head(model, data.head)
                (where / f"fold{f}.test.txt").write_text(
                    "".join("".join(f"{t} {g}\n" for t, g in data.sentences[i]) + "\n" for i in sorted(held)),
                    encoding="utf-8")
            tagger = pycrfsuite.Tagger()
            tagger.open(str(model))
            for i in sorted(held):
                gold, pred = set(chunks(list(data.tags[i]))), set(chunks(tagger.tag(data.items(i, lexical_only))))
                for r in "STR":
                    g, p = {s for s in gold if s[0] == r}, {s for s in pred if s[0] == r}
                    counts[r][0] += len(g & p)
                    counts[r][1] += len(p - g)
                    counts[r][2] += len(g - p)
            print(f"fold {f + 1}/{k} ({time.time() - t0:.0f}s)", file=sys.stderr, flush=True)
    out = {}
    for r, (tp, fp, fn) in counts.items():
        p, rec = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        out[r] = {"precision": round(p, 4), "recall": round(rec, 4),
                  "f1": round(2 * p * rec / (p + rec), 4) if tp else 0.0, "gold": tp + fn}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m marsad.train.roles", description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="CoNLL-style S/T/R spans (default: %(default)s)")
    ap.add_argument("--cv", type=int, default=0, help="K-fold cross-validation instead of writing a model")
    ap.add_argument("--out", type=Path, default=roles.MODEL)
    ap.add_argument("--lexical-only", action="store_true", help="leave the encoder out (a comparison)")
    ap.add_argument("--encoder-cache", type=Path, help="keep the sentences' encoder vectors in this file")
    ap.add_argument("--folds-dir", type=Path, help="with --cv: keep each fold's model and held-out sentences here")
    args = ap.parse_args(argv)
    if not args.data.exists():
        raise SystemExit(f"marsad train roles: no data at {args.data} (give --data)")
    try:
        data = Data(args.data, args.encoder_cache)
    except EvalError as e:
        raise SystemExit(f"marsad train roles: {e}") from None
    if args.cv:
        for role, figures in cross_validate(data, args.cv, args.lexical_only, args.folds_dir).items():
            print(role, figures)
        return 0
    fit(data, list(range(len(data))), args.out, args.lexical_only)
    ner_encoder.save_head(args.out, data.head)
    print("wrote", args.out, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
