"""A small linear classifier that confirms an Arabic ASSAULT or PROTEST reading of a lexicon hit: does the sentence
report an event that happened (a bombing, a march), or only talk about the idea (assassination attempts, the
history of protests)?

Features: folded words and word pairs of the sentence with every actor and place name masked (so the decision never
depends on which side is named), plus the trigger types present. Weights live in marsad/models/events-ar.json
(trained by `python -m marsad.train.events`, card: events-ar.md); inference is plain Python. Without the model file
every hit is kept.
"""
from __future__ import annotations

import functools
import json
import math
from pathlib import Path

from . import triggers as T

MODEL = Path(__file__).resolve().parent.parent / "models" / "events-ar.json"


def covers(lang: str) -> bool:
    """Whether the model confirms the readings of this language (it is trained on Arabic: models/events-ar)."""
    return lang == MODEL.stem.removeprefix("events-")


@functools.cache
def _model() -> dict | None:
    if not MODEL.exists():
        return None
    return json.loads(MODEL.read_text(encoding="utf-8"))


def masked_words(sentence: str) -> list[str]:
    from .. import places
    from ..entities import actors
    spans = sorted((m["start"], m["end"]) for m in actors.match(sentence) + places.match(sentence))
    words = []
    j, reach = 0, -1  # reach: the furthest end of a name starting at or before the token (one sweep, no rescan)
    for s, e, w in T.tokens(sentence):
        while j < len(spans) and spans[j][0] <= s:
            reach = max(reach, spans[j][1])
            j += 1
        if e <= reach:  # inside a name
            if not words or words[-1] != "<NAME>":
                words.append("<NAME>")
        else:
            words.append("<NUM>" if w.isdigit() else w)
    return words


def features(sentence: str, lang: str = "ar") -> list[str]:
    words = masked_words(sentence)
    feats = [f"w={w}" for w in words] + [f"b={a}_{b}" for a, b in zip(words, words[1:])]
    for h in T.triggers(lang).find(sentence):
        d = T.data(h)
        feats += [f"t={d['type']}", f"s={d['sub_type']}", f"p={d['plover']}"]
    return feats


@functools.lru_cache(maxsize=64)
def _feature_set(sentence: str) -> frozenset[str]:
    """A sentence's features, kept for the next hit: every trigger of a sentence asks for them (a run-on
    sentence of a hostile document holds hundreds of triggers)."""
    return frozenset(features(sentence))


def score(sentence: str, plover: str) -> float | None:
    m = _model()
    if not m or plover not in m["models"]:
        return None
    w = m["models"][plover]
    z = w["bias"] + sum(w["weights"].get(f, 0.0) for f in _feature_set(sentence))
    return 1 / (1 + math.exp(-max(min(z, 30), -30)))


def confirm(sentence: str, plover: str, etype: str, weight: float) -> str | None:
    """The PLOVER type to keep for the hit, or None to drop it. A rejected ASSAULT reading of an explosion or a
    battle stays an event coded FIGHT; other rejected readings are dropped."""
    m = _model()
    p = score(sentence, plover)
    if p is None or p >= m["models"][plover]["threshold"]:
        return plover
    if plover == "ASSAULT" and etype in ("Explosions/Remote violence", "Battles"):
        return "FIGHT"
    return None
