"""The marsad web app: `create_app(db_path, token)` returns a FastAPI app.

Pages (HTML, script-free, served with a CSP that forbids scripts and remote loads):
  GET  /                 analyse form (textarea or file upload) and search box
  POST /analyze          the analysed article, drawn by marsad.outputs.html (the `analyze --format html` page)
  GET  /search?q=...     corpus hits with highlighted snippets, total, pages, facets, export (search_pages.py)
  GET  /doc/{id}         a stored record, drawn like /analyze
  GET  /map, /compare, /profiles   the corpus event map, cross-outlet comparison, outlet profiles (corpus_pages.py)
JSON API: POST /api/analyze, GET /api/search, /api/facets, /api/export, GET /api/doc/{id}, POST /api/ingest and
POST /api/corrections (both need the bearer token; corrections_pages.py),
GET /api/map (GeoJSON), /api/compare, /api/profiles;
OpenAPI schema at /openapi.json (the Swagger/ReDoc pages load from a CDN, so they are off).

Safety: every article-derived string is escaped (the renderer escapes; our Jinja2 templates autoescape);
request bodies over `max_bytes` get 413; the server is read-only unless a token was configured, and writes
need `Authorization: Bearer TOKEN`; ids in paths are only looked up in the database."""
from __future__ import annotations

import hmac
import io
import json
from html import escape
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pydantic import BaseModel, TypeAdapter, ValidationError

from .. import __version__
from ..corpus.duplicates import copies_of
from ..ingest import InputError
from .analysis_pool import AnalysisPool
from ..corpus.corrections import active_corrections, apply_corrections
from .corpus_pages import register as register_corpus_pages
from .corrections_pages import panel as corrections_panel
from .corrections_pages import register as register_corrections
from . import article_view
from .search_pages import register as register_search_pages

MAX_BYTES = 5_000_000  # largest request body (an article, a form with its file, an ingest batch)
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")

NAV = ('<nav class="app" style="margin:0 0 .8rem;font-size:.95rem">'
       + " · ".join(f'<a href="{href}">{name}</a>' for href, name in (("/", "← analyse"), ("/search", "search"),
                    ("/map", "map"), ("/compare", "compare"), ("/profiles", "profiles"))) + "</nav>\n")

_templates = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(default=True, default_for_string=True))
# A document id in a /doc/ link, every reserved character escaped: Jinja's urlencode keeps "/", so an id such
# as "a/../b" or "feed/1" made a link the browser rewrote (the route reads the whole decoded rest of the path).
_templates.filters["doc_path"] = lambda doc_id: quote(str(doc_id), safe="")


class BodyLimit:
    """ASGI middleware: 413 for a request body over `limit` bytes, by Content-Length or as it streams in."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            return await self._refuse(send)
        seen = 0
        started = refused = False

        async def limited_receive():
            # Past the limit (a chunked body has no Content-Length to refuse up front): answer 413 here and
            # tell the app the client left. Raising instead would reach FastAPI's body parser, which turns any
            # error into 400.
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    if not started:
                        await self._refuse(send)
                        refused = True
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message):
            nonlocal started
            if refused:
                return  # the 413 is already sent: whatever the app answers after the "disconnect" is dropped
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, limited_receive, tracking_send)

    async def _refuse(self, send):
        body = json.dumps({"detail": f"request body over the limit of {self.limit:,} bytes"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class AnalyzeIn(BaseModel):
    text: str
    language: str | None = None
    published: str | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    id: str = "doc"


_INGEST_BODY = TypeAdapter(list[AnalyzeIn])


def _analyze(text: str, *, doc_id: str = "doc", language=None, published=None, title=None, source=None, url=None,
             warnings: list[str] | None = None, profile: str | None = None) -> dict:
    """marsad.analyze for form and API input: empty fields mean "not given"; upload warnings (an encoding
    guessed from bytes) go on the record like the CLI's."""
    from .. import analyze

    language = language or None
    if language not in (None, "ar", "en"):
        raise InputError(f"language must be ar or en, not {language!r}")
    record = analyze(text, id=doc_id, language=language, published=published or None, title=title or None,
                     source=source or None, url=url or None, profile=profile)
    record["warnings"].extend(warnings or [])
    return record


