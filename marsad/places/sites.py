"""Sites named after a place: "Khartoum International Airport", "Colorado State University", "Port of Los Angeles",
«مطار دمشق الدولي». A facility no table lists is put at the place whose name it carries; its mention says
`site: true` (the coordinates are the place's, not the facility's). The words that make a site are language data
(lang/<code>/site_words.tsv), so a language without the file has no sites."""
from __future__ import annotations

import re
from typing import Callable

from marsad.lang import by_script

from .context import fold, word_roles

_WORD = re.compile(r"[^\s,;:()]+")
_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")


def place_parts(surface: str) -> list[tuple[int, int]]:
    """The offsets, within `surface`, that the place's name in a site's name may have, longest first ("Khartoum" in
    "Khartoum International Airport", "Los Angeles" in "the Port of Los Angeles", «دمشق» in «مطار دمشق الدولي»;
    "Rio Grande City" before "Rio Grande" in "Rio Grande City Station"); [] when the name is not a site's (no site
    word, or nothing left for a place)."""
    roles = word_roles(by_script(surface), "site_words.tsv")
    if not roles:
        return []
    article = _ARTICLE.match(surface)
    words = [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(surface, article.end() if article else 0)]
    first, last = 0, len(words)
    if len(words) >= 3 and words[0][2] in roles.get("head_of", ()) and words[1][2] == "of":
        first = 2  # "Port of Los Angeles"
    elif words and words[0][2] in roles.get("head_before", ()):
        first = 1  # «مطار دمشق»
    else:  # "Khartoum International Airport": one head at the end, modifiers before it
        head = words[-1][2] if words else ""
        if head not in roles.get("head", ()) and head not in roles.get("head_weak", ()):
            return []
        last -= 1
    modifiers = roles.get("modifier", frozenset())
    ends = [last]
    while ends[-1] > first + 1 and words[ends[-1] - 1][2] in modifiers:
        ends.append(ends[-1] - 1)
    if first == 0 and words[-1][2] not in roles.get("head", ()) and len(ends) == 1:
        return []  # "Columbia University": a weak head needs a modifier ("Colorado State University")
    parts = []
    for end in ends:
        if end <= first or all(w[2] in modifiers for w in words[first:end]):
            continue
        a, b = words[first][0], words[end - 1][1]
        if surface[a].isalpha() and not (surface[a].isascii() and not surface[a].isupper()) \
                and not re.search(r"['\u2019]s\b", surface[a:b]):  # "the new airport", "St. Michael's Hospital"
            parts.append((a, b))
    return parts


def place_of(surface: str, ids_of: Callable[[str], list[str]]) -> list[str]:
    """The candidate places of a site's name: those of the longest of its place parts that `ids_of` (the look-up of
    a whole name, never of a part of one) finds; [] for a name that is not a site's."""
    for a, b in place_parts(surface):
        ids = ids_of(surface[a:b])
        if ids:
            return ids
    return []
