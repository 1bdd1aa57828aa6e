"""The corpus map (GET /map): the stored located events as SVG markers over the bundled country outline
(marsad/outputs/outline.py). No tiles, no script, no network.

Events are grouped by place. A place told by few documents gets one marker per document, set in a small
ring around the point, each a link to /doc/{id}; a place told by more gets one numbered marker linking to
the search page for that place. Every marker's <title> (its tooltip) says the event types, dates, place and
documents. Events outside the outline's region, and events placed only in a whole country or a wide region, are
counted and listed under the map, not drawn."""
from __future__ import annotations

import math
from collections import Counter
from html import escape
from urllib.parse import quote, urlencode

from ..corpus import search as corpus_search
from ..outputs.outline import Frame, covers, free, free_labels, outline_svg

WIDTH, HEIGHT, PAD = 960, 620, 36
RING_MAX = 8          # documents at one place drawn one by one; more get one numbered marker
MAX_EVENTS = 200_000  # located events read for one map
DEFAULT_VIEW = (29.0, 38.5, 33.5, 44.0)  # lat0, lat1, lon0, lon1: Syria and its neighbours
COLOURS = {"Battles": "#b3261e", "Explosions/Remote violence": "#d9731f", "Violence against civilians": "#7b1fa2",
           "Protests": "#1f6fb3", "Riots": "#0b8a8a", "Strategic developments": "#2f8f4e"}
OTHER = "#5f6b76"

_SQL = """
SELECT e.lat, e.lon, e.place, e.type, e.sub_type, e.plover, coalesce(e.date, d.published), e.modality, e.fatalities,
       d.id, d.title, d.source, d.language
FROM events e JOIN documents d ON d.rowid = e.doc
WHERE e.lat IS NOT NULL AND e.lon IS NOT NULL{where}
ORDER BY d.rowid, e.n LIMIT ?
"""


def colour(ev_type: str | None) -> str:
    return COLOURS.get(ev_type or "", OTHER)


def located_events(conn, query: str = "", *, event_type=None, **filters) -> list[dict]:
    """The located events of the documents that match `query` and the search filters (marsad.corpus.search,
    values in any spelling: corpus.values); `event_type` keeps only events of that ACLED type or sub-type or
    PLOVER type."""
    from ..corpus import values

    types = values.resolve(conn, {"event_type": event_type})["event_type"] if event_type else None
    inner, args, _, _ = corpus_search.matching(conn, query, event_type=types, **filters)
    where = [f"d.rowid IN (SELECT m.rowid FROM ({inner}) m)"]
    if types:
        types = types if isinstance(types, list) else [types]
        marks = ", ".join("?" * len(types))
        where.append(f"(e.type IN ({marks}) OR e.sub_type IN ({marks}) OR e.plover IN ({marks}))")
        args = args + types * 3
    sql = _SQL.format(where="".join(f" AND {w}" for w in where))
    keys = ("lat", "lon", "place", "type", "sub_type", "plover", "date", "modality", "fatalities", "document", "title",
            "source", "language")
    events = [dict(zip(keys, row)) for row in conn.execute(sql, args + [MAX_EVENTS])]
    about = _places(conn, {e["place"] for e in events if e["place"]})
    for e in events:
        name, name_ar, coarse = about.get(e["place"], (None, None, False))
        e.update(place_name=name or name_ar or e["place"], place_name_ar=name_ar, coarse=coarse)
    return events


def _places(conn, place_ids: set[str]) -> dict[str, tuple]:
    """place id -> (name, Arabic name, coarse), read once per place from one record that describes it.
    Coarse places are whole countries or wide regions (over 300 km): a dot at their centre would say more
    than the text does."""
    out = {}
    for pid in place_ids:
        path = '$.entities."' + pid.replace('"', "") + '"'
        row = conn.execute("SELECT n.name, n.name_ar, json_extract(d.record, ? || '.feature'), "
                           "json_extract(d.record, ? || '.precision_km') FROM entities n "
                           "JOIN documents d ON d.rowid = n.doc WHERE n.entity = ? LIMIT 1", (path, path, pid)).fetchone()
        if row:
            out[pid] = (row[0], row[1], row[2] == "country" or (isinstance(row[3], (int, float)) and row[3] > 300))
    return out


