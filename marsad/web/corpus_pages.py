"""The corpus pages of the web app: the event map, the cross-outlet comparison and the outlet profiles, with
their JSON twins. `register(app, ...)` adds them to the app made by marsad.web.app.create_app.

  GET /map          located events over the bundled country outline (the search filters: q, lang, source, since,
                    until, event_type, actor, side, technique, place, near + km); GET /api/map: the same, as GeoJSON
  GET /compare      multi-outlet clusters (marsad.corpus.compare.clusters; encoder=auto|on|off: the sentence
                    encoder, by default where installed and the corpus has at most 2,000 documents); GET /api/compare
  GET /profiles     outlet profiles (marsad.corpus.profiles); GET /api/profiles

Clusters and profiles are computed on request and kept (a few, per parameters) until the corpus changes.
Everything article-derived reaches the page through Jinja2's autoescape or html.escape (event_map)."""
from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import urlencode
from collections import OrderedDict
from typing import Callable

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse
from markupsafe import Markup

from ..corpus import values
from ..ingest import InputError
from . import event_map
from .filters import Days, Km, Offset, from_params, link

MAP_FILTERS = ("lang", "source", "place", "actor", "side", "technique", "modality", "confidence")
# The map page runs the vendored Leaflet (marsad/web/static): scripts, styles, images and data from this
# server only; every other page keeps the app's script-free policy.
MAP_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
           "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
OUTLINE = Path(__file__).resolve().parent.parent / "data" / "maps" / "levant.geojson"
ENCODER_MAX_DOCS = 2000  # encoder=auto: sentence embeddings up to this many documents (9,802 took 408 s, 2 cores)


class ResultCache:
    """The last few results per key, dropped when the corpus gains documents or corrections."""

    def __init__(self, size: int = 8):
        self.size, self.data, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, corpus, key: tuple, compute: Callable):
        stamp = values.state(corpus.conn)
        with self.lock:
            hit = self.data.get(key)
            if hit is not None and hit[0] == stamp:
                self.data.move_to_end(key)
                return hit[1]
        value = compute()
        with self.lock:
            self.data[key] = (stamp, value)
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)
        return value


