"""A place's own name against its other names.

GeoNames lists among a town's alternate names its former names and the names of places merged into it: "Atlantic"
for East Rockaway, "Delaware" for West Point, "Venice" for a suburb of Dayton, "Southport" for Kenosha. Read as that
town, such a name would win wherever the town lies near the text's places, over the place whose own name it is. So
a world-tier place that a name reaches only by one of its other names is a candidate only where no candidate has
that name as its own (`by_own_name`). A spelling of the same name is its own: "Valdai" (Valday), "St. Paul",
"New York City", "Quebec City"; so are the curated tier's names, which were entered as spellings of their place.
"""
from __future__ import annotations

import functools

from marsad.lang import by_script
from marsad.lang import get as get_language
from marsad.lang.skeletons import skeleton

from .gazetteer import Place, quick_key


@functools.lru_cache(maxsize=4096)
def _form(name: str) -> tuple[str, str, str]:
    """A name's folded key, script's language code and consonant skeleton: a name is compared with every
    candidate of every mention, so each is worked out once."""
    code = by_script(name)
    return quick_key(name), code, skeleton(name, code)


@functools.cache
def settlement_words(code: str) -> frozenset[str]:
    """lang/<code>/language.toml [gazetteer] settlement_words: words a place's name may carry or drop."""
    return frozenset(get_language(code).section("gazetteer")["settlement_words"])


def with_settlement_words(longer: str, name: str) -> bool:
    """Whether folded `longer` is folded `name` and settlement words after it ("enfield town", "dublin city")."""
    return longer.startswith(name + " ") and set(longer[len(name):].split()) <= settlement_words(by_script(longer))


def by_own_name(surface: str, p: Place) -> bool:
    """Whether `surface` is `p`'s main name, a spelling of it (the same consonant skeleton), that name with a word
    more ("New York City", "Washington, D.C.") or less, where the word is a settlement word of the language
    ("Enfield" for Enfield Town; but "Washington" is not Washington Court House)."""
    (key, code, shape), (own, own_code, own_shape) = _form(surface), _form(p.name)
    if not key or not own:
        return False
    if key == own or f" {own} " in f" {key} " or with_settlement_words(own, key):
        return True
    return own_code == code and shape == own_shape != ""


def without_other_names(surface: str, ids: list[str], place, curated) -> list[str]:
    """`ids` less the world-tier places `surface` names only by another name, where another candidate has it as
    its own. `place`: id -> Place; `curated`: the ids of the curated tier (kept: their names are spellings)."""
    own = {i for i in ids if by_own_name(surface, place(i))}
    if not own:
        return ids
    return [i for i in ids if i in own or i in curated or place(i).feature == "country"]
