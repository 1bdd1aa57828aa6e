"""Languages: one folder per language code holding its data (language.toml, normalisation table,
abbreviations, the stages' word lists). Adding a language means adding a folder; the stages only ask `get(code)`.

A language without a folder falls back to the generic profile in `xx/` (its own code kept, no stage data: the
stages find nothing for it rather than applying another language's rules).

Folders are found under marsad/lang/ and in the folders registered with `register(path)` or named in the
environment variable MARSAD_LANG_PATH (os.pathsep-separated); each such path is either one language folder
(a folder holding language.toml, its name the code) or a folder of language folders.

The traits (`Language.traits`, the [traits] table of language.toml) say what a stage's rules may assume of the
language, in place of tests of the code ("ar", "en"): see xx/language.toml for the list and the defaults. Other
tables of language.toml (such as [gazetteer], read by the place builders) come through `Language.section`.
"""
from __future__ import annotations

import dataclasses
import functools
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..config import environment, settings

HERE = Path(__file__).parent
GENERIC = "xx"


@dataclass(frozen=True)
class Folded:
    """Text folded for matching, with `offsets[i]` = index in the original text of folded char i.

    `offsets` has one extra entry at the end (len of the original) so that a folded span [a, b) maps
    back to the original span [offsets[a], offsets[b-1] + 1)."""

    text: str
    offsets: Sequence[int]  # a tuple, or a range when folding kept every offset

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original-text span of the folded span [start, end)."""
        if end <= start:
            o = self.offsets[start]
            return o, o
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    direction: str
    terminators: frozenset[str]
    closers: frozenset[str]
    quotes: tuple[tuple[str, str], ...]
    max_quote_chars: int
    needs_capital: bool
    abbreviations: frozenset[str]
    sentence_starters: frozenset[str]
    table: dict[int, str] = field(repr=False)
    casefold: bool = False
    folder: Path = field(default=HERE / GENERIC, repr=False)  # where its data files are (xx/ when it has none)
    traits: "Traits" = field(default_factory=lambda: Traits(), repr=False)
    script: str = ""  # its Unicode script ("Arabic", "Latin"): the language of a name written in it (`by_script`)
    sections: dict = field(default_factory=dict, repr=False, compare=False)  # its other tables ([gazetteer])

    def section(self, name: str) -> dict:
        """Table [name] of its language.toml over the defaults that xx/language.toml declares and documents; a
        key the defaults lack is an error, so that a typo does not pass silently."""
        defaults, own = get(GENERIC).sections.get(name, {}), self.sections.get(name, {})
        unknown = set(own) - set(defaults)
        if unknown:
            raise ValueError(f"{self.code}: unknown keys in [{name}]: {sorted(unknown)} (known: {sorted(defaults)})")
        return {**defaults, **own}

    def data(self, filename: str) -> Path | None:
        """The path of one of its data files, or None when the language has none (the stage then finds
        nothing for it: never another language's rules)."""
        return _data_path(self.folder, self.code, filename)

    def fold(self, text: str) -> Folded:
        """Normalise for matching (diacritics, letter variants, digits, case) keeping an offset map.

        Presentation forms and compatibility characters go through NFKC first, so a ligature such as
        U+FEFB (lam-alef) folds to two letters that both point back at the one original character.

        Speed: runs of characters that fold one-to-one (nearly all of any news text) go through C-speed
        str.translate with identity offsets; only the characters that delete or expand (harakat, tatweel,
        ligatures, ß) take the per-character path."""
        fast = _fast_tables(self)
        out: list[str] = []
        offs: list[int] = []
        pos = 0
        for m in fast.special.finditer(text):
            if m.start() > pos:
                self._fold_run(text, pos, m.start(), fast, out, offs)
            self._fold_chars(text, m.start(), m.end(), out, offs)
            pos = m.end()
        if pos == 0:  # nothing special at all: one run, and perhaps identity offsets
            run = text.translate(fast.one_to_one)
            run = run.casefold() if self.casefold else run
            if len(run) == len(text):
                return Folded(run, range(len(text) + 1))
        if pos < len(text):
            self._fold_run(text, pos, len(text), fast, out, offs)
        offs.append(len(text))
        return Folded("".join(out), tuple(offs))

    def _fold_run(self, text: str, a: int, b: int, fast: "_FastTables", out: list, offs: list) -> None:
        run = text[a:b].translate(fast.one_to_one)
        if self.casefold:
            run = run.casefold()
        if len(run) == b - a:
            out.append(run)
            offs.extend(range(a, b))
        else:  # casefolding expanded something (ß -> ss): per character
            self._fold_chars(text, a, b, out, offs)

    def _fold_chars(self, text: str, a: int, b: int, out: list, offs: list) -> None:
        table, casefold = self.table, self.casefold
        for i in range(a, b):
            ch = text[i]
            pieces = unicodedata.normalize("NFKC", ch) if _is_compat(ch) else ch
            for p in pieces:
                rep = table.get(ord(p), p)
                if casefold:
                    rep = rep.casefold()
                out.append(rep)
                offs.extend([i] * len(rep))

    def normalize(self, text: str) -> str:
        """Folded text only, for dictionary keys and lookups."""
        return self.fold(text).text


@dataclass(frozen=True)
class Traits:
    """What the rules of the stages may assume about a language (documented in xx/language.toml)."""

    letter_case: bool = False  # capitals mark names and months; matching keeps the case (not folded)
    word_boundaries: bool = True  # regex \b separates its words (no proclitics glued to them)
    proclitics: str = ""  # one-letter proclitics glued to a following word (Arabic و ف ب ل ك)
    definite_article: str = ""  # an article glued to its noun, tried off after a proclitic (Arabic ال)
    compound_numbers: str = ""  # how number words compose: "ten-unit" | "unit-and-ten" | "" (none read)
    number_conjunction: str = ""  # the "and" inside a number (two hundred and fifty, خمسة وعشرون)
    month_before_day: bool = False  # an all-numeric date is month first (04/07/2018 = April 7)
    dual_number: bool = False  # dual nouns are themselves a count of two (Arabic شخصين)
    numeral_after_noun: tuple[int, ...] = ()  # numbers whose numeral follows its noun (Arabic 1 and 2)
    modifier_before_noun: bool = False  # an actor right before an event noun modifies it: "regime air raids"
    subject_after_verb: bool = False  # verb-first clauses: a cue before a count binds it on a tie
    period_ends_clause: bool = True  # "." always ends the clause a cue word may reach across


def _traits(conf: dict) -> Traits:
    t = conf.get("traits", {})
    known = {f.name for f in dataclasses.fields(Traits)}
    unknown = set(t) - known
    if unknown:
        raise ValueError(f"unknown language traits: {sorted(unknown)} (known: {sorted(known)})")
    if "numeral_after_noun" in t:
        t = {**t, "numeral_after_noun": tuple(t["numeral_after_noun"])}
    return Traits(**t)


@dataclass(frozen=True)
class _FastTables:
    one_to_one: dict[int, int]
    special: re.Pattern  # characters that fold to other than exactly one character


_FAST: dict[str, _FastTables] = {}


def _fast_tables(lang: Language) -> _FastTables:
    if lang.code not in _FAST:
        _FAST[lang.code] = _build_fast_tables(lang)
    return _FAST[lang.code]


def _build_fast_tables(lang: Language) -> _FastTables:
    """For `Language.fold`'s fast path: the one-to-one part of the table, and a pattern that finds any
    character whose folding deletes it or expands it (table entries of other lengths, NFKC ranges)."""
    one = {cp: ord(rep) for cp, rep in lang.table.items() if len(rep) == 1}
    other = sorted(cp for cp, rep in lang.table.items() if len(rep) != 1)
    cls = "".join(re.escape(chr(cp)) for cp in other)
    compat = "\uFB50-\uFDFF\uFE70-\uFEFC\uFF00-\uFFEF"
    return _FastTables(one, re.compile(f"[{cls}{compat}]+"))


def _is_compat(ch: str) -> bool:
    o = ord(ch)
    # Arabic presentation forms A and B, and the halfwidth/fullwidth block.
    return 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFC or 0xFF00 <= o <= 0xFFEF


def read_list(path: Path) -> frozenset[str]:
    """A word list (one entry a line, # comments); empty when the file is missing."""
    if not path.exists():
        return frozenset()
    lines = (ln.strip() for ln in path.read_text(encoding="utf-8").splitlines())
    return frozenset(ln for ln in lines if ln and not ln.startswith("#"))


def read_rows(path: Path) -> list[list[str]]:
    """A tab-separated table (# comments and blank lines skipped): its rows' fields; empty when the file is
    missing."""
    if not path.exists():
        return []
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def read_table(path: Path) -> dict[int, str]:
    """Read a normalisation TSV: `from<TAB>to<TAB>why`, hex code points, ranges as AAAA-BBBB, '-' deletes."""
    table: dict[int, str] = {}
    if not path.exists():
        return table
    for ln in path.read_text(encoding="utf-8").splitlines():
        if not ln.strip() or ln.startswith("#") or ln.startswith("from\t"):
            continue
        src, dst = ln.split("\t")[:2]
        lo, _, hi = src.partition("-")
        rep = "" if dst == "-" else "".join(chr(int(c, 16)) for c in dst.split())
        for cp in range(int(lo, 16), int(hi or lo, 16) + 1):
            table[cp] = rep
    return table


_REGISTERED: list[Path] = []
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,15}")


