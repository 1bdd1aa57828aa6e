"""The CRF attributes of the NER models (marsad/entities/ner.py): word, affix, shape and context features per
language, Arabic trigger words, and the marks of the project's own dictionaries.

They are used both at training and at run time, so they live in one place; changing them means retraining
both models.  Besides word, affix and context features they use the project's own dictionaries: the actor
dictionary (marsad.entities.actors) and the gazetteer (marsad.places) mark the tokens they match (by actor kind
/ place class), and for Arabic a list of trigger words (marsad/lang/ar/ner_triggers.tsv: titles, verbs of
speech, place and organisation heads) marks the words after them.  Editing those data files changes the
features a model sees, so retrain after large edits.  Word clusters and frequencies: ner_tables.py.
"""
from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from pathlib import Path

from marsad.entities.arabic_words import _ar_parts
from marsad.entities.ner_tables import _cluster_features, _clusters, _freq_features, _freqs
from marsad.lang import get as get_language

# ---------------------------------------------------------------- word-level helpers
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "–": "-", "—": "-"})


def _norm_en(w: str) -> str:
    # Curly quotes and dashes as the ASCII forms CoNLL uses; digits collapsed so numbers share weights.
    return re.sub(r"\d", "0", w.translate(_QUOTES))


@functools.lru_cache(maxsize=200_000)
def _shape(w: str) -> str:
    out = []
    for ch in w:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        out.append(c)
    return "".join(out)


@functools.lru_cache(maxsize=200_000)
def _short_shape(w: str) -> str:
    # Runs collapsed: "McDonald" -> "XxXx", "U.S." -> "X.X."
    return re.sub(r"(.)\1+", r"\1", _shape(w))


def _is_punct(w: str) -> bool:
    return all(unicodedata.category(c).startswith("P") or unicodedata.category(c).startswith("S") for c in w)


@functools.lru_cache(maxsize=200_000)
def _en_word(w: str) -> tuple[str, ...]:
    """Per-token English features that do not depend on context (cached per word type)."""
    n = _norm_en(w)
    lo = n.lower()
    f = [f"w={n}", f"lo={lo}", f"sh={_shape(n)[:12]}", f"ss={_short_shape(n)}"]
    for k in range(1, 5):
        if len(lo) > k:
            f.append(f"p{k}={lo[:k]}")
            f.append(f"s{k}={lo[-k:]}")
    if n[:1].isupper():
        f.append("title")
    if n.isupper() and any(c.isalpha() for c in n):
        f.append("upper")
    if n.islower():
        f.append("lower")
    if any(c.isdigit() for c in n):
        f.append("digit")
    if "-" in n:
        f.append("hyphen")
    if "." in n:
        f.append("dot")
    if _is_punct(n):
        f.append("punct")
    f.append(f"len={min(len(n), 8)}")
    return tuple(f)


def _en_ctx(w: str) -> tuple[str, str, str]:
    n = _norm_en(w)
    return n.lower(), _short_shape(n), "T" if n[:1].isupper() else "l"


def features_en(tokens: list[str], doc_lower: frozenset[str] = frozenset()) -> list[list[str]]:
    """CRF attributes per token.  `doc_lower`: words seen in lower case elsewhere in the document, which
    tells a capitalised sentence-initial common word ("Rebels") from a name ("Assad")."""
    ctx = [_en_ctx(w) for w in tokens]
    letters = [c for w in tokens for c in w if c.isalpha()]
    # Headlines and datelines in capitals: word identity matters more than case there.
    caps = len(letters) > 8 and sum(c.isupper() for c in letters) > 0.8 * len(letters)
    out = []
    n = len(tokens)
    for i, w in enumerate(tokens):
        f = ["b", *_en_word(w)]
        lo, ss, t = ctx[i]
        if caps:
            f.append("caps_sent")
            f.append(f"caps_lo={lo}")
        if i == 0:
            f.append("BOS")
        if i == n - 1:
            f.append("EOS")
        if t == "T" and lo in doc_lower:
            f.append("doc_lower")
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                plo, pss, pt = ctx[j]
                f.append(f"{d}lo={plo}")
                f.append(f"{d}ss={pss}")
                if abs(d) == 1:
                    f.append(f"{d}t={pt}")
                    f.append(f"{d}s3={plo[-3:]}")
            else:
                f.append(f"{d}pad")
        f.append(f"-1lo|lo={ctx[i - 1][0] if i else '^'}|{lo}")
        f.append(f"lo|+1lo={lo}|{ctx[i + 1][0] if i + 1 < n else '$'}")
        f.append(f"ss3={ctx[i - 1][1] if i else '^'}|{ss}|{ctx[i + 1][1] if i + 1 < n else '$'}")
        out.append(f)
    return out


