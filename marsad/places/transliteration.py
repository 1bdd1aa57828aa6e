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
import re

from marsad.config import settings
from marsad.lang import by_script
from marsad.lang import get as get_language

from . import world
from .gazetteer import Place

MIN_CONSONANTS = 3


_REPEATED = re.compile(r"(.)\1+")


@functools.cache
def _rules(code: str) -> tuple[re.Pattern, dict[str, str], re.Pattern | None, re.Pattern | None, dict[str, str]]:
    """A language's letters and letter groups (digraphs first, longest first) as one pattern, their classes (none:
    the language is not matched by skeleton), its articles at the start of a name and its abbreviated words."""
    t = get_language(code).section("transliteration")
    classes = {**t["consonants"], **t["digraphs"]}
    groups = sorted(t["digraphs"], key=len, reverse=True)
    letters = re.compile("|".join([*map(re.escape, groups), r"\s", "."]), re.S)
    articles = sorted(t["articles"], key=len, reverse=True)
    glued = any(not a.isascii() for a in articles)  # «الفاشر»: the Arabic article is part of the word
    article = re.compile("^(?:" + "|".join(map(re.escape, articles)) + (")" if glued else r")[\s-]+")) \
        if articles else None
    words = re.compile(r"\b(" + "|".join(map(re.escape, t["words"])) + r")\b\.?") if t["words"] else None
    return letters, classes, article, words, t["words"]


def skeleton(name: str, code: str | None = None) -> str:
    """The consonant classes of a name, repeated classes once, words apart: "Kharkiv" and «خاركيف» -> "KRKF"."""
    letters, classes, article, words, written = _rules(code or by_script(name))
    if not classes:
        return ""
    s = name.strip().lower()
    s = words.sub(lambda m: written[m.group(1)], s) if words else s  # "St. Petersburg": "saint petersburg"
    s = article.sub("", s) if article else s
    out = "".join(classes.get(c, " " if c.isspace() else "") for c in letters.findall(s))
    return " ".join(_REPEATED.sub(r"\1", out).split())


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
