"""Persuasion techniques: spans of the 23 SemEval-2023 Task 3 / ArAIEval techniques, in English and Arabic.

    detect(text, sentences, lang, min_confidence=0.0) -> [{"technique", "start", "end", "confidence"}]
    score(spans, text) -> float      # the article's persuasion score, 0..1
    counts(spans) -> {technique: n}

Three parts, all trained by `marsad train techniques` (marsad/train/techniques.py) into one bundle per
language, marsad/models/techniques-<lang>.joblib (its card: techniques-<lang>.md):

* a token-level linear-chain CRF (CRFsuite) with technique-specific BIO tags finds the short spans
  (loaded words, labels, doubt markers, repetitions); confidence = the mean marginal of the span's tags;
* a one-vs-rest logistic regression over each sentence (TF-IDF word and character n-grams) finds the
  techniques that annotators mark on whole clauses (fear, flag-waving, causal oversimplification...): where
  its probability passes the technique's threshold the sentence is reported as a span;
* a lexicon per language (marsad/lang/<lang>/persuasion_lexicon.tsv) gives both models features and, for a
  few unambiguous formulae ("anyone who still thinks ... is delusional", "so-called", "المزعوم"), spans;
* where the bundle has one (English since 2026-12-01), a span re-scorer (marsad/techniques/rescore.py) fitted on
  cross-validation candidates decides which of the three parts' proposals are reported.

Even-handedness: the names of parties (actor dictionary, gazetteer, and the lexicon's `group` words such as
regime / rebels / النظام / المعارضة) are masked before any feature is computed, so swapping which side is
named does not change what is detected; pejorative labels in the lexicon are listed for every side.

Environment: MARSAD_TECHNIQUES_MODEL_EN / MARSAD_TECHNIQUES_MODEL_AR name a bundle to use instead of the
shipped one (e.g. a cross-validation fold model written by `marsad train techniques --cv 5 --folds-dir`);
MARSAD_TECHNIQUES_E5_MODEL_<LANG> likewise for the accurate profile's encoder bundle (techniques-<lang>-e5.joblib,
which a language without one replaces by its fast bundle).

Length: the models read a document up to `model_chars()` characters (settings.toml [techniques]); sentences
past it get the lexicon's formulae only (`formulae`), so a hostile 1 MB document stays fast. In the accurate
profile the encoder model reads up to the encoder's own cap ([encoder] max_chars), the fast model after it.

Modules, by role (each imports only those above it; this file is the public API and re-exports their names):
words.py (technique names, `norm`, the lexicon, masking of party names, rule spans), features.py (`Doc`:
tokens and CRF features, sentence text), rescore.py (the span re-scorer), encoder_features.py (the accurate
profile's encoder states of the masked sentences: CRF attributes and sentence features), model.py (`Model`,
loading a bundle), persuasion.py (the comparable persuasion measure over a record's spans).
"""
from __future__ import annotations

from collections import Counter

from marsad.config import settings
from marsad.lang.sentences import split_at

# the modules' names stay importable from marsad.techniques (training, tests and benchmarks use them)
from marsad.techniques.features import (Doc, _featurize, _merge_masked, _quote_regions, embed_text, peak_region,
                                        sentence_text)
from marsad.techniques.words import (_TECH, ANY, TECHNIQUES, Lexicon, WordRules, _read_lexicon,
                                     bare, lexicon, name_spans, norm, rule_spans, word_rules)
from marsad.techniques.model import LANGS, MODELS, Model, _model, load, model_path


