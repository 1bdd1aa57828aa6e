"""The corpus filters of a web request (search, map, facets, export): one reading of the query parameters for
every page, and the links that change one of them."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query

from ..config import settings
from ..ingest import InputError
from ..ingest.document import parse_published

# Numeric query parameters, range-checked by FastAPI (422 naming the parameter): an offset past SQLite's
# integers, or a km or day count that overflows a date, was a 500.
Offset = Annotated[int, Query(ge=0, le=settings()["web"]["max_offset"])]
Km = Annotated[float, Query(gt=0, le=20_000)]  # NaN fails both bounds, so it is refused too
Days = Annotated[int, Query(ge=0, le=36_500)]

DEFAULT_KM = 25.0
# the parameters a corpus view keeps from page to page, in the order links show them
VIEW_PARAMS = ("q", "lang", "source", "since", "until", "place", "actor", "side", "event_type", "technique",
               "modality", "confidence", "near", "km", "sort", "semantic")


def from_params(params: dict, keys) -> dict:
    """Filters for Corpus.search / event_map.located_events: the named `keys` (empty values dropped to None),
    `since` / `until` as ISO dates, `near` ("LAT,LON") with `km` as a radius, and `confidence` (0..1) where
    it is one of the keys."""
    filters = {k: params.get(k) or None for k in keys if k != "confidence"}
    for key in ("since", "until"):
        filters[key] = parse_published(params.get(key) or None)
    if params.get("near"):
        try:
            lat, lon = (float(x) for x in str(params["near"]).split(","))
            filters["near"], filters["km"] = (lat, lon), float(params.get("km") or DEFAULT_KM)
        except ValueError:
            raise InputError("near must be LAT,LON and km a number") from None
    if "confidence" in keys and params.get("confidence") not in (None, ""):
        try:
            conf = float(params["confidence"])
        except ValueError:
            raise InputError("confidence must be a number between 0 and 1") from None
        if not 0 <= conf <= 1:
            raise InputError("confidence must be a number between 0 and 1")
        filters["confidence"] = conf or None
    return filters


def link(path: str, params: dict, **changes) -> str:
    """`path` with the view's parameters, `changes` applied (None or "" removes one); offset is dropped unless
    changed, since a new filter starts at the first page."""
    merged = {k: params.get(k) for k in VIEW_PARAMS} | changes
    if merged.get("sort") == "relevance":
        merged["sort"] = None
    pairs = [(k, v) for k, v in merged.items() if v not in (None, "") and not (k == "km" and not merged.get("near"))]
    return path + ("?" + urlencode(pairs) if pairs else "")
