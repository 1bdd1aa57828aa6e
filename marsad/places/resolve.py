"""Place mentions resolved to one place by context (the gazetteer's own matches: matching.py), and the look-ups of a
name in both tiers."""
from __future__ import annotations

import functools
import math
import re

from marsad.config import settings
from marsad.lang import by_script, data_file, read_rows

from . import context, demonyms, own_names, sites, transliteration, world
from .gazetteer import DATA, WATER_FEATURES, WIDE_FEATURES, Gazetteer, Place, by_prior, km, load, quick_key, stoplist
from .matching import LATIN

# The curated tier (geonames.tsv + supplement: the focus region complete, the world's big places) is preferred to
# a world-tier place of the same name when nothing in the text decides between them.
CURATED_BONUS = 1.0
LOCAL_KM = 50.0  # a weak mention's place needs another place of the text this near (or in its first-level area)
MAX_REPORTED = 5  # candidates a mention reports in its "candidates" field
COUNTY_WORDS = ("County", "Parish")  # the words US admin2 names end in (GeoNames: "Clarke County", "Orleans Parish")
_COUNTIES = re.compile(r"\b(?:[Cc]ount(?:y|ies)|[Pp]arish(?:es)?)\b")  # a text that speaks of counties
AREA_CUE_BONUS, TOWN_CUE_BONUS = 2.0, 1.0  # "Idlib province" is the area; "the town of Idlib" the town
_ACRONYM = re.compile(r"[A-Z]{2,4}")


def get(place_id: str) -> Place | None:
    """A place of either tier by id: the curated tier first (its admin1, when blank, from the world tier's row of
    the same GeoNames place), then the world tier (world.py)."""
    p = load().places.get(place_id)
    if p is None:
        return world.get(place_id)
    if not p.admin1 and p.feature not in ("country", "region"):
        w = world.get(place_id)
        if w is not None and w.admin1:
            p.admin1 = w.admin1
    return p


def describe(place_id: str) -> dict | None:
    p = get(place_id)
    return p.describe() if p else None


def _world_ids(g: Gazetteer, name: str) -> list[str]:
    """World-tier places of a name, largest first (a place both tiers hold is the same id: the world tier knows
    more of its spellings, "Prishtina" for Pristina); an admin1 area of a country whose areas are curated (Syria's
    governorates) is left to the curated one; names stopped as 'never' (stop_en.txt: "Old City") are no place."""
    key = quick_key(name)
    abbreviation = name.strip().endswith(".")  # "Ky.", "Pa.": a state as datelines write it (build_world.py)
    if (len(key.replace(" ", "")) < 3 and not abbreviation) or stoplist().get(key) == "never" \
            or _ACRONYM.fullmatch(name.strip()):
        return []  # "IS" (Islamic State) is no village called Is
    out = []
    for p in [p for spelling in (name, *_spelled_out(name)) for p in world.lookup(spelling)]:
        if p.feature == "admin1" and (p.country, p.admin1) in g.curated_admin1 or p.id in out:
            continue
        out.append(p.id)
    if LATIN.search(name) and not abbreviation:  # "Riverdale": no city that GeoNames also lists under that name
        out = own_names.without_other_names(name, out, lambda i: g.places.get(i) or world.get(i), g.places)
    return out


@functools.lru_cache(maxsize=8)
def _short_forms(code: str) -> dict[str, str]:
    """A language's short forms of place-name words and their full spelling (lang/<code>/place_abbreviations.tsv)."""
    return {row[0].strip(): row[1].strip() for row in read_rows(data_file(code, "place_abbreviations.tsv"))
            if len(row) >= 2}


def _spelled_out(name: str) -> list[str]:
    """The name with its first word's short form spelled out: "Mt. Pleasant" -> ["Mount Pleasant"]."""
    first, sep, rest = name.strip().partition(" ")
    full = _short_forms(by_script(name)).get(first.rstrip("."))
    return [f"{full} {rest}"] if full and rest else []


@functools.cache
def _area_codes() -> dict[str, tuple[str, ...]]:
    """ISO 3166-2 code -> the first-level areas of that code ("WA": Washington and Western Australia;
    data/places/area_codes.tsv, build_area_codes.py)."""
    out: dict[str, tuple[str, ...]] = {}
    for row in read_rows(DATA / "area_codes.tsv"):
        if len(row) >= 3:
            out[row[0]] = out.get(row[0], ()) + (row[2],)
    return out


