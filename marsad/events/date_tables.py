"""The date tables of one language (marsad/events/dates.py): month, weekday and relative-date names from its
folder (months.tsv, weekdays.tsv, relative_dates.tsv, date_cues.tsv), and the compiled patterns of
date_patterns.tsv; folded as the language is matched.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from marsad.lang import get as get_language
from marsad.lang import read_rows

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _fold(text: str, lang: str) -> tuple[str, object]:
    """Folded text (marsad.lang fold, for a language without letter case; all: ASCII digits) and its offset map;
    a language with letter case keeps its case (capitals matter there) and its length."""
    if not get_language(lang).traits.letter_case:
        f = get_language(lang).fold(text)
        return f.text.translate(_DIGITS), f.offsets
    return text.translate(_DIGITS), range(len(text) + 1)


def _alt(names) -> str:
    return "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))


@dataclass(frozen=True)
class _Rule:
    regex: re.Pattern
    rule: str
    precision: str
    confidence: float


@dataclass(frozen=True)
class _Tables:
    months: dict  # folded name -> month number (Gregorian)
    bare_ok: frozenset  # Gregorian names that count without a day or a year
    hijri: dict  # folded name -> Hijri month number
    weekdays: dict  # name -> ISO weekday
    weekday_abbr: dict
    rules: tuple
    patterns: tuple  # (kind, compiled regex)


@functools.cache
def _cues(lang: str) -> dict[str, tuple[str, ...]]:
    """lang/<code>/date_cues.tsv: role -> its words (folded for a language without letter case), in file order."""
    out: dict = {}
    path = get_language(lang).data("date_cues.tsv")
    for row in read_rows(path) if path else ():
        out.setdefault(row[1], []).append(_fold(row[0], lang)[0])
    return {k: tuple(v) for k, v in out.items()}


def _cue_alt(lang: str, *roles: str) -> str:
    return "|".join(w for r in roles for w in _cues(lang).get(r, ()))


def _number_regex(lang: str) -> str:
    """The {N} of relative_dates.tsv: digits, the number words (composed as the `compound_numbers` trait says)
    and the count words of date_cues.tsv ("a", "a couple of")."""
    from marsad.events.numbers import number_words
    W = number_words(lang)
    traits = get_language(lang).traits
    if traits.compound_numbers == "unit-and-ten":  # خمسة وعشرون
        w = _alt(list(W.units) + list(W.tens) + list(W.hundreds))
        return rf"(?:\d{{1,3}}|(?:{w})(?: {re.escape(traits.number_conjunction)}(?:{w}))?)"
    if traits.compound_numbers == "ten-unit":  # twenty-five
        units = [k for k, v in W.units.items() if v != 0]
        tens = list(W.tens)
        counts = "".join(f"{w}|" for w in _cues(lang).get("count_one", ()) + _cues(lang).get("count_two", ()))
        return (rf"(?:\d{{1,3}}|{counts}(?:{_alt(tens)})(?:-(?:{_alt(units)}))?|{_alt(units)})")
    return r"(?:\d{1,3})"


@functools.cache
def _tables(lang: str) -> _Tables | None:
    """The date tables of one language; None when it has no months.tsv (then it has no dates)."""
    L = get_language(lang)
    if L.data("months.tsv") is None:
        return None
    folder = L.folder
    cased = L.traits.letter_case
    fold = (lambda s: s) if cased else (lambda s: _fold(s, lang)[0])
    months, hijri, bare = {}, {}, set()
    for row in read_rows(folder / "months.tsv"):
        name, num, cal = fold(row[0]), int(row[1]), row[2] if len(row) > 2 else "gregorian"
        if cal == "hijri":
            hijri[name] = num
        else:
            months[name] = num
            region = row[3] if len(row) > 3 else ""
            if region != "abbr" and name not in _cues(lang).get("not_bare", ()):
                bare.add(name)
    weekdays, abbr = {}, {}
    for row in read_rows(folder / "weekdays.tsv"):
        (abbr if len(row) > 2 and row[2] == "yes" else weekdays)[fold(row[0])] = int(row[1])
    num = _number_regex(lang)
    wd = _alt(weekdays)
    flags = re.IGNORECASE if cased else 0
    rules = []
    for row in read_rows(folder / "relative_dates.tsv"):
        pat = fold(row[0]).replace("{N}", f"(?P<n>{num})")
        pat = pat.replace("{WD}", f"(?-i:(?P<wd>{wd}))" if cased else f"(?P<wd>{wd})")  # "on Tuesday", not "may"
        pat = pat.replace(" ", r"\s+")
        rules.append(_Rule(re.compile(_bounded(pat, lang), flags), row[1], row[2], float(row[3])))
    return _Tables(months, frozenset(bare), hijri, weekdays, abbr, tuple(rules), _absolute_patterns(
        lang, months, bare, hijri, weekdays, abbr))


def _bounded(core: str, lang: str) -> str:
    proclitics = get_language(lang).traits.proclitics
    if proclitics:  # "وفي 15 آذار": a one-letter proclitic may be glued to the expression
        return rf"(?<!\w)(?:[{re.escape(proclitics)}](?=\w))?(?P<core>{core})(?!\w)"
    return rf"(?<![\w$£€])(?P<core>{core})(?![\w])"


_PLACEHOLDER = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*)(?::([A-Za-z_|]+))?\}")


def _absolute_patterns(lang, months, bare, hijri, weekdays, abbr):
    """The absolute date patterns of lang/<code>/date_patterns.tsv (format in en/date_patterns.tsv), then the
    ISO and numeric dates every language shares."""
    names = {
        "Y": r"(?P<y>(?:1[89]|20)\d\d)(?!\d)",
        "D": r"(?P<d>[0-3]?\d)(?!\d)",
        "months": _alt(months), "bare": _alt(bare), "hijri": _alt(hijri), "weekdays": _alt(weekdays),
        "weekdays_abbr": _alt(list(weekdays) + list(abbr)),
        "bare_or_cued": _alt(bare | set(_cues(lang).get("not_bare", ()))),
    }

    def expand(pattern: str) -> str:
        def one(m):
            name, roles = m.group(1), m.group(2)
            if name == "cue":
                return _cue_alt(lang, *roles.split("|"))
            if name == "cue_sp":
                return "".join(rf"{w}\s+|" for r in roles.split("|") for w in _cues(lang).get(r, ()))[:-1]
            return names[name]
        return _PLACEHOLDER.sub(one, pattern)

    pats = []
    path = get_language(lang).data("date_patterns.tsv")
    for row in read_rows(path) if path else ():
        if row[0].startswith("="):
            names[row[0][1:]] = expand(row[1])
        else:
            pats.append((row[0], expand(row[1])))
    pats += [
        ("iso", r"(?P<y>(?:1[89]|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?!\d)"),
        ("numeric", r"[0-3]?\d[/.][01]?\d[/.](?:(?:19|20)\d\d|\d\d)(?![\d/.])"),
    ]
    return tuple((kind, re.compile(p if "(?P<core>" in p else _bounded(p, lang))) for kind, p in pats)
