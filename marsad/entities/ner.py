"""Named-entity recognition (PER / ORG / LOC / MISC) for English and Arabic with a linear-chain CRF.

Models are CRFsuite files trained by `marsad train ner` (marsad/train/ner.py) and shipped in
marsad/models/ner-<lang>.crfsuite; their cards (ner-<lang>.md) give data, licence and figures.  A CRF was
picked over a spaCy blank-model NER by measurement: on the same ANERcorp fold the CRF scored F1 0.66 and
spaCy (8 epochs, 3.5 min) 0.58; the CRF also tags ~15-25k words/s and its model files are 2-5 MB.

The features the models see are in ner_features.py (and the Arabic word tables in ner_tables.py), used both
at training and at run time; their names stay importable from here.

Environment: MARSAD_NER_MODEL_AR / MARSAD_NER_MODEL_EN name a CRFsuite file to use instead of the shipped
model (e.g. a cross-validation fold model written by `marsad train ner --cv 5 --folds-dir DIR`, so that the
official scorer can run the whole pipeline per fold); it is read when the tagger is first needed.  A
second-pass model next to it (ner-ar.2.crfsuite, fold1.2.crfsuite) is used after it (ner_stack.py).
MARSAD_CLUSTERS_AR and MARSAD_FREQ_AR do the same for the word tables (ner_tables.py).
"""
from __future__ import annotations

from pathlib import Path

from marsad.config import environment
from marsad.entities import ner_encoder, ner_stack
from marsad.entities.arabic_words import _ar_parts, _ar_tools  # noqa: F401 (also read as ner._ar_parts)
from marsad.entities.ner_features import (  # noqa: F401 (the feature functions, also read as ner.X)
    BIG_PLACE, CLUSTER_FEATURES, DICT_FEATURES, FREQ_FEATURES, TRIGGER_FEATURES, _dict_features,
    features_ar, features_en, featurize)
from marsad.entities.ner_tables import (  # noqa: F401 (the word tables, also read as ner.X)
    CLUSTER_PREFIXES, _cluster_features, _clusters, _freq_features, _freqs, cluster_key, clusters_paths, freq_key,
    freq_path)
from marsad.per_thread import per_thread
from marsad.entities.tokens import sentence_tokens

MODELS = Path(__file__).resolve().parent.parent / "models"
LANGS = ("ar", "en")
TYPES = ("PER", "ORG", "LOC", "MISC")


# ---------------------------------------------------------------- tagging
def model_path(lang: str) -> Path:
    """The shipped model, or the file named by MARSAD_NER_MODEL_<LANG> (e.g. MARSAD_NER_MODEL_AR)."""
    override = environment(f"MARSAD_NER_MODEL_{lang.upper()}")
    return Path(override) if override else MODELS / f"ner-{lang}.crfsuite"


def _tagger(lang: str):
    """The language's tagger for this thread; None when the model file is missing. The file is looked up at
    each call (an override may name another), its tagger opened once per file and thread."""
    return _tagger_at(model_path(lang))


@per_thread  # a tagger holds the sequence it is tagging: one per thread (marsad/per_thread.py)
def _tagger_at(path: Path):
    return open_tagger(path) if path.exists() else None


def open_tagger(path: Path | str):
    """The CRFsuite tagger of this file, with its second pass if there is one (marsad/entities/ner_stack.py)."""
    import pycrfsuite

    t = pycrfsuite.Tagger()
    t.open(str(path))
    second = ner_stack.second_path(path)
    if second.exists():
        t2 = pycrfsuite.Tagger()
        t2.open(str(second))
        return ner_stack.Stacked(t, t2)
    return t


