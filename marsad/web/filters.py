"""The corpus filters of a web request (search, map): one reading of the query parameters for every page."""
from __future__ import annotations

from ..ingest import InputError
from ..ingest.document import parse_published

DEFAULT_KM = 25.0


def from_params(params: dict, keys) -> dict:
    """Filters for Corpus.search / event_map.located_events: the named `keys` (empty values dropped to None),
    `since` / `until` as ISO dates, and `near` ("LAT,LON") with `km` as a radius."""
    filters = {k: params.get(k) or None for k in keys}
    for key in ("since", "until"):
        filters[key] = parse_published(params.get(key) or None)
    if params.get("near"):
        try:
            lat, lon = (float(x) for x in str(params["near"]).split(","))
            filters["near"], filters["km"] = (lat, lon), float(params.get("km") or DEFAULT_KM)
        except ValueError:
            raise InputError("near must be LAT,LON and km a number") from None
    return filters
