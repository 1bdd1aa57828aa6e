"""The means of an event (air strike, shelling, explosion, chemical, ...): the cue words that name it in a generic
violent event's text (lang/<code>/event_means.tsv), and the sub-type a named means gives a weak trigger.
"""
from __future__ import annotations

import functools
import re

from .. import lang as languages

# A force named by its weapon ("coalition warplanes", "طيران التحالف") is the agent of the strike its name says.
_WEAPON_MEANS = {"air_strike", "shelling"}
_MEANS_SUB = {"air_strike": "Air/drone strike", "shelling": "Shelling/artillery/missile attack",
              "chemical": "Chemical weapon"}


@functools.cache
def _means_table(lang: str) -> list:
    path = languages.data_file(lang, "event_means.tsv")
    rows = [l.split("\t") for l in path.read_text(encoding="utf-8").splitlines()
            if l.strip() and not l.startswith("#")] if path.exists() else []
    b = r"\b" if languages.get(lang).traits.word_boundaries else ""
    return [(re.compile(rf"{b}(?:{r[0]}){b}", re.I), r[1].strip()) for r in rows if len(r) >= 2]


@functools.lru_cache(maxsize=64)  # the events of one clause or sentence ask about the same text
def _means_cue(span: str, lang: str) -> str | None:
    """The means a generic violent event's words name ("a terrorist attack with rocket shells" -> shelling)."""
    return next((m for rx, m in _means_table(lang) if rx.search(span)), None)


def _means_named(span: str, lang: str) -> set[str]:
    """Every means the words of `span` name (a clause's "warplanes" and "artillery" both)."""
    return {m for rx, m in _means_table(lang) if rx.search(span)}
