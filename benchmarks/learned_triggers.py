"""Experiment (issue 16), not shipped: can a tagger on the encoder's states find event triggers the lexicon lacks?

    python benchmarks/learned_triggers.py [--cv 5] [--encoder-cache F] [--json F]

Silver labels: in each training sentence, the strong entries of lang/<code>/event_triggers.tsv label their tokens
with the entry's (ACLED type, sub-type, PLOVER type); weak cues are left out of training; every other token is "O".
A multinomial logistic regression over each token's encoder vector (the mean of layers 6-9, the layers the NER
reads) learns what the lexicon's words mean in context, so it can find words the lexicon lacks ("blew up a
tunnel"), in either language.
Corpora, read in place from ../shared/data (never copied; neither events_dev's nor FA-KES dev's texts): NGEC
synthetic PLOVER stories (1,500 of them), ConfliBERT CAMEO sentences, 150 PTC training articles, 30% of the MUC-4
training messages (lower-cased: they are in capitals), the Arabic event GSR sentences, ArMPro's and ArAIEval-2023
task 1A's training paragraphs; sampled with seed 0, at most 14,000 English and 9,000 Arabic sentences.

Cross-validation (K folds of sentences), on these training sentences only:
- generalisation: the lexicon's matched words are dealt into K groups (by a hash of the word); a fold's model is
  trained without the tokens of one group's words and scored on how many of them it finds in the held-out
  sentences (words it was never told about), beside the words it was trained on, and on the share of other
  tokens it calls triggers ("novel rate");
- precision of what it adds, judged by sentence labels: a held-out CAMEO sentence (material conflict, class 4)
  or GSR sentence (annotators' majority accepting an assault or a protest) with a learned trigger of a violent
  or protest type where the lexicon has none counts right, another sentence wrong; the lexicon's own triggers
  are judged the same way on the same sentences;
- the rule fixed before looking: the lowest threshold of 0.5 ... 0.95 at which what the model adds is judged
  right at least as often as the lexicon's own triggers. None passed (docs/benchmarks.md), so marsad does not
  use such a tagger.
"""
from __future__ import annotations

import argparse
import csv
import json
import pickle
import random
import re
import sys
import time
import zlib
from collections import Counter
from pathlib import Path

import numpy as np

CODE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CODE))

from marsad.entities import ner_encoder  # noqa: E402
from marsad.events import triggers as T  # noqa: E402

DEFAULT_DATA = CODE.parent / "shared" / "data"
LAYERS = (6, 7, 8, 9)
ADDED_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots")
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)
O_SHARE = 0.1  # the share of "O" tokens a model trains on (they are 97% of the tokens)
C = 0.05


def label(entry: dict) -> str:
    """The class of a lexicon entry: its ACLED type, sub-type and PLOVER type."""
    return f"{entry['type']}|{entry['sub_type']}|{entry['plover']}"


def _split(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?؟])\s+", text) if 20 <= len(s.strip()) <= 400]


def corpora(data: Path) -> dict[str, list[tuple[str, str, int | None]]]:
    """{language: [(sentence, source, judgement)]}: judgement 1/0 where the source labels the sentence (CAMEO
    class 4 = material conflict; GSR: the annotators' majority accepts the event), else None."""
    rng = random.Random(0)
    en, ar = [], []
    events, techniques = data / "events", data / "techniques"
    stories = list(csv.DictReader(open(events / "ngec_synthetic_plover" / "gpt_synthetic_events_2023-10-19.csv",
                                       encoding="utf-8")))
    rng.shuffle(stories)
    for row in stories[:1500]:
        en += [(s, "ngec", None) for s in _split(row["text"])]
    for line in open(events / "conflibert_cameo" / "cameo_class_train.tsv", encoding="utf-8"):
        if "\t" in line:
            sentence, label = line.rstrip("\r\n").rsplit("\t", 1)
            if label.strip().isdigit():
                en.append((sentence.strip(), "cameo", int(label.strip() == "4")))
    for path in sorted((techniques / "ptc2020" / "train-articles").glob("*.txt"))[:150]:
        en += [(s, "ptc", None) for s in _split(path.read_text(encoding="utf-8").replace("\n", " "))]
    for line in open(events / "muc4" / "train.jsonl", encoding="utf-8"):
        if rng.random() < 0.3:
            en += [(s[0].upper() + s[1:], "muc4", None) for s in _split(json.loads(line)["text"].lower())]
    for name in ("assault_dev.csv", "protest_dev.csv"):
        for row in csv.DictReader(open(events / "arabic_event_gsr" / name, encoding="utf-8")):
            ar.append((row["text"], "gsr", int(int(row["accept"] or 0) > int(row["reject"] or 0))))
    for line in open(techniques / "armpro" / "ArMPro_span_V2_train.jsonl", encoding="utf-8"):
        ar += [(s, "armpro", None) for s in _split(json.loads(line).get("paragraph") or "")]
    for line in open(techniques / "araieval2023" / "task1A_train.jsonl", encoding="utf-8"):
        ar += [(s, "araieval23", None) for s in _split(json.loads(line).get("text") or "")]
    rng.shuffle(en)
    rng.shuffle(ar)
    return {"en": en[:14000], "ar": ar[:9000]}


