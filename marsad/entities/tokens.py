"""Word tokenizer with character offsets, shaped like CoNLL-2003 / ANERcorp tokens.

The NER models are trained on those corpora, so inference must cut text the way their annotators did:
punctuation apart ("(Damascus" -> "(", "Damascus"), the possessive apart ("Syria's" -> "Syria", "'s"),
initialisms kept whole ("U.S."), "U.S.-backed" cut before the hyphen, Arabic ، ؛ ؟ « » apart.  Training
runs gold tokens through the same function (see `retokenize`) so both sides see the same units.
"""
from __future__ import annotations

import functools
import re

from marsad.memo import last_text_calls

Span = tuple[int, int]

# Characters peeled off either end of a whitespace chunk.  Hyphen and full stop are handled apart.
_OPEN = set("([{\"'“‘«‹<`„")
_CLOSE = set(")]}\"'”’»›>,;:!?،؛؟…")
# Full stops that stay on a word: initialisms (U.S., U.N.), single capitals (G.), known abbreviations.
_INITIALISM = re.compile(r"^(?:[A-Za-z]\.)+$")
# Possessive and negation clitics, as PTB / CoNLL split them.
_CLITIC = re.compile(r"(?i)^(.+?)(n['’]t|['’](?:s|re|ve|ll|d|m))$")
_CLITIC_ONLY = re.compile(r"(?i)^(?:n['’]t|['’](?:s|re|ve|ll|d|m))$")
_WORDCHAR = re.compile(r"\w")


@functools.cache
def _abbreviations() -> frozenset[str]:
    # The project's English abbreviation list (also used by the sentence splitter); missing -> none.
    try:
        from marsad import lang

        return lang.get("en").abbreviations
    except Exception:  # pragma: no cover - tokenizer must work even if the language folder moved
        return frozenset()


def _split_chunk(chunk: str, base: int) -> list[Span]:
    """Spans of the tokens inside one whitespace-free chunk starting at `base`."""
    if _CLITIC_ONLY.match(chunk):  # "'s" as CoNLL writes it: one token, not quote + "s"
        return [(base, base + len(chunk))]
    lo, hi = 0, len(chunk)
    head: list[Span] = []
    tail: list[Span] = []
    # Peel opening punctuation, then closing punctuation (one char per token, like the corpora).
    while lo < hi and chunk[lo] in _OPEN:
        head.append((base + lo, base + lo + 1))
        lo += 1
    while hi > lo:
        ch = chunk[hi - 1]
        if ch in _CLOSE:
            hi -= 1
            tail.append((base + hi, base + hi + 1))
        elif ch == "." and not _keeps_stop(chunk[lo:hi]):
            # A run of dots ("...") is one token; a single sentence-final stop is its own token.
            k = hi
            while k > lo and chunk[k - 1] == ".":
                k -= 1
            if k == lo:  # the chunk is only dots
                break
            tail.append((base + k, base + hi))
            hi = k
        else:
            break
    mid: list[Span] = []
    if lo < hi:
        mid = _split_word(chunk[lo:hi], base + lo)
    return head + mid + tail[::-1]


def _keeps_stop(word: str) -> bool:
    if _INITIALISM.match(word):
        return True
    return word[:-1] in _abbreviations()


def _split_word(word: str, base: int) -> list[Span]:
    # "U.S.-backed", "YPG-led": an initialism or capitalised name before a lower-case participle.
    m = re.match(r"^((?:[A-Za-z]\.)+|[A-Z][\w.]*)(-)([a-z]+)$", word)
    if m and (m.group(1).endswith(".") or m.group(3) in _PARTICIPLES):
        a, b = m.end(1), m.end(2)
        return [(base, base + a), (base + a, base + b), (base + b, base + len(word))]
    m = _CLITIC.match(word)
    if m and _WORDCHAR.search(m.group(1)):
        cut = m.end(1)
        return [(base, base + cut), (base + cut, base + len(word))]
    return [(base, base + len(word))]


# Suffixes after which "Name-xxx" is split so the name is tagged on its own ("Iranian-backed").
_PARTICIPLES = frozenset(
    "backed led based born run held controlled allied aligned affiliated funded sponsored supported "
    "dominated owned linked style era made brokered mediated occupied registered".split())


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Token spans of text[start:end] (absolute offsets into `text`)."""
    end = len(text) if end is None else end
    out: list[Span] = []
    for m in re.finditer(r"\S+", text[start:end]):
        out.extend(_split_chunk(m.group(), start + m.start()))
    return out


@last_text_calls  # the NER and the technique model cut the same sentences of an article (marsad/memo.py)
def sentence_tokens(text: str, start: int, end: int) -> list[Span]:
    """`tokenize(text, start, end)` for a sentence of the document being analysed."""
    return tokenize(text, start, end)


def retokenize(tokens: list[str], tags: list[str], types: dict[str, str] | None = None
               ) -> tuple[list[str], list[str]]:
    """Cut gold tokens with `tokenize`; pieces inherit the tag (B- only on the first piece), so the
    training data looks like what the model will see at run time.

    CoNLL tags "U.S.-led" as one MISC token; cut, the name part takes its usual type (`types`: word ->
    type of that word as a one-token entity elsewhere in the data) and "-", "led" are O, so that run-time
    "YPG-led forces" yields the YPG mention the splitting is for."""
    out_t: list[str] = []
    out_y: list[str] = []
    for tok, tag in zip(tokens, tags):
        spans = tokenize(tok) or [(0, len(tok))]
        pieces = [tok[s:e] for s, e in spans]
        if tag != "O" and len(pieces) == 3 and pieces[1] == "-" and pieces[2] in _PARTICIPLES:
            kind = (types or {}).get(pieces[0], tag[2:])
            out_t.extend(pieces)
            out_y.extend([tag[:2] + kind, "O", "O"])
            continue
        for k, piece in enumerate(pieces):
            out_t.append(piece)
            out_y.append(tag if k == 0 or tag == "O" else "I-" + tag[2:])
    return out_t, out_y


def words(text: str) -> list[str]:
    return [text[s:e] for s, e in tokenize(text)]


__all__ = ["tokenize", "sentence_tokens", "retokenize", "words", "Span"]
