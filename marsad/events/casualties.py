"""Fatality counts in English and Arabic news text.

`fatalities` reads the people killed in one sentence or clause. The cue words (kill verbs, nouns for the dead,
injury words, person nouns and their category, hedges, subset words) are data: lang/<code>/casualty_words.tsv;
the grammar words it needs (function words after a number, English auxiliaries) are in casualty_grammar.tsv.
Numbers are read by numbers.py. What the rules assume of a language is said by its traits (language.toml:
letter_case, dual_number, numeral_after_noun, subject_after_verb, period_ends_clause); a language with no
casualty_words.tsv has no fatality counts (never another language's cue words).

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

from dataclasses import dataclass

from marsad.events.numbers import _lexicon, _lookup_at, _read_number, _Tok, _tokens, grammar
from marsad.lang import Language, code_of
from marsad.lang import get as get_language

CATEGORIES = ("person", "civilian", "child", "woman", "combatant")


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


def fatalities(text: str, lang: "str | Language", date_spans: list[tuple[int, int]] | None = None) -> dict:
    """People killed in one sentence or clause: {"total", "civilians", "children", "women", "combatants",
    "note"}; a field is None when the text gives no number for it (see the module docstring for the rule).
    `date_spans`: the date expressions in `text` (offsets into it), when the caller has found them already
    (events.extract finds them once per article instead of once per sentence); else they are found here."""
    result = {"total": None, "civilians": None, "children": None, "women": None, "combatants": None,
              "note": None}
    try:
        lang = code_of(lang)
        if not _lexicon(lang).words:
            return result  # no casualty_words.tsv: no counts
        return _fatalities(text or "", lang, result, date_spans)
    except Exception:  # never raise on odd input
        return result


def _fatalities(text, lang, result, date_spans=None):
    toks = _tokens(text, lang)
    if not toks:
        return result
    cls = _classify(toks, lang)
    ms = _mentions(text, toks, lang, cls, date_spans)
    # Arabic 1 and 2 after their noun: "مدنيين اثنين", "طفل واحد"
    after_noun = get_language(lang).traits.numeral_after_noun
    for m in ms:
        if m.value in after_noun and m.end - m.start == 1 and m.start > 0 \
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
