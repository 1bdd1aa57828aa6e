"""Resolution by context: what the words around a place mention say about which place it is.

- a qualifier right after it ("Prague, Oklahoma", "Prishtina, Kosovo", "Tulsa, Okla."): the place must lie in
  the area or country the qualifier names;
- an area word after or before it ("Idlib province", "Homs and Aleppo Governorates", «ريف حلب», «محافظة حمص»):
  an area, not the town of that name; "the city/town/village of X", «مدينة/بلدة/قرية X»: a town;
- the tail of a longer name the gazetteer lacks ("Ras al-Ain" holds "al-Ain", «رأس العين» holds «العين»):
  not a mention of the shorter name at all (a partial name never wins over a missing spelling);
- a river or lake word before or after it («لنهر أوسكيل», "the Oskil River"): no town;
- the text's other names: candidates that lie near each other's make each other likelier ("Paris" beside "Henry
  County" is Paris, Tennessee);
- the outlet's home: a local paper's bare "Lebanon" or "Georgia" is its own state's (home_bonus).
"""
from __future__ import annotations

import functools
import re

import numpy as np

from marsad.config import settings
from marsad.lang import by_script, data_file, fold_for_matching, folded_words, read_rows
from marsad.lang import get as get_language

from . import world
from .gazetteer import CONTEXT_FEATURES, Place, km
from .own_names import with_settlement_words

_AREAS = ("admin1", "admin2", "region", "country")
MAX_NEIGHBOUR_PLACES = 1500  # candidate places compared pairwise for nearness
NEIGHBOUR_BLOCK = 200  # rows compared at once (200 x 1,500 distances, 2.4 MB)
# ", Oklahoma" / ", Okla." / ", Kosovo": one to three capitalised words after a comma, up to punctuation or a
# lower-case word; the full stop of an abbreviation is kept.
_QUALIFIER = re.compile(r"^\s*,\s*((?:[A-Z][\w'\u2019-]*\.?(?:\s+|$|(?=[,;:)]))){1,3})")
_PROVINCE_AFTER = re.compile(r"^(?:\s*(?:,|and|&)\s+[A-Z][\w'-]+)*\s*(?:province|governorate|countryside|region|district"
                             r"|county|parish|state|oblast|prefecture)s?\b", re.I)
_CITY_EN = re.compile(r"\b(?:city|town|village)\s+of\s+(?:the\s+)?$", re.I)
_PROVINCE_BEFORE_EN = re.compile(r"\b(?:province|governorate|region|state|district|county)\s+of\s+(?:the\s+)?$", re.I)
_WORD = re.compile(r"\w+")
# Arabic words that start a compound place name (رأس العين، تل أبيض، كفر نبل، دير الزور...): a match of the
# rest of such a name is a fragment of a name the gazetteer lacks, not the place that shares the fragment.
_NAME_HEADS_AR = ("راس", "تل", "كفر", "دير", "بيت", "عين", "خربه", "جسر", "قصر", "بئر", "بير", "ابو", "ام", "تله",
                  "برج")
_PROVINCE_BEFORE_AR = ("ريف", "محافظه", "منطقه", "اقليم", "ولايه", "مقاطعه", "مديريه")
# the administrative ones: «ريف» (countryside) and «منطقة» ('area', also 'the area of' a town) are not
_ADMIN_BEFORE_AR = ("محافظه", "اقليم", "ولايه", "مقاطعه", "مديريه")
_CITY_BEFORE_AR = ("مدينه", "بلده", "قريه", "مدينتي", "قريتي", "بلدتي")
# the same heads as news transliterate them: "Ras Baalbek" is no Baalbek, "Tal Tamr" no Tamr
_NAME_HEADS_LATIN = ("ras", "tal", "tell", "tel", "kafr", "kfar", "deir", "dayr", "beit", "bayt", "ain", "ayn", "jisr",
                     "khirbet", "khirbat", "umm", "abu", "bir", "qasr", "burj")
_LOWER_ARTICLE = re.compile(r"^(?:al|el|ad|ed|ar|er|as|es|at|et|an|en|az|ez|ash|esh)[-\s']")


def fold(s: str) -> str:
    return fold_for_matching(s).text


