"""Places: the gazetteer (GeoNames via a generated table + a curated supplement) and place resolution.

    match(text) -> [{"start","end","text","type":"LOC","candidates":[ids best-first],"confidence","cue",
                   "after_preposition"}]
    resolve(mentions, text) -> {id: description}; sets mention["entity"]
    describe(place_id) -> description | None   (either tier: curated gazetteer.py, or world.py on disk)
    people_country("Iraqis") -> "IQ"           (demonyms.py)
"""
from ..memo import last_text
from ..spans import SpanIndex
from . import demonyms
from .context import names_an_area
from .datelines import dateline_mentions
from .gazetteer import load
from .governed import governed_mentions
from .resolve import describe, get, lookup, qualified_elsewhere, resolve
from .matching import match as _match
from .namesakes import local_namesakes
from .retyping import retype, retype_areas, retype_conjuncts, retype_located

match = last_text(_match)  # three stages match the same article in a row (marsad/memo.py)


def people_words(text: str, code: str) -> list[tuple[int, int, str]]:
    """(start, end, country) of each plural word for a country's people in a text of language `code`
    («العراقيين»; places/demonyms.py)."""
    return demonyms.people_words(load(), text, code)


def people_mentions(text: str, code: str, mentions: list[dict]) -> list[dict]:
    """MISC mentions of the plural words for a country's people that none of `mentions` covers (the mention stage
    links them as ent:people-<cc>)."""
    taken = SpanIndex(mentions)
    return [{"start": s, "end": e, "text": text[s:e], "type": "MISC", "confidence": 0.9, "source": "people"}
            for s, e, _cc in people_words(text, code) if not taken.overlapping({"start": s, "end": e})]


def people_country(surface: str) -> str | None:
    """The country of a plural word for its people ("Iraqis", "Palestinians"), else None (places/demonyms.py)."""
    return demonyms.people_country(load(), surface)


def name_countries(mentions: list[dict], text: str) -> None:
    """The place a word for a country's people or its adjective names, as the mention's `place` (demonyms.py)."""
    demonyms.name_countries(load(), mentions, text)


__all__ = ["dateline_mentions", "describe", "get", "governed_mentions", "load", "local_namesakes", "lookup", "match",
           "name_countries", "names_an_area",
           "people_country",
           "people_mentions", "people_words", "qualified_elsewhere", "resolve", "retype", "retype_areas",
           "retype_conjuncts", "retype_located"]
