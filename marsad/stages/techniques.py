"""Stage: persuasion-technique spans, their counts, and the article's persuasion score (marsad.techniques)."""
from __future__ import annotations

from .. import techniques
from ..lang.sentences import blocks


def detect(analysis) -> None:
    rec = analysis.record
    sentences = [(s["start"], s["end"]) for s in rec.get("sentences", [])]
    spans = [s for block in blocks(sentences) or [[]]  # a long document block by block (bounded memory)
             for s in techniques.detect(rec["text"], block, rec["language"],
                                        min_confidence=analysis.options.get("min_confidence", 0.0))]
    rec["techniques"] = spans
    rec.setdefault("scores", {})["persuasion"] = techniques.score(spans, rec["text"])
    rec["technique_counts"] = techniques.counts(spans)  # marsad addition: spans per technique
