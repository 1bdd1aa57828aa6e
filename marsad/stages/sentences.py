"""Stage: sentence spans, by the rules and data of the document's language."""
from __future__ import annotations

from ..lang.sentences import split
from . import declares


@declares(requires=("text", "language"), assigns=("sentences",))
def segment(analysis) -> None:
    analysis.record["sentences"] = [{"start": a, "end": b} for a, b in split(analysis.record["text"], analysis.lang)]
