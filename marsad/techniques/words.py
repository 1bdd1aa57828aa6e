"""The technique names, the persuasion lexicon and the masking of party names (marsad.techniques' data layer).

`norm` is the technique models' own word normaliser (Arabic letters folded and diacritics dropped; English
lower-cased, quotes and dashes unified, digits as 0). `lexicon(lang)` reads marsad/lang/<lang>/persuasion_lexicon.tsv
(entry, category, technique, optional emit confidence: words, `stem*` prefixes, multi-word phrases and `re:`
regexes) into a `Lexicon`; `name_spans` finds the party names (actors that are not labels, places) that are
masked before any feature is computed; `rule_spans` reports the lexicon entries that carry an emit confidence
as spans. Nothing here imports another marsad.techniques module. (Named words.py: a module lexicon.py would be
hidden by the `lexicon` function that marsad.techniques re-exports.)
"""
from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from marsad.lang import data_file
from marsad.lang import get as get_language
from marsad.lang import read_table
from marsad.spans import SpanIndex

TECHNIQUES = (
    "Appeal_to_Authority", "Appeal_to_Fear-Prejudice", "Appeal_to_Hypocrisy", "Appeal_to_Popularity",
    "Appeal_to_Time", "Appeal_to_Values", "Causal_Oversimplification", "Consequential_Oversimplification",
    "Conversation_Killer", "Doubt", "Exaggeration-Minimisation", "False_Dilemma-No_Choice", "Flag_Waving",
    "Guilt_by_Association", "Loaded_Language", "Name_Calling-Labeling", "Obfuscation-Vagueness-Confusion",
    "Questioning_the_Reputation", "Red_Herring", "Repetition", "Slogans", "Straw_Man", "Whataboutism")
_TECH = frozenset(TECHNIQUES)
ANY = "_any"  # the sentence classifier's "any technique" output, where the bundle has one (not a technique)


# ---------------------------------------------------------------- text normalisation
@dataclass(frozen=True)
class WordRules:
    """What `norm` and `bare` do for a language, from its data and traits (no test of its code): `table`, its
    technique_normalization.tsv; `cased`, its letter_case trait (words lower-cased, digits read as 0);
    `prefixes` and `min_stem`, the technique_prefixes of its clitics.toml; `article`, its definite_article."""

    table: dict[int, str]
    cased: bool
    prefixes: tuple[str, ...]
    min_stem: int
    article: str


@functools.cache
def word_rules(lang: str) -> WordRules:
    L = get_language(lang)
    path = L.data("technique_normalization.tsv")
    clitics = L.data("clitics.toml")
    conf = tomllib.loads(clitics.read_text(encoding="utf-8")) if clitics else {}
    return WordRules(read_table(path) if path else {}, L.traits.letter_case, tuple(conf.get("technique_prefixes", ())),
                     int(conf.get("min_stem", 0)), L.traits.definite_article)


_DIGIT = re.compile(r"\d")


@functools.lru_cache(maxsize=300_000)
def norm(w: str, lang: str) -> str:
    rules = word_rules(lang)
    w = w.translate(rules.table)
    return _DIGIT.sub("0", w.lower()) if rules.cased else w


@functools.lru_cache(maxsize=300_000)
def bare(w: str, lang: str) -> str:
    """A normalised word without one leading clitic group (for matching, not for display); the word itself in
    a language without technique_prefixes."""
    rules = word_rules(lang)
    for p in rules.prefixes:
        if w.startswith(p) and len(w) - len(p) >= rules.min_stem:
            return w[len(p):]
    return w