def document_page(record: dict, confidence: float | None = None, copies: list[dict] = (),
                  corrections_html: str = "") -> str:
    """The page `marsad analyze --format html` writes for one record, with a link back to the app; with
    `confidence` (a stored article's page), the technique chart and confidence slider of article_view above
    the text, only the spans at or above that confidence, and the other documents of its near-duplicate group
    (`copies`)."""
    from ..outputs.html import HtmlWriter

    shown = record if confidence is None else article_view.above(record, confidence)
    out = io.StringIO()
    writer = HtmlWriter(out)
    writer.write(shown)
    writer.close()
    extra = ("" if confidence is None else (article_view.STYLE + article_view.panel(record, shown, confidence)
                                            + article_view.copies(list(copies)))) + corrections_html
    return out.getvalue().replace("<main>\n", "<main>\n" + NAV + extra, 1)


def snippet_html(hit) -> Markup:
    """The hit's snippet, escaped, with its highlighted words in <mark>."""
    a, b, out, pos = hit.snippet_start, hit.snippet_end, [], hit.snippet_start
    text = hit.snippet
    for start, end in sorted(hit.highlights):
        start, end = max(start, pos), min(end, b)
        if start >= end:
            continue
        out.append(escape(text[pos - a:start - a]))
        out.append(f"<mark>{escape(text[start - a:end - a])}</mark>")
        pos = end
    out.append(escape(text[pos - a:]))
    return Markup("".join(out))


