"""Definite nouns that refer back to a named actor: «حزب الله ... وقال الحزب» (the party: Hezbollah), "the Wagner
Group ... the group said". The forms and the head word each looks for are language data
(lang/<code>/anaphora_heads.tsv); the antecedent is the last actor mention before the form whose name holds that
head word. Only a head the antecedent's own name carries links them, so a reference never jumps to an actor of
another kind ("the party" is never the army)."""
from __future__ import annotations

import bisect
import functools
import re

from ..lang import data_file, fold_for_matching, read_rows
from ..spans import SpanIndex

CONFIDENCE = 0.6  # below a name's own: the link is read from the words around it


@functools.lru_cache(maxsize=8)
def _forms(code: str) -> tuple[re.Pattern | None, dict[str, str]]:
    """A pattern over the folded text for the language's forms, and form -> head word (both folded)."""
    heads = {fold_for_matching(row[0].strip()).text: fold_for_matching(row[1].strip()).text
             for row in read_rows(data_file(code, "anaphora_heads.tsv")) if len(row) >= 2 and row[0].strip()}
    if not heads:
        return None, {}
    alternatives = "|".join(re.escape(f) for f in sorted(heads, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), heads


def references(text: str, lang: str, mentions: list[dict]) -> list[dict]:
    """New mentions for the definite forms that refer back to an actor named before them (entity and type the
    antecedent's, `source` "anaphora"); `mentions`: the record's mentions so far, with their entities."""
    pattern, heads = _forms(lang)
    if pattern is None:
        return []
    heads_wanted = set(heads.values())
    by_head: dict[str, list[dict]] = {}  # head word -> the actor mentions whose name holds it, in text order
    for m in sorted((m for m in mentions if str(m.get("entity", "")).startswith("actor:")), key=lambda m: m["start"]):
        for h in heads_wanted.intersection(fold_for_matching(text[m["start"]:m["end"]]).text.split()):
            by_head.setdefault(h, []).append(m)
    if not by_head:
        return []
    starts = {h: [m["start"] for m in ms] for h, ms in by_head.items()}
    folded = fold_for_matching(text)
    taken = SpanIndex(mentions)
    out: list[dict] = []
    for hit in pattern.finditer(folded.text):
        head = heads[hit.group()]
        if head not in by_head:
            continue
        start, end = folded.span(hit.start(), hit.end())
        if text[start:end].split()[-1][:1].isupper() or taken.overlapping({"start": start, "end": end}):
            continue  # "the Party of God": a name; «الحزب الشيوعي»: another mention's words
        k = bisect.bisect_left(starts[head], start) - 1
        while k >= 0 and by_head[head][k]["end"] > start:
            k -= 1
        if k >= 0:
            antecedent = by_head[head][k]
            out.append({"start": start, "end": end, "text": text[start:end], "type": antecedent["type"],
                        "entity": antecedent["entity"], "confidence": CONFIDENCE, "source": "anaphora"})
    return out
