"""An outlet's home: the area a local outlet writes about, as context for the names it leaves bare.

A local paper names "Alexandria", "Athens" or "Madison County" without the state: its readers know where they
live. The text alone cannot tell Alexandria, Louisiana from Alexandria, Virginia (LGL, local US news: most of
the resolver's remaining misses had the right place among its candidates and nothing in the text to choose it).
The outlet's other stories can: the towns Louisiana's Town Talk names are in Louisiana. So a home place counts as
context, like a place the text names ("Alexandria, Louisiana" needs no home), and more: a place in the home's
first-level area gets settings.toml [places] home_bonus where the text names no other area for that name
(context.home_bonus), so a local paper's "Lebanon" is its state's town rather than the country, and its bare
"Georgia" the state it is in.

Where a home comes from:
- given: `marsad analyze --home "Alexandria, Louisiana"` (every document), `--outlet-homes FILE` (a TSV of
  source -> place), `marsad.analyze(..., home=...)`: a place name or id (geonames:4331987, place:idlib-governorate);
- inferred (`infer`): from an outlet's analysed records (`marsad homes records.jsonl` writes the TSV): the
  admin1 area (state, province, governorate) that holds most of the places its stories name (each story's
  distinct places), when it holds at least settings.toml [places] home_min_share of them, in at least
  home_min_documents stories. A national outlet (places all over) gets none.
"""
from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from typing import Iterable, Mapping

from ..config import settings

_WWW = re.compile(r"^(?:https?://)?(?:www\.)?")


def source_key(source: str | None) -> str:
    """An outlet's key: its name or domain, lower-cased, without a scheme, "www." or a path."""
    return _WWW.sub("", (source or "").strip().lower()).split("/")[0]


def options_for(homes: Mapping[str, str] | None) -> dict:
    """The run options that give these homes: {"homes": {source key: place}} ("*": every other source), or {}."""
    homes = {k if k == "*" else source_key(k): v.strip() for k, v in (homes or {}).items() if v and v.strip()}
    return {"homes": homes} if homes else {}


def read_homes(path: str) -> dict[str, str]:
    """{source: place} from a TSV of source<TAB>place lines ('#' comments; more columns are ignored); a
    ValueError naming the first line that has no place."""
    from pathlib import Path

    out = {}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2 or not cols[0].strip() or not cols[1].strip():
            raise ValueError(f"line {n} is not source<TAB>place: {line[:60]!r}")
        out[cols[0].strip()] = cols[1].strip()
    return out


def home_for(record: Mapping, options: Mapping) -> str | None:
    """The home the run's options give a record's document ("homes": its source's, else "*"'s), else None."""
    homes = options.get("homes") or {}
    return homes.get(source_key(record.get("source"))) or homes.get("*")


def context(record: dict, options: Mapping) -> tuple[str, ...]:
    """The home the run gives a record's document, as resolution context: (place id,) or (). The record says
    which place it was (`home`), or warns when no place has that name."""
    from ..record import add_warning
    from .resolve import describe

    given = home_for(record, options)
    if not given:
        return ()
    pid = place_id(given)
    if pid is None:
        add_warning(record, f"home {given!r} names no place marsad knows; places were resolved without it "
                            "(give a GeoNames id such as geonames:4331987, or a name with its state or country)")
        return ()
    p = describe(pid) or {}
    record["home"] = {"place": pid, "name": p.get("name"), "country": p.get("country"), "given": given}
    # a town's area too: the town is one of the candidates of its own name, and a mention's own candidates never
    # vote for it ("Alexandria" in an Alexandria paper: Louisiana does)
    area = _area_id(p.get("country") or "", p["admin1"]) if p.get("admin1") and p.get("feature") != "admin1" else None
    return tuple(dict.fromkeys(x for x in (pid, area) if x))


@functools.lru_cache(maxsize=256)
def place_id(home: str) -> str | None:
    """The place a home names: an id the gazetteer knows, or the best place of a name ("Alexandria, Louisiana":
    the town the qualifier places), else None."""
    from . import get, lookup, resolve

    home = home.strip()
    if home.startswith(("geonames:", "place:")):
        return home if get(home) else None
    name = home.split(",")[0].strip()
    if not name:
        return None
    mention = {"start": 0, "end": len(name), "text": name, "type": "LOC"}
    resolve([mention], home)  # the qualifier after the comma chooses among the places of the name
    return mention.get("entity") or next(iter(lookup(home)), None)


@functools.lru_cache(maxsize=1024)
def _area_id(country: str, admin1: str) -> str | None:
    """The admin1 area a (country, admin1 name) pair names, as a place id: the curated one (Syria's governorates),
    else the world tier's."""
    from .gazetteer import load
    from .resolve import world, world_ids

    curated = (i for i, p in load().places.items() if p.feature == "admin1" and (p.country, p.admin1) == (country, admin1))
    world_tier = (i for i in world_ids(admin1) if (p := world.get(i)) is not None and p.feature == "admin1"
                  and p.country == country)
    return next(curated, None) or next(world_tier, None)


def story_areas(record: Mapping) -> Counter:
    """{(country, admin1): how many distinct places of a record's mentions resolved there}: a story's votes, and
    what `Tally.home(..., without=...)` leaves out."""
    entities = record.get("entities") or {}
    out: Counter = Counter()
    seen = set()
    for m in record.get("mentions") or []:
        pid = m.get("place") or m.get("entity")
        e = entities.get(pid) or {}
        if pid in seen or e.get("kind") != "place" or not e.get("admin1") or e.get("feature") == "country":
            continue
        seen.add(pid)
        out[(e.get("country") or "", e["admin1"])] += 1
    return out


class Tally:
    """Per outlet, how many distinct places its stories name in each admin1 area, and in how many stories;
    `home(source, without=areas)` leaves one story's own places out (a story's own choices never vote for its
    home: the benchmark's protocol). Places, not stories, are the votes: a Dublin, Ohio paper's stories name
    "Dublin" bare (Ireland's, before a home) once each, and Ohio's towns several at a time."""

    def __init__(self, records: Iterable[Mapping]):
        self.places: dict[str, Counter] = defaultdict(Counter)  # source -> (country, admin1) -> places
        self.stories: dict[str, Counter] = defaultdict(Counter)  # source -> (country, admin1) -> stories
        for r in records:
            key = source_key(r.get("source"))
            if key:
                areas = story_areas(r)
                self.places[key].update(areas)
                self.stories[key].update(areas.keys())

    def home(self, source: str | None, without: Mapping[tuple[str, str], int] | None = None) -> str | None:
        key, without = source_key(source), without or {}
        counts = Counter(self.places.get(key, Counter()))
        counts.subtract(without)
        counts = +counts  # drop what fell to zero
        total = sum(counts.values())
        if not total:
            return None
        cfg = settings()["places"]
        (country, admin1), n = counts.most_common(1)[0]
        stories = self.stories.get(key, Counter())[(country, admin1)] - (1 if without.get((country, admin1)) else 0)
        if n / total < cfg["home_min_share"] or stories < cfg["home_min_documents"]:
            return None
        return _area_id(country, admin1)


def infer(records: Iterable[Mapping]) -> dict[str, str]:
    """{source key: home place id} for the outlets of these analysed records that have one."""
    tally = Tally(records)
    return {s: h for s in sorted(tally.stories) if (h := tally.home(s))}

