"""Number expressions in English and Arabic news text.

`parse_number` reads one number expression: digits (ASCII, Arabic-Indic ٠-٩ or Persian ۰-۹, with `,` or the
Arabic thousands separator ٬), English number words ("two hundred and fifty", "a dozen") and Arabic number
words in their gender and case variants ("سبعين", "سبعون", "ثلاثة", "خمسة وعشرون", "ثلاثمائة", "ألفين"), and the
Arabic dual nouns that are themselves a count ("شخصين" = 2). Vague plurals ("dozens", "عشرات") are None.

The number words are data: lang/<code>/number_words.tsv; the clitics tried off words are in
lang/<code>/casualty_grammar.tsv. How they compose and whether dual nouns count is said by the traits of the
language (language.toml: compound_numbers, number_conjunction, dual_number, numeral_after_noun, letter_case,
definite_article). A language with no number_words.tsv reads no numbers: never another language's words. The token, lexicon and number readers here are shared with the fatality
counts (casualties.py), which read every number mention of a clause the same way.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from marsad.lang import Language, code_of, read_rows
from marsad.lang import get as get_language

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_TOKEN = re.compile(r"\d+(?:[,٬.]\d+)*|[^\W\d_]+(?:-[^\W\d_]+)*|[^\w\s]|_", re.UNICODE)
_NUM_FORMAT = re.compile(r"^(?:\d{1,3}(?:([,٬])\d{3})(?:\1\d{3})*|\d+)(?:\.\d+)?$")


# ---------------------------------------------------------------- data
@dataclass(frozen=True)
class NumberWords:
    """One language's number words (folded for Arabic), by kind: word -> value."""
    units: dict
    tens: dict
    hundreds: dict
    thousands: dict
    millions: dict
    dozens: dict
    vague: dict  # word -> the label the fatality note uses
    vague_bare: frozenset  # vague only without a clitic (Arabic آلاف)
    scales: dict  # the plain scale words that multiply a digit number ("12 thousand", "3 آلاف") -> 1000 | 10**6


def _data(lang: str, filename: str) -> list[list[str]]:
    """The rows of one data file of the language; none when it has no such file."""
    path = get_language(lang).data(filename)
    return read_rows(path) if path else []


@functools.cache
def number_words(lang: str) -> NumberWords:
    """The number words of a language (empty tables when it has no number_words.tsv)."""
    lang = code_of(lang)
    L = get_language(lang)
    fold = (lambda s: s) if L.traits.letter_case else (lambda s: L.fold(s).text)
    kinds: dict = {k: {} for k in ("unit", "ten", "hundred", "thousand", "million", "dozen")}
    vague, bare = {}, set()
    for row in _data(lang, "number_words.tsv"):
        word, value, kind = fold(row[0]), row[1], row[2]
        if kind in ("vague", "vague-bare"):
            vague[word] = row[3] if len(row) > 3 and row[3] else word
            if kind == "vague-bare":
                bare.add(word)
        else:
            kinds[kind][word] = int(value)
    scales = {w: v for w, v in kinds["thousand"].items() if v == 1000}
    scales.update({w: v for w, v in kinds["million"].items() if v == 1_000_000})  # not the duals
    return NumberWords(kinds["unit"], kinds["ten"], kinds["hundred"], kinds["thousand"], kinds["million"],
                       kinds["dozen"], vague, frozenset(bare), scales)


@functools.cache
def grammar(lang: str) -> dict[str, tuple[str, ...]]:
    """lang/<code>/casualty_grammar.tsv: role -> its words, in file order (the clitic order matters)."""
    out: dict = {}
    for row in _data(lang, "casualty_grammar.tsv"):
        out.setdefault(row[1], []).append(row[0])
    return {k: tuple(v) for k, v in out.items()}


def _ar_word_value(w: str, lang: str):
    """('unit', v) | ('hundred', v) | ('thousand', v) | ('million', v) | None, for one folded word of a language
    whose compound numbers are unit-and-ten (Arabic)."""
    W = number_words(lang)
    for table, kind in ((W.units, "unit"), (W.tens, "unit"), (W.hundreds, "hundred"), (W.thousands, "thousand"),
                        (W.millions, "million")):
        if w in table:
            return kind, table[w]
    return None


def _en_word_value(w: str, lang: str):
    """The same for a language whose compound numbers are ten-unit (English: twenty-five, a dozen)."""
    W = number_words(lang)
    if w in W.units:
        return "unit", W.units[w]
    if w in W.tens:
        return "unit", W.tens[w]
    if "-" in w:
        a, _, b = w.partition("-")
        if a in W.tens and b in W.units and 0 < W.units[b] < 10:
            return "unit", W.tens[a] + W.units[b]
        return None
    for table, kind in ((W.hundreds, "hundred"), (W.thousands, "thousand"), (W.millions, "million"),
                        (W.dozens, "dozen")):
        if w in table:
            return kind, table[w]
    return None


