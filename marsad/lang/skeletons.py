"""Consonant skeletons of names, in any script with rules (lang/<code>/language.toml [transliteration]): what a
name written in one script shares with its spelling in another. «خاركيف» and "Kharkiv" are both K-R-K-F,
«زابوريجيا» and "Zaporizhzhia" Z-B-R-J (places/transliteration.py matches names so; the gazetteer builder tells a
place's transliterations from other names with it).
"""
from __future__ import annotations

import functools
import re

from . import by_script
from . import get as get_language

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
