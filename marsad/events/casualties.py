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
Steps 1 to 3 read each mention (casualty_mentions.py); step 4 and the note are here.
"""
from __future__ import annotations

from marsad.events.casualty_mentions import _among, _classify, _cue, _head, _hedge, _mentions, _subset
from marsad.events.casualty_mentions import lang_is_ar  # noqa: F401 (also casualties.lang_is_ar)
from marsad.events.numbers import _lexicon, _tokens
from marsad.lang import Language, code_of
from marsad.lang import get as get_language

CATEGORIES = ("person", "civilian", "child", "woman", "combatant")


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