def _county_ids(g: Gazetteer, name: str) -> list[str]:
    """The second-level areas a bare name stands for in local news ("Gwinnett" for Gwinnett County, "Clarke and
    Oconee counties"): the world tier's admin2 areas named with the name and a county word."""
    return [i for word in COUNTY_WORDS for i in _world_ids(g, f"{name} {word}") if world.get(i).feature == "admin2"]


def world_ids(name: str) -> list[str]:
    """The world tier's places of a name taken whole, largest first (the same guards as resolution's)."""
    return _world_ids(load(), name)


def lookup(name: str) -> list[str]:
    """Place ids for a name as a whole (an NER mention's text), best prior first; [] when unknown."""
    g = load()
    ids = g.names.get(quick_key(name))
    if ids:
        return by_prior(g, ids)
    s = re.sub(r"^(?:the|The)\s+", "", name.strip())
    whole = _world_ids(g, s)
    if whole:  # the whole name in the world tier before a part of it in the curated one ("New Mexico", not Mexico)
        return whole
    ms = [m for m in g.index.find(s) if m.end - m.start >= 0.6 * len(s) and not context.after_name_head(s, m.start)]
    return by_prior(g, [pid for m in ms for pid, flag in m.payloads if flag != "cue"])


def _cue_bonus(cue: str | None, p: Place) -> float:
    if cue == "area" and p.feature in ("admin1", "admin2", "region"):
        return AREA_CUE_BONUS
    if cue == "town" and p.feature in ("city", "town", "village", "capital"):
        return TOWN_CUE_BONUS
    return 0.0


def _score(p: Place, countries: dict[str, int], admin1s: dict[str, int], anchors: list[Place],
           neighbours: set[str]) -> float:
    s = p.prior
    if countries.get(p.country):
        s += 2.0 + 0.2 * min(countries[p.country], 5)
    elif p.country in neighbours:
        s += 1.5
    if p.admin1 and admin1s.get((p.country, p.admin1)):
        s += 1.5
    near = [km(p, a) for a in anchors if a.id != p.id]
    if near and p.feature != "country":
        s += 2.0 * math.exp(-min(near) / 100.0)
    return s


def _candidates(g: Gazetteer, m: dict, text: str, cue: str | None,
                counties: bool = False) -> tuple[list[str], bool | str]:
    """A mention's candidate places: the curated tier's (from the matcher, or the whole name looked up), then
    the world tier's places of the same name, or the places a site is named for ("site"); else those of its
    consonant skeleton (and True: found so). `counties`: the text speaks of counties or parishes."""
    surface = m.get("text") or text[m["start"]:m["end"]]
    if context.in_idiom(text, m["start"]):  # a model's LOC over «مسقط رأس»
        return [], False
    ids = [i for i in (m.get("candidates") or []) if i in g.places] or \
        [i for i in lookup(surface) if i in g.places]
    if cue == "area" and LATIN.search(surface):  # "Homs and Aleppo Governorates": the curated areas
        ids += [i for word in ("province", "governorate") for i in g.names.get(quick_key(f"{surface} {word}"), [])
                if i not in ids]
    whole = _world_ids(g, surface)
    ids += [i for i in whole if i not in ids]
    if LATIN.search(surface) and not surface.strip().endswith("."):  # "Delaware": the state, not a village GeoNames
        # also lists under that name ("Pa.", "Kan.": a state's abbreviation is no name of its own)
        ids = own_names.without_other_names(surface, ids, lambda i: g.places.get(i) or world.get(i), g.places)
    # a county named without its area word, as local news names it: "Clarke and Oconee counties", a lone
    # "Gwinnett", "Richland" in a text that speaks of counties; never a state's name ("Iowa" is no Iowa County)
    if LATIN.search(surface) and (cue == "area" or not ids or counties) \
            and not any((g.places.get(i) or world.get(i)).feature in ("admin1", "country") for i in ids):
        ids += [i for i in _county_ids(g, surface) if i not in ids]
    # "Khartoum International Airport", «مطار دمشق الدولي»: a site no table lists, at the place it is named for
    site = [] if whole or quick_key(surface) in g.names else \
        sites.place_of(surface, lambda name: [*g.names.get(quick_key(name), ()), *_world_ids(g, name)])
    if site:
        ids, m["site"] = list(dict.fromkeys(site)), True
    area = context.area_name(surface)
    if area:  # "Anbar province", «محافظة الأنبار»: the areas of that name
        ids += [i for i in _world_ids(g, area) if i not in ids and world.get(i).feature in ("admin1", "admin2")]
    if not ids or demonyms.in_table(surface):  # "Canadian": Canada, beside the towns of that name
        ids += [i for i in demonyms.country_place(g, surface) if i not in ids]
    if not ids and _ACRONYM.fullmatch(surface.strip()):  # "Louisville, KY", "Surrey, BC": an area, where the text
        coded = [i for i in _area_codes().get(surface.strip(), ()) if world.get(i)]  # names its country's places
        if coded:
            return coded, "code"
    state = None if ids else context.country_long_form(surface)
    if state:  # "the Republic of Armenia": the country of that name
        ids = [i for i in lookup(state) if i in g.places and g.places[i].feature == "country"]
    # "Red Sea state", «ولاية البحر الأحمر»: an area (or a town), never the sea; «الشرق الأوسط» in quotation marks:
    # the newspaper, not the region
    quoted = context.quoted_alone(text, m["start"], m["end"])
    unfit = (WATER_FEATURES if cue else ()) + (WIDE_FEATURES if quoted else ())
    if unfit:
        ids = [i for i in ids if (g.places.get(i) or world.get(i)).feature not in unfit]
    if ids or context.water_named(text, m["start"], m["end"]):
        return ids, "site" if site else False
    found = transliteration.candidates(surface)  # «خاركيف»: no spelling, its skeleton
    if context.admin_word_before(text, m["start"]):  # «ولاية راخين»: an area, never Regina
        found = [p for p in found if p.feature in ("admin1", "admin2", "region")]
    return [p.id for p in found], True