def _quantile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(q * (len(values) - 1)))))]


def _frame(events: list[dict], whole: bool = False) -> Frame:
    """The view: around the middle 90% of the events in each direction (far ones are listed instead), or all."""
    if not events:
        lat0, lat1, lon0, lon1 = DEFAULT_VIEW
        return Frame(lat0, lat1, lon0, lon1, WIDTH, HEIGHT, PAD)
    lats, lons = [e["lat"] for e in events], [e["lon"] for e in events]
    cut = 0.0 if whole or len(events) < 20 else 0.05
    lat0, lat1 = _quantile(lats, cut), _quantile(lats, 1 - cut)
    lon0, lon1 = _quantile(lons, cut), _quantile(lons, 1 - cut)
    # at least 3 degrees across, so that one town's events still show the country around it
    grow_lat, grow_lon = max(0.0, 3.0 - (lat1 - lat0)) / 2, max(0.0, 3.0 - (lon1 - lon0)) / 2
    return Frame(lat0 - grow_lat, lat1 + grow_lat, lon0 - grow_lon, lon1 + grow_lon, WIDTH, HEIGHT, PAD).within_outline()


def _line(e: dict) -> str:
    kind = e["type"] or e["plover"] or "event"
    if e["sub_type"]:
        kind += f" / {e['sub_type']}"
    doc = e["title"] or e["document"]
    return f"{kind}, {e['date'] or 'undated'}, {e['place_name'] or '?'} ({e['modality'] or '?'}) — {doc} [{e['source'] or e['document']}]"


def places(events: list[dict]) -> list[dict]:
    """Events grouped by place (id, or the rounded point): name, point, events, documents; most events first."""
    groups: dict[str, dict] = {}
    for e in events:
        key = e["place"] or f"{e['lat']:.3f},{e['lon']:.3f}"
        g = groups.setdefault(key, {"place": e["place"], "name": e["place_name"] or key, "name_ar": e["place_name_ar"],
                                    "lat": e["lat"], "lon": e["lon"], "events": [], "documents": {}})
        g["events"].append(e)
        g["documents"].setdefault(e["document"], []).append(e)
    out = sorted(groups.values(), key=lambda g: (-len(g["events"]), g["name"]))
    for g in out:
        g["types"] = dict(Counter(e["type"] or e["plover"] or "event" for e in g["events"]).most_common())
    return out


def place_link(g: dict, params: dict) -> str:
    """The search page listing the documents of one place, keeping the map's filters."""
    keep = {k: v for k, v in params.items() if v and k in ("q", "lang", "source", "since", "until", "event_type",
                                                            "actor", "side", "technique")}
    if g["place"]:
        keep["place"] = g["place"]
    else:
        keep.update(near=f"{g['lat']:.4f},{g['lon']:.4f}", km="2")
    return "/search?" + urlencode(keep)


def doc_href(doc_id: str) -> str:
    return "/doc/" + quote(doc_id, safe="")


def _tip(lines: list[str], more: int = 0) -> str:
    """A <title> of at most 12 lines; `more`: lines not given (counted in the last line)."""
    more += max(0, len(lines) - 12)
    text = "\n".join(lines[:12]) + (f"\n… and {more} more" if more else "")
    return f"<title>{escape(text)}</title>"


