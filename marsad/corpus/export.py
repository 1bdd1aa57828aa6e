"""Exports from the corpus store, with the analysts' corrections applied (Corpus.records). Label Studio tasks
and doccano JSONL for annotation: annotation_tools.py. JSONL, CSV and GeoJSON reuse the writers of `marsad analyze`
(marsad.outputs), fed the stored records, so a stored record exports exactly as a fresh one would.

PLOVER JSON: a JSON array, one object per event, in the style of PLOVER/POLECAT event data (Halterman et
al., "PLOVER and POLECAT", 2023). It is marsad's mapping, not an official crosswalk:

| PLOVER-style field | from the marsad/1 record |
|---|---|
| `id` | `<document id>-<n>`, n counting the document's events from 1 (= ACLED-style `event_id_cnty`) |
| `date` | `events[].date`, else the document's `published` |
| `event_type` | `events[].plover` (PLOVER's 19 types) |
| `mode` | from `means` or the ACLED sub-type (see MODES); null when neither says |
| `context` | `["military"]` for FIGHT/ASSAULT/COERCE/MOBILIZE/RETREAT, else `[]` |
| `acled_event_type`, `acled_sub_event_type` | `events[].type`, `events[].sub_type` |
| `actor1`, `actor2` | entity names (English, else Arabic); `actor1_id`, `actor1_side`, `actor1_country` beside |
| `location` | `{id, name, admin1, country}` of `events[].place`; `lat`, `lon` beside |
| `fatalities` | `events[].fatalities` as is (total, civilians, children, women, combatants) |
| `modality`, `claimed_by` | as in the record (claimed_by as a name where the entity has one) |
| `source` | `{document_id, outlet, url, title, published, language}` |
| `evidence` | `{start, end, text}`: the span of the document that supports the event |
| `confidence` | `events[].confidence` |
| `checked`, `note` | `"human"` and the analyst's note where the event was corrected (corrections.py), else null |
"""
from __future__ import annotations

import json
from typing import TextIO

from ..outputs.events import CsvWriter, GeoJsonWriter, rows
from ..outputs.jsonl import JsonlWriter

FORMATS = ("jsonl", "csv", "geojson", "plover", "labelstudio", "doccano")

# PLOVER-style modes for marsad's `means` and for ACLED sub-types (the sub-type wins: it is more specific).
MODES = {
    "shelling": "artillery", "air_strike": "aerial", "chemical": "CBRN", "shooting": "small-arms",
    "explosion": "explosive", "execution": "kill",
    "Air/drone strike": "aerial", "Shelling/artillery/missile attack": "artillery", "Chemical weapon": "CBRN",
    "Suicide bomb": "suicide-bomb", "Remote explosive/landmine/IED": "IED", "Grenade": "grenade",
    "Sexual violence": "sexual", "Abduction/forced disappearance": "abduct", "Arrests": "arrest",
    "Government regains territory": "occupy", "Non-state actor overtakes territory": "occupy",
    "Looting/property destruction": "seize-destroy", "Agreement": "ceasefire-or-settle",
    "Peaceful protest": "demonstrate", "Protest with intervention": "demonstrate",
    "Excessive force against protesters": "demonstrate", "Violent demonstration": "riot", "Mob violence": "riot",
}
MILITARY = {"FIGHT", "ASSAULT", "COERCE", "MOBILIZE", "RETREAT"}


def plover_events(record: dict):
    """One PLOVER-style object per event of `record`."""
    ents = record.get("entities") or {}
    for row, ev in zip(rows(record), record.get("events") or []):
        pl = ents.get(ev.get("place") or "") or {}
        span = ev.get("evidence") or {}
        plover = ev.get("plover")
        yield {
            "id": row["event_id_cnty"],
            "date": row["event_date"],
            "event_type": plover,
            "mode": MODES.get(ev.get("sub_type") or "") or MODES.get(ev.get("means") or ""),
            "context": ["military"] if plover in MILITARY else [],
            "acled_event_type": row["event_type"],
            "acled_sub_event_type": row["sub_event_type"],
            "actor1": row["actor1"], "actor1_id": row["actor1_id"], "actor1_side": row["actor1_side"],
            "actor1_country": (ents.get(ev.get("actor1") or "") or {}).get("country"),
            "actor2": row["actor2"], "actor2_id": row["actor2_id"], "actor2_side": row["actor2_side"],
            "actor2_country": (ents.get(ev.get("actor2") or "") or {}).get("country"),
            "location": ({"id": ev.get("place"), "name": row["location"], "admin1": pl.get("admin1"),
                          "country": pl.get("country")} if ev.get("place") else None),
            "lat": row["latitude"], "lon": row["longitude"],
            "fatalities": ev.get("fatalities"),
            "modality": ev.get("modality"),
            "claimed_by": row["claimed_by"],
            "source": {"document_id": record.get("id"), "outlet": record.get("source"), "url": record.get("url"),
                       "title": record.get("title"), "published": record.get("published"),
                       "language": record.get("language")},
            "evidence": {"start": span.get("start"), "end": span.get("end"), "text": row["notes"]} if span else None,
            "confidence": ev.get("confidence"),
            "checked": ev.get("checked"), "note": ev.get("note"),
        }


class PloverWriter:
    """A JSON array of PLOVER-style event objects, streamed."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.count = 0

    def write(self, record: dict) -> None:
        for obj in plover_events(record):
            self.stream.write(("[\n" if self.count == 0 else ",\n") + json.dumps(obj, ensure_ascii=False))
            self.count += 1

    def close(self) -> None:
        self.stream.write("[]\n" if self.count == 0 else "\n]\n")


def _annotation_writer(name: str):
    def make(stream: TextIO):
        from . import annotation_tools

        return getattr(annotation_tools, name)(stream)
    return make


WRITERS = {"jsonl": JsonlWriter, "csv": CsvWriter, "geojson": GeoJsonWriter, "plover": PloverWriter,
           "labelstudio": _annotation_writer("LabelStudioWriter"), "doccano": _annotation_writer("DoccanoWriter")}


def export(corpus, fmt: str, stream: TextIO, query: str = "", **filters) -> int:
    """Every stored record matching `query` and the search filters (all of them when none is given), in
    ingest order, through the writer for `fmt`; returns records read. Filters as search.search_page."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    where, params = "", ()
    if (query or "").strip() or any(v not in (None, "", []) for v in filters.values()):
        from .search import matching

        inner, args, _, _ = matching(corpus.conn, query, **filters)
        where, params = f"rowid IN (SELECT m.rowid FROM ({inner}) m)", tuple(args)
    w = WRITERS[fmt](stream)
    n = 0
    for rec in corpus.records(where, params):
        w.write(rec)
        n += 1
    w.close()
    return n
