"""Name matching for dictionaries and gazetteers, in any script: longest match of known names over the
words of the folded text, with offsets back into the original text.

What makes Arabic work without listing every form: the text and the names are folded alike (diacritics,
alef/yeh/teh marbuta variants, digits), the first word of a name may carry proclitics (و ب ل ك ف and their
stacks, lang/ar/clitics.toml), and the article ال is optional on it. What makes English safe: short
all-capital names (US, UN, SDF) only match all-capital text, so "us" is never the United States.
"""
from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from . import HERE, Folded, fold_for_matching

_WORD = re.compile(r"[^\W\d_]+|\d+")  # letters and digits apart: «الرياض2» holds الرياض
_ARABIC = re.compile(r"[\u0600-\u06FF]")
MAX_WORDS = 8


@dataclass(frozen=True)
class Match:
    start: int  # offsets into the original text
    end: int
    payloads: tuple[Any, ...]


@functools.cache
def _clitics() -> tuple[tuple[str, ...], str, int]:
    return read_clitics(HERE / "ar" / "clitics.toml")


def read_clitics(path: Path) -> tuple[tuple[str, ...], str, int]:
    """A clitics.toml: its prefixes (folded, longest first), its article (folded) and its shortest stem."""
    conf = tomllib.loads(path.read_text(encoding="utf-8"))
    fold = fold_for_matching
    prefixes = tuple(sorted({fold(p).text for p in conf["prefixes"]}, key=len, reverse=True))
    return prefixes, fold(conf["article"]).text, int(conf["min_stem"])


def _canonical_first(word: str) -> str:
    """The first word of a name as indexed: Arabic article removed (it is optional in matching)."""
    _, article, min_stem = _clitics()
    if word.startswith(article) and len(word) - len(article) >= min_stem and _ARABIC.match(word):
        return word[len(article):]
    return word


@functools.lru_cache(maxsize=200_000)
def _first_forms(word: str) -> tuple[tuple[str, int, bool], ...]:
    """Readings of a text word that may start a name, each with the length of the proclitic in front of
    the name and whether only a name of several words may start so: as written (0), and with one proclitic
    stack removed. The article stays inside the name: in "والبوكمال" the clitic is "و" and the name
    "البوكمال"; in "للجيش" the clitic is the first "ل". A stem shorter than the language's min_stem starts only a
    longer name: «وتل أبيض» is و + «تل أبيض», while «وتل» alone is no و + «تل»."""
    forms = [(_canonical_first(word), 0, False)]
    if _ARABIC.match(word):
        prefixes, article, min_stem = _clitics()
        for p in prefixes:
            if word.startswith(p) and len(word) - len(p) >= 2:
                clitic = len(p) - len(article) if p.endswith(article) else len(p) - (p.endswith("لل"))
                forms.append((_canonical_first(word[len(p):]), clitic, len(word) - len(p) < min_stem))
    return tuple(forms)


def _all_caps_short(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return 0 < len(letters) <= 6 and all(c.isupper() for c in letters)


@functools.lru_cache(maxsize=8)
def _words(folded_text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[str, ...]]:
    """Word starts, ends and strings of a folded text (cached: every index reads the same article)."""
    found = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(folded_text)]
    if not found:
        return (), (), ()
    starts, ends, words = zip(*found)
    return starts, ends, words


class NameIndex:
    """Names -> payloads. `add` each name (any script); `find` all non-overlapping longest matches."""

    def __init__(self) -> None:
        self._index: dict[tuple[str, ...], list[tuple[Any, bool]]] = {}
        self._prefixes: set[tuple[str, ...]] = set()  # every key and every leading part of one
        # (folded word, name) readings not to take: a common word that only looks like proclitic + name
        self.blocked_readings: set[tuple[str, str]] = set()

    def __len__(self) -> int:
        return len(self._index)

    def add(self, name: str, payload: Any) -> None:
        words = _WORD.findall(fold_for_matching(name).text)
        if not words or len(words) > MAX_WORDS:
            return
        key = (_canonical_first(words[0]), *words[1:])
        entries = self._index.setdefault(key, [])
        if all(p != payload for p, _ in entries):
            entries.append((payload, _all_caps_short(name)))
        self._prefixes.update(key[:n] for n in range(1, len(key) + 1))

    def add_all(self, names: Iterable[str], payload: Any) -> None:
        for n in names:
            self.add(n, payload)

    def find(self, text: str, folded: Folded | None = None) -> list[Match]:
        folded = folded or fold_for_matching(text)
        starts, ends, words = _words(folded.text)
        prefixes, index = self._prefixes, self._index
        out: list[Match] = []
        i, count = 0, len(words)
        while i < count:
            hit = None
            for form, clitic, longer_only in _first_forms(words[i]):
                if clitic and (words[i], form) in self.blocked_readings:
                    continue
                key = (form,)
                n = 1
                while key in prefixes:  # walk forward while some name still starts this way
                    entries = index.get(key)
                    if entries and (hit is None or n > hit[0]) and not (longer_only and n == 1):
                        start, end = folded.span(starts[i] + clitic, ends[i + n - 1])
                        end = _past_marks(text, end)
                        ok = tuple(p for p, caps in entries if not caps or _all_caps_short(text[start:end]))
                        if ok:
                            hit = (n, start, end, ok)
                    if i + n >= count:
                        break
                    key = (*key, words[i + n])
                    n += 1
            if hit:
                out.append(Match(*hit[1:]))
                i += hit[0]
            else:
                i += 1
        return out


def _past_marks(text: str, end: int) -> int:
    """Extend a match over the diacritics and tatweel that close its last letter (they fold to nothing)."""
    while end < len(text) and (unicodedata.category(text[end]) == "Mn" or text[end] == "\u0640"):
        end += 1
    return end
