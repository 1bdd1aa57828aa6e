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
    spans = [s for block in parts
             for s in techniques.detect(rec["text"], block, rec["language"], names=names,
                                        min_confidence=analysis.options.get("min_confidence", 0.0),
                                        profile=analysis.options.get("profile", "fast"))]
    limit = techniques.model_chars()
    if any(a >= limit for a, _ in sentences):
        add_warning(rec, f"persuasion techniques past character {limit:,} found by the lexicon's formulae only "
                         "(the models' cap: settings.toml [techniques] model_chars)")
    rec["techniques"] = spans
    rec.setdefault("scores", {})["persuasion"] = techniques.score(spans, rec["text"])
    rec["technique_counts"] = techniques.counts(spans)  # marsad addition: spans per technique
    rec["persuasion"] = persuasion.persuasion(rec)  # marsad addition: per 1,000 words, per family, calibrated
