"""The search views of the web app: the search page (hits with the total, page links, sort, facet counts
beside them, every filter in the form, export of the view) and its JSON twins.

  GET /search        hits, `total` and page links; the facets panel counts each filter value over the hits
  GET /api/search    {"query", "total", "count", "offset", "next", "hits"}: `next` is the URL of the next page
  GET /api/facets    {"total", "facets": {name: {"filter", "values": [{"value", "label", "count"}], "more"}}}
  GET /api/export    the view's records as csv, geojson, jsonl or plover (as `marsad export`), as a download
Filter values may be given in any spelling a page shows; an unknown one is a 400 naming the nearest values."""
from __future__ import annotations

import io
from typing import Callable

from fastapi import FastAPI, HTTPException
from fastapi.responses import HTMLResponse, Response

from ..corpus.export import FORMATS
from ..corpus.facets import facets
from ..corpus.search import SORTS
from ..corpus.semantic import available, unavailable_reason
from ..corpus.values import key
from ..ingest import InputError
from .filters import Km, Offset, VIEW_PARAMS, from_params, link

SEARCH_FILTERS = ("lang", "source", "place", "actor", "side", "event_type", "technique", "modality", "confidence")
PAGE_SIZE, MAX_PAGE = 50, 200
EXPORT_TYPES = {"csv": ("text/csv", "csv"), "geojson": ("application/geo+json", "geojson"),
                "jsonl": ("application/x-ndjson", "jsonl"), "plover": ("application/json", "json"),
                "labelstudio": ("application/json", "json"), "doccano": ("application/x-ndjson", "jsonl")}
FACET_TITLES = {"lang": "language", "source": "outlet", "event_type": "event type", "sub_type": "event sub-type",
                "technique": "technique", "modality": "modality", "actor": "actor", "side": "side", "place": "place"}


