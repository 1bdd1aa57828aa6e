"""Places the NER model typed otherwise (ORG, PER, MISC over a place name): the rules that read the text around a
name ("Henderson County", "in Kherson", "Ras al-Ain and Darbasiyah") and make it a LOC mention."""
import re

from ..config import settings
from ..lang import by_script, folded_words
from ..spans import SpanIndex
from . import named_for, sites
from .context import contains, fold, names_an_area
from .gazetteer import km, load, quick_key
from .resolve import get, lookup, world_ids


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
# the separators of a written list: "A, B, C and D" (Arabic lists join with و, which _JOINED reads)
_COMMA = re.compile(r"\s*[,،]\s*")
_COMMA_BEFORE = re.compile(r"\s*[,،]\s*\Z")
_LIST_AND = re.compile(r"\s*[,،]?\s*(?:and\s+|or\s+|&\s*|و)\s*")
_AND_INSIDE = re.compile(r"([^\W\d_][^,;:]*?)\s+and\s+([^\W\d_][^,;:]*)")  # one model span over "A and B"
_IN_AREA = re.compile(r"\s+in\s+(?:the\s+)?")
_AREA_WORD_AFTER = re.compile(r"\s+(?:region|province|oblast|governorate|state|district|county|prefecture)\b", re.I)
# a town listed beside a place lies this close to it (a region's towns; far enough for the Sahel's, near enough that
# a person named like a Texan village beside "Damascus" stays a person)
LIST_KM = 1000.0
_MAX_COMPARED = 8  # a name's places compared for nearness (its likeliest; world look-ups give the largest first)


# English locative prepositions that put a name on the map ("shelling in Kherson", "advancing toward Pokrovsk")
_LOCATIVE_EN = re.compile(r"\b(?:in|near|outside|around|toward|towards|into)\s+$", re.I)


def _big_or_area(ids: list[str], min_population: int) -> bool:
    """Whether one of a name's likeliest places (its first five) is a town of `min_population` or more or an area:
    a place name the NER's other type cannot outweigh."""
    return any((p := get(i)) is not None and (p.population >= min_population or p.feature in ("admin1", "admin2"))
               for i in ids[:5])


def retype_located(mentions: list[dict], text: str, min_population: int) -> None:
    """The NER's PER, MISC or ORG right after a locative preposition, over the whole name of a town of
    `min_population` or more or of an area, is a place: the model, trained on other regions' news, reads "in
    Kherson" or "toward Pokrovsk" as a person or an adjective. A smaller town's ("owns horses nearby in Riverdale")
    is weak: it stands only where the text names a place near it (resolve.py), else gets its type back."""
    for m in mentions:
        if m["type"] not in ("PER", "MISC", "ORG") or "entity" in m or m.get("label") \
                or not _LOCATIVE_EN.search(text[max(0, m["start"] - 12):m["start"]]) \
                or re.match(r"['\u2019]s\b", text[m["end"]:m["end"] + 3]):  # "into Warren's possession": a person
            continue
        ids = lookup(text[m["start"]:m["end"]])
        if _big_or_area(ids, min_population):
            m["type"] = "LOC"
        elif ids and m.get("source") == "ner":
            m["ner_type"], m["type"], m["weak"] = m["type"], "LOC", True


def retype_place_names(mentions: list[dict], text: str, min_population: int) -> None:
    """The NER's PER over a name of several words that is, whole, an area or a town of `min_population` or more is
    a place: "South Carolina", "Sioux Falls" and "New Haven" are nobody's name (one word may be: "Georgia",
    "Victoria")."""
    for m in mentions:
        name = text[m["start"]:m["end"]]
        if m.get("source") != "ner" or m["type"] != "PER" or "entity" in m or m.get("label") or " " not in name:
            continue
        if _big_or_area(_known_ids(name), min_population):
            m["type"] = "LOC"


def retype_sites(mentions: list[dict], text: str, min_population: int) -> None:
    """The NER's ORG, MISC or PER over a site named after a place of the curated tier, a town of `min_population` or
    more or an area ("Khartoum International Airport", «سجن صيدنايا»; places/sites.py) is a place: resolution puts
    it at that place."""
    curated = load().places
    for m in mentions:
        if m.get("source") != "ner" or m["type"] not in ("ORG", "MISC", "PER") or "entity" in m or m.get("label"):
            continue
        surface = text[m["start"]:m["end"]]
        # the cheap word test first: most names hold no site word, and a look-up of each in the world tier is not
        # free; then a town called "University of Texas" is that town, no site
        if not sites.place_parts(surface) or _known_ids(surface):
            continue
        ids = sites.place_of(surface, _known_ids)
        if any(i in curated for i in ids[:5]) or _big_or_area(ids, min_population):
            m["type"] = "LOC"


