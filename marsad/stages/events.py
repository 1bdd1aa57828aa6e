"""Stage: events (ACLED/PLOVER types, arguments, modality, source, date, fatalities); see marsad/events."""
from __future__ import annotations

from ..events import extract


def code(analysis) -> None:
    analysis.record["events"] = extract(analysis.record, analysis.scratch.get("encoded"))
