"""Fill the `geonames` column of supplement.tsv and regions_waters.tsv: for a place of marsad's own (`place:<slug>`)
that GeoNames also lists, the GeoNames id of that same feature. A record then names the Red Sea both ways
(`place:red-sea`, and `geonames: "geonames:350155"` in its entity), so it can be joined with GeoNames-coded data.

- a governorate or province (feature `admin1`): its GeoNames admin1 id, by its code in admin1_codes.tsv and
  admin1_geonames.tsv (GeoNames admin1CodesASCII);
- a sea, strait, river, lake or region across borders: the feature of GeoNames' no-country table (the features no
  country holds) whose main name is the row's English name, where exactly one such feature of a fitting class has it;
  failing that, the one such feature with that name among its alternate names ("Caucasus": "Caucasus Region").

A filled cell is kept where no rule gives an id (so a cell entered by hand, its source said in `source`, stays).

    python -m marsad.places.build_geonames_links /path/to/no-country.txt

Source: GeoNames' no-country.txt (geonames.org export, CC BY 4.0; the copy of 2023-11 in
github.com/PrimeEagle/PowerShell-GeonameGrampsImport, commit ec61bfc) and admin1_geonames.tsv (its card says where
it comes from). Run time reads only the TSV files.
"""
from __future__ import annotations

import sys
from pathlib import Path

from .gazetteer import DATA, _rows, quick_key

FILES = ("supplement.tsv", "regions_waters.tsv")
COLUMNS = 14  # id ... source, geonames
# GeoNames feature classes a water or a region across borders may have: H water, L area, T landform (peninsulas)
FITTING_CLASS = {"sea": "H", "strait": "H", "river": "H", "lake": "H", "world_region": "LT"}


def admin1_ids() -> dict[tuple[str, str], str]:
    """(country, admin1 name as marsad spells it) -> GeoNames id, for the countries of admin1_codes.tsv."""
    gid = {f[0]: f[2] for f in _rows(DATA / "admin1_geonames.tsv") if len(f) >= 3}
    out = {}
    for f in _rows(DATA / "admin1_codes.tsv"):
        cc, code, name = f[0], f[1], f[2]
        if f"{cc}.{code}" in gid:
            out[(cc, name)] = f"geonames:{gid[f'{cc}.{code}']}"
    return out


def no_country_ids(path: Path) -> tuple[dict, dict]:
    """{(folded name, feature class): GeoNames ids}, of main names and of alternate names, from no-country.txt."""
    main: dict[tuple[str, str], list[str]] = {}
    other: dict[tuple[str, str], list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        f = line.split("\t")
        if len(f) >= 8 and f[0].isdigit():
            gid = f"geonames:{f[0]}"
            main.setdefault((quick_key(f[1]), f[6]), []).append(gid)
            for alt in {quick_key(a) for a in f[3].split(",") if a} - {quick_key(f[1])}:
                other.setdefault((alt, f[6]), []).append(gid)
    return main, other


def link(row: list[str], admin1: dict, waters: tuple[dict, dict]) -> str:
    """The GeoNames id of a `place:` row's feature (a row padded to COLUMNS), or the cell as it was."""
    pid, name, feature, cc, a1, old = row[0], row[1], row[5], row[8], row[9], row[13]
    if not pid.startswith("place:"):
        return old
    if feature == "admin1":
        return admin1.get((cc, a1), old)
    for names in waters:
        ids = {i for c in FITTING_CLASS.get(feature, "") for i in names.get((quick_key(name), c), [])}
        if ids:
            return ids.pop() if len(ids) == 1 else old
    return old


def rewrite(path: Path, admin1: dict, waters: tuple[dict, dict]) -> int:
    lines, n = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            lines.append(line)
            continue
        f = line.split("\t")
        f = (f + [""] * COLUMNS)[:COLUMNS]
        if line.startswith("id\t"):
            f[13] = "geonames"
        else:
            f[13] = link(f, admin1, waters)
            n += bool(f[13])
        lines.append("\t".join(f))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m marsad.places.build_geonames_links NO_COUNTRY_TXT", file=sys.stderr)
        return 2
    admin1, waters = admin1_ids(), no_country_ids(Path(args[0]))
    for fn in FILES:
        print(f"{fn}: {rewrite(DATA / fn, admin1, waters)} places linked to GeoNames")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