def _known_ids(name: str) -> list[str]:
    """Places of a name taken whole (the curated tier's, else the world tier's populated places and areas)."""
    g = load()
    ids = g.names.get(quick_key(name))
    if ids:
        return list(ids)
    return [i for i in world_ids(name) if (p := get(i)) is not None and p.feature != "continent"]


def _every_id(name: str) -> list[str]:
    """Places of a name taken whole in both tiers ("Athens, Ga.": the curated tier has only the Greek capital)."""
    return list(dict.fromkeys([*load().names.get(quick_key(name), ()), *world_ids(name)]))


def _near(ids: list[str], others: list[str], km_max: float) -> bool:
    """Whether a place of `ids` lies within `km_max` of a place of `others` (a list of towns is one region's)."""
    a = [p for p in (get(i) for i in ids[:_MAX_COMPARED]) if p is not None]
    b = [p for p in (get(i) for i in others[:_MAX_COMPARED]) if p is not None]
    return any(km(x, y) <= km_max for x in a for y in b)


def _placeable(m: dict) -> bool:
    """A model mention that a retyping rule may make a place: a PER, ORG or MISC that is no actor or label."""
    return m["type"] in ("PER", "ORG", "MISC") and not str(m.get("entity", "")).startswith("actor:") \
        and not m.get("label")


def _lists(mentions: list[dict], text: str) -> list[list[dict]]:
    """Runs of mentions written as a list: names separated by commas and ending with "and"/"or" before the last
    ("attacked Menaka, Djibo, Kidal and Tillaberi"); a comma alone joins nothing ("At the Oval, Surrey captain")."""
    runs, cur, seps = [], [], []
    for m in sorted(mentions, key=lambda m: (m["start"], -m["end"])):
        if cur and m["start"] < cur[-1]["end"]:
            continue  # a mention inside another
        sep = text[cur[-1]["end"]:m["start"]] if cur else ""
        kind = "comma" if _COMMA.fullmatch(sep) else "and" if cur and _LIST_AND.fullmatch(sep) else None
        if kind:
            cur.append(m)
            seps.append(kind)
            continue
        if len(cur) > 2 and seps[-1] == "and":
            runs.append(cur)
        cur, seps = [m], []
    if len(cur) > 2 and seps and seps[-1] == "and":
        runs.append(cur)
    return runs


def retype_conjuncts(mentions: list[dict], text: str) -> None:
    """The NER's PER, ORG or MISC over a place name joined by "and" (or "or", «و») to a place mention (or followed
    by "near" one), or in a list with one, is a place: a list of towns is towns ("shelled Jisr al-Shughur and
    Ariha", "seized Lashio and Myawaddy", "attacked Menaka, Djibo, Kidal and Tillaberi"), whatever the model made
    of one of them. A curated name qualifies as it is; a name only the world tier knows when one of its places
    lies within LIST_KM of one of the place mention's (a person called like a Texan village stays a person)."""
    g = load()
    places_ = SpanIndex([m for m in mentions if m["type"] == "LOC"])
    in_list: dict[int, list[dict]] = {}  # a listed name's nearest place mentions in its list, before and after it
    for run in _lists(mentions, text):
        for order in (run, run[::-1]):
            last = None
            for m in order:
                if last is not None:
                    in_list.setdefault(id(m), []).append(last)
                if m["type"] == "LOC":
                    last = m
    for m in mentions:
        if not _placeable(m):
            continue
        # the place mentions that end just before it or start just after it (a joiner is a few characters)
        around = (places_.spans[i] for i in places_.overlapping({"start": m["start"] - _JOIN_CHARS,
                                                                   "end": m["end"] + _JOIN_CHARS}))
        joined = [p for p in around if p is not m and (
            _JOINED.fullmatch(text[p["end"]:m["start"]]) and text[p["end"]:m["start"]].strip() != "near"
            or _JOINED.fullmatch(text[m["end"]:p["start"]]))]
        joined += [p for p in in_list.get(id(m), []) if p not in joined]
        if not joined:
            continue
        name = text[m["start"]:m["end"]]
        if quick_key(name) in g.names or _near(_known_ids(name), [i for p in joined
                                                                  for i in _known_ids(text[p["start"]:p["end"]])],
                                               LIST_KM):
            m["type"] = "LOC"
            m.pop("entity", None)


