"""Output writers. Each takes a text stream and offers write(record) and close(); all stream, none holds
the batch in memory. Outputs only read records: no stage imports this package."""
from __future__ import annotations

from typing import TextIO

from .events import CsvWriter, GeoJsonWriter
from .html import HtmlWriter
from .jsonl import JsonArrayWriter, JsonlWriter

WRITERS = {"jsonl": JsonlWriter, "json": JsonArrayWriter, "html": HtmlWriter, "csv": CsvWriter,
           "geojson": GeoJsonWriter}


def writer(fmt: str, stream: TextIO):
    return WRITERS[fmt](stream)
