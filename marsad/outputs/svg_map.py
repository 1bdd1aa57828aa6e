"""A small inline SVG map of a document's places and located events: no tiles, no script, no network.

It shows where the article is: the places it names (circle size = how often) and its events (red
diamonds), on a latitude/longitude grid around the article's central place, over the country borders of
the bundled outline (outline.py) where the places lie in its region. Places far from that
centre (Washington in an article on Ghouta) are listed under the map instead of stretching it."""
from __future__ import annotations

import math
from html import escape

from .outline import Frame, free, free_labels, outline_svg

WIDTH, HEIGHT, PAD = 640, 380, 28
FAR_KM = 1500


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (la1, lo1), (la2, lo2) = a, b
    p = math.pi / 180
    h = math.sin((la2 - la1) * p / 2) ** 2 + math.cos(la1 * p) * math.cos(la2 * p) * math.sin((lo2 - lo1) * p / 2) ** 2
    return 12742 * math.asin(math.sqrt(min(1.0, h)))


def _located(record: dict) -> dict[str, tuple[float, float, str, int]]:
    """id -> (lat, lon, name, mention count) for place entities with coordinates, finer than a country."""
    counts: dict[str, int] = {}
    for m in record.get("mentions", []):
        for key in ("entity", "place"):
            if m.get(key):
                counts[m[key]] = counts.get(m[key], 0) + 1
    out = {}
    for eid, e in record.get("entities", {}).items():
        lat, lon = e.get("lat"), e.get("lon")
        if e.get("kind") != "place" or not isinstance(lat, (int, float)) or not isinstance(lon, (int, float)):
            continue
        if e.get("feature") == "country" or (e.get("precision_km") or 0) > 300:
            continue  # a country's centre is no place to put a dot
        out[eid] = (float(lat), float(lon), e.get("name") or e.get("name_ar") or eid, counts.get(eid, 0))
    return out


def document_map(record: dict) -> str:
    places = _located(record)
    if not places:
        return ""
    # The centre is the medoid of the distinct places: one far capital named 18 times must not pull it away.
    points = [v[:2] for v in places.values()]
    centre = min(points, key=lambda c: sum(_km(c, p) for p in points))
    near = {k: v for k, v in places.items() if _km(centre, v[:2]) <= FAR_KM}
    far = sorted(v[2] for k, v in places.items() if k not in near)
    if not near:
        return ""
    lats = [v[0] for v in near.values()]
    lons = [v[1] for v in near.values()]
    span = max(max(lats) - min(lats), max(lons) - min(lons), 0.6) * 1.15
    mid_lat, mid_lon = (max(lats) + min(lats)) / 2, (max(lons) + min(lons)) / 2
    frame = Frame(mid_lat - span / 2, mid_lat + span / 2, mid_lon - span / 2, mid_lon + span / 2, WIDTH, HEIGHT, PAD)
    xy, kx = frame.xy, frame.kx

    parts = [f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="map of the places in this document">']
    borders, country_names = outline_svg(frame)  # country borders, where the places lie in the outline's region
    parts.append(borders)
    step = _grid_step(span)
    lat0 = math.floor((mid_lat - span) / step) * step
    lon0 = math.floor((mid_lon - span / kx) / step) * step
    grid = "#c9d3db" if borders else "#dde3e8"
    for i in range(int(2 * span / step) + 3):
        y = xy(lat0 + i * step, mid_lon)[1]
        parts.append(f'<line x1="0" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}" stroke="{grid}" stroke-dasharray="2 3"/>'
                     f'<text x="3" y="{y - 2:.1f}" font-size="9" fill="#98a4ae">{lat0 + i * step:.4g}°N</text>')
    for i in range(int(2 * span / kx / step) + 3):
        x = xy(mid_lat, lon0 + i * step)[0]
        parts.append(f'<line y1="0" y2="{HEIGHT}" x1="{x:.1f}" x2="{x:.1f}" stroke="{grid}" stroke-dasharray="2 3"/>'
                     f'<text y="{HEIGHT - 3}" x="{x + 2:.1f}" font-size="9" fill="#98a4ae">{lon0 + i * step:.4g}°E</text>')
    labels: list[tuple[float, float, float, float]] = []  # boxes already taken by labels
    marks: list[tuple[float, float, float, float]] = []   # boxes of the circles and diamonds
    # Most-mentioned places first: they get their labels; a label that would overlap another is left to
    # the circle's tooltip.
    for eid, (lat, lon, name, n) in sorted(near.items(), key=lambda kv: -kv[1][3]):
        x, y = xy(lat, lon)
        r = 3 + 2.2 * math.sqrt(n)
        marks.append((x - r, y - r, x + r, y + r))
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#2f8f4e" fill-opacity=".55" stroke="#1d5e33">'
                     f'<title>{escape(name)} ({n} mention{"s" if n != 1 else ""})</title></circle>')
        w = 6.8 * len(name)
        for lx, ly, anchor in ((x + r + 2, y + 4, "start"), (x - r - 2, y + 4, "end"), (x, y - r - 4, "middle"),
                               (x, y + r + 13, "middle")):
            left = lx - (w if anchor == "end" else w / 2 if anchor == "middle" else 0)
            box = (left, ly - 11, left + w, ly + 2)
            if free(box, labels):
                labels.append(box)
                parts.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" font-size="12" '
                             f'fill="#1d232a">{escape(name)}</text>')
                break
    for k, ev in enumerate(record.get("events", []), 1):
        p = near.get(ev.get("place") or "")
        if p:
            x, y = xy(p[0], p[1])
            marks.append((x - 6, y - 7, x + 6, y + 7))
            parts.append(f'<path d="M{x:.1f} {y - 7:.1f} l6 7 -6 7 -6 -7z" fill="#b3261e" fill-opacity=".8">'
                         f'<title>event {k}: {escape(str(ev.get("type")))} ({escape(str(ev.get("modality")))})</title></path>')
    # Country names go under the marks, where they overlap no place name nor mark.
    parts.insert(2, free_labels(country_names, labels + marks))
    parts.append("</svg>")
    caption = "Places named in the text; red diamonds: events."
    if far:
        caption += " Also named, far away: " + ", ".join(escape(n) for n in far[:12]) + "."
    return f'<figure class="map">{"".join(parts)}<figcaption>{caption}</figcaption></figure>'


def _grid_step(span: float) -> float:
    for step in (0.1, 0.25, 0.5, 1, 2, 5, 10, 20):
        if span / step <= 8:
            return step
    return 30