def _qualified(places: dict[str, Place], ids: list[str], text: str, m: dict) -> tuple[list[str], bool]:
    """Candidates inside the area a qualifier right after the mention names ("Prague, Oklahoma"): only those
    when there are any (and True: the text supports them)."""
    q = context.qualifier_text(text, m["end"])
    if not q:
        return ids, False
    areas = [get(i) for i in lookup(q.rstrip("."))] + [get(i) for i in lookup(q)]
    areas = [a for a in areas if a is not None and a.feature in ("admin1", "admin2", "region", "country")]
    inside = [i for i in ids if any(context.contains(a, places[i]) for a in areas)]
    if not inside:  # a small town the name's biggest namesakes crowd out of the candidates
        for p in (w for a in areas for w in world.lookup_in(m.get("text") or text[m["start"]:m["end"]], a)):
            places.setdefault(p.id, p)
            inside.append(p.id)
    return (list(dict.fromkeys(inside)), True) if inside else (ids, False)


def qualified_elsewhere(place_id: str, text: str, end: int) -> bool:
    """Whether a qualifier right after a name puts it in an area that does not hold `place_id` while another place
    of that name lies there: "Paris, Ky." is not the capital that "Paris" names as France's metonym."""
    q = context.qualifier_text(text, end)
    p = get(place_id)
    if not q or p is None:
        return False
    areas = [a for a in (get(i) for i in lookup(q.rstrip(".")) + lookup(q))
             if a is not None and a.feature in ("admin1", "admin2", "region", "country")]
    if not areas or any(context.contains(a, p) for a in areas):
        return False
    return any(world.lookup_in(p.name, a) for a in areas)


def _qualifiers_are_areas(locs: list[dict], cands: list[list[str]], qualified: list[bool],
                          places: dict[str, Place], text: str) -> None:
    """The qualifier of "Prague, Oklahoma" is the area that holds one of the first name's places (the state, not
    Oklahoma City): its candidates are narrowed to those areas."""
    order = sorted(range(len(locs)), key=lambda k: locs[k]["start"])
    for a, b in zip(order, order[1:]):
        if not re.fullmatch(r"\s*,\s*", text[locs[a]["end"]:locs[b]["start"]]):
            continue
        areas = [c for c in cands[b] if any(context.contains(places[c], places[x]) for x in cands[a])]
        if areas:
            cands[b], qualified[b] = areas, True


def _supported(p: Place, g: Gazetteer, qualified: bool, countries: dict[str, int], skeletal: bool | str = False) -> bool:
    """A curated place always stands; a place only the world tier knows, in a text whose other places all lie in
    other countries, needs the text's support (settings.toml [places] world_unsupported_min_population); one
    found by its consonant skeleton alone needs another place of its country in the text, or, in a text with no
    other place, to be a town that size («كردستان» is no Iranian province, «شعفاط» no Croatian town); a world-tier
    place a site is named for (`skeletal` "site") needs a place of its country in the text, or to be a town that
    size in a text with no other place."""
    if skeletal == "code":  # "KY", "BC": only beside a place of its country (or after a town: "Louisville, KY")
        return qualified or bool(countries.get(p.country))
    big = p.population >= settings()["places"]["world_unsupported_min_population"]
    if skeletal == "site":  # "Trent Bridge" in a text of English towns is no bridge of Trento
        return p.id in g.places or qualified or bool(countries.get(p.country)) or not any(countries.values()) and big
    if skeletal:
        alone = not any(countries.values()) and big and p.feature not in ("admin1", "admin2")
        return qualified or bool(countries.get(p.country)) or alone
    if p.id in g.places or qualified or countries.get(p.country) or not any(countries.values()):
        return True
    return big