@functools.lru_cache(maxsize=16)
def word_roles(code: str, filename: str) -> dict[str, frozenset[str]]:
    """A language's table of word<TAB>role rows (lang/<code>/<filename>: site_words.tsv, organisation_words.tsv):
    role -> the folded words of that role."""
    roles: dict[str, set[str]] = {}
    for row in read_rows(data_file(code, filename)):
        if len(row) >= 2 and row[0].strip():
            roles.setdefault(row[1].strip(), set()).add(fold(row[0].strip()))
    return {role: frozenset(ws) for role, ws in roles.items()}


def prev_word(text: str, start: int) -> str:
    words = _WORD.findall(fold(text[max(0, start - 30):start]))
    return words[-1] if words else ""


def ar_cue(word: str, cues) -> bool:
    """Whether a folded word is one of `cues`, bare or after one proclitic و/ب/ل/ف."""
    listed = _cue_set(cues)
    return word in listed or (word[:1] in "وبلف" and word[1:] in listed)


@functools.lru_cache(maxsize=64)  # the cue lists are module constants: each made a set once
def _cue_set(cues) -> frozenset[str]:
    return frozenset(cues)


def qualifier_text(text: str, end: int) -> str | None:
    """The words of a qualifier right after a mention ending at `end` ("Oklahoma" in "Prague, Oklahoma")."""
    m = _QUALIFIER.match(text[end:end + 60])
    return m.group(1).strip() if m else None


def contains(area: Place, p: Place) -> bool:
    """Whether place `p` lies in `area` (a country, admin1 or admin2 area or region) by its recorded country and
    admin1, or by distance for smaller areas."""
    if area.id == p.id or area.feature not in _AREAS:
        return False
    if area.feature == "country":
        return p.country == area.country
    if p.country != area.country:
        return False
    if area.feature == "admin1" and area.admin1 and p.admin1:
        return area.admin1 == p.admin1
    return km(area, p) <= max(area.precision_km * 1.5, 25.0)


def area_cue(text: str, start: int, end: int) -> str | None:
    """'area' when the words around the mention call it a province, governorate or countryside; 'town' when
    they call it a city, town or village; else None."""
    before = prev_word(text, start)
    if _PROVINCE_AFTER.match(text[end:end + 80]) or ar_cue(before, _PROVINCE_BEFORE_AR) \
            or _PROVINCE_BEFORE_EN.search(text[max(0, start - 30):start]):
        return "area"
    if _CITY_EN.search(text[max(0, start - 30):start]) or ar_cue(before, _CITY_BEFORE_AR):
        return "town"
    return None


def admin_word_before(text: str, start: int) -> bool:
    """Whether an Arabic administrative word stands right before a name («ولاية راخين», «محافظة ديالى»)."""
    return ar_cue(prev_word(text, start), _ADMIN_BEFORE_AR)


_AREA_WORD_EN = re.compile(r"^(?:the\s+)?(.+?)\s+(?:province|governorate|region|district|state|oblast)$", re.I)


def area_name(surface: str) -> str | None:
    """The area's own name in a mention that carries its area word: "Anbar province" -> "Anbar", «محافظة الأنبار»
    -> «الأنبار»; None for a mention without one."""
    m = _AREA_WORD_EN.match(surface.strip())
    if m:
        return m.group(1)
    head, _, rest = surface.strip().partition(" ")
    return rest if rest and ar_cue(fold(head), _PROVINCE_BEFORE_AR) else None


_WATER_BEFORE_AR = ("نهر", "بحيره", "نهري")
_WATER_EN = re.compile(r"\b(?:river|lake)\s+$", re.I)
_WATER_AFTER_EN = re.compile(r"^\s+(?:river|lake)\b", re.I)


def water_named(text: str, start: int, end: int) -> bool:
    """Whether the words around a name make it a river or lake («لنهر أوسكيل», "the Oskil River"): no town."""
    return (ar_cue(prev_word(text, start), _WATER_BEFORE_AR) or bool(_WATER_EN.search(text[max(0, start - 10):start]))
            or bool(_WATER_AFTER_EN.match(text[end:end + 10])))


