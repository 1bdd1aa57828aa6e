"""Modality and attribution of an event: asserted | reported | planned | hypothetical | negated, and who the text
attributes a reported claim to (`claimed_by`).

Cues are data (lang/<code>/modality_cues.tsv): each has a modality (or `background`, a cumulative toll's cue, or
`history`, an event told as history: `told_as_history`), a scope (before/after the trigger in its clause,
or anywhere in the sentence), a window in words, and for reporting cues where the speaker stands. Precedence when
several apply: negated > hypothetical > planned > reported > asserted (a report of a plan is a plan; who said it
is still kept in claimed_by). A cue inside the trigger itself ("agreed to evacuate") does not count.
"""
from __future__ import annotations

import functools

from marsad.lang import data_file, read_list

from . import triggers as T

ORDER = ("negated", "hypothetical", "planned", "reported")
_SPEAKER_KINDS = {"person", "media", "organization", "state", "armed_force", "armed_group", "political_group", "other"}


def assess(text: str, lang: str, toks, cue_hits, sentence: tuple[int, int], clause: tuple[int, int],
           trigger: tuple[int, int], mentions: list[dict], entities: dict) -> tuple[str, str | None]:
    """(modality, claimed_by entity id or None) of the event whose trigger spans `trigger`."""
    found: dict[str, tuple[int, T.Hit]] = {}
    t0, t1 = trigger
    for h in cue_hits:
        d = T.data(h)
        if h.start < t1 and t0 < h.end:
            continue
        if not (sentence[0] <= h.start < sentence[1]):
            continue
        scope, window = d.get("scope") or "before", d["window"]
        if scope == "sentence":
            if h.end <= t0:
                dist = T.word_count(toks, h.end, t0)
            elif T.word_count(toks, h.end, sentence[1]) <= 8 or clause[0] <= h.start < clause[1]:
                dist = T.word_count(toks, t1, h.start)  # a closing attribution: "..., the ministry said."
            else:
                continue
        elif scope == "before":
            if not (clause[0] <= h.start and h.end <= t0):
                continue
            dist = T.word_count(toks, h.end, t0)
        elif scope == "after":
            if not (t1 <= h.start and h.end <= clause[1]):
                continue
            dist = T.word_count(toks, t1, h.start)
        else:  # around
            if not (clause[0] <= h.start < clause[1]):
                continue
            dist = T.word_count(toks, min(h.end, t1), max(h.start, t0))
        if dist > window and not (d["modality"] == "reported" and h.end <= t0 and _complement(text, lang, h)):
            continue
        mod = d["modality"]
        if mod not in ORDER:
            continue
        if mod not in found or dist < found[mod][0]:
            found[mod] = (dist, h)
    modality = next((m for m in ORDER if m in found), "asserted")
    claimed = None
    if "reported" in found:
        claimed = speaker(found["reported"][1], sentence, mentions, entities)
    return modality, claimed


def told_as_history(text: str, toks, cue_hits, trigger: tuple[int, int]) -> bool:
    """Whether a `history` cue stands right before the trigger, in its clause ("three years after militants seized
    the city", «قبل ثلاث سنوات سيطر»): the event is told as history, not as this report's news, and is not dated
    to the publication. `cue_hits`: the cues of the trigger's sentence."""
    t0 = trigger[0]
    for h in cue_hits:
        d = T.data(h)
        if d["modality"] == "history" and h.end <= t0 and T.word_count(toks, h.end, t0) <= d["window"] \
                and not T.clause_break(text, h.end, t0):
            return True
    return False


@functools.cache
def _complementizers(lang: str) -> frozenset[str]:
    """lang/<code>/complementizers.txt, casefolded; none for a language without the file."""
    return frozenset(w.casefold() for w in read_list(data_file(lang, "complementizers.txt")))


def _complement(text: str, lang: str, cue: T.Hit) -> bool:
    """A complementizer within six words after the reporting cue: a reporting verb followed by one ("the army
    said in a statement that ...", «قال ... إن») reports everything after it in its sentence."""
    words = text[cue.end:cue.end + 80].split()[:6]
    comp = _complementizers(lang)
    return any(w.strip(".,،:;\"'«»").casefold() in comp for w in words)


def speaker(cue: T.Hit, sentence: tuple[int, int], mentions: list[dict], entities: dict) -> str | None:
    """The source of a reported claim: the mention after "according to"/"قال"/"أفادت", or before "said"."""
    where = T.data(cue).get("source") or "either"
    ms = [m for m in mentions if sentence[0] <= m["start"] < sentence[1]
          and (entities.get(m["entity"]) or {}).get("kind") in _SPEAKER_KINDS]
    after = [m for m in ms if cue.end <= m["start"] <= cue.end + 40]
    before = [m for m in ms if m["end"] <= cue.start and cue.start - m["end"] <= 40]
    if where == "either":
        # "..., said the monitor": a speaker after the verb stands right after it; one further on is in what was
        # said ("the coalition said its strikes killed 100 militants")
        after = [m for m in after if m["start"] - cue.end <= 20]
        if after and before:  # "X said the army ...": the nearer one speaks
            nearer_after = after[0]["start"] - cue.end < cue.start - before[-1]["end"]
            return (after[0] if nearer_after else before[-1])["entity"]
    if where in ("after", "either") and after:
        return after[0]["entity"]
    if where in ("before", "either") and before:
        return before[-1]["entity"]
    if where == "after" and before and T.data(cue)["modality"] == "reported":
        return before[-1]["entity"] if cue.start - before[-1]["end"] <= 15 else None
    return None