class Sentence:
    __slots__ = ("lang", "source", "judged", "text", "vectors", "labels", "words", "lexicon_kinds")

    def __init__(self, lang, source, judged, text, vectors):
        self.lang, self.source, self.judged, self.text, self.vectors = lang, source, judged, text, vectors
        self.labels, self.words, self.lexicon_kinds = [], [], set()

    def label(self) -> "Sentence":
        """Each token's lexicon label ("O"; "IGN" for a weak cue, left out of training; else the class) and
        the matched words."""
        toks = T.tokens(self.text)
        self.labels, self.words, self.lexicon_kinds = ["O"] * len(toks), [None] * len(toks), set()
        for h in T.triggers(self.lang).find(self.text, toks):
            d = T.data(h)
            self.lexicon_kinds.add(d["type"])
            for i, (a, b, _) in enumerate(toks):
                if a < h.end and h.start < b:
                    self.labels[i] = label(d) if d["weight"] >= 1 else "IGN"
                    self.words[i] = self.text[h.start:h.end].lower()
        return self


def encode(texts: dict, layers: tuple[int, ...], cache: Path | None = None) -> list[Sentence]:
    """Each sentence's token vectors (float16, one row per trigger-lexicon token), kept in `cache` if given
    (labels are not cached: they follow the lexicon)."""
    if cache and cache.exists():
        stored = pickle.loads(cache.read_bytes())
        if stored["layers"] == list(layers):
            return [Sentence(*row) for row in stored["rows"]]
    from marsad import encoder

    enc = encoder.get(max(layers), 2)
    out, t0 = [], time.time()
    for lang, rows in texts.items():
        for k in range(0, len(rows), 256):
            part = rows[k:k + 256]
            for (text, source, judged), state in zip(part, enc.encode([t for t, _, _ in part], keep=layers)):
                toks = T.tokens(text)
                if not toks:
                    continue
                mix = ner_encoder.layer_mean(state.states, layers)
                vec = ner_encoder.token_vectors(mix, state.starts, state.ends, [(a, b) for a, b, _ in toks])
                out.append(Sentence(lang, source, judged, text, vec.astype(np.float16)))
            print(f"encoder: {lang} {k + len(part)}/{len(rows)} sentences ({time.time() - t0:.0f}s)",
                  file=sys.stderr, flush=True)
    if cache:
        cache.write_bytes(pickle.dumps({"layers": list(layers), "rows": [
            (s.lang, s.source, s.judged, s.text, s.vectors) for s in out]}, protocol=5))
    return out


def _word_group(word: str, k: int) -> int:
    return zlib.crc32(word.encode("utf-8")) % k


def fit(sentences: list[Sentence], classes: list[str], keep=lambda s, i: True, seed: int = 0):
    """(model, mean, scale) on the sentences' tokens that `keep(sentence, index)` allows."""
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(seed)
    index = {c: n for n, c in enumerate(classes)}
    X, y = [], []
    for s in sentences:
        for i, lab in enumerate(s.labels):
            if lab == "IGN" or not keep(s, i) or (lab == "O" and rng.random() >= O_SHARE):
                continue
            X.append(s.vectors[i])
            y.append(index[lab])
    X = np.asarray(X, dtype=np.float32)
    mean, scale = X.mean(axis=0), X.std(axis=0) + 1e-6
    model = LogisticRegression(C=C, max_iter=300).fit((X - mean) / scale, np.asarray(y))
    return model, mean, scale


