"""Remember a text matcher's (or tokenizer's) answers for the last text it was asked about.

The actor dictionary and the gazetteer are matched over the whole article by three stages each: the mention
stage, the NER features and the technique model's name masking (issue 14 profile: three to four matches
per document). They all ask about the same text in a row, so remembering one answer is enough, and it
costs one string kept alive. Callers may change the mention dicts they get (the mention stage trims and
merges them), so each gets its own copy.
"""
from __future__ import annotations

import copy
import functools
from typing import Callable


_ATOMS = (str, int, float, bool, type(None))


def fresh_copy(value):
    """A copy of matcher output (dicts and lists of strings and numbers) that no caller shares: copy.deepcopy's
    result, built without its per-object memo and dispatch (a 1 MB text has a few hundred thousand values)."""
    if isinstance(value, dict):
        return {k: fresh_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [fresh_copy(v) for v in value]
    if isinstance(value, _ATOMS):
        return value
    return copy.deepcopy(value)


def last_text_calls(fn: Callable[..., list], copy: Callable[[list], list] = list) -> Callable[..., list]:
    """`fn(text, *args)` remembered per `args` for the last text (the NER and the technique model also cut the
    same sentences of one article in turn); each caller gets `copy` of the answer (a list of immutable items
    needs only its own list)."""
    remembered: list = [None]  # (text, {args: answer}): one tuple, replaced whole, so threads never see a half

    @functools.wraps(fn)
    def wrapper(text: str, *args) -> list:
        last = remembered[0]
        if last is None or last[0] is not text and last[0] != text:
            last = remembered[0] = (text, {})
        if args not in last[1]:
            last[1][args] = fn(text, *args)
        return copy(last[1][args])

    wrapper.uncached = fn
    return wrapper


def last_text(match: Callable[[str], list[dict]]) -> Callable[[str], list[dict]]:
    """A matcher remembered for the last text; its mention dicts are copied for each caller, who may change them."""
    return last_text_calls(match, copy=fresh_copy)