def _combine(parts: list[tuple[str, int]]) -> int | None:
    """Value of a sequence of (kind, value) number-word parts, the usual big-endian way."""
    total, current = 0, 0
    for kind, v in parts:
        if kind == "unit":
            current += v
        elif kind == "dozen":
            current = (current or 1) * 12
        elif kind == "hundred":
            if v == 100:
                current = (current or 1) * 100
            else:  # a whole word such as ثلاثمئة / مئتين
                current += v
        elif kind in ("thousand", "million"):
            scale = 1000 if kind == "thousand" else 1_000_000
            if v > scale:  # dual: ألفين, مليونين
                current += v
            else:
                current = (current or 1) * scale
            total += current
            current = 0
    return total + current


# ---------------------------------------------------------------- tokens
@dataclass
class _Tok:
    text: str  # folded (no letter case: Arabic) / lower-cased (letter case: English) form
    raw: str  # the original text
    start: int
    end: int


def _fold(text: str, lang: str):
    """(folded text, offsets map) for matching; digits become ASCII."""
    L = get_language(lang)
    if not L.traits.letter_case:
        f = L.fold(text)
        return f.text.translate(_DIGITS), f.offsets
    low = text.translate(_DIGITS)
    low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in low)  # keep one char per char
    return low, range(len(text) + 1)


def _tokens(text: str, lang: str) -> list[_Tok]:
    folded, offs = _fold(text, lang)
    out = []
    for m in _TOKEN.finditer(folded):
        a = offs[m.start()]
        b = offs[m.end() - 1] + 1 if m.end() > m.start() else a
        out.append(_Tok(m.group(0), text[a:b], a, b))
    return out


# ---------------------------------------------------------------- cue words
@dataclass(frozen=True)
class _Lexicon:
    words: dict  # tuple of tokens -> (class, category)
    max_len: int


@functools.cache
def _lexicon(lang: str) -> _Lexicon:
    path = get_language(lang).data("casualty_words.tsv")
    words: dict = {}
    if path is None:
        return _Lexicon(words, 1)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2:
            continue
        phrase, cls = cols[0], cols[1]
        cat = cols[2] if len(cols) > 2 else "-"
        key = tuple(t.text for t in _tokens(phrase, lang))
        if key:
            words.setdefault(key, (cls, cat))
    return _Lexicon(words, max(len(k) for k in words) if words else 1)


@functools.cache
def _clitics(lang: str) -> tuple[tuple[str, ...], str]:
    """(the clitics of casualty_grammar.tsv, the definite article trait) of a language: looked up once."""
    return grammar(lang).get("clitic", ()), get_language(lang).traits.definite_article


def _variants(word: str, lang: str):
    """The word, then the word less each clitic of casualty_grammar.tsv that starts it (and the article after a
    one-letter clitic)."""
    yield word
    clitics, article = _clitics(lang)
    for p in clitics:
        if word.startswith(p) and len(word) - len(p) >= 2:
            rest = word[len(p):]
            yield rest
            # a one-letter clitic may stand before the article: والجيش, بالقصف
            if article and len(p) == 1 and rest.startswith(article) and len(rest) > len(article) + 1:
                yield rest[len(article):]


def _lookup_at(toks: list[_Tok], i: int, lang: str):
    """Longest lexicon phrase starting at token i: (class, category, n_tokens) or None."""
    lex = _lexicon(lang)
    first_variants = list(_variants(toks[i].text, lang))  # the same for every phrase length
    for n in range(min(lex.max_len, len(toks) - i), 0, -1):
        words = [t.text for t in toks[i:i + n]]
        for fv in first_variants:
            key = (fv, *words[1:])
            if key in lex.words:
                cls, cat = lex.words[key]
                return cls, cat, n
            if n == 1:
                continue
            # Arabic: later words of a phrase may carry the article too (عدد القتلى).
    return None


# ---------------------------------------------------------------- number mentions
def _read_number(toks: list[_Tok], i: int, lang: str):
    """A number starting at token i: (value or None if vague, n_tokens, vague_label) or None."""
    t = toks[i].text
    if t[0].isdigit():
        if not _NUM_FORMAT.match(t):
            return None
        num = t.replace(",", "").replace("٬", "")
        if "." in num:
            val = float(num)
        else:
            val = int(num)
        n = 1
        if i + 1 < len(toks):
            nxt = toks[i + 1].text
            scale = None
            scales = number_words(lang).scales
            for v in _variants(nxt, lang):  # "12 thousand", "3 آلاف", "وألف"
                if v in scales:
                    scale = scales[v]
            if scale:
                val, n = val * scale, 2
        if isinstance(val, float):
            if not val.is_integer():
                return None
            val = int(val)
        return val, n, None
    compound = get_language(lang).traits.compound_numbers
    if compound == "unit-and-ten":
        return _read_ar_words(toks, i, lang)
    if compound == "ten-unit":
        return _read_en_words(toks, i, lang)
    return None  # no number words


