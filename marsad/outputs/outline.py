"""Country outlines under marsad's SVG maps, from the bundled data/maps/levant.geojson (Natural Earth,
public domain; see data/maps/README.md). No tiles, no network.

`Frame` is the projection both maps use (equirectangular, true to scale at the middle latitude);
`outline_svg(frame)` draws the countries that reach into the frame, clipped to it, with their names where
they fit."""
from __future__ import annotations

import functools
import json
import math
from html import escape
from pathlib import Path

OUTLINE = Path(__file__).resolve().parent.parent / "data" / "maps" / "levant.geojson"
SEA, LAND, BORDER, LABEL = "#dfe9f1", "#f7f6f0", "#8e9ba6", "#7d8a95"


class Frame:
    """A WIDTH x HEIGHT picture of the box lat0..lat1, lon0..lon1 (padded by `pad` pixels), centred."""

    def __init__(self, lat0: float, lat1: float, lon0: float, lon1: float, width: int, height: int, pad: int = 0):
        self.width, self.height = width, height
        self.mid_lat, self.mid_lon = (lat0 + lat1) / 2, (lon0 + lon1) / 2
        self.kx = math.cos(math.radians(self.mid_lat))
        self.scale = min((width - 2 * pad) / max((lon1 - lon0) * self.kx, 1e-9),
                         (height - 2 * pad) / max(lat1 - lat0, 1e-9))

    @classmethod
    def at(cls, mid_lat: float, mid_lon: float, scale: float, width: int, height: int) -> "Frame":
        f = cls.__new__(cls)
        f.width, f.height, f.mid_lat, f.mid_lon, f.scale = width, height, mid_lat, mid_lon, scale
        f.kx = math.cos(math.radians(mid_lat))
        return f

    def within_outline(self) -> "Frame":
        """The same scale, moved (or cropped, where it is wider or taller than the outline) so that it shows
        no ground the outline does not cover."""
        e_lon0, e_lat0, e_lon1, e_lat1 = extent()
        lon0, lat0, lon1, lat1 = self.bounds()
        width, height, mid_lat, mid_lon = self.width, self.height, self.mid_lat, self.mid_lon
        if lon1 - lon0 > e_lon1 - e_lon0:
            width, mid_lon = int((e_lon1 - e_lon0) * self.kx * self.scale), (e_lon0 + e_lon1) / 2
        elif lon0 < e_lon0 or lon1 > e_lon1:
            mid_lon += (e_lon0 - lon0) if lon0 < e_lon0 else (e_lon1 - lon1)
        if lat1 - lat0 > e_lat1 - e_lat0:
            height, mid_lat = int((e_lat1 - e_lat0) * self.scale), (e_lat0 + e_lat1) / 2
        elif lat0 < e_lat0 or lat1 > e_lat1:
            mid_lat += (e_lat0 - lat0) if lat0 < e_lat0 else (e_lat1 - lat1)
        out = Frame.at(mid_lat, mid_lon, self.scale, width, height)
        out.kx = self.kx  # keep the shape of the first view
        return out

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        return (self.width / 2 + (lon - self.mid_lon) * self.kx * self.scale,
                self.height / 2 - (lat - self.mid_lat) * self.scale)

    def bounds(self) -> tuple[float, float, float, float]:
        """lon0, lat0, lon1, lat1 of what the picture shows."""
        half_lon = self.width / 2 / (self.kx * self.scale)
        half_lat = self.height / 2 / self.scale
        return (self.mid_lon - half_lon, self.mid_lat - half_lat, self.mid_lon + half_lon, self.mid_lat + half_lat)


@functools.cache
def countries() -> tuple[dict, ...]:
    """The outline's features, each with a `box` (lon0, lat0, lon1, lat1) added."""
    data = json.loads(OUTLINE.read_text(encoding="utf-8"))
    out = []
    for f in data["features"]:
        pts = [p for poly in f["geometry"]["coordinates"] for p in poly[0]]
        box = (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))
        out.append(dict(f["properties"], polygons=f["geometry"]["coordinates"], box=box))
    return tuple(out)


@functools.cache
def extent() -> tuple[float, float, float, float]:
    """lon0, lat0, lon1, lat1 the outline covers."""
    return tuple(json.loads(OUTLINE.read_text(encoding="utf-8"))["bbox"])


def covers(lat: float, lon: float) -> bool:
    lon0, lat0, lon1, lat1 = extent()
    return lon0 <= lon <= lon1 and lat0 <= lat <= lat1


def _overlap(a, b) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def clip(points: list, box) -> list:
    """Sutherland-Hodgman clipping of a closed ring of (lon, lat) to the rectangle box = (lon0, lat0, lon1, lat1)."""
    x0, y0, x1, y1 = box
    pts = [tuple(p) for p in (points[:-1] if points and list(points[0]) == list(points[-1]) else points)]
    for axis, limit, keep_above in ((0, x0, True), (0, x1, False), (1, y0, True), (1, y1, False)):
        if not pts:
            break
        inside = (lambda p: p[axis] >= limit) if keep_above else (lambda p: p[axis] <= limit)
        out = []
        for k, q in enumerate(pts):
            p = pts[k - 1]
            if inside(q) != inside(p):
                t = (limit - p[axis]) / (q[axis] - p[axis])
                cut = [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]
                cut[axis] = limit
                out.append(tuple(cut))
            if inside(q):
                out.append(q)
        pts = out
    return pts + pts[:1] if len(pts) >= 3 else []