def split_conjoined(mentions: list[dict], text: str) -> list[dict]:
    """A model mention over two names joined by "and" ("bombed Sittwe and Laukkaing in Shan State", "advanced on
    Vuhledar, Toretsk and Kupiansk") is two place mentions when both names are places within LIST_KM of each
    other, or one is and the pair is in a list with a place or inside an area the text names after it."""
    out = []
    places_ = {m["start"]: m for m in mentions if m["type"] == "LOC"}
    listed = {id(m) for run in _lists(mentions, text) if any(x["type"] == "LOC" for x in run) for m in run}
    for m in mentions:
        parts = _AND_INSIDE.fullmatch(text[m["start"]:m["end"]]) if m.get("source") == "ner" else None
        if parts is None or not _placeable(m):
            out.append(m)
            continue
        a, b = (m["start"] + parts.start(1), m["start"] + parts.end(1)), (m["start"] + parts.start(2), m["end"])
        ids_a, ids_b = _known_ids(text[a[0]:a[1]]), _known_ids(text[b[0]:b[1]])
        both = ids_a and ids_b and _near(ids_a, ids_b, LIST_KM)
        placed = (ids_a or ids_b) and (id(m) in listed or _inside_named_area(ids_a + ids_b, m["end"], places_, text))
        if not (both or placed):
            out.append(m)
            continue
        for s, e in (a, b):
            out.append({k: v for k, v in m.items() if k not in ("entity", "candidates")}
                       | {"start": s, "end": e, "text": text[s:e], "type": "LOC"})
    return out


def _inside_named_area(ids: list[str], end: int, place_mentions: dict[int, dict], text: str) -> bool:
    """Whether the text goes on "in <place>" right after `end` and a place of `ids` lies in that area: the area
    itself, or the first-level area of its place when an area word follows ("Sudzha in Kursk region")."""
    after = _IN_AREA.match(text, end)
    if not after:
        return False
    area = place_mentions.get(after.end())  # the place mentions by where they start
    if area is None:
        return False
    areas = [x for x in (get(i) for i in _known_ids(text[area["start"]:area["end"]])) if x is not None]
    named_area = bool(_AREA_WORD_AFTER.match(text, area["end"]))
    for place in (x for x in (get(i) for i in ids[:_MAX_COMPARED]) if x is not None):
        if any(contains(x, place) or named_area and x.country == place.country and x.admin1
               and x.admin1 == place.admin1 and x.id != place.id for x in areas):
            return True
    return False


def _qualified_by_state(ids: list[str], end: int, place_mentions: dict[int, dict], text: str) -> bool:
    """Whether a comma and a first-level area that holds a place of `ids` follow `end` ("Surprise, Ariz.",
    "Lexington, South Carolina"). Only such an area: a country after a one-word name ("Assad, Syria") is often a
    person's."""
    after = _COMMA.match(text, end)
    area = place_mentions.get(after.end()) if after else None
    if area is None:
        return False
    states = [x for x in (get(i) for i in _known_ids(text[area["start"]:area["end"]])) if x and x.feature == "admin1"]
    return any(contains(a, p) for a in states for p in (get(i) for i in ids) if p is not None)


def _qualifying_state(ids: list[str], start: int, place_ends: dict[int, dict], text: str) -> bool:
    """Whether `ids` hold a first-level area that the place mention before a comma right before `start` lies in
    (the state of "Lexington, South Carolina", read as an organisation)."""
    before = _COMMA_BEFORE.search(text[max(0, start - 4):start])
    town = place_ends.get(max(0, start - 4) + before.start()) if before else None
    if town is None:
        return False
    states = [x for x in (get(i) for i in ids[:_MAX_COMPARED]) if x is not None and x.feature == "admin1"]
    towns = [x for x in (get(i) for i in _every_id(text[town["start"]:town["end"]])) if x is not None]
    return any(contains(a, p) for a in states for p in towns)


def retype_contained(mentions: list[dict], text: str) -> None:
    """The NER's PER, ORG or MISC over a place name followed by "in" and a place mention whose area holds it is a
    place: "Ukraine held Sudzha in Kursk region", "a strike on Myawaddy in Kayin State"; so is one followed by a
    comma and its first-level area, as news writes a town ("Surprise, Ariz."), and that area after its town
    ("Lexington, South Carolina")."""
    places_ = {m["start"]: m for m in mentions if m["type"] == "LOC"}
    place_ends = {m["end"]: m for m in mentions if m["type"] == "LOC"}
    for m in mentions:
        if not _placeable(m):
            continue
        name = text[m["start"]:m["end"]]
        known = _known_ids(name)  # read by two of the tests: looked up once
        if _inside_named_area(known, m["end"], places_, text) \
                or _qualified_by_state(_every_id(name), m["end"], places_, text) \
                or _qualifying_state(known, m["start"], place_ends, text):
            m["type"] = "LOC"
            m.pop("entity", None)


