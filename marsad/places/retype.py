"""Places the NER model typed otherwise (ORG, PER, MISC over a place name): the rules that read the text around a
name ("Henderson County", "in Kherson", "Ras al-Ain and Darbasiyah") and make it a LOC mention."""
import re

from ..config import settings
from ..spans import SpanIndex
from .context import names_an_area
from .gazetteer import load, quick_key
from .resolve import get, lookup


def retype_areas(mentions: list[dict], text: str) -> None:
    """The NER's ORG or PER over a name that is, whole, an area with its area word ("Henderson County") is LOC."""
    for m in mentions:
        if m.get("source") == "ner" and m["type"] in ("ORG", "PER") and "entity" not in m \
                and names_an_area(text[m["start"]:m["end"]]):
            m["type"] = "LOC"


# what joins two names of a list ("Ras al-Ain and Darbasiyah", «حلب وإدلب»), or puts one next to a place ("Avdiivka
# near Donetsk"); a bare comma does not ("At the Oval, Surrey captain..." names a cricket team)
_JOINED = re.compile(r"\s*,?\s*(?:and\s+|or\s+|&\s*|و|near\s+)\s*")
_JOIN_CHARS = 12  # longer than any text _JOINED matches between two names, with its spaces


# English locative prepositions that put a name on the map ("shelling in Kherson", "advancing toward Pokrovsk")
_LOCATIVE_EN = re.compile(r"\b(?:in|near|outside|around|toward|towards|into)\s+$", re.I)


def retype_located(mentions: list[dict], text: str, min_population: int) -> None:
    """The NER's PER or MISC right after a locative preposition, over the whole name of a town of `min_population`
    or more or of an area, is a place: the model, trained on other regions' news, reads "in Kherson" or "toward
    Pokrovsk" as a person or an adjective."""
    for m in mentions:
        if m["type"] not in ("PER", "MISC") or "entity" in m or m.get("label") \
                or not _LOCATIVE_EN.search(text[max(0, m["start"] - 12):m["start"]]) \
                or re.match(r"['\u2019]s\b", text[m["end"]:m["end"] + 3]):  # "into Warren's possession": a person
            continue
        ids = lookup(text[m["start"]:m["end"]])
        if any((p := get(i)) is not None and (p.population >= min_population or p.feature in ("admin1", "admin2"))
               for i in ids[:5]):
            m["type"] = "LOC"


def retype_conjuncts(mentions: list[dict], text: str) -> None:
    """The NER's PER, ORG or MISC over a name the curated gazetteer knows, joined by "and" (or "or", «و») to a place
    mention (or followed by "near" one), is a place: a list of towns is towns ("shelled Jisr al-Shughur and Ariha",
    "fled to Khan Younis and Deir al-Balah"), whatever the model made of one of them."""
    g = load()
    places_ = SpanIndex([m for m in mentions if m["type"] == "LOC"])
    for m in mentions:
        if m["type"] not in ("PER", "ORG", "MISC") or str(m.get("entity", "")).startswith("actor:") \
                or m.get("label") or quick_key(text[m["start"]:m["end"]]) not in g.names:
            continue
        # the place mentions that end just before it or start just after it (a joiner is a few characters)
        around = (places_.spans[i] for i in places_.overlapping({"start": m["start"] - _JOIN_CHARS,
                                                                   "end": m["end"] + _JOIN_CHARS}))
        if any(_JOINED.fullmatch(text[p["end"]:m["start"]]) and text[p["end"]:m["start"]].strip() != "near"
               or _JOINED.fullmatch(text[m["end"]:p["start"]]) for p in around if p is not m):
            m["type"] = "LOC"
            m.pop("entity", None)


def retype(mentions: list[dict], text: str) -> None:
    """Places the NER model typed otherwise: areas named with their area word, towns after a locative preposition,
    towns joined to a place (retype_areas, retype_located, retype_conjuncts)."""
    retype_areas(mentions, text)
    retype_located(mentions, text, settings()["places"]["world_unsupported_min_population"])
    retype_conjuncts(mentions, text)
