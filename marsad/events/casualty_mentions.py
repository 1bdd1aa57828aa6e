"""The number mentions of a clause as fatality counts read them (marsad/events/casualties.py): each mention, its
head noun and category, the cue word that decides it, its hedge, and the count it is a part of.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from marsad.events.numbers import _lookup_at, _read_number, _Tok, grammar
from marsad import places
from marsad.lang import get as get_language

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


def _date_token_mask(text: str, toks: list[_Tok], lang: str, spans=None) -> set[int]:
    if spans is None:
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


def _mentions(text: str, toks: list[_Tok], lang: str, cls, date_spans=None) -> list[_Mention]:
    dates = _date_token_mask(text, toks, lang, date_spans)
    dual = get_language(lang).traits.dual_number
    out: list[_Mention] = []
    k = 0
    while k < len(toks):
        c = cls[k]
        if dual and c and c[0] == "dual":  # a dual noun is a count of two: شخصين
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
    cased = get_language(lang).traits.letter_case  # capitalised names between a number and its noun
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
        if cat is None and (t.raw[:1].isupper() or not cased) and t.raw.isalpha() and _people(t.raw):
            cat = "person"  # a country's people: "killed three Palestinians", "12 Syrians"
            j += 1
            seen += 1
            continue
        if cased and t.raw[:1].isupper() and t.raw.isalpha() and j > m.end - 1 and cat is None:
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
        if cat is None and not m.direct and t.text.isalpha() and not c and t.text not in grammar(lang).get("function", ()):
            ok_end = False  # an unknown noun: "20 air strikes", "30 hours"
        break
    if cat:
        m.category = cat
    elif caps and not m.direct:
        return False  # "Views 1662 An Islamic State ...": capitalised words that lead to no person noun
    m.head_end = j
    return ok_end or cat is not None




@functools.lru_cache(maxsize=4096)
def _people(word: str) -> bool:
    """A plural word for a country's people ("Palestinians", «فلسطينيين»): a person noun (places/demonyms.py)."""
    return places.people_country(word) is not None


def _cue(toks, cls, m: _Mention, lang, mentions):
    """The nearest kill / not-kill cue either side of a mention."""
    traits = get_language(lang).traits
    best = None  # (distance, verdict)
    # backwards, from just before the mention (skip hedges)
    j = m.start - 1
    d = 0
    while j >= 0 and d < _WINDOW:
        c = cls[j]
        t = toks[j].text
        if t in (";", "؛", ":") or (t == "." and traits.period_ends_clause):
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
        # a parallel count ("5 soldiers and 3 civilians were killed"): keep looking for the shared verb
        v = _verdict_of(c)
        if v:
            passive = j > 0 and toks[j - 1].text in grammar(lang).get("aux", ())
            if best is None or d < best[0] or (d == best[0] and not traits.subject_after_verb) or passive:
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
