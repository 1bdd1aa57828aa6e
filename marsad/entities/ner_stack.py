"""Second-pass NER (stacking): a second CRF that sees, besides the usual features, the first CRF's labels of
the token, of its neighbours and of the same word elsewhere in the document.

Arabic has no capitals, so a bare surname ("بوش") or an organisation's short name is often missed although
the same article names it in full elsewhere ("الرئيس الأميركي جورج بوش"), where the first pass finds it. The
second pass gets, per token: the first-pass tag of the token and of the tokens either side, and for its core
form (proclitics and ال removed) the full tags (B-/I- and type) the first pass gave that word anywhere in
the document (all of them, and the most frequent one), and that most frequent tag joined with the first-pass
tag of the token before. The B/I part matters: a word that is the second word of a name elsewhere
("دمشق" in "ريف دمشق") must not be read as "starts a LOC here" after a LOC word. This is the document-level label consistency of Krishnan & Manning
(2006), as a stacked CRF.

The first-pass labels of the training data are out-of-fold (marsad/train/ner.py `train_stacked`: two halves,
each tagged by a first-pass model trained on the other one), so the second pass learns how far to trust
first-pass labels on text the first pass never saw, as at run time.

The second-pass model lies next to the first: `ner-ar.crfsuite` -> `ner-ar.2.crfsuite`, and for a model
named by MARSAD_NER_MODEL_AR (a CV fold: fold1.crfsuite -> fold1.2.crfsuite) likewise. Without it the first
model tags alone, as before.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from marsad.entities.arabic_words import _ar_parts


def second_path(first: Path | str) -> Path:
    """Where the second-pass model of this first-pass model lies."""
    first = Path(first)
    return first.with_name(first.name.removesuffix(".crfsuite") + ".2.crfsuite")


class Stacked:
    """A first-pass and a second-pass tagger; marsad.entities.ner.tag_doc runs both."""

    def __init__(self, first, second):
        self.first = first
        self.second = second


def label_features(sentences: list[list[str]], feats: list[list[list[str]]], tagger,
                   core=None) -> list[list[list[str]]]:
    """`feats` (marsad.entities.ner.featurize of `sentences`, one document) extended in place with the
    first-pass labels of `tagger`; `core(word)` gives the form under which occurrences are pooled."""
    if core is None:
        def core(w: str) -> str:
            return _ar_parts(w)[1]

    tags = [tagger.tag(f) if f else [] for f in feats]
    seen: dict[str, Counter] = {}
    cores = [[core(w) for w in s] for s in sentences]
    for cs, ts in zip(cores, tags):
        for c, y in zip(cs, ts):
            if len(c) >= 3 and y != "O":
                seen.setdefault(c, Counter())[y] += 1
    for cs, ts, fs in zip(cores, tags, feats):
        for i, (c, y, f) in enumerate(zip(cs, ts, fs)):
            f.append(f"y1={y}")
            if i:
                f.append(f"y1-1={ts[i - 1]}")
            if i + 1 < len(ts):
                f.append(f"y1+1={ts[i + 1]}")
            doc = seen.get(c)
            if doc:
                maj = doc.most_common(1)[0][0]
                f.append(f"dmaj={maj}")
                f.extend(f"dset={t}" for t in sorted(doc))
                f.append(f"dmaj|y1-1={maj}|{ts[i - 1] if i else 'BOS'}")
    return feats
