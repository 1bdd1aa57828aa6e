"""Stage: persuasion-technique spans, their counts, the article's old persuasion score (scores.persuasion: share of
characters in spans) and its `persuasion` measure, comparable across languages and lengths (techniques/persuasion.py)."""
from __future__ import annotations

from .. import techniques
from ..techniques import persuasion
from ..lang.sentences import blocks
from ..record import add_warning
from . import declares


@declares(requires=("text", "language", "sentences", "dictionary_matches"),
          assigns=("techniques", "scores", "technique_counts", "persuasion", "warnings"))
def detect(analysis) -> None:
    rec = analysis.record
    sentences = [(s["start"], s["end"]) for s in rec.get("sentences", [])]
    parts = blocks(sentences) or [[]]  # a long document block by block (bounded memory)
    # The party names to mask come from the actor and place matches the mention stage made, once for the
    # whole text (a 1 MB document has ten blocks: its actors and places were matched ten times).
    names = techniques.name_spans(rec["text"], rec["language"], analysis.scratch.get("dictionary_matches"))
    profile = analysis.options.get("profile", "fast")
    docs = [] if profile == "accurate" else None  # the Docs read, for the score's encoder component
    spans = [s for block in parts
             for s in techniques.detect(rec["text"], block, rec["language"], names=names,
                                        min_confidence=analysis.options.get("min_confidence", 0.0),
                                        profile=profile, docs=docs)]
    limit = techniques.model_chars()
    if any(a >= limit for a, _ in sentences):
        add_warning(rec, f"persuasion techniques past character {limit:,} found by the lexicon's formulae only "
                         "(the models' cap: settings.toml [techniques] model_chars)")
    rec["techniques"] = spans
    rec.setdefault("scores", {})["persuasion"] = techniques.score(spans, rec["text"])
    rec["technique_counts"] = techniques.counts(spans)  # marsad addition: spans per technique
    encoder = None
    if docs is not None:  # accurate profile: how persuasive the encoder finds the masked sentences (v2 score)
        from ..techniques import persuasion_encoder

        encoder = persuasion_encoder.document_component(rec["text"], docs, rec["language"])
    # marsad addition: per 1,000 words, per family, calibrated; with the encoder component where there is one
    rec["persuasion"] = persuasion.persuasion(rec, encoder=encoder)
