"""Datelines: the capitalised place name that opens a wire story or one of its lines ("KRAMATORSK (Reuters) -",
"TORRINGTON —", "KHARTOUM, Sudan (AP) —") names a place, whatever the NER model made of the capitals (it left
"TORRINGTON" out and read "KRAMATORSK" as an organisation). Latin-script news only: Arabic has no capitals, and
its datelines («دمشق - سانا») are found by the gazetteer like any name.
"""
from __future__ import annotations

import re

from ..spans import SpanIndex
from .resolve import lookup

# one to four words in capitals opening a line or a sentence, or after the story's date when a feed runs headline,
# date and body together ("March 24, 2009 MANSFIELD -- Mansfield Mayor..."), then an optional ", Region" and
# "(Agency)" or date, then a dash or colon and a story in lower case: the reporter's place ("GAZA CITY, Dec 5
# (Reuters) -" too; "CRICKET - LEICESTERSHIRE TAKE OVER" is a sports desk's heading, not Cricket, North Carolina)
_DATELINE = re.compile(r"(?m)(?:^[ \t]*|(?<=[.!?\d] ))"
                       r"(?P<place>[A-Z][A-Z'\u2019.-]+(?:[ \t][A-Z][A-Z'\u2019.-]+){0,3})"  # the place, in capitals
                       r"(?=(?:,[ \t]*[^\n,()]{2,30}?)?"  # ", Region" or ", Dec 5"
                       r"(?:,?[ \t]*\([^)\n]{2,30}\))?"  # "(Reuters)"
                       r"[ \t]*(?:\u2014|\u2013|-{1,2}|:)[ \t](?=[^\n]{0,25}[a-z]))")  # a dash, then the story
_MIN_LETTERS = 3  # "US —" is no dateline town


def dateline_mentions(text: str, mentions: list[dict]) -> list[dict]:
    """Make each dateline's place that the gazetteer knows a LOC mention: the model's ORG/PER/MISC span over exactly
    it is retyped (unless a dictionary linked it: "WASHINGTON" may already be a state's capital), and a dateline
    no mention covers gets a new one (source "dateline"), which the caller adds."""
    taken = SpanIndex(mentions)
    new = []
    for d in _DATELINE.finditer(text):
        start, end = d.span("place")
        if sum(ch.isalpha() for ch in text[start:end]) < _MIN_LETTERS:
            continue
        if not lookup(text[start:end].title()):  # "BREAKING:", "UPDATE -": no place of that name
            continue
        over = taken.overlapping({"start": start, "end": end})
        if not over:
            new.append({"start": start, "end": end, "text": text[start:end], "type": "LOC", "confidence": 0.8,
                        "source": "dateline"})
        for m in (mentions[i] for i in over):
            if (m["start"], m["end"]) == (start, end) and m.get("source") == "ner" and "entity" not in m:
                m["type"] = "LOC"
    return new