def register(path: str | Path) -> None:
    """Add a language folder (holding language.toml) or a folder of language folders, searched before
    marsad/lang/. Clears the cached profiles; the stages' caches are keyed by code, so register a language
    before analysing text in it."""
    p = Path(path).resolve()
    if p not in _REGISTERED:
        _REGISTERED.insert(0, p)
    _clear()


def unregister(path: str | Path) -> None:
    """Undo `register(path)`."""
    p = Path(path).resolve()
    if p in _REGISTERED:
        _REGISTERED.remove(p)
    _clear()


def _clear() -> None:
    folder_of.cache_clear()
    _data_path.cache_clear()
    get.cache_clear()
    _matching_profile.cache_clear()
    fold_for_matching.cache_clear()
    folded_words.cache_clear()
    _scripts.cache_clear()
    _FAST.clear()


def _search_path() -> list[Path]:
    env = [Path(p) for p in (environment("MARSAD_LANG_PATH") or "").split(os.pathsep) if p]
    return [*_REGISTERED, *env]


@functools.cache
def folder_of(code: str) -> Path | None:
    """The folder of language `code`: a registered one first, then marsad/lang/<code>; None when there is none
    (or when `code` is no plain name: a language given in the input never reaches outside the folders)."""
    if not _CODE.fullmatch(code or ""):
        return None
    for p in _search_path():
        if p.name == code and (p / "language.toml").exists():
            return p
        if (p / code / "language.toml").exists():
            return p / code
    folder = HERE / code
    return folder if (folder / "language.toml").exists() else None