def country_long_form(surface: str) -> str | None:
    """The country's name in a state's long form ("the Republic of Armenia" -> "Armenia", «سلطنة عمان» -> «عمان»:
    lang/<code>/language.toml [country_names] forms), or None."""
    forms = get_language(by_script(surface)).section("country_names")["forms"]
    s = re.sub(r"^the\s+", "", surface.strip(), flags=re.I)
    best = max((f for f in forms if s.lower().startswith(f.lower() + " ")), key=len, default=None)
    return re.sub(r"^the\s+", "", s[len(best):].strip(), flags=re.I) if best else None


def in_idiom(text: str, start: int) -> bool:
    """Whether a name starting at `start` begins a set phrase of its language in which it is a common word
    (lang/<code>/place_idioms.txt: «مسقط رأس», 'birthplace', is not Muscat)."""
    head = text[start:start + 40]
    idioms = folded_words(by_script(head[:1] or "a"), "place_idioms.txt")
    folded = fold(head)
    return any(folded.startswith(i) and not folded[len(i):len(i) + 1].isalpha() for i in idioms)  # a whole phrase


_OPEN_QUOTES, _CLOSE_QUOTES = "«“\"", "»”\""


def quoted_alone(text: str, start: int, end: int) -> bool:
    """Whether a name stands alone between quotation marks: «الشرق الأوسط» there ("told «الشرق الأوسط»") is the
    newspaper Asharq al-Awsat (used for seas and regions only: some outlets quote «إسرائيل» itself, which stays the
    place)."""
    return 0 < start and end < len(text) and text[start - 1] in _OPEN_QUOTES and text[end] in _CLOSE_QUOTES


_AREA_SUFFIX_EN = re.compile(r"\s(?:County|Parish|Province|Governorate|Oblast)$")


def names_an_area(surface: str) -> bool:
    """Whether a name is, whole, a first- or second-level area of the world tier written with its area word
    ("Henderson County", "Donetsk Oblast"; not "Southern District", also a court's name)."""
    s = surface.strip()
    if not _AREA_SUFFIX_EN.search(s):
        return False
    return any(p.feature in ("admin1", "admin2") and p.name.casefold() == s.casefold() for p in world.lookup(s))


def fragment_of_longer_name(text: str, start: int, surface: str) -> bool:
    """A match that is the tail of a longer name: "al-Ain" in "Ras al-Ain" (the match starts with a lower-case
    article right after a capitalised word), «العين» in «رأس العين» (right after a name head such as رأس، تل،
    كفر)."""
    if re.match(r"[A-Za-z]", surface):
        if not _LOWER_ARTICLE.match(surface):  # lower case: "al-Ain" inside a name, not "Al Ain" the city
            return False
        m = re.search(r"([A-Z][\w'\u2019]*)[\s-]+$", text[max(0, start - 30):start])
        return bool(m)
    if surface.startswith(("ال", "أل")) or fold(surface).startswith("ال"):
        return prev_word(text, start) in _NAME_HEADS_AR
    return False


def after_name_head(name: str, start: int) -> bool:
    """Whether the part of `name` from `start` on follows a name head in it ("Ras Baalbek", «رأس بعلبك»): a
    partial match there is the tail of a name the gazetteer lacks, not the place that shares the tail."""
    words = _WORD.findall(fold(name[:start]))
    return bool(words) and (words[-1] in _NAME_HEADS_AR or words[-1] in _NAME_HEADS_LATIN)