# "Houston-based": the name before it is a place (and lang/<code>/town_modifier_words.tsv: the nouns it modifies)
_BASED = re.compile(r"-based\b")
_NEXT_WORD = re.compile(r"\s+([^\s,;:()\"“”]+)")


def retype_modifiers(mentions: list[dict], text: str, min_population: int) -> None:
    """The NER's ORG or MISC over the whole name of a known place, right before a noun it modifies ("Gainesville
    officials", "a Rolling Meadows resident") or "-based", is the place: a small town's is weak (it stands only
    where the text names a place near it, resolve.py) and gets its type back otherwise."""
    for m in mentions:
        if m.get("source") != "ner" or m["type"] not in ("ORG", "MISC") or "entity" in m or m.get("label"):
            continue
        nxt = _NEXT_WORD.match(text, m["end"])
        nouns = folded_words(by_script(text[m["start"]:m["end"]]), "town_modifier_words.tsv")
        word = fold(nxt.group(1)) if nxt else ""
        if not (_BASED.match(text, m["end"]) or word in nouns or word.rstrip(".!?") in nouns):  # "... officials."
            continue
        ids = _known_ids(text[m["start"]:m["end"]])
        if ids:
            m["ner_type"], m["type"] = m["type"], "LOC"
            if not _big_or_area(ids, min_population):
                m["weak"] = True


def retype_same_name(mentions: list[dict], text: str, min_population: int) -> None:
    """The NER's PER or MISC over exactly the name of a known place that the text gives a place mention elsewhere is
    that place too (one sense per discourse): "Norman" read as a person in a headline where "his Norman home" is a
    place below. Not its ORG: a club named for its town is ORG beside the town in a sports report (CoNLL-2003's
    cost, docs/benchmarks.md stops 34 and 36). Only a known place's name: the model's LOC over a name no table has ("Manafort") is its
    error, not a sense to spread; nor a name the text also writes inside a longer person's name ("Kim" of "Kim
    Jong Un", "Duke" of "David Duke") or as a common word ("Church" beside "the church"). A town of fewer than
    `min_population` people so read is weak: it stands only where the text names a place near it (resolve.py)
    and gets its type back otherwise ("Church", Lancashire, in a story of the Catholic Church)."""
    keys = [quick_key(text[m["start"]:m["end"]]) for m in mentions]  # each mention's name folded once
    named = {k for k, m in zip(keys, mentions) if m["type"] == "LOC" and not m.get("weak")}
    persons = {k for k, m in zip(keys, mentions) if m["type"] == "PER"}
    lower = set(re.findall(r"\b[^\W\d_A-Z]+\b", text)) if any(k.isascii() for k in named) else set()
    named = {k for k in named if k not in lower and not any(o != k and f" {k} " in f" {o} " for o in persons)}
    known: dict[str, list[str]] = {}
    for key, m in zip(keys, mentions):
        if m.get("source") == "ner" and m["type"] in ("PER", "MISC") and _placeable(m) and "entity" not in m \
                and key in named:
            if key not in known:
                known[key] = _every_id(text[m["start"]:m["end"]])
            if not known[key]:
                continue
            m["ner_type"], m["type"] = m["type"], "LOC"
            if not _big_or_area(known[key], min_population):  # a small town's stands beside a place near it
                m["weak"] = True


def retype(mentions: list[dict], text: str) -> list[dict]:
    """Places the NER model typed otherwise: areas named with their area word, towns after a locative preposition,
    several-word place names read as persons, sites named after a town, two towns in one model mention, towns
    joined to a place or inside an area the text names (retype_areas, retype_located, retype_place_names,
    retype_sites, split_conjoined, retype_conjuncts, retype_contained); and the place an organisation is named for,
    a mention of its own inside the organisation's (named_for.py); and a place's name the model reads otherwise
    elsewhere in the text (retype_same_name). Returns the mentions (a split one becomes two)."""
    min_population = settings()["places"]["world_unsupported_min_population"]
    retype_areas(mentions, text)
    retype_located(mentions, text, min_population)
    retype_place_names(mentions, text, min_population)
    retype_sites(mentions, text, min_population)
    mentions = split_conjoined(mentions, text)
    retype_conjuncts(mentions, text)
    retype_contained(mentions, text)
    retype_modifiers(mentions, text, min_population)
    retype_same_name(mentions, text, min_population)
    return mentions + named_for.places_in_names(mentions, text, _known_ids, lambda ids: _big_or_area(ids, min_population))
