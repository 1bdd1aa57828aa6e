"""Mentions that are not an event's agent, whatever their place in the clause (English wire copy; the rules read
the words around a mention, never its name or side, so every side is read alike):

  - the speaker of a report, named with the words that describe it ("Leading Syrian opposition figure George Sabra
    said the attack ...", "the Hezbollah military media unit said", "French Foreign Minister Laurent Fabius said"):
    a mention followed by at most five words and a reporting verb before the trigger speaks about the event (a
    mention right before the verb is already read as the source: arguments._victim);
  - a dateline ("Beirut London- Warplanes ..."): a name followed by a dash and a space opens the story, it does not
    modify the noun after it ("Russian-backed", with no space, still does).
"""
from __future__ import annotations

import re

from .argument_cues import _cues

_DATELINE = re.compile(r"\s*[-–—]\s")
_DENIAL = re.compile(r"den(?:ied|ies|y)$", re.I)


def speaks_through(text: str, m: dict, t0: int) -> bool:
    """The mention and at most five words after it (no punctuation between) are the subject of a reporting verb
    that ends before the trigger at t0 (its mention is the speaker, not the agent)."""
    end = m.get("phrase_end", m["end"])
    for k in (1, 2, 3, 4, 5):
        words = re.match(r"(?:\s+[\w'’.-]+){%d}" % k, text[end:t0])
        if words is None or re.search(r"[,;:()\"“”]", words.group(0)):
            return False
        verb = _cues().reporter.match(text, end + words.end())
        if verb and end + words.end() + verb.end() - verb.start() <= t0:
            # a denial is no report: "Government and opposition forces have both denied using chemical weapons"
            # keeps its agent (a negated event's)
            return not _DENIAL.match(verb.group(0).split()[-1])
    return False


def dateline(text: str, m: dict) -> bool:
    """The mention is a dateline's place, followed by a dash and a space ("London- Warplanes ...")."""
    return bool(_DATELINE.match(text, m["end"]))