# ---------------------------------------------------------------- Arabic
# (_ar_parts: marsad/entities/arabic_words.py, shared with ner_stack.py; cluster_key: ner_tables.py)
@functools.lru_cache(maxsize=200_000)
def _ar_word(w: str) -> tuple[str, ...]:
    n, core, st = _ar_parts(w)
    f = [f"w={n}", f"core={core}", f"st={st}"]
    for k in range(1, 4):
        if len(n) > k:
            f.append(f"p{k}={n[:k]}")
    for k in range(1, 5):
        if len(n) > k:
            f.append(f"s{k}={n[-k:]}")
    if len(core) > 2:
        f.append(f"cs2={core[-2:]}")
        f.append(f"cp2={core[:2]}")
    if n.startswith("ال"):
        f.append("al")
    elif core != n:
        f.append(f"clitic={n[:len(n) - len(core)]}")
    if any("a" <= c.lower() <= "z" for c in n):
        f.append("latin")
    if any(c.isdigit() for c in n):
        f.append("digit")
    if _is_punct(n):
        f.append("punct")
    f.append(f"len={min(len(n), 10)}")
    return tuple(f)


def _doc_contexts(sentences: list[list[str]]) -> dict[str, set[str]]:
    """For each Arabic word (core form), its neighbours' core forms anywhere in the document.

    Arabic has no capitals, so an unseen name ("أينشتاين") is hard to spot alone; but somewhere in the
    article it usually follows a first name or a title ("ألبرت أينشتاين", "العالم أينشتاين").  Sharing
    those contexts across all occurrences lets one clear mention lift the others."""
    ctx: dict[str, set[str]] = {}
    for s in sentences:
        cores = [_ar_parts(w)[1] for w in s]
        for i, c in enumerate(cores):
            if len(c) < 3 or _is_punct(c):
                continue
            bag = ctx.setdefault(c, set())
            if i:
                bag.add("dp=" + cores[i - 1])
            if i + 1 < len(cores):
                bag.add("dn=" + cores[i + 1])
    return ctx


def features_ar(tokens: list[str], doc_ctx: dict[str, set[str]] | None = None) -> list[list[str]]:
    parts = [_ar_parts(w) for w in tokens]
    out = []
    n = len(tokens)
    for i, w in enumerate(tokens):
        f = ["b", *_ar_word(w)]
        if doc_ctx:
            bag = doc_ctx.get(parts[i][1], ())
            if len(bag) <= 24:  # frequent function words have huge bags: no signal, many features
                f.extend(bag)
        if i == 0:
            f.append("BOS")
        if i == n - 1:
            f.append("EOS")
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                pn, pc, pst = parts[j]
                f.append(f"{d}w={pn}")
                if abs(d) == 1:
                    f.append(f"{d}core={pc}")
                    f.append(f"{d}st={pst}")
                    f.append(f"{d}al={pn.startswith('ال')}")
            else:
                f.append(f"{d}pad")
        f.append(f"-1w|w={parts[i - 1][0] if i else '^'}|{parts[i][0]}")
        f.append(f"w|+1w={parts[i][0]}|{parts[i + 1][0] if i + 1 < n else '$'}")
        out.append(f)
    return out


@functools.cache
def _triggers() -> dict[str, str]:
    """Normalised trigger word -> class (PER / SAY / LOC / ORG), from marsad/lang/ar/ner_triggers.tsv."""
    from marsad import lang

    path = Path(lang.__file__).parent / "ar" / "ner_triggers.tsv"
    out: dict[str, str] = {}
    for ln in path.read_text(encoding="utf-8").splitlines():
        if ln.startswith("#") or not ln.strip() or ln.startswith("word\t"):
            continue
        word, cls = ln.split("\t")[:2]
        n, core, _ = _ar_parts(word.strip())
        out.setdefault(n, cls.strip())
        out.setdefault(core, cls.strip())
    return out


def _trigger_features(tokens: list[str]) -> list[list[str]]:
    """The word itself, the word before or the one before that is a trigger ("الرئيس", "مدينة", "قال")."""
    trig = _triggers()
    cls = []
    for w in tokens:
        n, core, _ = _ar_parts(w)
        cls.append(trig.get(n) or trig.get(core))
    out = []
    for i in range(len(tokens)):
        f = []
        if cls[i]:
            f.append(f"trig={cls[i]}")
        if i and cls[i - 1]:
            f.append(f"-1trig={cls[i - 1]}")
        if i > 1 and cls[i - 2]:
            f.append(f"-2trig={cls[i - 2]}")
        out.append(f)
    return out


# ---------------------------------------------------------------- dictionary and gazetteer features
# Actor kinds (marsad/data/actors) as CRF classes; a label ("regime forces", "الإرهابيين") is its own class.
_ACTOR_CLASS = {"person": "per", "state": "state", "armed_force": "grp", "armed_group": "grp",
                "political_group": "grp", "organization": "org", "media": "org", "other": "oth"}
# Gazetteer feature classes, coarse.
_PLACE_CLASS = {"country": "country", "admin1": "region", "region": "region", "capital": "city", "city": "city",
                "town": "village", "village": "village", "camp": "village"}
