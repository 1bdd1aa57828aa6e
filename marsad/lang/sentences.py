"""Sentence segmentation: one language-neutral rule engine driven by each language's data
(terminators, closing quotes, quote pairs, abbreviations; see lang/<code>/language.toml).

Why rules and not spaCy's sentencizer or pysbd: the sentencizer keeps «...». together with the next sentence
and never splits at line breaks; pysbd splits Arabic at the Arabic comma. News copy is regular enough that
paragraph breaks plus terminator rules get sentences right, and rules keep offsets exact by construction.
"""
from __future__ import annotations

import re

from ..config import settings
from . import Language

_INITIALISM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")  # U.S, U.N, U.K (final dot already stripped)
_OPENERS = "\"'“‘«‹([¿¡"


# Where an over-long sentence is cut, best first: a clause mark, then any white space (then hard at the cap).
_CLAUSE_MARKS = ",;:،؛"  # , ; : and the Arabic comma and semicolon


def split(text: str, lang: Language, max_chars: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans `(start, end)` of `text`, trimmed of surrounding white space, in order. No span is longer
    than `max_chars` (default: settings.toml [sentences] max_chars): text with no sentence punctuation is cut
    at clause marks or spaces, so every later stage works on bounded pieces."""
    cap = max_chars or settings()["sentences"]["max_chars"]
    spans: list[tuple[int, int]] = []
    for p_start, p_end in _paragraphs(text, lang):
        for a, b in _split_paragraph(text, p_start, p_end, lang):
            spans.extend(_capped(text, a, b, cap) if b - a > cap else [(a, b)])
    return spans


def blocks(sentences: list[tuple[int, int]], max_chars: int | None = None) -> list[list[tuple[int, int]]]:
    """The sentences in runs of consecutive ones spanning at most `max_chars` (default: settings.toml
    [sentences] block_chars) each: the models that read a whole document at once (NER, techniques) read a
    long one block by block, so their memory is bounded per block. An article is one block."""
    cap = max_chars or settings()["sentences"]["block_chars"]
    out: list[list[tuple[int, int]]] = []
    for span in sentences:
        if out and span[1] - out[-1][0][0] <= cap:
            out[-1].append(span)
        else:
            out.append([span])
    return out


def split_at(sentences: list[tuple[int, int]], cap: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(the sentences starting before character `cap`, those starting at or after it): what a model with a
    character cap reads, and what it leaves to the cheaper means past it."""
    return [s for s in sentences if s[0] < cap], [s for s in sentences if s[0] >= cap]


def _capped(text: str, a: int, b: int, cap: int):
    """Pieces of at most `cap` characters of the sentence text[a:b]: each cut at the last clause mark in the
    second half of its window, else at the last white space there, else at the cap. Linear in b - a."""
    while b - a > cap:
        lo, hi = a + cap // 2, a + cap
        cut = max(text.rfind(m, lo, hi) for m in _CLAUSE_MARKS) + 1  # after the mark
        if cut <= lo:
            cut = next((i for i in range(hi - 1, lo - 1, -1) if text[i].isspace()), hi)
        yield from _trimmed(text, a, cut)
        a = cut
    yield from _trimmed(text, a, b)


def _paragraphs(text: str, lang: Language):
    """Line-based blocks. A line break ends a sentence, except in a language with letter case where the
    next line starts in lower case (a hard-wrapped paragraph)."""
    start = 0
    n = len(text)
    i = text.find("\n")
    while i != -1:
        nxt = i + 1
        while nxt < n and text[nxt] in " \t\r":
            nxt += 1
        joined = lang.needs_capital and nxt < n and text[nxt].islower() and text[start:i].strip() != ""
        if not joined:
            yield start, i
            start = i + 1
        i = text.find("\n", i + 1)
    yield start, n


def _split_paragraph(text: str, start: int, end: int, lang: Language):
    seg = start
    stack: list[tuple[str, int]] = []  # open quotes: (closing char, position)
    openers = {o: c for o, c in lang.quotes if o != c}
    i = start
    while i < end:
        ch = text[i]
        if stack and ch == stack[-1][0]:
            stack.pop()
            if not stack and i > seg and text[i - 1] in lang.terminators:
                ch = text[i - 1]  # a quote that closes a full sentence: «...نتراجع.» ends it too
                i -= 1
        elif ch in openers:
            stack.append((openers[ch], i))
        if stack and i - stack[0][1] > lang.max_quote_chars:
            stack.clear()  # an unclosed quote must not swallow the rest of the paragraph
        if ch in lang.terminators and not stack:
            j = i + 1
            while j < end and (text[j] in lang.terminators or text[j] in lang.closers):
                j += 1
            if (j >= end or text[j].isspace()) and _ends_here(text, seg, i, j, end, lang):
                yield from _trimmed(text, seg, j)
                seg = j
            i = j
            continue
        i += 1
    yield from _trimmed(text, seg, end)


def _ends_here(text: str, seg: int, i: int, j: int, end: int, lang: Language) -> bool:
    """Does the terminator at `i` (with closers up to `j`) end the sentence?"""
    k = j
    while k < end and text[k].isspace():
        k += 1
    if k >= end:
        return True
    while k < end and text[k] in _OPENERS:
        k += 1
    nxt_word = _word_at(text, k, end)
    if text[i] == "." and j == i + 1:
        w = _word_before(text, seg, i)
        if w in lang.abbreviations or (len(w) == 1 and w.isalpha() and (w.isupper() or not lang.needs_capital)):
            return False
        if _INITIALISM.match(w):
            return nxt_word in lang.sentence_starters
    if lang.needs_capital and k < end and text[k].islower():
        return False
    return True


def _word_before(text: str, seg: int, i: int) -> str:
    b = i
    while b > seg and not text[b - 1].isspace():
        b -= 1
    return text[b:i].lstrip(_OPENERS)


def _word_at(text: str, k: int, end: int) -> str:
    e = k
    while e < end and text[e].isalnum():
        e += 1
    return text[k:e]


def _trimmed(text: str, a: int, b: int):
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if a < b:
        yield a, b
