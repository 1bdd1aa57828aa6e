"""The bundled country outline (marsad/data/maps/levant.geojson) and the maps drawn over it."""
from __future__ import annotations

import json
import re

from marsad.outputs import outline
from marsad.outputs.svg_map import document_map


def test_outline_is_small_and_covers_the_region():
    assert outline.OUTLINE.stat().st_size < 400_000
    data = json.loads(outline.OUTLINE.read_text(encoding="utf-8"))
    assert "Natural Earth" in data["source"]
    by_iso = {c["iso"]: c for c in outline.countries()}
    for iso in ("SY", "IQ", "LB", "JO", "TR", "IL", "PS", "CY", "EG", "SA", "IR"):
        assert iso in by_iso, iso
    assert by_iso["SY"]["name"] == "Syria" and by_iso["SY"]["name_ar"] == "سوريا"
    # Damascus lies in Syria's polygon, Zahle in Lebanon's, Amman in Jordan's (Beirut, on its cape, is at the
    # simplified coast)
    for iso, (lon, lat) in (("SY", (36.29, 33.51)), ("LB", (35.90, 33.85)), ("JO", (35.93, 31.95))):
        assert any(_inside((lon, lat), poly[0]) for poly in by_iso[iso]["polygons"]), iso
    for c in outline.countries():
        lon, lat = c["label"]
        assert any(_inside((lon, lat), poly[0]) for poly in c["polygons"]), c["name"]


def _inside(pt, ring) -> bool:
    x, y = pt
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def test_clip_to_a_box():
    square = [(0, 0), (4, 0), (4, 4), (0, 4), (0, 0)]
    clipped = outline.clip(square, (1, 1, 2, 5))
    assert clipped[0] == clipped[-1] and outline.area(clipped) == 3.0
    assert outline.clip(square, (10, 10, 11, 11)) == []


def test_frame_round_trip():
    f = outline.Frame(32.0, 37.0, 35.0, 42.0, 600, 400, 20)
    x, y = f.xy(34.5, 38.5)
    assert (round(x), round(y)) == (300, 200)
    lon0, lat0, lon1, lat1 = f.bounds()
    assert lon0 <= 35.0 and lon1 >= 42.0 and lat0 <= 32.0 and lat1 >= 37.0


def _record(places):
    ents = {f"p{k}": {"kind": "place", "name": name, "lat": lat, "lon": lon, "feature": "city"}
            for k, (name, lat, lon) in enumerate(places)}
    mentions = [{"entity": eid, "start": 0, "end": 1, "type": "LOC"} for eid in ents]
    return {"entities": ents, "mentions": mentions, "events": []}


def test_document_map_draws_borders_in_the_region_only():
    svg = document_map(_record([("Douma", 33.57, 36.40), ("Daraa", 32.62, 36.10)]))
    assert 'class="outline"' in svg and "<title>Syria · سوريا</title>" in svg
    assert re.search(r"<path d=\"M[-\d.]+ [-\d.]+L", svg)
    far = document_map(_record([("Denver", 39.74, -104.99), ("Boulder", 40.01, -105.27)]))
    assert far and 'class="outline"' not in far


def test_frame_within_outline_shows_no_ground_without_outline():
    lon0, lat0, lon1, lat1 = outline.extent()
    # a view of the whole outline's height is wider than the outline: cropped to it, same scale
    wide = outline.Frame(lat0, lat1, 40.0, 41.0, 960, 620, 0)
    inner = wide.within_outline()
    b = inner.bounds()
    assert inner.scale == wide.scale and inner.width < 960
    assert b[0] >= lon0 - 1e-6 and b[2] <= lon1 + 1e-6 and b[1] >= lat0 - 1e-6 and b[3] <= lat1 + 1e-6
    # a small view past the western edge moves east, keeping its size
    edge = outline.Frame(30.0, 32.0, lon0 - 1.0, lon0 + 1.0, 600, 400, 0).within_outline()
    assert edge.width == 600 and edge.bounds()[0] >= lon0 - 1e-6
