"""Place names written in another script than any GeoNames spelling: matched by their consonant skeleton.

GeoNames lists Arabic spellings for the Arab world but few for Ukraine, the Sahel or Myanmar, so «خاركيف»,
«باخموت» or «زابوريجيا» find no place by name. Both scripts reduce to the same skeleton of consonant classes
(lang/<code>/language.toml [transliteration]: «خاركيف» and "Kharkiv" are K-R-K-F, «زابوريجيا» and
"Zaporizhzhia" Z-B-R-J), and a name no spelling resolves takes the world tier's big places and first-level areas
of its skeleton as candidates; resolution then chooses among them by context, as for any name.

Only places the news is likely to name in a foreign script are indexed (settings.toml [places]
transliterated_min_population, and every admin1 area), only skeletons of at least MIN_CONSONANTS classes are
matched (two consonants name too many places), never a place where the script's language is official (GeoNames
has its spellings there), and a place so found stands only where the text names another place of its country
(resolve._supported): a skeleton is weak evidence, and names of people and streets share them.
"""
from __future__ import annotations

import functools

from marsad.config import settings
from marsad.lang import by_script
from marsad.lang import get as get_language
from marsad.lang.skeletons import skeleton

from . import world
from .gazetteer import Place

MIN_CONSONANTS = 3


@functools.cache
def _index(code: str, min_population: int) -> dict[str, tuple[str, ...]]:
    """Skeleton -> ids of the world tier's places of at least `min_population` and its admin1 areas, biggest
    first, by their main Latin-script name read with the rules of language `code`."""
    out: dict[str, list[str]] = {}
    for gid, pid, name in world.big_places(min_population):
        key = skeleton(name, code)
        if len(key.replace(" ", "")) >= MIN_CONSONANTS:
            out.setdefault(key, []).append(pid or f"geonames:{gid}")
    return {k: tuple(v) for k, v in out.items()}


def candidates(surface: str) -> list[Place]:
    """World places whose Latin name has the skeleton of `surface`, a name in another script (else [])."""
    code = by_script(surface)
    latin = by_script("a")
    if code == latin:
        return []
    key = skeleton(surface, code)
    if len(key.replace(" ", "")) < MIN_CONSONANTS:
        return []
    ids = _index(latin, settings()["places"]["transliterated_min_population"]).get(key, ())
    # where the script's language is official GeoNames has its spellings: a name it lacks there is no place of
    # that skeleton («المنصور», Baghdad's district, is not Mansoura in Algeria)
    home = set(get_language(code).section("gazetteer")["official_in"])
    return [p for p in (world.get(i) for i in ids) if p is not None and p.country not in home]
