"""A place's own name against its other names.

GeoNames lists among a town's alternate names its former names and the names of places merged into it: "Atlantic"
for East Rockaway, "Delaware" for West Point, "Venice" for a suburb of Dayton, "Southport" for Kenosha. Read as that
town, such a name would win wherever the town lies near the text's places, over the place whose own name it is. So
a world-tier place that a name reaches only by one of its other names is a candidate only where no candidate has
that name as its own (`by_own_name`). A spelling of the same name is its own: "Valdai" (Valday), "St. Paul",
"New York City", "Quebec City"; so are the curated tier's names, which were entered as spellings of their place.
"""
from __future__ import annotations

from marsad.lang import by_script
from marsad.lang import get as get_language
from marsad.lang.skeletons import skeleton

from .gazetteer import Place, quick_key


def by_own_name(surface: str, p: Place) -> bool:
    """Whether `surface` is `p`'s main name, a spelling of it (the same consonant skeleton), that name with a word
    more ("New York City", "Washington, D.C.") or less, where the word is a settlement word of the language
    ("Enfield" for Enfield Town; but "Washington" is not Washington Court House)."""
    key, own = quick_key(surface), quick_key(p.name)
    if not key or not own:
        return False
    code = by_script(surface)
    words = set(get_language(code).section("gazetteer")["settlement_words"])
    if key == own or f" {own} " in f" {key} " \
            or own.startswith(key + " ") and set(own[len(key):].split()) <= words:
        return True
    return by_script(p.name) == code and skeleton(surface, code) == skeleton(p.name, code) != ""


def without_other_names(surface: str, ids: list[str], place, curated) -> list[str]:
    """`ids` less the world-tier places `surface` names only by another name, where another candidate has it as
    its own. `place`: id -> Place; `curated`: the ids of the curated tier (kept: their names are spellings)."""
    own = [i for i in ids if by_own_name(surface, place(i))]
    if not own:
        return ids
    return [i for i in ids if i in own or i in curated or place(i).feature == "country"]
