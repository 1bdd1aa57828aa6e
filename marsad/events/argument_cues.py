"""The cue words of event arguments (lang/<code>/event_arguments.tsv: agent markers, passive auxiliaries,
prepositions, Arabic subject head nouns, civilian, reference and locative words), read per language and compiled
into the patterns that arguments.py (agent and target) and place_argument.py (the event's place) apply.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from marsad.lang import data_file


@functools.cache
def _lists(lang: str) -> dict[str, tuple[str, ...]]:
    """lang/<code>/event_arguments.tsv: list name -> its regex fragments, in file order."""
    out: dict = {}
    path = data_file(lang, "event_arguments.tsv")
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        if line.strip() and not line.startswith("#"):
            name, pattern = line.split("\t")[:2]
            out.setdefault(name, []).append(pattern)
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def _has(name: str, lang: str) -> bool:
    """Whether the language's event_arguments.tsv has the cue list `name` (the rules that read it apply)."""
    return bool(_lists(lang).get(name))


def _alt(name: str, *langs: str) -> str:
    return "|".join(p for lang in langs for p in _lists(lang).get(name, ()))


@functools.cache
def _list_re(template: str, name: str, lang: str) -> re.Pattern:
    """`template` with ALT replaced by a cue list's alternation, compiled once, case-insensitive: for the cues
    read per language at call time (the language-independent ones are compiled together in _cues)."""
    return re.compile(template.replace("ALT", _alt(name, lang)), re.I)


@dataclass(frozen=True)
class _Cues:
    by: re.Pattern
    passive_en: re.Pattern
    prep_en: re.Pattern
    civilian: re.Pattern
    prep_before: re.Pattern
    reference: re.Pattern
    locative: re.Pattern  # a state named where something happens ("in Syria"), not as an actor
    count: re.Pattern  # a number before a mention: the mention is counted victims ("killed 31 jihadists")
    victim_after: re.Pattern  # words after a mention that make it the victims ("ISIS militants were killed")
    by_other: re.Pattern  # "by" after another participle belongs to it: "a town held by IS"
    from_agent: re.Pattern  # an attacker or weapon "from X": "a suicide bomber from the Nusra Front"
    reporter: re.Pattern  # a reporting verb after a mention: the mention is the source of the report
    modifier_after: re.Pattern  # a mention in a compound modifier is no actor ("Britain-based", "rebel-held")
    agent_in: re.Pattern  # "killed in a <actor> (operation|strike)": the actor of the operation is the agent
    report_of: re.Pattern  # "X dismissed the reports of air strikes": X speaks about the reports, is no agent
    own_denial: re.Pattern  # "X denied carrying out": X denies its own act, so it is that act's agent, not its source
    own_possessive: re.Pattern  # "X said its air strikes killed 100": the act is X's
    own_passive: re.Pattern  # "X said it was attacked": X is the act's target
    heads_ar: frozenset  # words that may stand between an Arabic verb and its subject (its head noun)
    clitic_ar: re.Pattern  # a proclitic preposition and the article: the mention is governed, not a subject


@functools.cache
def _cues() -> _Cues:
    # Both languages' rows go into one pattern (as before the lists became data): a sentence may mix scripts.
    # The English article "the" and the "-ern" adjectives stay in the templates, they are not list members.
    ci = re.I
    return _Cues(
        by=re.compile(rf"(?:{_alt('by', 'en', 'ar')})\s*(?:(?<=\s)the\s+)?(?:(?:{_alt('by_modifier', 'en')})\s+)?$", ci),
        count=re.compile(rf"(?:(?<![\d,.])(?!(?:1[89]|20)\d\d\b)\d[\d,]*|\b(?:{_alt('count', 'en')}))\s+"
                         rf"(?:(?!(?:the|a|an)\s)[^\W\d][\w-]*\s+)?$", ci),
        by_other=re.compile(rf"\b(?:{_alt('by_other', 'en')})\s+by\b", ci),
        from_agent=re.compile(rf"\s*(?:{_alt('from_agent', 'en')})\s+(?:the\s+)?", ci),
        reporter=re.compile(rf"\s+(?:(?:has|have|had|also|later|earlier|on\s+\w+day)\s+)?(?:{_alt('reporting', 'en')})\b", ci),
        modifier_after=re.compile(rf"-(?:{_alt('modifier_after', 'en')})\b", ci),
        agent_in=re.compile(rf"\b(?:{_alt('agent_in', 'en')})\s+(?:(?:an?|the)\s+)?$", ci),
        report_of=re.compile(rf"(?:{_alt('report_of', 'en', 'ar') or '(?!)'})", ci),
        own_denial=re.compile(rf"\s+(?:(?:has|have|had|also|later)\s+)?(?:{_alt('own_denial', 'en') or '(?!)'})\b", ci),
        own_possessive=re.compile(rf"(?:{_alt('own_possessive', 'en', 'ar') or '(?!)'})", ci),
        own_passive=re.compile(rf"(?:{_alt('own_passive', 'en', 'ar') or '(?!)'})", ci),
        victim_after=re.compile(rf"\s*(?:(?:fighters|militants|members|terrorists|jihadists|soldiers|troops|men)\s+)?"
                                rf"(?:{_alt('victim_after', 'en')})\b", ci),
        passive_en=re.compile(rf"\b(?:{_alt('passive_aux', 'en')})\s+(?:\w+ly\s+)?$", ci),
        prep_en=re.compile(rf"\b(?:{_alt('object_prep', 'en')})\s+(?:the\s+)?$", ci),
        civilian=re.compile(_alt("civilian", "en", "ar"), ci),
        prep_before=re.compile(rf"(?:\b(?:{_alt('governing_prep', 'en')})\s+(?:the\s+)?|"
                               rf"(?:^|\s)(?:{_alt('governing_prep', 'ar')})\s+)$", ci),
        reference=re.compile(rf"(?:{_alt('reference', 'en', 'ar')})\s+(?:the\s+)?$", ci),
        locative=re.compile(rf"(?:\b(?:{_alt('locative', 'en')})\s+(?:\w+ern\s+)?(?:the\s+)?|"
                            rf"(?:^|\s)(?:{_alt('locative', 'ar')})\s+|(?:^|\s)(?:{_alt('locative_clitic', 'ar')}))$",
                            ci),
        heads_ar=frozenset(_lists("ar").get("subject_head", ())),
        clitic_ar=re.compile(rf"(?:{_alt('governing_clitic', 'ar')})ال"),
    )