def create_app(db_path: str | None = None, token: str | None = None, *, max_bytes: int = MAX_BYTES,
               profile: str | None = None) -> FastAPI:
    """The app over the corpus database `db_path` (None: no search), writable with `token` (None: read-only);
    articles are analysed with `profile` ("accurate" or "fast"; default: settings.toml)."""
    from ..corpus.backend import is_postgres

    if db_path is not None and not is_postgres(db_path) and not Path(db_path).is_file():
        raise FileNotFoundError(f"{db_path}: no such database (create it with `marsad ingest PATH --db {db_path}`)")
    if db_path is not None:
        from ..corpus import Corpus

        Corpus(db_path).close()  # fail now, not at the first request, if it is not a corpus database

    app = FastAPI(title="marsad", version=__version__, docs_url=None, redoc_url=None,
                  description="Structured, source-attributed records (marsad/1) from Arabic and English war news.")
    app.add_middleware(BodyLimit, limit=max_bytes)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.state.db_path, app.state.token = db_path, token
    app.state.profile = profile
    pool = app.state.analysis_pool = AnalysisPool()

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        # FastAPI's 422 echoes the input, which may be NaN (not JSON: a 500 while answering) or megabytes:
        # say where and what is wrong only
        return JSONResponse({"detail": [{k: e[k] for k in ("type", "loc", "msg") if k in e} for e in exc.errors()]},
                            status_code=422)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def page(name: str, status: int = 200, **context) -> HTMLResponse:
        return HTMLResponse(_templates.get_template(name).render(version=__version__, has_db=db_path is not None,
                                                                 limit_mb=max_bytes / 1e6, **context),
                            status_code=status)

    def corpus():
        from ..corpus import Corpus

        if db_path is None:
            raise HTTPException(404, "no corpus database: start `marsad serve --db FILE`")
        return Corpus(db_path)  # one connection per request: handlers run in a thread pool

    def require_token(request: Request) -> None:
        if not token:
            raise HTTPException(403, "read-only server: start `marsad serve --token TOKEN` to allow writes")
        given = request.headers.get("authorization", "")
        if not (given.startswith("Bearer ") and hmac.compare_digest(given[7:].encode(), token.encode())):
            raise HTTPException(401, "a valid `Authorization: Bearer TOKEN` header is required",
                                headers={"WWW-Authenticate": "Bearer"})

    # --- pages ---------------------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index():
        return page("index.html", active="analyse", q="", lang="", source="", since="", until="")

    @app.post("/analyze", response_class=HTMLResponse, include_in_schema=False)
    async def analyze_form(request: Request):
        form = await request.form(max_part_size=max_bytes)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        upload = form.get("file")
        warnings: list[str] = []
        try:
            text, title, url, source, published = (fields.get("text", ""), fields.get("title"), None,
                                                   fields.get("source"), fields.get("published"))
            if upload is not None and not isinstance(upload, str) and upload.filename:
                text, title, url, source, published, warnings = _read_upload(await upload.read(), upload.filename,
                                                                             title, source, published)
            if not text.strip():
                raise InputError("nothing to analyse: paste an article or choose a file")
            record = await pool.run(_analyze, text, language=fields.get("language"), published=published,
                                    title=title, source=source, url=url, warnings=warnings, profile=profile)
        except InputError as e:
            return page("index.html", 400, active="analyse", error=str(e), q="", lang="", source="", since="", until="")
        except HTTPException as e:  # the analysis pool is full or the time ran out
            response = page("index.html", e.status_code, active="analyse", error=e.detail, q="", lang="",
                            source="", since="", until="")
            response.headers.update(e.headers or {})
            return response
        return HTMLResponse(document_page(record))

    @app.get("/doc/{doc_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def doc_page(doc_id: str, confidence: float = 0.0):
        with corpus() as c:
            machine = c.get(doc_id, machine=True)
            fixes = active_corrections(c.conn, [doc_id]) if machine is not None else []
            others = copies_of(c.conn, doc_id) if machine is not None else []
        record = apply_corrections(machine, fixes) if machine is not None else None
        if record is None:
            return page("search.html", 404, hits=[], error=f"no document with id {doc_id!r}", q="", lang="",
                        source="", since="", until="", total=0, facets={}, pages=[], chips=[], exports=[])
        return HTMLResponse(document_page(record, max(0.0, min(confidence, 1.0)), others,
                                          corrections_panel(machine, fixes, writable=bool(token))))

    register_search_pages(app, page=page, corpus=corpus, has_db=db_path is not None, snippet_html=snippet_html)
    register_corpus_pages(app, page=page, corpus=corpus, has_db=db_path is not None)
    register_corrections(app, corpus=corpus, token=token)

    # --- JSON API ----------------------------------------------------------------------------------------

    @app.post("/api/analyze", summary="Analyse one article; returns its marsad/1 record")
    async def api_analyze(doc: AnalyzeIn):
        try:
            return JSONResponse(await pool.run(_analyze, doc.text, doc_id=doc.id, language=doc.language,
                                               published=doc.published, title=doc.title, source=doc.source,
                                               url=doc.url, profile=profile))
        except InputError as e:
            raise HTTPException(400, str(e)) from None

    @app.get("/api/doc/{doc_id:path}", summary="A stored record by id")
    def api_doc(doc_id: str):
        with corpus() as c:
            record = c.get(doc_id)
        if record is None:
            raise HTTPException(404, f"no document with id {doc_id!r}")
        return JSONResponse(record)

    @app.post("/api/ingest", summary="Analyse and store documents (needs Authorization: Bearer TOKEN)",
              openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                  "schema": {"type": "array", "items": AnalyzeIn.model_json_schema()}}}}})
    async def api_ingest(request: Request):
        require_token(request)  # before the body is read: a caller without the token learns nothing from it
        try:
            docs = _INGEST_BODY.validate_json(await request.body())
        except ValidationError as e:
            raise RequestValidationError([{k: x[k] for k in ("type", "loc", "msg")} for x in e.errors()]) from None
        items = [d.model_dump(exclude_none=True) for d in docs]

        def ingest():
            with corpus() as c:
                return c.ingest(items, options={"profile": profile})

        stats = await pool.run(ingest, timeout=False)  # a batch may take long; it still takes a pool slot
        return {"added": stats.added, "skipped": stats.skipped,
                "failures": [{"id": f.id, "message": f.message} for f in stats.failures]}

    return app


def _read_upload(data: bytes, filename: str, title, source, published):
    """Text and metadata of an uploaded .txt or .html file (HTML: the article extracted from the page)."""
    from ..ingest.decode import decode_text

    text, warnings = decode_text(data)
    url = None
    if filename.lower().endswith((".html", ".htm")):
        from ..ingest.html import extract

        page = extract(text)
        text, url = page["text"], page.get("url")
        title, source = title or page.get("title"), source or page.get("source")
        published = published or page.get("published")
    return text, title, url, source, published, warnings
