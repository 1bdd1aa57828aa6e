"""Stage: persuasion-technique spans, their counts, and the article's persuasion score (marsad.techniques)."""
from __future__ import annotations

from .. import techniques


def detect(analysis) -> None:
    rec = analysis.record
    sentences = [(s["start"], s["end"]) for s in rec.get("sentences", [])]
    spans = techniques.detect(rec["text"], sentences, rec["language"],
                              min_confidence=analysis.options.get("min_confidence", 0.0))
    rec["techniques"] = spans
    rec.setdefault("scores", {})["persuasion"] = techniques.score(spans, rec["text"])
    rec["technique_counts"] = techniques.counts(spans)  # marsad addition: spans per technique
