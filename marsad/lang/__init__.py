"""Languages: one folder per language code holding its data (language.toml, normalisation table,
abbreviations). Adding a language means adding a folder; the stages only ask `get(code)`.

A language without a folder falls back to the generic profile in `xx/`.
"""
from __future__ import annotations

import dataclasses
import functools
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
GENERIC = "xx"


@dataclass(frozen=True)
class Folded:
    """Text folded for matching, with `offsets[i]` = index in the original text of folded char i.

    `offsets` has one extra entry at the end (len of the original) so that a folded span [a, b) maps
    back to the original span [offsets[a], offsets[b-1] + 1)."""

    text: str
    offsets: tuple[int, ...]

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

    def fold(self, text: str) -> Folded:
        """Normalise for matching (diacritics, letter variants, digits, case) keeping an offset map.

        Presentation forms and compatibility characters go through NFKC first, so a ligature such as
        U+FEFB (lam-alef) folds to two letters that both point back at the one original character."""
        out: list[str] = []
        offs: list[int] = []
        table, casefold = self.table, self.casefold
        for i, ch in enumerate(text):
            pieces = unicodedata.normalize("NFKC", ch) if _is_compat(ch) else ch
            for p in pieces:
                rep = table.get(ord(p), p)
                if casefold:
                    rep = rep.casefold()
                for r in rep:
                    out.append(r)
                    offs.append(i)
        offs.append(len(text))
        return Folded("".join(out), tuple(offs))

    def normalize(self, text: str) -> str:
        """Folded text only, for dictionary keys and lookups."""
        return self.fold(text).text


def _is_compat(ch: str) -> bool:
    o = ord(ch)
    # Arabic presentation forms A and B, and the halfwidth/fullwidth block.
    return 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFC or 0xFF00 <= o <= 0xFFEF


def _read_list(path: Path) -> frozenset[str]:
    if not path.exists():
        return frozenset()
    lines = (ln.strip() for ln in path.read_text(encoding="utf-8").splitlines())
    return frozenset(ln for ln in lines if ln and not ln.startswith("#"))


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


@functools.cache
def get(code: str | None) -> Language:
    """The profile of language `code` (ISO 639-1), or the generic one when marsad has no folder for it."""
    folder = HERE / (code or GENERIC)
    if not (folder / "language.toml").exists():
        folder = HERE / GENERIC
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
        abbreviations=_read_list(folder / conf.get("abbreviations", "abbreviations.txt")),
        sentence_starters=_read_list(folder / "sentence_starters.txt"),
        table=read_table(folder / conf.get("normalization", "normalization.tsv")),
        casefold=bool(conf.get("casefold", conf.get("needs_capital", False))),
    )


@functools.cache
def _matching_profile() -> Language:
    """One fold for every script at once: the union of all languages' tables, plus case folding. Used by
    name matching, where an English article may quote an Arabic name and the other way round."""
    table: dict[int, str] = {}
    for code in supported():
        table.update(get(code).table)
    return dataclasses.replace(get(GENERIC), code="*", table=table, casefold=True)


def fold_for_matching(text: str) -> Folded:
    return _matching_profile().fold(text)


def supported() -> list[str]:
    """Language codes with their own folder."""
    return sorted(p.name for p in HERE.iterdir() if (p / "language.toml").exists() and p.name != GENERIC)