def _read_en_words(toks, i, lang):
    """Number words composed tens-units (English: "twenty-five", "two hundred and fifty", "a dozen")."""
    t = toks[i].text
    W = number_words(lang)
    conj = get_language(lang).traits.number_conjunction
    if t in W.vague:
        return None, 1, W.vague[t]
    parts = []
    j = i
    if i >= 2 and toks[i - 1].text == "of" and toks[i - 2].text in ("quarter", "half", "third", "fraction"):
        return None
    if i >= 1 and toks[i - 1].text == "half" and t in ("a", "an") and not (i + 1 < len(toks) and toks[i + 1].text == "dozen"):
        return None
    if t == "a" or t == "an":  # a hundred, a dozen, a thousand
        nxt = toks[j + 1].text if j + 1 < len(toks) else ""
        if nxt in W.hundreds or nxt in W.thousands or nxt in W.millions or nxt in W.dozens:
            parts.append(("unit", 1))
            j += 1
        else:
            return None
    elif t == "half" and j + 2 < len(toks) and toks[j + 1].text == "a" and toks[j + 2].text == "dozen":
        return 6, 3, None
    while j < len(toks):
        w = toks[j].text
        wv = _en_word_value(w, lang)
        if wv is None:
            if w == conj and parts and j + 1 < len(toks) and _en_word_value(toks[j + 1].text, lang) \
                    and parts[-1][0] in ("hundred", "thousand"):
                j += 1
                continue
            break
        parts.append(wv)
        j += 1
    if not parts or (len(parts) == 1 and parts[0][0] == "unit" and t in ("a", "an")):
        return None
    if parts[0][0] in ("hundred", "thousand", "million") and t not in ("a", "an"):
        return None  # "hundred" alone is not a count
    if j < len(toks) and toks[j].text in ("dozens", "hundreds", "thousands"):
        return None
    return _combine(parts), j - i, None


def _strip_wa(w: str, lang: str) -> tuple[str, bool]:
    """A number word less the conjunction glued to it (و): (word, True), else (w, False)."""
    conj = get_language(lang).traits.number_conjunction
    n = len(conj)
    if conj and w.startswith(conj) and len(w) > n + 1 and (_ar_word_value(w[n:], lang)
                                                            or w[n:] in number_words(lang).vague):
        return w[n:], True
    return w, False


def _read_ar_words(toks, i, lang):
    """Number words composed units-and-tens (Arabic: "خمسة وعشرون", "ثلاثمائة", "ألفين")."""
    w0 = toks[i].text
    W = number_words(lang)
    for v in _variants(w0, lang):
        if v in W.vague and (v not in W.vague_bare or v == w0):
            return None, 1, W.vague[v]
    parts = []
    j = i
    while j < len(toks):
        w, had_wa = _strip_wa(toks[j].text, lang)
        if j == i and had_wa:
            pass  # "وثلاثة" at the start: the و is a conjunction
        wv = _ar_word_value(w, lang)
        if wv is None or (j > i and not had_wa and wv[0] == "unit" and parts and parts[-1][0] == "unit"
                          and not (parts[-1][1] < 10 and wv[1] == 10)):
            break  # two units in a row only as a teen: خمسة عشر
        parts.append(wv)
        j += 1
    if not parts:
        return None
    if parts[0] == ("thousand", 1000) and toks[i].text in W.vague_bare:
        return None
    return _combine(parts), j - i, None


def parse_number(s: str, lang: "str | Language") -> int | None:
    """The integer an expression states, or None (vague plural, not a number, or anything left over).

    >>> parse_number("two hundred and fifty", "en"), parse_number("١٬٢٣٤", "ar"), parse_number("شخصين", "ar")
    (250, 1234, 2)
    """
    try:
        lang = code_of(lang)
        if not number_words(lang).units:
            return None  # a language with no number words reads no numbers
        traits = get_language(lang).traits
        toks = [t for t in _tokens(s or "", lang) if t.text not in (".", ",", "،")]
        if not toks:
            return None
        if (traits.dual_number or traits.numeral_after_noun) and len(toks) <= 2:
            hit = _lookup_at(toks, 0, lang)
            if traits.dual_number and hit and hit[0] == "dual" and hit[2] == len(toks):
                return 2
            if len(toks) == 2 and hit and hit[0] == "person" and hit[2] == 1:
                r = _read_number(toks, 1, lang)  # مدنيين اثنين
                if r and r[0] in traits.numeral_after_noun and r[1] == 1:
                    return r[0]
        r = _read_number(toks, 0, lang)
        if r is None or r[0] is None or r[1] != len(toks):
            return None
        return int(r[0])
    except Exception:  # never raise on odd input
        return None