def code_of(lang: "str | Language | None") -> str:
    """The language code of a `Language` or of a code (caches keyed by code take either)."""
    return lang.code if isinstance(lang, Language) else (lang or "")


@functools.cache
def get(code: str | None) -> Language:
    """The profile of language `code` (ISO 639-1), or the generic one when marsad has no folder for it."""
    folder = (folder_of(code) if code else None) or HERE / GENERIC
    conf = tomllib.loads((folder / "language.toml").read_text(encoding="utf-8"))
    return Language(
        code=code or GENERIC,
        name=conf["name"],
        direction=conf.get("direction", "ltr"),
        terminators=frozenset(conf["terminators"]),
        closers=frozenset(conf["closers"]),
        quotes=tuple(tuple(q) for q in conf.get("quotes", [])),
        max_quote_chars=int(conf.get("max_quote_chars", 400)),
        needs_capital=bool(conf.get("needs_capital", False)),
        abbreviations=read_list(folder / conf.get("abbreviations", "abbreviations.txt")),
        sentence_starters=read_list(folder / "sentence_starters.txt"),
        table=read_table(folder / conf.get("normalization", "normalization.tsv")),
        casefold=bool(conf.get("casefold", conf.get("needs_capital", False))),
        folder=folder,
        traits=_traits(conf),
        script=conf.get("script", ""),
        sections={k: v for k, v in conf.items() if isinstance(v, dict) and k != "traits"},
    )


