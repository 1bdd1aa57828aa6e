"""Places: the gazetteer (GeoNames via a generated table + a curated supplement) and place resolution.

    match(text) -> [{"start","end","text","type":"LOC","candidates":[ids best-first],"confidence","cue",
                   "after_preposition"}]
    resolve(mentions, text) -> {id: description}; sets mention["entity"]
    describe(place_id) -> description | None
"""
from .gazetteer import describe, load
from .resolve import lookup, match, resolve

__all__ = ["describe", "load", "lookup", "match", "resolve"]