def _titles(corpus, ids) -> dict[str, str]:
    ids = sorted(set(ids))
    out: dict[str, str] = {}
    for k in range(0, len(ids), 500):
        chunk = ids[k:k + 500]
        for doc_id, title in corpus.conn.execute(
                f"SELECT id, title FROM documents WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            out.setdefault(doc_id, title or doc_id)
    return out


def register(app: FastAPI, *, page: Callable, corpus: Callable, has_db: bool) -> None:
    cache = ResultCache()

    def map_events(params: dict) -> list[dict]:
        filters = from_params(params, MAP_FILTERS)
        with corpus() as c:
            return event_map.located_events(c.conn, params.get("q") or "", event_type=params.get("event_type") or None,
                                            **filters)

    def clusters(km: float, days: int, min_outlets: int, encoder: str) -> tuple[list[dict], bool]:
        """The clusters, and whether the sentence encoder made them."""
        from ..corpus.compare import clusters as find

        with corpus() as c:
            if encoder == "auto":
                small = c.conn.execute("SELECT count(*) FROM documents").fetchone()[0] <= ENCODER_MAX_DOCS
                embeddings = None if small else False
            else:
                embeddings = {"on": True, "off": False}.get(encoder)
                if embeddings is None:
                    raise HTTPException(400, "encoder must be auto, on or off")
            if embeddings is None:
                from ..corpus.similar import encoder as installed

                embeddings = installed() is not None
            found = cache.get(c, ("clusters", km, days, min_outlets, embeddings),
                              lambda: find(c, km=km, days=days, min_outlets=min_outlets, embeddings=embeddings))
            return found, embeddings

    def profiles() -> dict:
        from ..corpus.profiles import profiles as describe

        with corpus() as c:
            return cache.get(c, ("profiles",), lambda: describe(c))

    def pick(cs: list[dict], disagree: bool, outlet: str) -> list[dict]:
        if disagree:
            cs = [c for c in cs if c["casualties"]["disagree"]]
        if outlet:
            cs = [c for c in cs if any(o.lower() == outlet.lower() for o in c["outlets"])]
        return cs

    def compare_params(km: float, days: int, min_outlets: int) -> tuple[float, int, int]:
        return max(0.1, min(km, 500.0)), max(0, min(days, 60)), max(1, min(min_outlets, 50))

    # --- pages ---------------------------------------------------------------------------------------------

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def map_page(q: str = "", lang: str = "", source: str = "", since: str = "", until: str = "",
                 event_type: str = "", place: str = "", actor: str = "", side: str = "", technique: str = "",
                 modality: str = "", confidence: str = "", near: str = "", km: str = "", view: str = ""):
        response = map_view(q=q, lang=lang, source=source, since=since, until=until, event_type=event_type,
                            place=place, actor=actor, side=side, technique=technique, modality=modality,
                            confidence=confidence, near=near, km=km, view=view)
        response.headers["Content-Security-Policy"] = MAP_CSP
        return response

    def map_view(view: str, **params):
        whole = view == "all"
        api = link("/api/map", params, limit=event_map.MAX_EVENTS)
        if not has_db:
            return page("map.html", active="map", svg=None, drawn=[], unseen=[], outside=[], coarse=[], events=0, error=None,
                        view=view, api=api, **params)
        try:
            events = map_events(params)
        except InputError as e:
            return page("map.html", 400, active="map", svg=None, drawn=[], unseen=[], outside=[], coarse=[], events=0,
                        error=str(e), view=view, api=api, **params)
        svg, drawn, unseen, outside = event_map.corpus_map(events, params, whole=whole)
        types: dict[str, int] = {}
        for e in events:
            types[e["type"] or "Other"] = types.get(e["type"] or "Other", 0) + 1
        legend = [(t, n, event_map.colour(t)) for t, n in sorted(types.items(), key=lambda kv: -kv[1])]
        coarse = event_map.places([e for e in events if e["coarse"]])
        for g in drawn + unseen + outside + coarse:
            g["link"] = event_map.place_link(g, params)
        whole_link = "/map?" + urlencode({k: v for k, v in params.items() if v} | {"view": "all"})
        return page("map.html", active="map", svg=Markup(svg), drawn=drawn[:60], n_places=len(drawn),
                    unseen=unseen, outside=outside, coarse=coarse, events=len(events), legend=legend, error=None,
                    capped=len(events) >= event_map.MAX_EVENTS, view=view, whole_link=whole_link, api=api,
                    search_link=link("/search", params), **params)

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_page(km: Km = 25.0, days: Days = 3, min_outlets: int = 2, disagree: bool = False,
                     outlet: str = "", encoder: str = "auto", limit: int = 50):
        km, days, min_outlets = compare_params(km, days, min_outlets)
        form = dict(km=km, days=days, min_outlets=min_outlets, disagree=disagree, outlet=outlet, encoder=encoder)
        if not has_db:
            return page("compare.html", active="compare", clusters=[], total=0, shown=0, titles={}, **form)
        try:
            everything, used = clusters(km, days, min_outlets, encoder)
        except RuntimeError as e:  # encoder=on without the compare extra
            raise HTTPException(400, str(e)) from None
        cs = pick(everything, disagree, outlet)
        shown = cs[:max(1, min(limit, 500))]
        with corpus() as c:
            titles = _titles(c, [d for cl in shown for d in cl["documents"]])
        return page("compare.html", active="compare", clusters=shown, total=len(cs), all=len(everything), used=used,
                    disagreeing=sum(1 for c in everything if c["casualties"]["disagree"]), titles=titles, **form)

    @app.get("/profiles", response_class=HTMLResponse, include_in_schema=False)
    def profiles_page():
        if not has_db:
            return page("profiles.html", active="profiles", outlets={})
        return page("profiles.html", active="profiles", outlets=profiles())

    # --- JSON API ----------------------------------------------------------------------------------------

    @app.get("/api/outline", summary="The country outline the map draws (Natural Earth, public domain), GeoJSON")
    def api_outline():
        return FileResponse(OUTLINE, media_type="application/geo+json")

    @app.get("/api/map", summary="Located events of the documents matching a search, as GeoJSON")
    def api_map(q: str = "", lang: str | None = None, source: str | None = None, since: str | None = None,
                until: str | None = None, event_type: str | None = None, place: str | None = None,
                near: str | None = None, km: Km = 25.0, actor: str | None = None, side: str | None = None,
                technique: str | None = None, modality: str | None = None, confidence: str | None = None,
                limit: int = 10000, offset: Offset = 0):
        params = dict(q=q, lang=lang, source=source, since=since, until=until, event_type=event_type, place=place,
                      near=near, km=km, actor=actor, side=side, technique=technique, modality=modality,
                      confidence=confidence)
        offset, limit = max(0, offset), max(1, min(limit, event_map.MAX_EVENTS))
        try:
            return event_map.geojson(map_events(params)[offset:offset + limit])
        except InputError as e:
            raise HTTPException(400, str(e)) from None

    @app.get("/api/compare", summary="Events reported by several outlets: who tells them, how, with which figures")
    def api_compare(km: Km = 25.0, days: Days = 3, min_outlets: int = 2, disagree: bool = False, outlet: str = "",
                    encoder: str = "auto", limit: int = 100, offset: Offset = 0):
        """`encoder`: on, the multilingual sentence encoder helps the clustering (the compare extra); off, type,
        place and date only; auto (default), on where installed and the corpus has at most 2,000 documents."""
        km, days, min_outlets = compare_params(km, days, min_outlets)
        try:
            everything, used = clusters(km, days, min_outlets, encoder)
        except RuntimeError as e:
            raise HTTPException(400, str(e)) from None
        cs = pick(everything, disagree, outlet)
        offset, limit = max(0, offset), max(1, min(limit, 1000))
        return {"km": km, "days": days, "min_outlets": min_outlets, "embeddings": used, "count": len(cs),
                "clusters": cs[offset:offset + limit]}

    @app.get("/api/profiles", summary="Outlet profiles: techniques, labels, modality, sides, over the corpus")
    def api_profiles():
        return {"outlets": profiles()}
