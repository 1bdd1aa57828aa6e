"""Places: the gazetteer (GeoNames via a generated table + a curated supplement) and place resolution.

    match(text) -> [{"start","end","text","type":"LOC","candidates":[ids best-first],"confidence","cue",
                   "after_preposition"}]
    resolve(mentions, text) -> {id: description}; sets mention["entity"]
    describe(place_id) -> description | None
"""
from ..memo import last_text
from .gazetteer import describe, load
from .resolve import lookup, resolve
from .resolve import match as _match

match = last_text(_match)  # three stages match the same article in a row (marsad/memo.py)

__all__ = ["describe", "load", "lookup", "match", "resolve"]