# ---------------------------------------------------------------- public API
def detect(text: str, sentences: list[tuple[int, int]], lang: str, min_confidence: float = 0.0,
           names: list[tuple[int, int, str]] | None = None, profile: str = "fast", docs: list | None = None) -> list[dict]:
    """Technique spans `{technique, start, end, confidence}` in `text` (offsets into it, end exclusive),
    sorted by position; only those with confidence >= min_confidence. `names`: the party names to mask,
    `name_spans(text, lang)`, when the caller reads a document block by block (matched once, not per block).
    `profile` "accurate": the language's encoder model where it has one (techniques-<lang>-e5.joblib).
    `docs`: a list to which each `Doc` the models read is appended (with the encoder states of its masked
    sentences where the model computed them), for the persuasion score's encoder component."""
    if lang not in LANGS or not text.strip():
        return []
    if not sentences:
        sentences = [(0, len(text))]
    inside, past = split_at(sentences, model_chars())
    if past:  # the models read up to their cap (settings.toml [techniques]); past it, the lexicon's formulae
        return _merged(detect(text, inside, lang, min_confidence, names, profile, docs) if inside else [],
                       formulae(text, past, lang, min_confidence, names))
    if profile == "accurate":  # the encoder reads a document up to its character cap, as the encode stage does
        inside, past = split_at(sentences, settings()["encoder"]["max_chars"])
        if past:  # the sentences past it get the fast model (a hostile 1 MB document stays bounded)
            return _merged(detect(text, inside, lang, min_confidence, names, profile, docs) if inside else [],
                           detect(text, past, lang, min_confidence, names, "fast"))
    return _reported(text, sentences, lang, min_confidence, names, profile, docs=docs)


def formulae(text: str, sentences: list[tuple[int, int]], lang: str, min_confidence: float = 0.0,
             names: list[tuple[int, int, str]] | None = None) -> list[dict]:
    """The lexicon's formulae in these sentences (rule spans: no model), as `detect` reports spans."""
    if lang not in LANGS or not sentences:
        return []
    return _reported(text, sentences, lang, min_confidence, names, "fast", rules_only=True)


def _reported(text: str, sentences, lang: str, min_confidence: float, names, profile: str,
              rules_only: bool = False, docs: list | None = None) -> list[dict]:
    """The spans of the profile's model (or of the lexicon's rules alone) in these sentences, as reported:
    sorted, each once, within the text, rounded, at least min_confidence."""
    model = load(lang, profile)
    doc = Doc(text, sentences, lang, one_token_names=model.config.get("one_token_names", False) if model else True,
              names=names)
    spans = model.detect(doc) if model and not rules_only else rule_spans(doc, [])
    # only the Docs the score's encoder component reads (within the encoder's cap), not every block's of a long text
    if docs is not None and doc.sentences and doc.sentences[0][0] < settings()["encoder"]["max_chars"]:
        docs.append(doc)
    seen = set()
    out = []
    for s in sorted(spans, key=_position):
        key = (s["technique"], s["start"], s["end"])
        if key in seen or s["confidence"] < min_confidence or not (0 <= s["start"] < s["end"] <= len(text)):
            continue
        seen.add(key)
        out.append({"technique": s["technique"], "start": s["start"], "end": s["end"],
                    "confidence": round(float(s["confidence"]), 3)})
    return out


def _position(span: dict) -> tuple:
    return span["start"], span["end"], span["technique"]


def _merged(*parts: list[dict]) -> list[dict]:
    return sorted((s for part in parts for s in part), key=_position)


def model_chars() -> int:
    """Characters of a document that the technique models read (settings.toml [techniques] model_chars)."""
    return settings()["techniques"]["model_chars"]


def score(spans: list[dict], text: str) -> float:
    """The article's persuasion score, 0..1: the share of its non-space characters inside technique spans,
    each character weighted by the highest confidence of the spans covering it."""
    if not text:
        return 0.0
    weight = [0.0] * len(text)
    for s in spans:
        c = float(s.get("confidence", 1.0))
        for i in range(max(0, s["start"]), min(len(text), s["end"])):
            if c > weight[i]:
                weight[i] = c
    chars = [i for i, ch in enumerate(text) if not ch.isspace()]
    if not chars:
        return 0.0
    return round(min(1.0, sum(weight[i] for i in chars) / len(chars)), 4)


def counts(spans: list[dict]) -> dict[str, int]:
    """Number of spans per technique (techniques with none left out), most frequent first."""
    c = Counter(s["technique"] for s in spans)
    return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))


__all__ = ["detect", "formulae", "model_chars", "score", "counts", "TECHNIQUES", "load", "model_path"]
