"""Arabic names only the world tier knows, where the sentence says a place comes: right after a locative preposition
(«نحو مأرب», «على لاشيو») or a place word («مدينة سيتوي»), and in the و-list that continues such a name («في تعز
ومأرب والبيضاء»).

The curated gazetteer's matcher (matching.match) scans every word of a text; the world tier (GeoNames' places of 500+
people, world.py) is too large for that, and in a script without capitals almost any word is some village's name
somewhere. So these names are looked up only in the positions a place name takes, and one that is a common
Arabic word (freq-ar.tsv Zipf at or above settings.toml [places] ar_word_place_min_zipf) is left alone. The
model reads English capitals, and its misses there have their own rules (retyping.py).
"""
from __future__ import annotations

import re

from ..config import settings
from ..entities.ner_tables import word_zipf
from ..lang import folded_words
from ..spans import SpanIndex
from .context import ar_cue, fold
from . import transliteration
from .gazetteer import quick_key
from .matching import CUE_AR, has_cue
from .resolve import world_ids

_ARABIC_WORD = re.compile(r"[\u0621-\u064A\u0671-\u06D3]+")
MAX_WORDS = 3  # the longest name tried at a position («رأس العين», «أم درمان», «ود مدني»)
MIN_LETTERS = 4  # a shorter word is too often a word


def governed_names(text: str, prepositions: frozenset[str], cues: tuple[str, ...], taken, places_of) -> list[dict]:
    """Places named right after a preposition of `prepositions` or a cue word of `cues` (folded, a proclitic
    و/ب/ل/ف allowed before them), or joined by و to such a name; `taken(start, end)` says whether a span is
    already a mention, `places_of(name)` gives the ids of a name (the world tier's, largest first). Each:
    {"start", "end", "text", "candidates"}."""
    folded: dict[str, str] = {}  # each distinct word folded once (a long text repeats its words)
    words = [(m.start(), m.end(), folded.get(m.group()) or folded.setdefault(m.group(), fold(m.group())))
             for m in _ARABIC_WORD.finditer(text)]
    if not words:
        return []
    found: list[dict] = []
    known: dict[str, list[str]] = {}
    governed_from = -1  # the index of the word a governed name or list continues from
    k = 0
    while k < len(words):
        start, _, w = words[k]
        after_prep = k > 0 and (ar_cue(words[k - 1][2], prepositions) or ar_cue(words[k - 1][2], cues)) \
            and _adjacent(text, words[k - 1][1], start)
        continues = governed_from == k and w.startswith("و") and len(w) > MIN_LETTERS
        if not (after_prep or continues):
            k += 1
            continue
        hit = None if ar_cue(w, cues) else _longest(text, words, k, continues, known, taken, places_of)  # «محافظة»: next word
        if hit is None:
            k += 1
            continue
        found.append(hit)
        k = hit.pop("_next")
        governed_from = k
    return found


def _adjacent(text: str, end: int, start: int) -> bool:
    return text[end:start].isspace() and len(text[end:start]) <= 2


def _longest(text: str, words: list, k: int, strip_and: bool, known: dict, taken, places_of) -> dict | None:
    """The longest name of up to MAX_WORDS words starting at word k (its و read off in a list) that the world
    tier knows and that is no common word."""
    for n in range(min(MAX_WORDS, len(words) - k), 0, -1):
        if n > 1 and not all(_adjacent(text, words[j][1], words[j + 1][0]) for j in range(k, k + n - 1)):
            continue
        start = words[k][0] + (1 if strip_and else 0)
        end = words[k + n - 1][1]
        surface = text[start:end]
        key = quick_key(surface)
        if len(key.replace(" ", "")) < MIN_LETTERS or taken(start, end):
            continue
        if key not in known:
            known[key] = [] if _common(surface) else places_of(surface)
        if known[key]:
            return {"start": start, "end": end, "text": surface, "candidates": known[key], "_next": k + n}
    # a single word no spelling names and no frequency table lists: a foreign name, tried by its consonants
    # («نحو باخموت»); resolution keeps it only beside a place of its country (resolve._supported)
    start = words[k][0] + (1 if strip_and else 0)
    surface = text[start:words[k][1]]
    if not taken(start, words[k][1]) and len(surface) >= MIN_LETTERS and word_zipf(surface) is None:
        found = [p.id for p in transliteration.candidates(surface)]
        if found:
            return {"start": start, "end": words[k][1], "text": surface, "candidates": found, "_next": k + 1}
    return None


def _common(surface: str) -> bool:
    """Whether a name is also a common Arabic word (the NER's frequency table)."""
    z = word_zipf(surface)
    return z is not None and z >= settings()["places"]["ar_word_place_min_zipf"]


def governed_mentions(text: str, code: str, mentions: list[dict]) -> list[dict]:
    """LOC mentions of the world tier's names where the text of language `code` says a place comes, after a
    locative preposition or a place word («نحو مأرب», «مدينة سيتوي»), that none of `mentions` covers
    [] for a language without a list of locative prepositions (lang/<code>/place_prepositions.txt)."""
    prepositions = folded_words(code, "place_prepositions.txt")
    if not prepositions:
        return []
    taken = SpanIndex(mentions)
    return [dict(h, type="LOC", confidence=0.6, cue=has_cue(text, h["start"], h["end"]), after_preposition=True,
                 without_article=False, after_name_particle=False, source="gazetteer")
            for h in governed_names(text, prepositions, CUE_AR,
                                    lambda s, e: bool(taken.overlapping({"start": s, "end": e})), world_ids)]
