"""The text the full-text index sees: each word folded (`marsad.lang.fold_for_matching`: diacritics, alef,
yeh and teh-marbuta variants, digits, case) and then stemmed, so that a query and a document that differ
only in those ways meet on the same index term. Documents and queries go through the same functions.

Arabic: the attached article and the clitics that come with it (و ف before ب ك then ال, or لل) are cut
first, because Snowball's Arabic stemmer leaves وال... whole and would then miss والبوكمال for البوكمال;
the remainder is exactly the bare word, so whatever Snowball does to it, it does the same to both.
Latin script goes through Snowball's English stemmer; digits and other scripts stay folded only.
"""
from __future__ import annotations

import functools
import re
from typing import Iterator

import snowballstemmer

from marsad.lang import fold_for_matching
from marsad.per_thread import per_thread

# Index version: bump (with a migration that rebuilds the index) whenever the output of `stem` changes.
VERSION = 1

# Letters and digits only, like FTS5's unicode61 tokenizer (underscore and marks separate words there too).
WORD = re.compile(r"[^\W_]+")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_LATIN = re.compile(r"[a-z]")
# Clitics + article; needs two letters left so that short words (e.g. الم) are not cut to nothing.
_ARTICLE = re.compile(r"^(?:[وف]?[بك]?ال|[وف]?لل)(?=\w\w)")

# A Snowball stemmer keeps the word it is stemming: the web app's request threads each need their own.
@per_thread
def _stemmer(algorithm: str):
    return snowballstemmer.stemmer(algorithm)


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Index term of one folded word."""
    if _ARABIC.search(word):
        return _stemmer("arabic").stemWord(_ARTICLE.sub("", word)) or word
    if _LATIN.match(word):
        return _stemmer("english").stemWord(word) or word
    return word


@functools.lru_cache(maxsize=50_000)
def prefix_term(word: str) -> str:
    """A prefix query is folded and loses its article, but is not stemmed (a stem of a prefix is noise)."""
    return _ARTICLE.sub("", word) if _ARABIC.search(word) else word


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded word) for each word of `text`, offsets into `text` itself."""
    folded = fold_for_matching(text)
    for m in WORD.finditer(folded.text):
        a, b = folded.span(m.start(), m.end())
        yield a, b, m.group()


def terms(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, index term) for each word of `text`."""
    for a, b, w in words(text):
        yield a, b, stem(w)


def shadow(text: str | None) -> str:
    """The index column for `text`: its terms, space separated."""
    return " ".join(stem(m.group()) for m in WORD.finditer(fold_for_matching(text).text)) if text else ""
