"""The index rows of a stored record (mentions, entities, events, techniques: what filters, facets, the map and
compare read) and the record read back. Shared by the store (at ingest), corrections (after one) and re-analysis."""
from __future__ import annotations

import json
import math
import sqlite3
from typing import Mapping


def _num(x) -> float | None:
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) else None


def _int(x) -> int | None:
    return int(x) if isinstance(x, int) and not isinstance(x, bool) else None


def _str(x) -> str | None:
    return x if isinstance(x, str) else None


INDEX_TABLES = ("mentions", "entities", "events", "techniques")


def index_rows(conn: sqlite3.Connection, doc: int, rec: Mapping) -> None:
    """Write the mention, entity, event and technique rows of document `doc` from `rec`."""
    ents = rec.get("entities") if isinstance(rec.get("entities"), Mapping) else {}
    conn.executemany(
        'INSERT INTO mentions(doc, start, "end", text, type, entity, confidence) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ((doc, _int(m.get("start")), _int(m.get("end")), _str(m.get("text")), _str(m.get("type")),
          _str(m.get("entity")), _num(m.get("confidence")))
         for m in rec.get("mentions") or [] if isinstance(m, Mapping)))
    conn.executemany(
        "INSERT INTO entities(doc, entity, name, name_ar, kind, side, country, lat, lon, admin1) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((doc, str(k), _str(e.get("name")), _str(e.get("name_ar")), _str(e.get("kind")), _str(e.get("side")),
          _str(e.get("country")), _num(e.get("lat")), _num(e.get("lon")), _str(e.get("admin1")))
         for k, e in ents.items() if isinstance(e, Mapping)))
    conn.executemany(
        "INSERT INTO events VALUES (" + ", ".join("?" * 26) + ")",
        (_event_row(doc, n, ev, ents) for n, ev in enumerate(rec.get("events") or []) if isinstance(ev, Mapping)))
    conn.executemany(
        'INSERT INTO techniques(doc, technique, start, "end", confidence) VALUES (?, ?, ?, ?, ?)',
        ((doc, _str(t.get("technique")), _int(t.get("start")), _int(t.get("end")), _num(t.get("confidence")))
         for t in rec.get("techniques") or [] if isinstance(t, Mapping)))


def _event_row(doc: int, n: int, ev: Mapping, ents: Mapping) -> tuple:
    def ent(key):
        e = ents.get(ev.get(key)) if isinstance(ev.get(key), str) else None
        return e if isinstance(e, Mapping) else {}

    a1, a2, pl = ent("actor1"), ent("actor2"), ent("place")
    fat = ev.get("fatalities") if isinstance(ev.get("fatalities"), Mapping) else {}
    span = ev.get("evidence") if isinstance(ev.get("evidence"), Mapping) else {}
    return (doc, n, _str(ev.get("type")), _str(ev.get("sub_type")), _str(ev.get("plover")),
            _str(ev.get("actor1")), _str(a1.get("side")), _str(ev.get("actor2")), _str(a2.get("side")),
            _str(ev.get("place")), _num(pl.get("lat")), _num(pl.get("lon")), _str(pl.get("admin1")),
            _str(ev.get("date")), _str(ev.get("date_precision")), _str(ev.get("modality")),
            _str(ev.get("claimed_by")), _str(ev.get("means")),
            _int(fat.get("total")), _int(fat.get("civilians")), _int(fat.get("children")), _int(fat.get("women")),
            _int(fat.get("combatants")), _int(span.get("start")), _int(span.get("end")),
            _num(ev.get("confidence")))


def load_record(text: str, record_json: str) -> dict:
    rec = json.loads(record_json)
    rec["text"] = text  # back in its original key position (stored as null)
    return rec
