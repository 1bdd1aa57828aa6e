"""Stage: events (ACLED/PLOVER types, arguments, modality, source, date, fatalities); see marsad/events."""
from __future__ import annotations

from ..events import extract
from . import declares


@declares(requires=("text", "published", "language", "sentences", "encoded", "mentions", "entities"),
          assigns=("events", "entities", "warnings"))
def code(analysis) -> None:
    analysis.record["events"] = extract(analysis.record, analysis.scratch.get("encoded"))
