"""Events as flat rows: ACLED's column names where ACLED has the field, marsad's own after them. Shared by
the CSV and GeoJSON writers so that both say the same thing about an event."""
from __future__ import annotations

import csv
import json
from typing import TextIO

# ACLED's time_precision and geo_precision codes (ACLED codebook 2023, sections 3.2 and 3.6).
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}

ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
                 "actor1", "actor2", "iso", "country", "admin1", "location", "latitude", "longitude",
                 "geo_precision", "source", "notes", "fatalities"]
MARSAD_COLUMNS = ["document_id", "plover", "modality", "claimed_by", "means", "civilians", "children", "women",
                  "combatants", "actor1_id", "actor1_side", "actor2_id", "actor2_side", "place_id",
                  "evidence_start", "evidence_end", "confidence", "language", "url", "checked", "checked_note"]
COLUMNS = ACLED_COLUMNS + MARSAD_COLUMNS


def _name(ent: dict | None) -> str | None:
    if not ent:
        return None
    return ent.get("name") or ent.get("name_ar")


def rows(record: dict):
    """One dict per event of the record, keyed by COLUMNS (None where unknown)."""
    ents = record.get("entities", {})
    text = record.get("text", "")
    for k, ev in enumerate(record.get("events", []), start=1):
        a1, a2, pl = (ents.get(ev.get(key) or "") for key in ("actor1", "actor2", "place"))
        fat = ev.get("fatalities") or {}
        date = ev.get("date") or record.get("published")
        span = ev.get("evidence") or {}
        notes = text[span.get("start", 0):span.get("end", 0)].strip() if span else ""
        yield {
            "event_id_cnty": f"{record.get('id')}-{k}",
            "event_date": date,
            "year": int(date[:4]) if date else None,
            "time_precision": TIME_PRECISION.get(ev.get("date_precision") or ""),
            "event_type": ev.get("type"),
            "sub_event_type": ev.get("sub_type"),
            "actor1": _name(a1),
            "actor2": _name(a2),
            "iso": (pl or {}).get("country"),
            "country": (pl or {}).get("country"),
            "admin1": (pl or {}).get("admin1"),
            "location": _name(pl),
            "latitude": (pl or {}).get("lat"),
            "longitude": (pl or {}).get("lon"),
            "geo_precision": ev.get("place_precision"),
            "source": record.get("source"),
            "notes": " ".join(notes.split()),
            "fatalities": fat.get("total"),
            "document_id": record.get("id"),
            "plover": ev.get("plover"),
            "modality": ev.get("modality"),
            "claimed_by": _name(ents.get(ev.get("claimed_by") or "")) or ev.get("claimed_by"),
            "means": ev.get("means"),
            "civilians": fat.get("civilians"),
            "children": fat.get("children"),
            "women": fat.get("women"),
            "combatants": fat.get("combatants"),
            "actor1_id": ev.get("actor1"),
            "actor1_side": (a1 or {}).get("side"),
            "actor2_id": ev.get("actor2"),
            "actor2_side": (a2 or {}).get("side"),
            "place_id": ev.get("place"),
            "evidence_start": span.get("start"),
            "evidence_end": span.get("end"),
            "confidence": ev.get("confidence"),
            "language": record.get("language"),
            "url": record.get("url"),
            "checked": ev.get("checked"),      # "human" where an analyst corrected the event (corpus corrections)
            "checked_note": ev.get("note"),
        }


class CsvWriter:
    """ACLED-column CSV, one row per event, header once; documents without events add no rows."""

    def __init__(self, stream: TextIO):
        self.writer = csv.DictWriter(stream, fieldnames=COLUMNS, extrasaction="ignore")
        self.writer.writeheader()

    def write(self, record: dict) -> None:
        for row in rows(record):
            self.writer.writerow(row)

    def close(self) -> None:
        pass


class GeoJsonWriter:
    """A FeatureCollection of the events that have a located place (Point, [lon, lat]), streamed."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.count = 0
        stream.write('{"type": "FeatureCollection", "features": [')

    def write(self, record: dict) -> None:
        for row in rows(record):
            if row["latitude"] is None or row["longitude"] is None:
                continue
            feature = {"type": "Feature", "geometry": {"type": "Point",
                                                       "coordinates": [row["longitude"], row["latitude"]]},
                       "properties": {k: v for k, v in row.items() if v is not None}}
            self.stream.write(("\n" if self.count == 0 else ",\n") + json.dumps(feature, ensure_ascii=False))
            self.count += 1

    def close(self) -> None:
        self.stream.write("\n]}\n")