def _drop_unsupported_weak(locs: list[dict], chosen: list[str | None], places: dict[str, Place], text: str,
                           known: list[Place]) -> None:
    """A weak mention (a small town's one-word name read from an organisation's name or as a modifier: "Torrington
    Fire Department", "Gainesville officials") keeps its place only where the text names another place, or the
    outlet's home is, in the same first-level area or within LOCAL_KM of it ("Transit Police" in a New York story is
    no village of Ohio)."""
    if not any(m.get("weak") for m in locs):
        return
    keys = [quick_key(m.get("text") or text[m["start"]:m["end"]]) for m in locs]
    for k, m in enumerate(locs):
        p = places.get(chosen[k]) if chosen[k] else None
        if not m.get("weak") or p is None:
            continue
        others = [places[c] for j, c in enumerate(chosen) if c and keys[j] != keys[k] and c != p.id] + known
        if not locally_supported(p, others):
            chosen[k] = None


def locally_supported(p: Place, others: list[Place]) -> bool:
    """Whether one of `others` (below country level) lies in `p`'s first-level area or within LOCAL_KM of it."""
    return any(o.feature != "country" and o.id != p.id and (o.country == p.country and o.admin1 and o.admin1 == p.admin1
                                                             or km(o, p) <= LOCAL_KM) for o in others)


def _name_families(keys: list[str], roots: list[str]) -> list[list[int]]:
    """For each mention (its folded name and name root), the other mentions of its place's name in longer ones
    ("Dublin City", "Dublin Veterinary Clinic" beside "Dublin", context.name_roots): one place, however often
    named, is no context for itself."""
    members: dict[str, list[int]] = {}
    for j, root in enumerate(roots):
        members.setdefault(root, []).append(j)
    return [[j for j in members[root] if keys[j] != keys[k]] for k, root in enumerate(roots)]