# ---------------------------------------------------------------- lexicon
class Lexicon:
    def __init__(self, lang: str, rows: list[tuple[str, str, str, float | None]]):
        self.lang = lang
        self.words: dict[str, tuple[str, str, float | None]] = {}    # normalised word -> (cat, tech, emit)
        self.stars: list[tuple[str, tuple[str, str, float | None]]] = []
        self.phrases: dict[tuple[str, ...], tuple[str, str, float | None]] = {}
        self.regexes: list[tuple[re.Pattern, str, str, float | None]] = []
        for entry, cat, tech, emit in rows:
            val = (cat, tech if tech in _TECH else "-", emit)
            if entry.startswith("re:"):
                self.regexes.append((re.compile(entry[3:], re.I), cat, val[1], emit))
            elif " " in entry.strip():
                self.phrases[tuple(norm(w, lang) for w in entry.split())] = val
            elif entry.endswith("*"):
                self.stars.append((norm(entry[:-1], lang), val))
            else:
                self.words[norm(entry, lang)] = val
        self.max_phrase = max((len(p) for p in self.phrases), default=0)

    @functools.lru_cache(maxsize=200_000)
    def word(self, n: str):
        """(category, technique, emit) of a normalised word, or None."""
        cands = [n]
        b = bare(n, self.lang)
        if b != n:
            cands.append(b)
            article = word_rules(self.lang).article
            if article and not b.startswith(article):
                cands.append(article + b)
        for c in cands:
            if c in self.words:
                return self.words[c]
        for c in cands:
            for stem, val in self.stars:
                if c.startswith(stem) and len(c) <= len(stem) + 4:
                    return val
        return None

    def __hash__(self):
        return id(self)


def _read_lexicon(path: Path) -> list[tuple[str, str, str, float | None]]:
    rows = []
    if not path.exists():
        return rows
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if cols[0] == "entry" or len(cols) < 3:
            continue
        emit = float(cols[3]) if len(cols) > 3 and cols[3].strip() else None
        rows.append((cols[0], cols[1], cols[2], emit))
    return rows


@functools.cache
def lexicon(lang: str) -> Lexicon:
    return Lexicon(lang, _read_lexicon(data_file(lang, "persuasion_lexicon.tsv")))


# ---------------------------------------------------------------- tokens and features
def name_spans(text: str, lang: str, matches: tuple[list[dict], list[dict]] | None = None
               ) -> list[tuple[int, int, str]]:
    """Character spans of party names (actors that are not themselves labels, and places): masked, all
    alike (one placeholder for any actor or place, so no side is told apart from another). `matches`: the
    actor dictionary's and the gazetteer's matches over `text` where the caller holds them (the pipeline's
    mention stage made them); else they are made here."""
    out = []
    try:
        if matches is None:
            from marsad import places
            from marsad.entities import actors
            matches = (actors.match(text), places.match(text))
        actor_found, place_found = matches
        for m in actor_found:
            if m.get("stance") == "pejorative" or m.get("label"):
                continue  # a label ("thugs", "ميليشيات النظام") is itself the rhetoric: never masked
            out.append((m["start"], m["end"], "NAME"))
        for m in place_found:
            out.append((m["start"], m["end"], "NAME"))
    except Exception:  # dictionaries unavailable: no masking beyond the lexicon's group words
        pass
    return out


def rule_spans(doc: Doc, found: list[dict]) -> list[dict]:
    """Spans of the lexicon entries that carry an `emit` confidence, where no same-technique span overlaps."""
    lex = lexicon(doc.lang)
    text = doc.text
    out = []
    taken: dict[str, SpanIndex] = {}  # per technique, the spans found and added (overlap by bisect, not a scan)
    for x in found:
        taken.setdefault(x["technique"], SpanIndex([])).add(x)

    def add(tech, s, e, conf):
        span = {"technique": tech, "start": s, "end": e, "confidence": conf}
        index = taken.setdefault(tech, SpanIndex([]))
        if index.overlapping(span):
            return
        out.append(span)
        index.add(span)

    for (sa, sb), toks, masks in zip(doc.sentences, doc.tokens, doc.masks):
        stext = text[sa:sb]
        for rx, _cat, tech, emit in lex.regexes:
            if emit is None or tech == "-":
                continue
            for mt in rx.finditer(stext):
                s, e = sa + mt.start(), sa + mt.end()
                while s < e and text[s].isspace():
                    s += 1
                add(tech, s, e, emit)
        for (s, e), m in zip(toks, masks):
            if m:  # a party name (the features' "masked")
                continue
            lx = lex.word(norm(text[s:e], doc.lang))
            if lx and lx[2] is not None and lx[1] != "-":
                add(lx[1], s, e, lx[2])
    return out