def register(app: FastAPI, *, page: Callable, corpus: Callable, has_db: bool, snippet_html: Callable) -> None:

    def view(params: dict, limit: int, offset: int, with_facets: bool):
        filters = from_params(params, SEARCH_FILTERS)
        sort = params.get("sort") or "relevance"
        if sort not in SORTS:
            raise InputError(f"sort must be one of {', '.join(SORTS)}")
        semantic = bool(params.get("semantic"))
        if semantic and not available():
            raise InputError(f"semantic search: {unavailable_reason()}")
        with corpus() as c:
            result = c.search_page(params.get("q") or "", limit=limit, offset=offset, sort=sort, semantic=semantic,
                                   **filters)
            counts = facets(c.conn, params.get("q") or "", top=12, **filters) if with_facets else None
        return result, counts

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(q: str = "", lang: str = "", source: str = "", since: str = "", until: str = "",
                    place: str = "", actor: str = "", side: str = "", event_type: str = "", technique: str = "",
                    modality: str = "", confidence: str = "", near: str = "", km: str = "", sort: str = "",
                    semantic: str = "", limit: int = PAGE_SIZE, offset: Offset = 0):
        params = dict(q=q, lang=lang, source=source, since=since, until=until, place=place, actor=actor, side=side,
                      event_type=event_type, technique=technique, modality=modality, confidence=confidence,
                      near=near, km=km, sort=sort, semantic=semantic)
        limit, offset = max(1, min(limit, MAX_PAGE)), max(0, offset)
        base = dict(active="search", hits=[], related=[], can_semantic=False, error=None, total=0, facets={}, pages=[], exports=[], chips=[],
                    offset=offset, limit=limit, facet_titles=FACET_TITLES, sorts=SORTS, **params)
        if not has_db:
            return page("search.html", 200, **base)
        try:
            result, counts = view(params, limit, offset, with_facets=True)
        except InputError as e:
            return page("search.html", 400, **(base | {"error": str(e)}))
        hits = [dict(h.to_dict(), snippet_html=snippet_html(h)) for h in result.hits]
        related = [dict(h.to_dict(), snippet_html=snippet_html(h)) for h in result.related]
        for name, facet in counts.items():
            for v in facet["values"]:
                v["link"] = link("/search", params, **{facet["filter"]: v["value"]})
                v["on"] = bool(params.get(facet["filter"])) and key(params[facet["filter"]]) == key(v["value"])
        chips = [(k, params[k], link("/search", params, **{k: None})) for k in VIEW_PARAMS
                 if k not in ("q", "sort", "km") and params.get(k)]
        return page("search.html", **(base | dict(
            hits=hits, related=related, can_semantic=available(), total=result.total, facets=counts, chips=chips, named=result.entities,
            pages=_pages(params, result.total, offset, limit),
            sort_links=[(s, link("/search", params, sort=s)) for s in SORTS],
            exports=[(fmt, link("/api/export", params, format=fmt)) for fmt in ("csv", "geojson", "jsonl")],
            map_link=link("/map", params, sort=None))))

    @app.get("/api/search", summary="Search the corpus database (same query syntax and filters as `marsad search`)")
    def api_search(q: str = "", lang: str | None = None, source: str | None = None, since: str | None = None,
                   until: str | None = None, place: str | None = None, near: str | None = None, km: Km = 25.0,
                   actor: str | None = None, side: str | None = None, event_type: str | None = None,
                   technique: str | None = None, modality: str | None = None, confidence: float | None = None,
                   sort: str = "relevance", semantic: bool = False, limit: int = 20, offset: Offset = 0):
        """`total` documents match; this answer holds `count` of them from `offset`; `next` is the URL of the next
        page (null on the last). Filter values in any spelling a record or page shows (id, name, label).
        semantic=true adds `related`: documents close to the query by meaning (either language) that it does not
        match by its words (needs the sentence encoder)."""
        params = dict(q=q, lang=lang, source=source, since=since, until=until, place=place, near=near, km=km,
                      actor=actor, side=side, event_type=event_type, technique=technique, modality=modality,
                      confidence=confidence, sort=sort, semantic="1" if semantic else "")
        limit, offset = max(1, min(limit, MAX_PAGE)), max(0, offset)
        try:
            result, _ = view(params, limit, offset, with_facets=False)
        except InputError as e:
            raise HTTPException(400, str(e)) from None
        nxt = result.next_offset
        return {"query": q, "total": result.total, "count": len(result.hits), "offset": offset, "limit": limit,
                "sort": sort, "named": result.entities,
                "next": link("/api/search", params, limit=limit, offset=nxt) if nxt is not None else None,
                "hits": [h.to_dict() for h in result.hits]} | (
                {"related": [h.to_dict() for h in result.related]} if semantic else {})

    @app.get("/api/facets", summary="Every filter's values with the number of matching documents")
    def api_facets(q: str = "", lang: str | None = None, source: str | None = None, since: str | None = None,
                   until: str | None = None, place: str | None = None, near: str | None = None, km: Km = 25.0,
                   actor: str | None = None, side: str | None = None, event_type: str | None = None,
                   technique: str | None = None, modality: str | None = None, confidence: float | None = None,
                   top: int = 20):
        params = dict(q=q, lang=lang, source=source, since=since, until=until, place=place, near=near, km=km,
                      actor=actor, side=side, event_type=event_type, technique=technique, modality=modality,
                      confidence=confidence)
        try:
            filters = from_params(params, SEARCH_FILTERS)
            with corpus() as c:
                total = c.search_page(q, limit=1, **filters).total
                counts = facets(c.conn, q, top=max(1, min(top, 1000)), **filters)
        except InputError as e:
            raise HTTPException(400, str(e)) from None
        return {"query": q, "total": total, "facets": counts}

    @app.get("/api/export", summary="The records of a search view as csv, geojson, jsonl or plover (a download)")
    def api_export(format: str = "csv", q: str = "", lang: str | None = None, source: str | None = None,
                   since: str | None = None, until: str | None = None, place: str | None = None,
                   near: str | None = None, km: Km = 25.0, actor: str | None = None, side: str | None = None,
                   event_type: str | None = None, technique: str | None = None, modality: str | None = None,
                   confidence: float | None = None, sort: str = ""):
        if format not in FORMATS:
            raise HTTPException(400, f"format must be one of {', '.join(FORMATS)}")
        params = dict(q=q, lang=lang, source=source, since=since, until=until, place=place, near=near, km=km,
                      actor=actor, side=side, event_type=event_type, technique=technique, modality=modality,
                      confidence=confidence)
        out = io.StringIO()
        try:
            filters = from_params(params, SEARCH_FILTERS)
            with corpus() as c:
                c.export(format, out, q, **filters)
        except InputError as e:
            raise HTTPException(400, str(e)) from None
        media, ext = EXPORT_TYPES[format]
        return Response(out.getvalue(), media_type=f"{media}; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="marsad-search.{ext}"'})


def _pages(params: dict, total: int, offset: int, limit: int) -> list[tuple[str, str | None]]:
    """(label, link or None for the current page) for: previous, the first, a window around this one, the last,
    next. Gaps are ("…", None)."""
    count = (total + limit - 1) // limit
    if count <= 1:
        return []
    here = offset // limit
    shown = sorted({0, count - 1, *range(max(0, here - 2), min(count, here + 3))})
    out: list[tuple[str, str | None]] = []
    if here > 0:
        out.append(("← previous", link("/search", params, offset=(here - 1) * limit or None, limit=_lim(limit))))
    last = -1
    for p in shown:
        if p > last + 1:
            out.append(("…", None))
        out.append((str(p + 1), None if p == here else link("/search", params, offset=p * limit or None,
                                                             limit=_lim(limit))))
        last = p
    if here < count - 1:
        out.append(("next →", link("/search", params, offset=(here + 1) * limit, limit=_lim(limit))))
    return out


def _lim(limit: int) -> int | None:
    return None if limit == PAGE_SIZE else limit