def tag_doc(tagger, lang: str, sentences: list[list[str]], inner: dict | None = None,
            vectors: list | None = None) -> list[list[tuple[str, float]]]:
    """(IOB2 tag, marginal probability) per token, per sentence.  `inner`: see _dict_features.
    `vectors`: per sentence the standardised encoder vectors of its tokens, for a model trained with them
    (ner_encoder); the lexical attributes are the same as the fast model's."""
    out = []
    feats_doc = featurize(lang, sentences, inner)
    if vectors is not None:  # one sentence's items at a time: a token's is a dict of ~400 values
        feats_doc = (ner_encoder.attributes(f, v) for f, v in zip(feats_doc, vectors))
    if isinstance(tagger, ner_stack.Stacked):
        feats_doc = ner_stack.label_features(sentences, list(feats_doc), tagger.first)
        tagger = tagger.second
    for toks, feats in zip(sentences, feats_doc):
        if not toks:
            out.append([])
            continue
        tags = tagger.tag(feats)
        out.append([(y, tagger.marginal(y, i)) for i, y in enumerate(tags)])
    return out


def spans_of(tags: list[str]) -> list[tuple[int, int, str]]:
    """Chunks [(first, last+1, type)] from IOB tags (a stray I- opens a chunk, as in conlleval)."""
    out, start, cur = [], 0, None
    for i, y in enumerate([*tags, "O"]):
        p, _, t = y.partition("-")
        if cur is not None and (p != "I" or t != cur):
            out.append((start, i, cur))
            cur = None
        if p in ("B", "I") and cur is None:
            start, cur = i, t
    return out


def predict_with(tagger, text: str, sentences: list[tuple[int, int]], lang: str, vectors=None) -> list[dict]:
    """Mentions from `tagger`. `vectors(i, token_spans)`: the standardised encoder vectors of sentence i's
    tokens, for a tagger trained with them (an encoder model); None for a fast model."""
    if tagger is None or not text:
        return []
    spans = [sentence_tokens(text, s, e) for s, e in sentences]
    toks = [[text[a:b] for a, b in sp] for sp in spans]
    per_sentence = [vectors(i, sp) for i, sp in enumerate(spans)] if vectors is not None else None
    mentions = []
    inner: dict[tuple[int, int], int] = {}
    from marsad.lang import get as get_language
    proclitics = get_language(lang).traits.proclitics  # glued to the name the tagger marks with it
    for si, (sp, tagged) in enumerate(zip(spans, tag_doc(tagger, lang, toks, inner, per_sentence))):
        for a, b, t in spans_of([y for y, _ in tagged]):
            conf = sum(p for _, p in tagged[a:b]) / (b - a)
            start = sp[a][0]
            # ANERcorp tags whole tokens, proclitics included ("وكفر حور"); where the dictionary or the
            # gazetteer knows the name behind the proclitic, the mention starts at the name.
            cut = inner.get((si, a), 0) if proclitics else 0
            if 0 < cut <= 3 and start + cut < sp[b - 1][1]:
                start += cut
            mentions.append({"start": start, "end": sp[b - 1][1], "type": t, "confidence": round(conf, 4)})
    return mentions


def predict(text: str, sentences: list[tuple[int, int]], lang: str, encoded=None) -> list[dict]:
    """Entity mentions {start, end, type, confidence} in `text`, found sentence by sentence.

    `sentences`: (start, end) spans of `text`.  Languages other than "ar" and "en" give [].
    `encoded`: the encode stage's states (accurate profile): the language's encoder model tags the
    sentences they cover, the fast model the others (past the encoder's character cap)."""
    if lang not in LANGS or not text:
        return []
    if not sentences:
        sentences = [(0, len(text))]
    accurate = ner_encoder.tagger(lang) if encoded is not None and len(encoded) else None
    if accurate is None:
        return predict_with(_tagger(lang), text, sentences, lang)
    covered_to = encoded.ends[-1]
    inside = [s for s in sentences if s[0] < covered_to]
    outside = [s for s in sentences if s[0] >= covered_to]
    tagger, head = accurate
    mix = encoded.layer_mean(head.layers)  # once per document (marsad/stages/encode.py)

    def vectors(_i, token_spans):
        return head.standardise(ner_encoder.token_vectors(mix, encoded.starts, encoded.ends, token_spans))

    return predict_with(tagger, text, inside, lang, vectors) + predict_with(_tagger(lang), text, outside, lang)