def corpus_map(events: list[dict], params: dict | None = None, *, whole: bool = False
               ) -> tuple[str, list[dict], list[dict], list[dict]]:
    """(the SVG, the places drawn, the places in the outline's region but out of this view, the places outside
    the outline's region); events placed only in a whole country are left to the caller (`coarse`). `whole`: a view of all the events in the region, not of the middle 90%."""
    params = params or {}
    groups = places([e for e in events if not e.get("coarse")])
    inside = [g for g in groups if covers(g["lat"], g["lon"])]
    outside = [g for g in groups if not covers(g["lat"], g["lon"])]
    frame = _frame([e for g in inside for e in g["events"]], whole)
    borders, names = outline_svg(frame)
    width, height = frame.width, frame.height
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="map of the events in the corpus">', borders]
    marks, labels, drawn, unseen = [], [], [], []
    discs = []  # the numbered discs go on top, so that their numbers show
    for g in inside:
        x, y = frame.xy(g["lat"], g["lon"])
        if not (4 <= x <= width - 4 and 4 <= y <= height - 4):
            unseen.append(g)
            continue
        drawn.append(g)
        docs = list(g["documents"].items())
        if len(docs) <= RING_MAX:
            ring = 0 if len(docs) == 1 else 5 + 1.6 * len(docs)
            for k, (doc_id, evs) in enumerate(docs):
                a = 2 * math.pi * k / len(docs) - math.pi / 2
                cx, cy = x + ring * math.cos(a), y + ring * math.sin(a)
                fill = colour(Counter(e["type"] for e in evs).most_common(1)[0][0])
                marks.append((cx - 6, cy - 6, cx + 6, cy + 6))
                parts.append(f'<a href="{escape(doc_href(doc_id))}" class="ev"><circle cx="{cx:.1f}" cy="{cy:.1f}" r="5.5" '
                             f'fill="{fill}" fill-opacity=".85" stroke="#fff" stroke-width="1.2">'
                             f'{_tip([_line(e) for e in evs])}</circle></a>')
            r = ring + 6
        else:
            r = min(24.0, 8 + 2.2 * math.sqrt(len(docs)))
            fill = colour(next(iter(g["types"])))
            marks.append((x - r, y - r, x + r, y + r))
            head = (f"{g['name']}: {len(g['events'])} events in {len(docs)} documents ("
                    + ", ".join(f"{k} {v}" for k, v in g["types"].items()) + "); open the list")
            latest = sorted(g["events"], key=lambda e: e["date"] or "", reverse=True)[:11]
            lines = [head] + [_line(e) for e in latest]
            discs.append(f'<a href="{escape(place_link(g, params))}" class="ev"><circle cx="{x:.1f}" cy="{y:.1f}" '
                         f'r="{r:.1f}" fill="{fill}" fill-opacity=".75" stroke="#fff" stroke-width="1.5">'
                         f'{_tip(lines, len(g["events"]) - len(latest))}</circle><text x="{x:.1f}" y="{y + 4:.1f}" '
                         f'text-anchor="middle" font-size="11" '
                         f'font-weight="600" fill="#fff" pointer-events="none">{len(docs)}</text></a>')
        g["_label"] = (x, y, r)
    parts += discs
    # names of the busiest places, where they fit: the first ten may cover other places' markers
    for k, g in enumerate(drawn[:40]):
        x, y, r = g["_label"]
        name = g["name"]
        w = 6.8 * len(name)
        for lx, ly, anchor in ((x + r + 3, y + 4, "start"), (x - r - 3, y + 4, "end"), (x, y - r - 4, "middle")):
            left = lx - (w if anchor == "end" else w / 2 if anchor == "middle" else 0)
            box = (left, ly - 11, left + w, ly + 2)
            others = [] if k < 10 else [m for m in marks if not _inside(m, x, y, r)]
            if 0 <= box[0] and box[2] <= width and free(box, labels + others):
                labels.append(box)
                parts.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" font-size="12" fill="#1d232a" '
                             f'paint-order="stroke" stroke="#fff" stroke-width="3" stroke-opacity=".7" '
                             f'pointer-events="none">{escape(name)}</text>')
                break
    parts.insert(2, free_labels(names, labels + marks))
    parts.append("</svg>")
    for g in groups:
        g.pop("_label", None)
    return "".join(parts), drawn, unseen, outside


def _inside(box, x, y, r) -> bool:
    """Whether a mark's box belongs to the place at (x, y) with radius r (its own markers)."""
    return x - r - 1 <= box[0] and box[2] <= x + r + 1 and y - r - 1 <= box[1] and box[3] <= y + r + 1


def geojson(events: list[dict]) -> dict:
    """The events as a GeoJSON FeatureCollection (GET /api/map)."""
    feats = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [e["lon"], e["lat"]]},
              "properties": {k: v for k, v in e.items() if k not in ("lat", "lon")}} for e in events]
    return {"type": "FeatureCollection", "features": feats}