def _event_share(model, mean, scale, s: Sentence) -> np.ndarray:
    return 1 - model.predict_proba((s.vectors.astype(np.float32) - mean) / scale)[:, 0]


def cross_validate(sentences: list[Sentence], classes: list[str], k: int) -> dict:
    seen, unseen, novel = Counter(), Counter(), Counter()
    judged = {th: Counter() for th in THRESHOLDS}
    lexicon = Counter()
    adds = set(ADDED_TYPES)
    for f in range(k):
        held = [s for n, s in enumerate(sentences) if n % k == f]
        train = [s for n, s in enumerate(sentences) if n % k != f]
        # generalisation: this fold's model never sees the tokens of one group of the lexicon's words
        model, mean, scale = fit(train, classes, lambda s, i: s.words[i] is None or _word_group(s.words[i], k) != f)
        for s in held:
            p = _event_share(model, mean, scale, s)
            for i, lab in enumerate(s.labels):
                if lab in ("IGN",):
                    continue
                tally = novel if lab == "O" else unseen if _word_group(s.words[i], k) == f else seen
                tally[s.lang, "n"] += 1
                for th in THRESHOLDS:
                    tally[s.lang, th] += bool(p[i] >= th)
        # precision of what it adds: a model trained on every word, judged on held-out labelled sentences
        model, mean, scale = fit(train, classes)
        for s in held:
            if s.judged is None:
                continue
            if s.lexicon_kinds & adds:
                lexicon["n"] += 1
                lexicon["right"] += s.judged
                continue
            probs = model.predict_proba((s.vectors.astype(np.float32) - mean) / scale)
            kinds = [classes[j].split("|")[0] for j in probs.argmax(axis=1)]
            for th in THRESHOLDS:
                if any(1 - pr[0] >= th and kind in adds for pr, kind in zip(probs, kinds)):
                    judged[th]["n"] += 1
                    judged[th]["right"] += s.judged
        print(f"fold {f + 1}/{k}", file=sys.stderr, flush=True)
    share = lambda c, key, n: round(c[key] / c[n], 4) if c[n] else None  # noqa: E731
    lexicon_precision = share(lexicon, "right", "n")
    out = {"lexicon_judged": {"sentences": lexicon["n"], "precision": lexicon_precision}, "by_threshold": {}}
    for th in THRESHOLDS:
        out["by_threshold"][th] = {
            "added_sentences": judged[th]["n"], "added_precision": share(judged[th], "right", "n"),
            **{f"{lang}_{name}": share(tally, (lang, th), (lang, "n")) for lang in ("en", "ar")
               for name, tally in (("seen_recall", seen), ("unseen_recall", unseen), ("novel_rate", novel))}}
    ok = [th for th in THRESHOLDS if (out["by_threshold"][th]["added_precision"] or 0) >= (lexicon_precision or 1)]
    out["threshold"] = min(ok) if ok else None  # None: no threshold adds triggers as precise as the lexicon's
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder (default: %(default)s)")
    ap.add_argument("--cv", type=int, default=5, help="folds (default 5)")
    ap.add_argument("--encoder-cache", type=Path, help="keep the sentences' encoder vectors in this file")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    if not (args.data / "events" / "conflibert_cameo").exists():
        raise SystemExit(f"learned_triggers: no training corpora under {args.data} (give --data)")
    texts = None if args.encoder_cache and args.encoder_cache.exists() else corpora(args.data)
    sentences = [s.label() for s in encode(texts, LAYERS, args.encoder_cache)]
    counts = Counter(lab for s in sentences for lab in s.labels)
    classes = ["O"] + sorted(c for c in counts if c not in ("O", "IGN"))
    cv = cross_validate(sentences, classes, args.cv)
    cv["tokens"] = {"sentences": len(sentences), "labelled": {c: counts[c] for c in classes}}
    print(json.dumps(cv, indent=1))
    if args.json:
        args.json.write_text(json.dumps(cv, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