def neighbourly(groups: list[list[Place]], radius_km: float) -> list[dict[str, int]]:
    """For each name's candidate places, how many of the text's other names have a candidate near it (within
    `radius_km` plus the other candidate's precision, so a county counts for the towns in it, but a wide area gets
    nothing from a town far from its centre; a state or province counts for the places inside it): "Paris" and
    "Henry County" both have a Tennessee candidate, and each makes the other's likelier (the spatial minimality of Leidner 2007). Countries and
    continents, seas, rivers and regions across borders neither give nor get it: they are their own context.
    A first-level area and the places inside it count for each other, however far from its centre."""
    flat = [(g, p) for g, ps in enumerate(groups) for p in ps if p.feature not in CONTEXT_FEATURES]
    out: list[dict[str, int]] = [{} for _ in groups]
    if len({g for g, _ in flat}) < 2:
        return out
    lat = np.radians([p.lat for _, p in flat])
    lon = np.radians([p.lon for _, p in flat])
    reach = np.array([p.precision_km for _, p in flat]) + radius_km
    # a first-level area counts for the places inside it, however far from its centre, and for no other
    area = np.array([p.feature == "admin1" for _, p in flat])
    key = np.array([f"{p.country}|{p.admin1}" if p.admin1 else f"-{k}" for k, (_, p) in enumerate(flat)])
    towns = {(g, p.country) for g, p in flat if p.feature not in ("admin1", "admin2", "region")}
    receives = np.array([p.feature == "admin1" and (g, p.country) not in towns for g, p in flat])
    group = np.array([g for g, _ in flat])
    for lo in range(0, len(flat), NEIGHBOUR_BLOCK):  # rows in blocks: a few MB at a time, not the whole matrix
        rows = slice(lo, lo + NEIGHBOUR_BLOCK)
        h = (np.sin((lat[rows, None] - lat[None, :]) / 2) ** 2
             + np.cos(lat[rows, None]) * np.cos(lat[None, :]) * np.sin((lon[rows, None] - lon[None, :]) / 2) ** 2)
        near = 6371.0 * 2 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))) <= reach[None, :]  # row p, column q: q's reach
        if area.any():
            near[:, area] = key[rows, None] == key[None, area]
            # and it has them near: "Georgia" beside "Gainesville" is the state (one of its places is in it),
            # unless a town of its name in its country is a candidate too ("near Donetsk": the city)
            holds = receives[rows]
            near[holds, :] = key[rows][holds, None] == key[None, :]
        near &= group[rows, None] != group[None, :]
        for row, hits in enumerate(near, start=lo):
            n = len(set(group[hits].tolist()))
            if n:
                g, p = flat[row]
                out[g][p.id] = max(out[g].get(p.id, 0), n)
    return out


def name_roots(keys: list[str], sites: list[bool]) -> list[str]:
    """For each folded name, the shortest of `keys` that names the same place: itself, that name with settlement
    words after it ("Dublin City"), or the name a site is named for ("Dublin Veterinary Clinic"; `sites`: which
    mentions are sites). One place's name is no context for itself; "Iowa County" beside "Iowa" is another place."""
    names = sorted(set(keys), key=len)

    def same_place(key: str, root: str, site: bool) -> bool:
        return key == root or (key.startswith(root + " ") if site else with_settlement_words(key, root))

    return [next(r for r in names if same_place(key, r, site)) for key, site in zip(keys, sites)]


def near_name_bonus(keys: list[str], cands: list[list[str]], places: dict[str, Place]) -> list[dict]:
    """Each mention's bonus per candidate for the text's other names that have a candidate near it
    (neighbourly; settings.toml [places] neighbour_*). `keys`: each mention's name root (name_roots); a name's
    candidates are its mentions' together (with those of the longer names of the same place), the likeliest
    first, as many as keep the comparison under MAX_NEIGHBOUR_PLACES places."""
    cfg = settings()["places"]
    if not cfg["neighbour_bonus"] or not keys:
        return [{} for _ in keys]
    by_name: dict[str, list[str]] = {}
    for key, ids in zip(keys, cands):
        by_name.setdefault(key, [])
        by_name[key] += [i for i in ids if i not in by_name[key]]
    per_name = max(3, MAX_NEIGHBOUR_PLACES // len(by_name))
    names = list(by_name)
    groups = [[places[i] for i in sorted(by_name[k], key=lambda i: -places[i].prior)[:per_name]] for k in names]
    counts = dict(zip(names, neighbourly(groups, cfg["neighbour_km"])))
    return [{i: cfg["neighbour_bonus"] * min(n, cfg["neighbour_max"]) for i, n in counts[key].items()}
            for key in keys]


def home_bonus(homes: list[Place], candidates: list[Place]) -> dict[str, float]:
    """settings.toml [places] home_bonus for each candidate in the first-level area of an outlet's home below
    country level (the home itself included): a local paper writes about its own area, so its bare "Lebanon" is
    Lebanon, Indiana and its "Georgia" the state, unless the text's other names say otherwise. A country's home
    gives none: its towns are context already, and a national outlet names every country."""
    bonus = settings()["places"]["home_bonus"]
    areas = {(h.country, h.admin1 or h.name) for h in homes if h.feature != "country"}
    if not bonus or not areas:
        return {}
    return {p.id: bonus for p in candidates
            if (p.country, p.admin1 or p.name) in areas and p.feature not in CONTEXT_FEATURES}
