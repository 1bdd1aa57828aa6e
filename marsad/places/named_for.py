"""Places that organisations are named for: "Athens Police Department", "Clarke County Board of Education",
"Bank of Japan", «شرطة حلب», «مجلس دير الزور العسكري». The organisation stays one mention (ORG); the place its name
holds becomes a place mention of its own inside it (`source` "in_name"), resolved with the text's other places.
Local news names its towns this way more than any other ("the Athens Police Department said"), and the geoparsing
corpora count these places.

The words that make such a name are language data (lang/<code>/organisation_words.tsv): in English the place comes
first and an organisation word right after it (modifiers such as "County" or "Public" may stand between), or the
name ends "of <place>" after a word such as "Bank"; in Arabic the organisation word comes first. A language with
capital letters needs the place's words capitalised. A place of one word, or any place in a language without
capitals (Arabic, where GeoNames knows a village for many common words: «مجلس الشعب»), must be an area or a town
of settings.toml [places] world_unsupported_min_population people ("Rifle Association" is no Rifle, Colorado).
Words of institutions ("Supreme", "Justice", "Home": organisation_words.tsv) are never a place."""
from __future__ import annotations

import functools
import re

from marsad.lang import by_script, own
from marsad.spans import SpanIndex

from .context import fold, word_roles

_WORD = re.compile(r"[^\s,;:()\"“”«»]+")
_LOWER_WORD = re.compile(r"[^\W\d_]+")  # a word of letters only ("the", "of"; not "ez-zor")
_MAX_WORDS = 4  # the longest place name looked for inside an organisation's name


@functools.lru_cache(maxsize=8)
def _organisational(code: str) -> frozenset[str]:
    """Every word of the language's organisation table, whatever its role: none of them alone is a place."""
    return frozenset().union(*word_roles(code, "organisation_words.tsv").values())


def _spans(words: list[tuple[int, int, str]], roles: dict[str, frozenset[str]]) -> list[tuple[int, int]]:
    """(first, end) word ranges of a name that may be the place it is named for, longest first."""
    mods = roles.get("modifier", frozenset())
    out = []
    if len(words) >= 3 and words[0][2] in roles.get("before_of", ()) and words[1][2] == "of" \
            and len(words) - 2 <= _MAX_WORDS:
        out.append((2, len(words)))  # "Bank of Japan"
    for k, w in enumerate(words):
        if w[2] in roles.get("after", ()):  # "Athens Police", "Tarrant County Public Health", "Clarke County Board"
            ends = [k]  # a modifier may be the place's own last word ("County") or stand between
            while ends[-1] > 0 and words[ends[-1] - 1][2] in mods:
                ends.append(ends[-1] - 1)
            out += [(first, end) for end in ends for first in range(max(0, end - _MAX_WORDS), end)]
            break
    for k, w in enumerate(words):
        if w[2] in roles.get("before", ()):  # «شرطة حلب», «مديرية صحة إدلب»
            first = k + 1
            while first < len(words) and words[first][2] in mods and first - k <= 2:
                first += 1
            out += [(first, end) for end in range(min(len(words), first + _MAX_WORDS), first, -1)]
            break
    return out


def place_in_name(surface: str, known_ids, big_enough) -> tuple[int, int, bool] | None:
    """The offsets, within `surface`, of the place an organisation is named for, and whether it is weak (a small
    town's one-word name before a word of local government, "Torrington Fire Department": it stands only where
    the text names a place near it, see resolve.py), else None. `known_ids(name)`: the places of a name taken
    whole; `big_enough(ids)`: whether one of them is an area or a big town."""
    code = by_script(surface)
    roles = word_roles(code, "organisation_words.tsv")
    if not roles:
        return None
    words = [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(surface)]
    organisational = _organisational(code)
    profile = own(code)
    cased = profile is not None and profile.traits.letter_case
    for first, end in _spans(words, roles):
        if end <= first or end - first == len(words) \
                or all(w[2] in organisational for w in words[first:end]):  # "Public", "County": no place
            continue
        a, b = words[first][0], words[end - 1][1]
        name = surface[a:b]
        if cased and not (surface[a].isupper() and all(surface[w[0]].isupper() or not _LOWER_WORD.fullmatch(w[2])
                                                        for w in words[first:end])):
            continue  # "the Police Department": no name before it ("Deir ez-Zor" is one)
        ids = known_ids(name)
        # one word may be a town nobody means ("Rifle Association", "Cricket Board"), and without capitals any
        # words may be («مجلس الشعب»: a village called الشعب): then a big town or an area, or a weak place before
        # a word of local government ("Transit Police" is no Transit, Ohio: the text must name a place near it)
        if ids and (cased and end - first > 1 or big_enough(ids)):
            return a, b, False
        if ids and cased and end < len(words) and words[end][2] in roles.get("local", ()):
            return a, b, True
    return None


def places_in_names(mentions: list[dict], text: str, known_ids, big_enough) -> list[dict]:
    """A LOC mention for the place each of the NER's organisation names holds (see the module docstring), where no
    place mention covers it already."""
    out = []
    places = SpanIndex([m for m in mentions if m["type"] == "LOC"])
    for m in mentions:
        if m.get("source") != "ner" or m["type"] != "ORG" or "entity" in m or m.get("label"):
            continue
        found = place_in_name(text[m["start"]:m["end"]], known_ids, big_enough)
        if found and not places.overlapping({"start": m["start"] + found[0], "end": m["start"] + found[1]}):
            s, e = m["start"] + found[0], m["start"] + found[1]
            out.append({"start": s, "end": e, "text": text[s:e], "type": "LOC", "source": "in_name",
                        "confidence": m.get("confidence", 1.0), **({"weak": True} if found[2] else {})})
    return out
