"""Place mentions found by the curated gazetteer's matcher in a text, with the guards that keep common words,
fragments of longer names and idioms out; resolution to one place by context is resolve.py's."""
from __future__ import annotations

import re

from marsad.lang import folded_words

from . import context
from .context import ar_cue, fold, prev_word
from .gazetteer import WIDE_FEATURES, by_prior, km, load, quick_key

NEAR_KM = 60.0  # a weak name is kept when one of its places lies this close to a confidently found place
LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_COORDINATED = re.compile(r"\s*(?:[،,]\s*)?و?")  # what joins the names of a list: ", ", " و"
_AR_DIGIT = re.compile(r"(?<=[\u0621-\u064A])[0-9\u0660-\u0669]")
# cue words right before a name (Arabic: with or without a proclitic و/ب/ل/ف) and before/after (English)
CUE_AR = ("مدينه", "مدينتي", "بلده", "بلدتي", "قريه", "قريتي", "قري", "بلدات", "منطقه", "مناطق", "ريف", "محافظه",
           "مخيم", "حي", "ناحيه", "مطار", "معبر", "قاعده", "مدن", "جنوب", "شمال", "شرق", "غرب", "غربي", "شرقي")
_CUE_EN_BEFORE = re.compile(r"\b(?:town|city|village|province|district|camp|region|suburb|countryside|area|outskirts"
                            r"|neighbourhood|neighborhood|governorate)s?\s+of\s+(?:the\s+)?$|\b(?:towns?|villages?|city"
                            r")\s+$", re.I)
_CUE_EN_AFTER = re.compile(r"^\s*(?:province|governorate|countryside|city|town|village|district|airbase|air base"
                           r"|airport|crossing|camp)\b", re.I)


def _prep_ar() -> frozenset[str]:
    """Locative prepositions (marsad/lang/ar/place_prepositions.txt), folded as the text is."""
    return folded_words("ar", "place_prepositions.txt")


def has_cue(text: str, start: int, end: int) -> bool:
    first, _, rest = text[start:end].partition(" ")  # a name listed with its cue: «مدينة درعا»
    if ar_cue(prev_word(text, start), CUE_AR) or (rest and ar_cue(fold(first), CUE_AR)):
        return True
    return bool(_CUE_EN_BEFORE.search(text[max(0, start - 40):start]) or _CUE_EN_AFTER.match(text[end:end + 20]))


def _case_ok(s: str) -> bool:
    """English (Latin-script) names must be capitalised in the text: a one-word match starts with a capital,
    a longer one has at least one capitalised word ("eastern Ghouta", "Idlib province")."""
    if not LATIN.search(s):
        return True
    words = re.findall(r"[^\W\d_]+", s)
    if len(words) == 1:
        return s[0].isupper()
    return any(w[0].isupper() for w in words if len(w) > 2) or s[0].isupper()


def match(text: str) -> list[dict]:
    """Place mentions found by the gazetteer in `text`, each with its candidate place ids, best prior first."""
    g = load()
    found = []
    # "الرياض2": split Arabic letters from a digit glued to them (same length, so offsets hold)
    for m in g.index.find(_AR_DIGIT.sub(" ", text)):
        s = text[m.start:m.end]
        if not _case_ok(s):
            continue
        k = quick_key(s)
        if s.startswith("ال") and k in g.bare_nisba:  # "السورية" = 'the Syrian (f.)', not Syria
            continue
        if context.fragment_of_longer_name(text, m.start, s) or context.in_idiom(text, m.start):
            continue  # "al-Ain" of "Ras al-Ain" is not Al Ain; «مسقط رأس» ('birthplace') is not Muscat
        payloads = m.payloads
        if context.quoted_alone(text, m.start, m.end):  # «الشرق الأوسط»: the newspaper, not the region
            payloads = [(pid, flag) for pid, flag in payloads if g.places[pid].feature not in WIDE_FEATURES]
            if not payloads:
                continue
        strong = [pid for pid, flag in payloads if not flag]
        guarded = [pid for pid, flag in payloads if flag]
        found.append((m.start, m.end, s, k, strong, guarded, has_cue(text, m.start, m.end)))
    anchors = [g.places[by_prior(g, st)[0]] for *_, st, _gd, _c in found if st]
    prep = _prep_ar()
    # one anchor per place, and each guarded place tested once: a long text repeats both, and testing every
    # match against every anchor grew with the square of its length
    anchors = list({a.id: a for a in anchors if a.feature != "country" and a.precision_km <= 50}.values())
    near: dict[str, bool] = {}

    def near_anchor(pid: str) -> bool:
        if pid not in near:
            near[pid] = any(km(g.places[pid], a) <= NEAR_KM for a in anchors if a.id != pid)
        return near[pid]

    out: list[dict] = []
    for start, end, s, k, strong, guarded, cue in found:
        ids = list(strong)
        # «في القامشلي وعين العرب», «في تعز ومأرب»: a name joined to a governed one is governed too
        joined = bool(out) and (out[-1]["after_preposition"] or out[-1]["cue"]) \
            and bool(_COORDINATED.fullmatch(text[out[-1]["end"]:start]))
        if guarded:
            if cue or joined:
                ids += guarded
            else:
                ids += [pid for pid in guarded if near_anchor(pid)]
        if not ids:
            continue
        ids = by_prior(g, ids)
        # the letters without the article that every candidate's own Arabic name has ("ورقة" = و + رقة for
        # الرقة, "خرج" for الخرج) are a common word far more often than the place
        bare = (all(g.places[pid].name_ar.startswith("ال") and quick_key(g.places[pid].name_ar) == k for pid in ids)
                and not _has_article(text, start, s))
        conf = (0.9 if len(ids) == 1 else 0.75) if strong else 0.6
        before = prev_word(text, start)
        out.append({"start": start, "end": end, "text": s, "type": "LOC", "candidates": ids,
                    "confidence": conf, "cue": cue, "after_preposition": ar_cue(before, prep) or joined,
                    "without_article": bare, "after_name_particle": before in _name_particles()})
    return out


def _has_article(text: str, start: int, s: str) -> bool:
    """Whether the word holding a match at `start` carries the article, attached to a proclitic or not
    ("الرقة", "والرقة", "بالرقة", "للرقة")."""
    i = start
    while i > 0 and text[i - 1].isalpha():
        i -= 1
    word = fold(text[i:start] + s.split()[0]) if s.split() else ""
    return "ال" in word[:start - i + 2] or bool(re.match(r"[وف]?لل", word))


def _name_particles() -> frozenset[str]:
    """Words that join the parts of an Arabic name (marsad/lang/ar/name_particles.txt), folded as the text is."""
    return folded_words("ar", "name_particles.txt")
