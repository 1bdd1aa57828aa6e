"""Stage: which language the text is in (unless the input said so), and that language's profile."""
from __future__ import annotations

from ..lang.detect import detect
from . import declares


@declares(requires=("text",), assigns=("language", "language_score"))
def identify(analysis) -> None:
    rec = analysis.record
    if rec["language"] is None:
        code, score = detect(rec["text"])
        rec["language"] = code
        rec["language_score"] = score
    else:
        rec["language_score"] = 1.0  # given by the user or the input: not second-guessed