@functools.cache
def _matching_profile() -> Language:
    """One fold for every script at once: the union of all languages' tables, plus case folding. Used by
    name matching, where an English article may quote an Arabic name and the other way round."""
    table: dict[int, str] = {}
    for code in supported():
        table.update(get(code).table)
    return dataclasses.replace(get(GENERIC), code="*", table=table, casefold=True)


@functools.lru_cache(maxsize=8)
def fold_for_matching(text: str) -> Folded:
    """The matching fold of `text` (the last few are cached: every dictionary folds the same article)."""
    return _matching_profile().fold(text)


@functools.cache
def folded_words(code: str, filename: str) -> frozenset[str]:
    """A word list of one language (marsad/lang/<code>/<filename>: one entry a line, # comments), each entry
    folded as the matchers fold text; empty when the file is missing."""
    folder = folder_of(code)
    return frozenset(fold_for_matching(w).text for w in read_list(folder / filename)) if folder else frozenset()


@functools.cache
def _data_path(folder: Path, code: str, filename: str) -> Path | None:
    """Language.data, looked up once (the stages ask per document)."""
    if folder.name == GENERIC and code != GENERIC:
        return None
    path = folder / filename
    return path if path.exists() else None


_MISSING = HERE / "_none"  # a folder that does not exist: the data files of a language that has none


def data_file(code: str | None, filename: str) -> Path:
    """The path of one data file of language `code`, its own folder or a registered one; a path that does not
    exist when the language has no such file (so the stage reading it finds nothing)."""
    return get(code).data(filename) or _MISSING / filename


def own(code: str | None) -> Language | None:
    """The profile of `code` when marsad has a folder for it (its own rules), else None (the generic profile is
    no language's own)."""
    return get(code) if code and code != GENERIC and folder_of(code) is not None else None


def rules_for(code: str | None, text: str) -> str:
    """The language whose rules the event stage applies to a text detected as `code`: `code` itself when marsad
    has a folder for it. A code without a folder ("und": too few letters; or a detector's guess that marsad has
    no rules for, most often a short or mixed text misread) falls back, as before, to the text's script: Arabic
    when over a quarter of its characters are in the Arabic block, else English. No code at all means English."""
    code = code or "en"
    if own(code) is not None:
        return code
    return "ar" if sum(c >= "\u0600" and c <= "\u06ff" for c in text) > len(text) / 4 else "en"


def supported() -> list[str]:
    """Language codes with their own folder (marsad/lang/ and the registered ones)."""
    codes = {p.name for p in HERE.iterdir() if (p / "language.toml").exists() and p.name != GENERIC}
    for p in _search_path():
        if (p / "language.toml").exists():
            codes.add(p.name)
        elif p.is_dir():
            codes.update(q.name for q in p.iterdir() if (q / "language.toml").exists())
    return sorted(codes - {GENERIC})


@functools.cache
def _scripts() -> tuple[tuple[tuple[str, str], ...], str]:
    """((script, code) of each language whose script is not the default language's, the default's code)."""
    default = get(settings()["language"]["default"])
    others = (get(c) for c in supported())
    return tuple((g.script.upper(), g.code) for g in others if g.script and g.script != default.script), default.code


def by_script(text: str) -> str:
    """The language of a name or phrase by its script (language.toml `script`; a character is in a script when
    the script's name is a word of its Unicode name: ARABIC LETTER ALEF, ARABIC-INDIC DIGIT ONE): the first
    language with a script of its own that has a character in `text`, else the default language (settings.toml
    [language] default), whose script (Latin) also writes the digits and names that carry no other script."""
    scripts, default = _scripts()
    for ch in text:
        words = unicodedata.name(ch, "").replace("-", " ").split()
        for script, code in scripts:
            if script in words:
                return code
    return default
