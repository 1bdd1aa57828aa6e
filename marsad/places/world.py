"""The world tier of the gazetteer: every GeoNames populated place of 500+ people and every admin1/admin2 area
(world-places.sqlite + world-names.sqlite, built by `python -m marsad.places.build_world`), read lazily from disk.

Nothing is loaded up front: a name is looked up in the SQLite index only when a mention needs it, so the process
holds a few pages of the files (memory-mapped) instead of 250,000 places. The curated tier (geonames.tsv and the
supplement, gazetteer.py) keeps priority: its places come first and a world row never overrides one.
"""
from __future__ import annotations

import functools
import json
import os
import sqlite3
import threading

from .gazetteer import DATA, FEATURE_RANK, Place, _prior, quick_key

PLACES, NAMES = DATA / "world-places.sqlite", DATA / "world-names.sqlite"
# An area of the world tier ranks below a town of its name when nothing in the text says "state" or "province":
# "New York" is the city, "Ontario" may be either (a cue or qualifier decides); the curated tier's own ranks
# (gazetteer.FEATURE_RANK) assume areas are named with their area word ("Idlib province").
AREA_RANK = {"admin1": 2.5, "admin2": 1.5, "continent": 7.0}  # a continent outranks a town named after it
MAX_CANDIDATES = 40  # "Springfield" names 60+ towns: the biggest this many are enough to choose from
_COLUMNS = "p.gid, p.pid, p.name, p.name_ar, p.feature, p.lat, p.lon, p.country, a.name, p.population, p.precision_km"
_lock = threading.Lock()


@functools.cache
def _connection(pid: int) -> sqlite3.Connection | None:
    """One read-only connection per process (a forked worker opens its own: the key is the process id)."""
    if not (PLACES.exists() and NAMES.exists()):
        return None
    con = sqlite3.connect(f"file:{PLACES}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    con.execute("ATTACH DATABASE ? AS n", (f"file:{NAMES}?mode=ro&immutable=1",))
    con.execute("PRAGMA mmap_size = 67108864")  # pages are mapped, not copied into SQLite's cache
    row = con.execute("SELECT v FROM meta WHERE k = 'fold_check'").fetchone()
    from .build_world import _fold_check
    if row is None or json.loads(row[0]) != _fold_check():
        import sys
        print("marsad: warning: the world gazetteer was built with another name fold; rebuild it with "
              "`python -m marsad.places.build_world` (world tier off)", file=sys.stderr)
        return None
    return con


def available() -> bool:
    return _connection(os.getpid()) is not None


def _rows(sql: str, args: tuple) -> list[tuple]:
    con = _connection(os.getpid())
    if con is None:
        return []
    with _lock:
        return con.execute(sql, args).fetchall()


def _place(row: tuple) -> Place:
    gid, pid, name, name_ar, feature, lat, lon, cc, a1, pop, prec = row
    p = Place(pid or f"geonames:{gid}", name, name_ar or "", feature, lat / 1e5, lon / 1e5, cc or "", a1 or "",
              int(pop or 0), float(prec), "GeoNames (world tier)")
    p.prior = _prior(p) - FEATURE_RANK.get(feature, 2.0) + AREA_RANK[feature] if feature in AREA_RANK else _prior(p)
    return p


@functools.lru_cache(maxsize=20_000)
def lookup_key(key: str) -> tuple[Place, ...]:
    """World places whose name (any listed spelling), folded as quick_key folds it, is `key`; largest first."""
    if not key:
        return ()
    rows = _rows(f"SELECT {_COLUMNS} FROM n.name k JOIN place p ON p.gid = k.gid LEFT JOIN admin1 a ON a.a1 = p.admin1 "
                 "WHERE k.key = ? ORDER BY p.population DESC LIMIT ?", (key, MAX_CANDIDATES))
    return tuple(_place(r) for r in rows)


def lookup(name: str) -> tuple[Place, ...]:
    return lookup_key(quick_key(name))


def lookup_in(name: str, area: Place) -> tuple[Place, ...]:
    """World places of a name inside a country or admin1 area, however small: "Paris, Ky." may name a town
    that the largest MAX_CANDIDATES places called Paris leave out."""
    if area.feature == "admin1" and area.admin1:
        where, args = "p.country = ? AND a.name = ?", (area.country, area.admin1)
    elif area.feature == "country":
        where, args = "p.country = ?", (area.country,)
    else:
        return ()
    rows = _rows(f"SELECT {_COLUMNS} FROM n.name k JOIN place p ON p.gid = k.gid LEFT JOIN admin1 a ON a.a1 = p.admin1 "
                 f"WHERE k.key = ? AND {where} ORDER BY p.population DESC LIMIT ?",
                 (quick_key(name), *args, MAX_CANDIDATES))
    return tuple(_place(r) for r in rows)


@functools.lru_cache(maxsize=20_000)
def get(place_id: str) -> Place | None:
    """A world place by its marsad id (geonames:<id>, or place:admin1-... / place:admin2-... for areas)."""
    if place_id.startswith("geonames:"):
        rows = _rows(f"SELECT {_COLUMNS} FROM place p LEFT JOIN admin1 a ON a.a1 = p.admin1 WHERE p.gid = ?",
                     (int(place_id.split(":", 1)[1]),))
    elif place_id.startswith(("place:admin1-", "place:admin2-")):
        rows = _rows(f"SELECT {_COLUMNS} FROM place p LEFT JOIN admin1 a ON a.a1 = p.admin1 WHERE p.pid = ?",
                     (place_id,))
    else:
        return None
    return _place(rows[0]) if rows else None


def big_places(min_population: int) -> list[tuple[int, str | None, str]]:
    """(gid, pid, main name) of every place of at least `min_population` people and every admin1 area, biggest
    first (places/transliteration.py indexes their names' skeletons)."""
    return _rows("SELECT gid, pid, name FROM place WHERE population >= ? OR feature = 'admin1' "
                 "ORDER BY population DESC", (min_population,))
