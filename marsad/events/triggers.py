"""Trigger and cue lexicons: the per-language data files (lang/<code>/event_triggers.tsv, modality_cues.tsv) compiled
into one matcher each, and clause segmentation.

Pattern syntax (both languages): words separated by spaces; "w*" = any word starting with w; "w?" = optional word;
"~" = up to three words in between. Text and patterns are folded alike (marsad.lang.fold_for_matching: case,
diacritics, alef/yeh/teh marbuta variants). An Arabic text word is read with its proclitics (و ف ب ل ك س, the
article ال, لل), an imperfect prefix ت/ن read as ي, and the usual inflectional suffixes, so one listed form matches
سيطر / وسيطرت / يسيطر / تسيطر and استعاد / واستعادت.
"""
from __future__ import annotations

import bisect
import csv
import functools
import re
from dataclasses import dataclass
from typing import Any

from ..lang import data_file, fold_for_matching

_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d+")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
GAP = 3
# Inflectional suffixes (folded: teh marbuta reads as heh).
_SUFFIXES = ("", "ت", "ا", "وا", "ون", "ين", "ان", "تا", "ه", "ها", "هم", "هما", "ات", "ته", "تها", "تهم", "وه",
             "نا", "ي", "يه", "يا")
_FEM_SUFFIXES = ("ات", "تين", "تان", "ته", "تها", "تهم", "تي", "ت", "تا")
# Clause boundaries: punctuation and the conjunctions that open a new clause in news copy.
_CLAUSE = re.compile(r"[,;:،؛—–()\[\]]|\s-\s|\b(?:while|whereas|but|after|before|as|when)\b|"
                     r"(?<!\w)(?:حيث|فيما|بينما|بعد\s+أن|بعد\s+ان|لكن|إلا\s+أن|الا\s+ان)(?!\w)", re.I)

# The clause boundaries that set two events against each other ("while", «بينما»): what lies on either side is told
# apart, never as one event.
_CONTRAST = re.compile(r"\b(?:while|whereas|but)\b|(?<!\w)(?:فيما|بينما|لكن|إلا\s+أن|الا\s+ان)(?!\w)", re.I)


@dataclass(frozen=True)
class Entry:
    words: tuple  # ((stem, wild, optional) | None for a gap, ...)
    data: dict


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    entry: Entry


def tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) over the original text."""
    folded = fold_for_matching(text.replace("’", "'"))
    out = []
    for m in _TOKEN.finditer(folded.text):
        s, e = folded.span(m.start(), m.end())
        out.append((s, e, m.group()))
    return out


@functools.lru_cache(maxsize=200_000)
def readings(word: str) -> frozenset[str]:
    """The forms a text word may stand for once clitics are read off (Arabic); the word itself otherwise."""
    out = {word}
    if word.endswith("n't"):
        out.add("n't")
    if not _ARABIC.match(word):
        return frozenset(out)
    for conj in ("", "و", "ف"):
        if not word.startswith(conj):
            continue
        w1 = word[len(conj):]
        if w1.startswith("لل") and len(w1) > 3:
            out.add(w1[2:])
        for prep in ("", "ب", "ل", "ك", "س"):
            if not w1.startswith(prep):
                continue
            w2 = w1[len(prep):]
            if len(w2) < 2:
                continue
            out.add(w2)
            if w2.startswith("ال") and len(w2) > 3:
                out.add(w2[2:])
            if w2[0] in "تن" and len(w2) > 2:
                out.add("ي" + w2[1:])
    return frozenset(out)


def _canon(stem: str) -> str:
    if _ARABIC.match(stem) and stem.startswith("ال") and len(stem) > 4:
        return stem[2:]
    return stem


def _surface(stem: str) -> set[str]:
    """Every inflected form an Arabic stem stands for (English: the word itself)."""
    if not _ARABIC.match(stem):
        return {stem}
    out = {stem + s for s in _SUFFIXES}
    if stem.endswith("ه"):
        out |= {stem[:-1] + s for s in _FEM_SUFFIXES}
    if stem.endswith("ي"):  # final weak letter: استولى / استولت
        out |= {stem[:-1] + s for s in ("ت", "وا", "ا")}
    return out


class Lexicon:
    """Compiled patterns of one data file; `find(text)` -> non-overlapping longest hits in text order."""

    def __init__(self, rows: list[dict], key: str) -> None:
        self.exact: dict[str, list[Entry]] = {}
        self.wild: dict[str, list[Entry]] = {}
        for row in rows:
            words = []
            for w in row[key].split():
                if w == "~":
                    words.append(None)
                    continue
                opt = w.endswith("?") and len(w) > 1
                w = w.rstrip("?")
                wild = w.endswith("*")
                stem = _canon(fold_for_matching(w.rstrip("*")).text)
                words.append((stem, wild, opt))
            if not words or words[0] is None:
                continue
            entry = Entry(tuple(words), row)
            stem, wild, _ = words[0]
            if wild:
                self.wild.setdefault(stem, []).append(entry)
            else:
                for form in _surface(stem):
                    self.exact.setdefault(form, []).append(entry)
        self._lens = sorted({len(k) for k in self.wild})

    def _first(self, word: str) -> list[Entry]:
        """The entries whose first word the text word may be, the readings that strip least first: `find`
        keeps the first of equally long matches, so «برصاصة» is the listed «برصاص», not «رصاص» + a suffix,
        whatever order the set of readings iterates in (it varied with the interpreter's hash seed)."""
        found = []
        for r in sorted(readings(word), key=lambda r: (-len(r), r)):
            found += self.exact.get(r, [])
            found += [e for n in self._lens if n <= len(r) for e in self.wild.get(r[:n], [])]
        return found

    @staticmethod
    def _word_ok(word: str, pat: tuple) -> bool:
        stem, wild, _ = pat
        rs = readings(word)
        if wild:
            return any(r.startswith(stem) for r in rs)
        return bool(rs & _surface_cached(stem))

    def _match(self, toks, i: int, entry: Entry) -> int | None:
        """Index one past the last token of a match of entry starting at token i, or None."""
        j, k, words = i + 1, 1, entry.words
        while k < len(words):
            pat = words[k]
            if pat is None:  # a gap: the next word within GAP tokens
                nxt = words[k + 1]
                for g in range(j, min(j + GAP + 1, len(toks))):
                    if self._word_ok(toks[g][2], nxt):
                        j, k = g + 1, k + 2
                        break
                else:
                    return None
                continue
            if j < len(toks) and self._word_ok(toks[j][2], pat):
                j += 1
            elif not pat[2]:
                return None
            k += 1
        return j

    def find(self, text: str, toks=None) -> list[Hit]:
        toks = toks if toks is not None else tokens(text)
        out: list[Hit] = []
        i = 0
        while i < len(toks):
            best = None
            for entry in self._first(toks[i][2]):
                j = self._match(toks, i, entry)
                if j is not None and (best is None or j > best[0]):
                    best = (j, entry)
            if best:
                out.append(Hit(toks[i][0], toks[best[0] - 1][1], best[1]))
                i = best[0]
            else:
                i += 1
        return out


@functools.lru_cache(maxsize=4096)
def _surface_cached(stem: str) -> frozenset[str]:
    return frozenset(_surface(stem))


def _read_tsv(path) -> list[dict]:
    if not path.exists():
        return []
    lines = [l for l in path.read_text(encoding="utf-8").splitlines() if l.strip() and not l.startswith("#")]
    return [dict(r) for r in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)]


