"""Numbers and fatality counts in English and Arabic news text.

`parse_number` reads one number expression: digits (ASCII, Arabic-Indic ٠-٩ or Persian ۰-۹, with `,` or the
Arabic thousands separator ٬), English number words ("two hundred and fifty", "a dozen") and Arabic number
words in their gender and case variants ("سبعين", "سبعون", "ثلاثة", "خمسة وعشرون", "ثلاثمائة", "ألفين"), and the
Arabic dual nouns that are themselves a count ("شخصين" = 2). Vague plurals ("dozens", "عشرات") are None.

`fatalities` reads the people killed in one sentence or clause. The cue words (kill verbs, nouns for the dead,
injury words, person nouns and their category, hedges, subset words) are data: lang/<code>/casualty_words.tsv.

How a count is read (the same rule engine for both languages):
1. Every number mention (digits, number words, a dual noun, a vague plural) is found, except those inside a
   date expression or that are money, percentages, years or measures (the word after them is unknown).
2. Its head: the words right after it, skipping adjectives and capitalised names ("12 ISIS militants"), and
   "of"/"من" ("70 of them", "عشرات من المدنيين"); the last person noun gives the category (person, civilian,
   child, woman, combatant); a noun for the dead ("dead", "قتيلاً") makes it a death directly, an injury noun
   ("جريحاً", "wounded") rules it out. Arabic 1 and 2 follow their noun ("مدنيين اثنين"): the noun before counts.
3. Otherwise the nearest cue word within six tokens either side decides: a kill or death-toll cue makes it a
   death, an injury or other non-fatal cue ("wounded", "إصابة", "arrested") rules it out. A mention right after
   "including"/"بينهم" is a part of the count before it and shares its verdict.
4. Sums: parts ("including 5 children") never add to their whole; top-level counts of one category add up;
   civilians = civilian counts, or children + women when only those are given; total = the largest plain
   count ("people", "killing 12") or the sum of the categorised ones, whichever is larger.
The note records hedges ("at least", "more than", "about", "up to"), vague plurals ("dozens") and "cumulative"
when the clause gives a war-wide toll ("since 2011", "منذ اندلاع").
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from marsad.lang import get as get_language

LANG_DIR = Path(__file__).resolve().parent.parent / "lang"
CATEGORIES = ("person", "civilian", "child", "woman", "combatant")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_TOKEN = re.compile(r"\d+(?:[,٬.]\d+)*|[^\W\d_]+(?:-[^\W\d_]+)*|[^\w\s]|_", re.UNICODE)
_NUM_FORMAT = re.compile(r"^(?:\d{1,3}(?:([,٬])\d{3})(?:\1\d{3})*|\d+)(?:\.\d+)?$")

# ---------------------------------------------------------------- number words
# English (CLDR spell-out rules, en).
_EN_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
_EN_TENS = {w: 10 * (i + 2) for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split())}
_EN_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_EN_VAGUE = {"dozens", "scores", "hundreds", "thousands", "millions", "several", "tens"}

# Arabic, folded spelling (alef/yeh/teh marbuta normalised, no harakat). Masculine and feminine, nominative
# and oblique forms. Source: CLDR spell-out rules, ar; Wright, "A Grammar of the Arabic Language", §§ 318-326.
_AR_UNITS = {}
for _v, _forms in {
    1: "واحد واحده احد احدي", 2: "اثنان اثنين اثنتان اثنتين اثنا اثني اثنتا اثنتي",
    3: "ثلاث ثلاثه", 4: "اربع اربعه", 5: "خمس خمسه", 6: "ست سته", 7: "سبع سبعه",
    8: "ثمان ثماني ثمانيه", 9: "تسع تسعه", 10: "عشر عشره",
    20: "عشرون عشرين", 30: "ثلاثون ثلاثين", 40: "اربعون اربعين", 50: "خمسون خمسين", 60: "ستون ستين",
    70: "سبعون سبعين", 80: "ثمانون ثمانين", 90: "تسعون تسعين",
}.items():
    for _f in _forms.split():
        _AR_UNITS[_f] = _v
_AR_HUNDREDS = {"مئه": 100, "مائه": 100, "مئتان": 200, "مئتين": 200, "مائتان": 200, "مائتين": 200,
                "مئتا": 200, "مئتي": 200, "مائتا": 200, "مائتي": 200}
for _stem, _v in (("ثلاث", 3), ("اربع", 4), ("خمس", 5), ("ست", 6), ("سبع", 7), ("ثمان", 8), ("ثماني", 8),
                  ("تسع", 9)):
    _AR_HUNDREDS[_stem + "مئه"] = _v * 100
    _AR_HUNDREDS[_stem + "مائه"] = _v * 100
_AR_THOUSAND = {"الف": 1000, "الفا": 1000, "الاف": 1000, "الفان": 2000, "الفين": 2000, "الفي": 2000}
_AR_MILLION = {"مليون": 1_000_000, "ملايين": 1_000_000, "مليونا": 1_000_000, "مليونان": 2_000_000,
               "مليونين": 2_000_000}
_AR_VAGUE = {"عشرات", "مئات", "الاف", "ملايين", "بضعه", "بضع", "العشرات", "المئات", "الالاف"}


def _ar_word_value(w: str):
    """('unit', v) | ('hundred', v) | ('thousand', v) | ('million', v) | None, for one folded Arabic word."""
    for table, kind in ((_AR_UNITS, "unit"), (_AR_HUNDREDS, "hundred"), (_AR_THOUSAND, "thousand"),
                        (_AR_MILLION, "million")):
        if w in table:
            return kind, table[w]
    return None


def _en_word_value(w: str):
    if w in _EN_UNITS:
        return "unit", _EN_UNITS[w]
    if w in _EN_TENS:
        return "unit", _EN_TENS[w]
    if "-" in w:
        a, _, b = w.partition("-")
        if a in _EN_TENS and b in _EN_UNITS and 0 < _EN_UNITS[b] < 10:
            return "unit", _EN_TENS[a] + _EN_UNITS[b]
        return None
    if w == "hundred":
        return "hundred", 100
    if w == "thousand":
        return "thousand", 1000
    if w == "million":
        return "million", 1_000_000
    if w in ("dozen",):
        return "dozen", 12
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
    text: str  # folded (Arabic) / lower-cased (English) form
    raw: str  # the original text
    start: int
    end: int


def _fold(text: str, lang: str):
    """(folded text, offsets map) for matching; digits become ASCII."""
    if lang == "ar":
        f = get_language("ar").fold(text)
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
    path = LANG_DIR / lang / "casualty_words.tsv"
    words: dict = {}
    if not path.exists():
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


_AR_PREFIXES = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل")


def _variants(word: str, lang: str):
    yield word
    if lang == "ar":
        for p in _AR_PREFIXES:
            if word.startswith(p) and len(word) - len(p) >= 2:
                rest = word[len(p):]
                yield rest
                if p in ("و", "ف", "ب", "ل") and rest.startswith("ال") and len(rest) > 3:
                    yield rest[2:]


def _lookup_at(toks: list[_Tok], i: int, lang: str):
    """Longest lexicon phrase starting at token i: (class, category, n_tokens) or None."""
    lex = _lexicon(lang)
    for n in range(min(lex.max_len, len(toks) - i), 0, -1):
        words = [t.text for t in toks[i:i + n]]
        first_variants = list(_variants(words[0], lang))
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
            if lang == "en" and nxt in ("thousand", "million"):
                scale = 1000 if nxt == "thousand" else 1_000_000
            elif lang == "ar":
                for v in _variants(nxt, "ar"):
                    if v in ("الف", "الاف", "الفا"):
                        scale = 1000
                    elif v in ("مليون", "ملايين", "مليونا"):
                        scale = 1_000_000
            if scale:
                val, n = val * scale, 2
        if isinstance(val, float):
            if not val.is_integer():
                return None
            val = int(val)
        return val, n, None
    if lang == "ar":
        return _read_ar_words(toks, i)
    return _read_en_words(toks, i)


def _read_en_words(toks, i):
    t = toks[i].text
    if t in _EN_VAGUE:
        return None, 1, t
    parts = []
    j = i
    if i >= 2 and toks[i - 1].text == "of" and toks[i - 2].text in ("quarter", "half", "third", "fraction"):
        return None
    if i >= 1 and toks[i - 1].text == "half" and t in ("a", "an") and not (i + 1 < len(toks) and toks[i + 1].text == "dozen"):
        return None
    if t == "a" or t == "an":  # a hundred, a dozen, a thousand
        if j + 1 < len(toks) and toks[j + 1].text in ("hundred", "thousand", "million", "dozen"):
            parts.append(("unit", 1))
            j += 1
        else:
            return None
    elif t == "half" and j + 2 < len(toks) and toks[j + 1].text == "a" and toks[j + 2].text == "dozen":
        return 6, 3, None
    while j < len(toks):
        w = toks[j].text
        wv = _en_word_value(w)
        if wv is None:
            if w == "and" and parts and j + 1 < len(toks) and _en_word_value(toks[j + 1].text) \
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


def _strip_wa(w: str) -> tuple[str, bool]:
    if w.startswith("و") and len(w) > 2 and (_ar_word_value(w[1:]) or w[1:] in _AR_VAGUE):
        return w[1:], True
    return w, False


def _read_ar_words(toks, i):
    w0 = toks[i].text
    for v in _variants(w0, "ar"):
        if v in _AR_VAGUE and v != "الاف" or (v == "الاف" and v == w0):
            return None, 1, {"عشرات": "dozens", "العشرات": "dozens", "مئات": "hundreds", "المئات": "hundreds",
                             "الاف": "thousands", "الالاف": "thousands", "ملايين": "millions",
                             "بضعه": "several", "بضع": "several"}.get(v, v)
    parts = []
    j = i
    while j < len(toks):
        w, had_wa = _strip_wa(toks[j].text)
        if j == i and had_wa:
            pass  # "وثلاثة" at the start: the و is a conjunction
        wv = _ar_word_value(w)
        if wv is None or (j > i and not had_wa and wv[0] == "unit" and parts and parts[-1][0] == "unit"
                          and not (parts[-1][1] < 10 and wv[1] == 10)):
            break  # two units in a row only as a teen: خمسة عشر
        parts.append(wv)
        j += 1
    if not parts:
        return None
    if parts[0] == ("thousand", 1000) and toks[i].text in ("الاف",):
        return None
    return _combine(parts), j - i, None


def parse_number(s: str, lang: str) -> int | None:
    """The integer an expression states, or None (vague plural, not a number, or anything left over).

    >>> parse_number("two hundred and fifty", "en"), parse_number("١٬٢٣٤", "ar"), parse_number("شخصين", "ar")
    (250, 1234, 2)
    """
    try:
        lang = "ar" if lang == "ar" else "en"
        toks = [t for t in _tokens(s or "", lang) if t.text not in (".", ",", "،")]
        if not toks:
            return None
        if lang == "ar" and len(toks) <= 2:
            hit = _lookup_at(toks, 0, "ar")
            if hit and hit[0] == "dual" and hit[2] == len(toks):
                return 2
            if len(toks) == 2 and hit and hit[0] == "person" and hit[2] == 1:
                r = _read_number(toks, 1, lang)  # مدنيين اثنين
                if r and r[0] in (1, 2) and r[1] == 1:
                    return r[0]
        r = _read_number(toks, 0, lang)
        if r is None or r[0] is None or r[1] != len(toks):
            return None
        return int(r[0])
    except Exception:  # never raise on odd input
        return None


# ---------------------------------------------------------------- fatalities
@dataclass
class _Mention:
    start: int  # token index
    end: int
    value: int | None
    vague: str | None
    category: str = "person"
    head_end: int = 0
    verdict: str | None = None  # killed | not | None
    subset_of: int | None = None  # index of the mention this one is a part of
    hedge: str | None = None
    direct: bool = False  # the head noun itself decided the verdict


_WINDOW = 8
_AUX = {"were", "was", "are", "is", "been", "be", "have", "has", "had", "got"}
_EN_STOP_HEAD = {"of"}


def _date_token_mask(text: str, toks: list[_Tok], lang: str) -> set[int]:
    try:
        from marsad.events.dates import find_dates
        spans = [(d["start"], d["end"]) for d in find_dates(text, lang, None)]
    except Exception:
        return set()
    out = set()
    for k, t in enumerate(toks):
        for a, b in spans:
            if t.start < b and a < t.end:
                out.add(k)
    return out


def _classify(toks, lang):
    """Per token: (class, category, n) of the lexicon phrase starting there, else None."""
    return [_lookup_at(toks, k, lang) for k in range(len(toks))]


def _mentions(text: str, toks: list[_Tok], lang: str, cls) -> list[_Mention]:
    dates = _date_token_mask(text, toks, lang)
    out: list[_Mention] = []
    k = 0
    while k < len(toks):
        c = cls[k]
        if lang == "ar" and c and c[0] == "dual":
            cat = c[1]
            m = _Mention(k, k + c[2], 2, None, category="person" if cat == "dead" else cat, head_end=k + c[2])
            if cat == "dead":
                m.verdict, m.direct = "killed", True
            out.append(m)
            k += c[2]
            continue
        if k in dates:
            k += 1
            continue
        if toks[k].text[0].isdigit() or toks[k].text[0].isalpha():
            r = _read_number(toks, k, lang)
            if r is not None:
                val, n, vague = r
                if c and c[0] == "vague" and c[2] > n:  # multi-word vague phrase ("a number of")
                    val, n, vague = None, c[2], c[1]
                m = _Mention(k, k + n, val, vague)
                if _plausible(toks, m, lang):
                    out.append(m)
                k += n
                continue
            if c and c[0] == "vague":
                out.append(_Mention(k, k + c[2], None, c[1]))
                k += c[2]
                continue
        k += 1
    return out


def _plausible(toks, m: _Mention, lang) -> bool:
    prev = toks[m.start - 1].text if m.start > 0 else ""
    nxt = toks[m.end].text if m.end < len(toks) else ""
    if prev in ("$", "£", "€", "us", "#", "no") or nxt in ("%", "percent", "per", "بالمئه", "بالمائه", ":"):
        return False
    if m.value is not None and 1900 <= m.value <= 2100 and toks[m.start].text.isdigit():
        return False  # a year
    if nxt in ("-", "/") or prev in ("/",):
        return False  # ranges, dates, scores
    return True


def _head(toks, cls, m: _Mention, lang):
    """Scan the words after a mention: sets category / direct verdict; False when the noun is unknown."""
    j = m.end
    seen = 0
    ok_end = True
    cat = None
    caps = False
    while j < len(toks) and seen < 4:
        t = toks[j]
        c = cls[j]
        if c and c[0] == "person":
            if cat is not None:
                break  # "ثلاثة أطفال وامرأة": the next noun is another count
            cat = c[1]
            j += c[2]
            seen += 1
            continue
        if c and c[0] == "dead":
            m.verdict, m.direct = "killed", True
            j += c[2]
            break
        if c and c[0] in ("injured", "nonfatal") and seen == 0 and j == m.end:
            # "30 wounded" / "20 جريحا": the outcome noun right after the number
            m.verdict, m.direct = "not", True
            j += c[2]
            break
        if c and c[0] == "adj":
            j += c[2]
            seen += 1
            continue
        if lang == "en" and t.raw[:1].isupper() and t.raw.isalpha() and j > m.end - 1 and cat is None:
            j += 1  # a name or nationality: 12 ISIS militants
            seen += 1
            caps = True
            continue
        if t.text in ("of", "من") and cat is None and seen == 0:
            j += 1
            seen += 1
            continue
        if t.text in ("the", "them", "those", "هم", "these"):
            j += 1
            continue
        if cat is None and not m.direct and t.text.isalpha() and not c and t.text not in _FUNCTION[lang]:
            ok_end = False  # an unknown noun: "20 air strikes", "30 hours"
        break
    if cat:
        m.category = cat
    elif caps and not m.direct:
        return False  # "Views 1662 An Islamic State ...": capitalised words that lead to no person noun
    m.head_end = j
    return ok_end or cat is not None


_FUNCTION = {
    "en": set("""were was are is have had has been be being who which that and or but in on at near
        from inside outside across during after before when while as by to with according last this
        yesterday today overnight since amid between into under over around more others other another
        alone mostly all""".split()),
    "ar": set("""في من على الى الي عن مع بعد قبل خلال جراء اثر بينهم منهم و او ثم حيث التي الذي الذين
        كما وفق بحسب حسب اليوم امس حتى اضافه جميعهم معظمهم بسبب نتيجه""".split()),
}


def _cue(toks, cls, m: _Mention, lang, mentions):
    """The nearest kill / not-kill cue either side of a mention."""
    best = None  # (distance, verdict)
    # backwards, from just before the mention (skip hedges)
    j = m.start - 1
    d = 0
    while j >= 0 and d < _WINDOW:
        c = cls[j]
        t = toks[j].text
        if t in (";", "؛", ":") or (t == "." and lang == "en"):
            break
        v = _verdict_of(c)
        if v:
            best = (d, v)
            break
        j -= 1
        d += 1
    j = max(m.head_end, m.end)
    d = 0
    while j < len(toks) and d < _WINDOW:
        c = cls[j]
        t = toks[j].text
        if t in (";", "؛", ":", "."):
            break
        if any(o.start == j for o in mentions if o is not m) and d > 0 and lang == "en" \
                and toks[j - 1].text in ("and", ","):
            pass  # a parallel count: keep looking for the shared verb ("5 soldiers and 3 civilians were killed")
        v = _verdict_of(c)
        if v:
            passive = lang == "en" and j > 0 and toks[j - 1].text in _AUX
            if best is None or d < best[0] or (d == best[0] and lang == "en") or passive:
                # English "X were injured" binds X whatever is before it; on a tie English reads forward,
                best = (d, v)  # Arabic (verb first) backward
            break
        j += 1
        d += 1
    return best[1] if best else None


def _verdict_of(c):
    if not c:
        return None
    if c[0] in ("kill", "dead", "toll"):
        return "killed"
    if c[0] in ("injured", "nonfatal"):
        return "not"
    return None


def _hedge(toks, cls, m: _Mention, lang):
    for back in range(1, 5):
        j = m.start - back
        if j < 0:
            break
        c = cls[j]
        if c and c[0] == "hedge" and j + c[2] == m.start:
            return c[1]
    # Arabic "12 شخصا على الاقل" / English "12 people at least"
    j = m.head_end
    if j < len(toks) and cls[j] and cls[j][0] == "hedge" and cls[j][1] == "at least":
        return "at least"
    return None


def _subset(toks, cls, m: _Mention, mentions, idx):
    """Index of the mention this one is part of ("including 5 children"), or None."""
    j = m.start - 1
    while j >= 0 and m.start - j <= 3:
        c = cls[j]
        if c and c[0] == "hedge":
            j -= 1
            continue
        if c and c[0] == "subset" and j + c[2] <= m.start:
            break
        if toks[j].text in ("and", "و", ","):
            # "including 25 children and 15 women": a part parallel to the part before it
            if idx > 0 and mentions[idx - 1].subset_of is not None and mentions[idx - 1].head_end >= j:
                return mentions[idx - 1].subset_of
            return None
        if lang_is_ar(toks[j].text) and toks[j].text.startswith("و") and idx > 0 \
                and mentions[idx - 1].subset_of is not None and mentions[idx - 1].head_end >= j:
            return mentions[idx - 1].subset_of
        j -= 1
    else:
        return None
    for p in range(idx - 1, -1, -1):
        if mentions[p].subset_of is None:
            return p
    return None


def lang_is_ar(w: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in w)


def _among(toks, cls, m: _Mention):
    """"Ten children were among at least 48 people killed": the mention is part of the next one."""
    j = m.head_end
    for _ in range(3):
        if j >= len(toks):
            return False
        c = cls[j]
        if c and c[0] == "among":
            return True
        if toks[j].text not in ("were", "was", "are", "is", "also"):
            return False
        j += 1
    return False


def fatalities(text: str, lang: str) -> dict:
    """People killed in one sentence or clause: {"total", "civilians", "children", "women", "combatants",
    "note"}; a field is None when the text gives no number for it (see the module docstring for the rule)."""
    result = {"total": None, "civilians": None, "children": None, "women": None, "combatants": None,
              "note": None}
    try:
        return _fatalities(text or "", "ar" if lang == "ar" else "en", result)
    except Exception:  # never raise on odd input
        return result


def _fatalities(text, lang, result):
    toks = _tokens(text, lang)
    if not toks:
        return result
    cls = _classify(toks, lang)
    ms = _mentions(text, toks, lang, cls)
    # Arabic 1 and 2 after their noun: "مدنيين اثنين", "طفل واحد"
    for m in ms:
        if lang == "ar" and m.value in (1, 2) and m.end - m.start == 1 and m.start > 0 \
                and not (cls[m.start] and cls[m.start][0] == "dual"):
            c = cls[m.start - 1]
            if c and c[0] in ("person", "dual"):
                m.category = c[1] if c[1] != "dead" else "person"
                m.head_end = m.end
                m.start -= c[2]  # the noun is part of the mention
    # drop a number word that repeats a dual noun ("طفلين اثنين")
    ms = [m for k, m in enumerate(ms) if not (k > 0 and ms[k - 1].end > m.start)]
    kept = []
    for m in ms:
        if m.head_end == 0 or m.head_end < m.end:
            if not _head(toks, cls, m, lang):
                continue
        kept.append(m)
    ms = kept
    for k, m in enumerate(ms):
        m.hedge = _hedge(toks, cls, m, lang)
        m.subset_of = _subset(toks, cls, m, ms, k)
        if m.verdict is None:
            m.verdict = _cue(toks, cls, m, lang, ms)
    # "X were among the N killed": X is a part of N
    for k, m in enumerate(ms):
        if m.subset_of is None and k + 1 < len(ms) and _among(toks, cls, m):
            m.subset_of = k + 1
            if ms[k + 1].verdict == "killed" or any(c and c[0] == "dead" for c in cls[m.head_end:m.head_end + 4]):
                m.verdict = "killed"
    # coordinated counts share a verdict: "Five women and 13 rebels ... were among the dead", "7 جنود و3 مدنيين"
    for _ in range(2):
        for k in range(len(ms) - 1):
            a, b = ms[k], ms[k + 1]
            between = [t.text for t in toks[max(a.head_end, a.end):b.start]]
            if between and all(w in ("and", ",", "و", "،", "or", "او") for w in between):
                if a.verdict is None and b.verdict is not None and not b.direct:
                    a.verdict = b.verdict
                elif b.verdict is None and a.verdict is not None and not a.direct:
                    b.verdict = a.verdict
    # a part shares its whole's verdict unless its own noun decided
    for m in ms:
        if m.subset_of is not None and not m.direct:
            m.verdict = ms[m.subset_of].verdict
    killed = [m for m in ms if m.verdict == "killed"]
    classes = {c[0] for c in cls if c}
    cumulative = "cumulative" in classes or {"war", "perfect"} <= classes
    if not killed:
        if cumulative:
            result["note"] = "cumulative"
        return result
    notes: list[str] = []
    sums = {c: 0 for c in CATEGORIES}
    have = {c: False for c in CATEGORIES}
    vague_cat = set()
    parts = {c: 0 for c in CATEGORIES}
    seen_counts: set = set()
    for m in killed:
        if m.value is None:
            vague_cat.add(m.category)
            notes.append(m.vague or "vague")
            continue
        if m.hedge:
            notes.append(m.hedge)
        if m.subset_of is not None and ms[m.subset_of].verdict == "killed":
            parts[m.category] = max(parts[m.category], m.value)
            continue
        if (m.category, m.value) in seen_counts:
            continue  # the same count repeated in one clause (a repeated sentence, "12 dead ... the 12")
        seen_counts.add((m.category, m.value))
        have[m.category] = True
        if m.category == "person":
            sums["person"] = max(sums["person"], m.value)
        else:
            sums[m.category] += m.value
    child = sums["child"] if have["child"] else (parts["child"] or None)
    women = sums["woman"] if have["woman"] else (parts["woman"] or None)
    comb = sums["combatant"] if have["combatant"] else (parts["combatant"] or None)
    civ = None
    if have["civilian"]:
        civ = sums["civilian"] + (sums["child"] if have["child"] else 0) + (sums["woman"] if have["woman"] else 0)
    elif have["child"] or have["woman"]:
        civ = sums["child"] + sums["woman"]
    elif parts["civilian"] or parts["child"] or parts["woman"]:
        # only parts of a plain count ("100 people including 25 children"): at least these were civilians
        civ = max(parts["civilian"], parts["child"] + parts["woman"])
    cat_sum = sum(sums[c] for c in ("civilian", "child", "woman", "combatant"))
    total = None
    if have["person"] or any(have[c] for c in ("civilian", "child", "woman", "combatant")):
        total = max(sums["person"], cat_sum)
    result.update(total=total, civilians=civ, children=child, women=women, combatants=comb)
    if cumulative:
        notes.append("cumulative")
    if notes:
        result["note"] = "; ".join(dict.fromkeys(notes))
    return result