def resolve(mentions: list[dict], text: str, known: tuple[str, ...] = (), home: tuple[str, ...] = ()) -> dict[str, dict]:
    """Pick one place for each LOC mention (sets mention["entity"]); return descriptions of the ids used. `known`:
    places the text names that are already decided (a state's territory: "Ukraine" named as an actor), which count
    as context like the places chosen here; `home`: the outlet's home area (places/home.py), context the same way."""
    g = load()
    known_places = {i: p for i, p in ((i, get(i)) for i in dict.fromkeys((*known, *home))) if p is not None}
    locs = [m for m in mentions if m.get("type", "LOC") == "LOC"]
    places: dict[str, Place] = {}
    places.update(known_places)
    cands: list[list[str]] = []
    cues: list[str | None] = []
    qualified: list[bool] = []
    by_skeleton: list[bool | str] = []
    counties = bool(locs) and bool(_COUNTIES.search(text))  # searched once: a long text has thousands of names
    for m in locs:
        cue = context.area_cue(text, m["start"], m["end"])
        ids, skeletal = _candidates(g, m, text, cue, counties)
        by_skeleton.append(skeletal)
        for i in ids:
            if i not in places:
                places[i] = get(i)
        ids, q = _qualified(places, ids, text, m)
        cands.append(ids)
        qualified.append(q)
        cues.append(cue)
    _qualifiers_are_areas(locs, cands, qualified, places, text)
    keys = [quick_key(m.get("text") or text[m["start"]:m["end"]]) for m in locs]
    roots = context.name_roots(keys, [bool(m.get("site")) for m in locs])
    near_names = context.near_name_bonus(roots, cands, places)
    at_home = context.home_bonus([known_places[i] for i in home if i in known_places], list(places.values()))
    chosen: list[str | None] = [ids[0] if len(ids) == 1 else None for ids in cands]
    family = _name_families(keys, roots)
    for _ in range(2):  # first from the unambiguous mentions, then from everything chosen in the first pass
        contexts: dict[frozenset[str], tuple] = {}
        decided = [*chosen, *known_places]
        explicit = [*qualified, *(True for _ in known_places)]  # a place the text (or the run) names with its area
        neighbours = {n for pid in decided if pid and places[pid].feature == "country" for n in places[pid].neighbours}

        def context_without(rivals: frozenset[str]) -> tuple:
            """Countries, admin1s and anchor places of the text's choices, leaving out every choice that is one of
            this mention's own candidates: a mention never votes for itself, and "Cairns" (the city) chosen for
            one mention must not pull "Cairns" (the district) for the next."""
            if rivals not in contexts:
                countries: dict[str, int] = {}
                admin1s: dict[tuple[str, str], int] = {}
                # each anchor place once: only the nearest one counts, and a long text names the same places
                # thousands of times (a list of every choice made scoring quadratic in the text's length)
                anchors: dict[str, Place] = {}
                named: set[tuple[str, str]] = set()  # first-level areas the text names: the state itself or a qualifier
                for pid, q in zip(decided, explicit):
                    if pid and pid not in rivals:
                        p = places[pid]
                        countries[p.country] = countries.get(p.country, 0) + 1
                        if p.admin1:
                            admin1s[(p.country, p.admin1)] = admin1s.get((p.country, p.admin1), 0) + 1
                            if q or p.feature == "admin1":
                                named.add((p.country, p.admin1))
                        if p.feature != "country" and p.precision_km <= 50:
                            anchors[pid] = p
                contexts[rivals] = (countries, admin1s, list(anchors.values()), {}, named)
            return contexts[rivals]

        new = []
        for k, (m, ids, cue, near) in enumerate(zip(locs, cands, cues, near_names)):
            if not ids:
                new.append(None)
                continue
            # nor do the choices for its own name in longer mentions ("Dublin City" of "Dublin City Council")
            kin = {chosen[j] for j in family[k] if chosen[j]}
            countries, admin1s, anchors, scored, named = context_without(frozenset(ids) | kin)

            # the home counts where the text names no other first-level area for this name ("CARTHAGE, N.C." in a
            # Texas paper's wire story); named, not merely chosen: a bare "London" chosen in England must not
            # take the home from the next bare name ("Oxford" in a London, Ontario paper)
            home_here = {} if any((places[i].country, places[i].admin1) in named for i in ids
                                  if i not in at_home) else at_home

            def score(i: str) -> float:  # the same candidates in the same context: scored once
                if i not in scored:
                    scored[i] = _score(places[i], countries, admin1s, anchors, neighbours)
                return scored[i]

            new.append(max(ids, key=lambda i: score(i) + (CURATED_BONUS if i in g.places else 0.0)
                           + _cue_bonus(cue, places[i]) + (0.0 if cue else near.get(i, 0.0)) + home_here.get(i, 0.0)))
        chosen = new
    final: dict[str, set[str]] = {}  # country -> the places chosen there
    for pid in [*chosen, *known_places]:
        if pid:
            final.setdefault(places[pid].country, set()).add(pid)
    def supported(i: str, q: bool, own: set[str], skeletal: bool | str) -> bool:
        # the support of the text's other names: never this name's own places (all of them, for a skeleton:
        # «شعفاط» twice is no support for a Croatian Sesvete)
        return _supported(places[i], g, q, {c: len(x - own - {i}) for c, x in final.items()}, skeletal)

    for k, (pid, q, ids, sk) in enumerate(zip(chosen, qualified, cands, by_skeleton)):
        own = set(ids) if sk is True else set()  # a site's town named again supports it; a skeleton's does not
        if pid and not supported(pid, q, own, sk):
            ok = [i for i in ids if supported(i, q, own, sk)]  # the best candidate the text does support, else none
            if not ok and not sk:  # «بوكروفسك»: its one spelling is a Russian village's; the text's town by skeleton
                found = transliteration.candidates(locs[k].get("text") or text[locs[k]["start"]:locs[k]["end"]])
                places.update((p.id, p) for p in found if p.id not in places)
                ok = [p.id for p in found if supported(p.id, q, set(), True)]
            chosen[k] = max(ok, key=lambda i: places[i].prior) if ok else None
    _drop_unsupported_weak(locs, chosen, places, text, [places[i] for i in known_places])
    out: dict[str, dict] = {}
    for m, pid, ids in zip(locs, chosen, cands):
        if pid:
            m["entity"] = pid
            if len(ids) > 1:  # the places it was told apart from, best first (marsad/1 extension)
                m["considered"] = sorted(ids, key=lambda i: i != pid)[:MAX_REPORTED]
            out[pid] = places[pid].describe()
        else:
            m.pop("site", None)
            if str(m.get("entity") or "").startswith(("geonames:", "place:")):
                m.pop("entity")
    return out
