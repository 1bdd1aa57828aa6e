"""The languages of the gazetteer builders (build_gazetteer.py, build_world.py; build time only): which registered
language's names fill which column, how its names are told apart in GeoNames' untagged alternate names (by
script), and when one of them is weak, all from the [gazetteer] table of its language.toml (keys, meaning and
defaults: marsad/lang/xx/language.toml) and its traits, never from its code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from marsad import lang
from marsad.lang import Language, fold_for_matching
from marsad.lang.names import read_clitics

Zipf = Callable[[str, str], float]  # wordfreq.zipf_frequency(word, wordfreq code)

# Arabic letters proper (no Persian/Urdu/Kurdish letters such as پ چ ژ گ ک ی ە ێ ۆ ڕ ھ ہ ے), harakat, dagger alef.
_AR_OK = re.compile(r"^[\u0621-\u063A\u0641-\u064A\u064B-\u0652\u0670 \-]+$")
_AR_ANY = re.compile(r"[\u0600-\u06FF]")
_LATIN_OK = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF' \-\.\u2018\u2019`\u02BB\u02BC\u02BF\u02BE]+$")


def arabic_names(alts: list[str]) -> list[str]:
    out = []
    for a in alts:
        a = a.strip().replace("\u200f", "").replace("\u200e", "")
        if _AR_ANY.search(a) and _AR_OK.match(a) and len(a.replace(" ", "")) >= 2:
            out.append(a)
    return list(dict.fromkeys(out))


def latin_names(alts: list[str]) -> list[str]:
    out = []
    for a in alts:
        a = a.strip()
        letters = [c for c in a if c.isalpha()]
        if len(letters) < 3 or not _LATIN_OK.match(a) or not a[0].isupper():
            continue
        if len(letters) <= 4 and all(c.isupper() for c in letters):  # IATA/ICAO-like codes (ALP, DAM, QHS)
            continue
        out.append(a)
    return out


# GeoNames' alternate names carry no language: a language's names are those in its script (language.toml `script`).
SCRIPT_NAMES: dict[str, Callable[[list[str]], list[str]]] = {"Arabic": arabic_names, "Latin": latin_names}


@dataclass(frozen=True)
class Rules:
    """How the names of one language enter the gazetteer: its [gazetteer] table, its traits and normaliser."""

    language: Language
    column: str
    wordfreq: str
    weak_zipf: tuple[tuple[int, float], ...]
    official_in: frozenset[str]
    weak_zipf_elsewhere: float
    all_names_main: bool
    final_variants: tuple[str, ...]
    initial_variants: tuple[str, ...]
    deleted: dict[int, None] = field(repr=False, compare=False)  # what its normalization.tsv deletes (diacritics)

    @property
    def code(self) -> str:
        return self.language.code

    def names(self, alts: list[str]) -> list[str]:
        """Its names among GeoNames' alternate names: those in its script ([] for a script with no filter)."""
        pick = SCRIPT_NAMES.get(self.language.script)
        return pick(alts) if pick else []

    def zipf(self, word: str, zipf: Zipf) -> float:
        """The word's frequency as written (0 when wordfreq has no list for the language)."""
        return zipf(word, self.wordfreq) if self.wordfreq else 0.0

    def frequency(self, name: str, zipf: Zipf) -> float:
        """The frequency of the commonest spelling of `name` that the matcher folds alike."""
        return max(self.zipf(f, zipf) for f in spellings(name, self))


def rules(code: str) -> Rules:
    language = lang.get(code)
    g = language.section("gazetteer")
    return Rules(language, g["column"], g["wordfreq"], tuple((int(p), float(z)) for p, z in g["weak_zipf"]),
                 frozenset(g["official_in"]), float(g["weak_zipf_elsewhere"]), bool(g["all_names_main"]),
                 tuple(g["final_variants"]), tuple(g["initial_variants"]),
                 {cp: None for cp, rep in language.table.items() if rep == ""})


def column_rules(column: str) -> Rules:
    """The registered language whose names fill gazetteer column `column` ("name", "name_ar")."""
    found = [r for r in map(rules, lang.supported()) if r.column == column]
    if len(found) != 1:
        raise ValueError(f"column {column!r} needs one language with that [gazetteer] column, found "
                         f"{[r.code for r in found]}")
    return found[0]


def spellings(name: str, r: Rules) -> set[str]:
    """Spellings wordfreq may hold for a name that folds alike: without the diacritics the language's
    normalization.tsv deletes, each final and initial variant letter, with and without its glued article
    (definite_article trait), lower-cased where letters have case (wordfreq lists words in lower case)."""
    bare = name.translate(r.deleted)
    forms = {bare}
    for group in r.final_variants:  # one letter of the set swapped for another at the end
        forms |= {bare[:-1] + b for a in group for b in group if a != b and bare.endswith(a)}
    for group in r.initial_variants:  # the folded letter first
        forms |= {group[0] + f[1:] for f in forms if f and f[0] in group[1:]}
    article = r.language.traits.definite_article
    if article:
        glued = re.compile(f"^{re.escape(article)}(?=\\S{{2}})")
        forms |= {glued.sub("", f) for f in forms}
        forms |= {article + f for f in forms if not f.startswith(article)}
    for group in r.initial_variants:  # then every letter of the set
        forms |= {a + f[1:] for f in forms if f[:1] in group for a in group}
    return {f.lower() for f in forms} if r.language.traits.letter_case else forms


def is_weak(name: str, r: Rules, feature: str, pop: int, zipf: Zipf, country: str = "",
            main_name: bool = True) -> bool:
    if len(name.split()) > 1 or (feature in ("country", "capital") and main_name):
        return False  # phrases, and the main names of countries and capitals, stand on their own
    if not r.wordfreq:
        return False
    limit = next((z for least, z in r.weak_zipf if pop >= least), r.weak_zipf[-1][1])
    if r.official_in and country not in r.official_in:
        limit = min(limit, r.weak_zipf_elsewhere)
    return r.frequency(name, zipf) >= limit


def clitic_traps(names: list[str], zipf: Zipf, r: Rules) -> list[tuple[str, str]]:
    """Common words that read as proclitic + a place name (بلاد = ب + لاد, a name of Lod; ولد = و + لد): the
    matcher must take them as written. Found by asking wordfreq about every clitic + name pair, for a language
    with proclitics (trait) and a clitics.toml."""
    path = r.language.data("clitics.toml")
    if not r.language.traits.proclitics or path is None or not r.wordfreq:
        return []
    prefixes, article, _ = read_clitics(path)
    traps = set()
    for name in names:
        key = fold_for_matching(name).text
        if " " in key or len(key) < 2:
            continue
        stem = key[len(article):] if key.startswith(article) else key
        own = r.frequency(name, zipf)
        for p in prefixes:
            for word in {p + stem, p + article + stem} if not p.endswith(article) else {p + stem}:
                # "بالبصرة" is common because Basra is; "بلاد" is far commoner than "لاد" could explain.
                z = r.frequency(word, zipf)
                if z >= 3.0 and z > own + 0.5:
                    traps.add((word, stem))
    return sorted(traps)