@functools.cache
def triggers(lang: str) -> Lexicon:
    rows = _read_tsv(data_file(lang, "event_triggers.tsv"))
    for r in rows:
        r["weight"] = float(r.get("weight") or 1)
        for k in ("sub_type", "means"):
            r[k] = r.get(k) or None
    return Lexicon(rows, "trigger")


@functools.cache
def cues(lang: str) -> Lexicon:
    rows = _read_tsv(data_file(lang, "modality_cues.tsv"))
    for r in rows:
        r["window"] = int(r.get("window") or 5)
    return Lexicon(rows, "cue")


@functools.cache
def interventions(lang: str) -> Lexicon:
    """Words telling that the authorities acted against a protest (lang/<code>/protest_interventions.tsv)."""
    return Lexicon(_read_tsv(data_file(lang, "protest_interventions.tsv")), "cue")


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause spans of the sentence text[start:end]."""
    out, a = [], start
    for m in _CLAUSE.finditer(text, start, end):
        if m.start() > a and text[a:m.start()].strip():
            out.append((a, m.start()))
        a = m.start() if m.group().strip() and m.group()[0].isalpha() else m.end()
    if text[a:end].strip():
        out.append((a, end))
    return out or [(start, end)]


def clause_break(text: str, a: int, b: int) -> bool:
    """Whether text[a:b] holds a clause boundary, as `clauses` cuts them."""
    return _CLAUSE.search(text, a, b) is not None


def contrast(text: str, a: int, b: int) -> bool:
    """Whether text[a:b] holds a contrastive clause boundary ("while", "but", «بينما», «لكن»). The boundaries are
    found once per text: the event rules ask this for every place and actor of a sentence, and an unpunctuated
    1 MB text made one search per question quadratic."""
    spans = _contrasts(text)
    k = bisect.bisect_left(spans, (a, -1))
    return k < len(spans) and spans[k][1] <= b


@functools.lru_cache(maxsize=4)  # one article at a time (a str caches its hash: the key costs nothing after once)
def _contrasts(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _CONTRAST.finditer(text)]


def word_count(toks, a: int, b: int) -> int:
    """Tokens lying between offsets a and b (tokens are in text order and do not overlap: bisect, so that
    a long article does not rescan every token for every event)."""
    lo, hi = min(a, b), max(a, b)
    first = bisect.bisect_left(toks, lo, key=lambda t: t[0])
    last = bisect.bisect_right(toks, hi, key=lambda t: t[1])
    return max(0, last - first)


def data(hit: Hit) -> dict[str, Any]:
    return hit.entry.data