def area(points: list) -> float:
    return abs(sum(p[0] * q[1] - q[0] * p[1] for p, q in zip(points, points[1:]))) / 2


def label_point(points: list) -> tuple[float, float]:
    """Middle of the widest inside stretch of the ring along the latitude of its centroid."""
    a = sum(p[0] * q[1] - q[0] * p[1] for p, q in zip(points, points[1:])) / 2 or 1e-12
    cy = sum((p[1] + q[1]) * (p[0] * q[1] - q[0] * p[1]) for p, q in zip(points, points[1:])) / (6 * a)
    xs = sorted(p[0] + (cy - p[1]) * (q[0] - p[0]) / (q[1] - p[1])
                for p, q in zip(points, points[1:]) if (p[1] > cy) != (q[1] > cy))
    if len(xs) < 2:
        return (sum(p[0] for p in points) / len(points), cy)
    x0, x1 = max(zip(xs[::2], xs[1::2]), key=lambda s: s[1] - s[0])
    return ((x0 + x1) / 2, cy)


def _path(frame: Frame, ring: list) -> str:
    """SVG path data of a projected ring, dropping points less than a pixel from the last one kept."""
    out, last = [], None
    for lon, lat in ring:
        x, y = frame.xy(lat, lon)
        if last is None or abs(x - last[0]) + abs(y - last[1]) >= 0.8:
            out.append(f"{x:.1f} {y:.1f}")
            last = (x, y)
    return "M" + "L".join(out) + "Z" if len(out) >= 3 else ""


def outline_svg(frame: Frame) -> tuple[str, list[list[tuple[tuple, str]]]]:
    """Sea, land and borders of the countries in view ("" when the frame lies outside the outline), and the
    country names that may be drawn: per country (biggest first) the places its name could go, each as
    (box in pixels, <text>), for `free_labels`."""
    view = frame.bounds()
    if not _overlap(view, extent()):
        return "", []
    lon0, lat0 = max(view[0], extent()[0]), max(view[1], extent()[1])
    lon1, lat1 = min(view[2], extent()[2]), min(view[3], extent()[3])
    (x0, y0), (x1, y1) = frame.xy(lat1, lon0), frame.xy(lat0, lon1)
    margin = 2 / frame.scale  # degrees: clip a little outside the view so that no border shows at the edge
    box = (view[0] - margin, view[1] - margin, view[2] + margin, view[3] + margin)
    parts = [f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" fill="{SEA}"/>']
    names = []
    for c in countries():
        if not _overlap(c["box"], box):
            continue
        d = "".join(_path(frame, clip(ring, box)) for poly in c["polygons"] for ring in poly)
        if d:
            parts.append(f'<path d="{d}" fill="{LAND}" fill-rule="evenodd" stroke="{BORDER}" stroke-width=".8" '
                         f'stroke-linejoin="round"><title>{escape(c["name"])} · {escape(c["name_ar"])}</title></path>')
        outer = [r for r in (clip(poly[0], view) for poly in c["polygons"]) if r]
        if outer:  # the name goes in the biggest piece of the country in view
            biggest = max(outer, key=area)
            lon, lat = label_point(biggest)
            (bx0, by0), (bx1, by1) = frame.xy(max(p[1] for p in biggest), min(p[0] for p in biggest)), \
                frame.xy(min(p[1] for p in biggest), max(p[0] for p in biggest))
            x, y = frame.xy(lat, lon)
            w = 7.2 * len(c["name"])
            if bx1 - bx0 > w * 0.9 and by1 - by0 > 14:
                tries = [(x, y + dy) for dy in (0, -16, 16, -32, 32) if by0 + 12 < y + dy < by1 - 2]
                tries = [(tx, ty) for tx, ty in tries if 4 < tx - w / 2 and tx + w / 2 < frame.width - 4
                         and 14 < ty < frame.height - 14]
                names.append((area(biggest), [((tx - w / 2, ty - 10, tx + w / 2, ty + 2),
                               f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="middle" font-size="11" fill="{LABEL}" '
                               f'letter-spacing=".06em">{escape(c["name"].upper())}</text>') for tx, ty in tries]))
    names.sort(key=lambda n: -n[0])
    return f'<g class="outline">{"".join(parts)}</g>', [n[1] for n in names]


def free(box, taken) -> bool:
    """Whether the pixel box (x0, y0, x1, y1) overlaps none of `taken`."""
    return all(box[2] < b[0] or b[2] < box[0] or box[3] < b[1] or b[3] < box[1] for b in taken)


def free_labels(candidates: list[list[tuple[tuple, str]]], taken: list) -> str:
    """Each country's name at its first place that overlaps nothing already drawn (the box joins `taken`)."""
    out = []
    for tries in candidates:
        for box, text in tries:
            if free(box, taken):
                taken.append(box)
                out.append(text)
                break
    return f'<g class="countries" pointer-events="none">{"".join(out)}</g>' if out else ""