BIG_PLACE = 100_000  # population above which a place is "big"
# Languages whose model was trained with these features (changing this means retraining that model).
DICT_FEATURES = {"ar": True, "en": True}
TRIGGER_FEATURES = True  # Arabic trigger words (ner_triggers.tsv); likewise fixed at training time
CLUSTER_FEATURES = True  # Arabic word clusters (clusters-ar*.tsv) when the files are there; likewise fixed
FREQ_FEATURES = True  # Arabic word frequencies (freq-ar.tsv) when the table is there; likewise fixed


def _dict_features(sentences: list[list[str]], inner: dict | None = None) -> list[list[list[str]]]:
    """Per token: does it begin (B) or continue (I) a match of the actor dictionary (by actor kind, or a
    label) or of the gazetteer (with the best candidate's coarse feature class and size)?

    Matching runs over the document text rebuilt from the tokens (tokens joined by spaces, sentences by
    newlines), the same at training and at run time, and the character spans are mapped back onto the
    tokens; the actor dictionary and the gazetteer were built independently of the NER corpora.
    `inner`, if given, receives (sentence, token) -> offset of a match that starts inside that token, after
    an Arabic proclitic ("بريف دمشق": the match is "ريف دمشق", offset 1)."""
    from marsad import places
    from marsad.entities import actors
    from marsad.places import gazetteer

    out: list[list[list[str]]] = [[[] for _ in s] for s in sentences]
    starts, where, pos = [], [], 0
    lines = []
    for si, s in enumerate(sentences):
        for ti, w in enumerate(s):
            starts.append(pos)
            where.append((si, ti, pos + len(w)))
            pos += len(w) + 1
        lines.append(" ".join(s))
        pos += 0 if s else 1
    text = "\n".join(lines)
    if not text.strip():
        return out

    def mark(start: int, end: int, feats: list[str]) -> None:
        k = max(bisect.bisect_right(starts, start) - 1, 0)
        first = True
        while k < len(starts) and starts[k] < end:
            si, ti, tend = where[k]
            if tend > start:
                if first and inner is not None and start > starts[k]:
                    inner.setdefault((si, ti), start - starts[k])
                pre = "B" if first else "I"
                out[si][ti].extend(f"{pre}{f}" for f in feats)
                first = False
            k += 1

    book = actors.load()
    for m in book.match(text):
        a = book.actors.get(m.get("entity", ""))
        cls = "lab" if m.get("label") else _ACTOR_CLASS.get(a.kind if a else "", "oth")
        mark(m["start"], m["end"], [f"ac={cls}", "dict"])
    gz = gazetteer.load()
    for m in places.match(text):
        p = gz.places.get(m["candidates"][0]) if m.get("candidates") else None
        feats = ["gz", "dict"]
        if p is not None:
            feats.append(f"gzf={_PLACE_CLASS.get(p.feature, 'other')}")
            if p.population >= BIG_PLACE or p.feature in ("country", "admin1", "capital"):
                feats.append("gzbig")
        mark(m["start"], m["end"], feats)
    # Neighbours' matches: "in <place>", "<person> said".
    for s in out:
        own = [[f for f in fs if f.startswith("B") and not f.endswith("dict")] or
               ([f for f in fs if f.startswith("I") and not f.endswith("dict")][:1]) for fs in s]
        for i, fs in enumerate(s):
            if i and own[i - 1]:
                fs.extend(f"-1{f[1:]}" for f in own[i - 1])
            if i + 1 < len(s) and own[i + 1]:
                fs.extend(f"+1{f[1:]}" for f in own[i + 1])
    return out


def featurize(lang: str, sentences: list[list[str]], inner: dict | None = None) -> list[list[list[str]]]:
    """Features for the sentences of one document (document context for the English case cue).
    `inner`: see _dict_features. A language with letter case gets the case and shape features (English), one
    without the clitic, document-context and word-table features (Arabic)."""
    if get_language(lang).traits.letter_case:
        doc_lower = frozenset(_norm_en(w) for s in sentences for k, w in enumerate(s) if k and w.islower())
        feats = [features_en(s, doc_lower) for s in sentences]
    else:
        doc_ctx = _doc_contexts(sentences)
        feats = [features_ar(s, doc_ctx) for s in sentences]
        if TRIGGER_FEATURES:
            for fs, s in zip(feats, sentences):
                for f, extra in zip(fs, _trigger_features(s)):
                    f.extend(extra)
        if CLUSTER_FEATURES and _clusters("ar"):
            for fs, s in zip(feats, sentences):
                for f, extra in zip(fs, _cluster_features(s)):
                    f.extend(extra)
        if FREQ_FEATURES and _freqs("ar"):
            for fs, s in zip(feats, sentences):
                for f, extra in zip(fs, _freq_features(s)):
                    f.extend(extra)
    if DICT_FEATURES.get(lang):
        for fs, extra_s in zip(feats, _dict_features(sentences, inner)):
            for f, extra in zip(fs, extra_s):
                f.extend(extra)
    return feats
