"""The HTTP API and web page of ``dateline serve``: FastAPI over a :class:`dateline.store.Store`.

Reads (``GET /api/...``) are open unless ``DATELINE_API_READ_KEY`` is set; writes (``POST /api/documents``) need
``Authorization: Bearer <DATELINE_API_KEY>`` and are refused (403) when no key is configured.  The page at ``/`` and its
assets under ``/static`` are bundled in the package; nothing is fetched from elsewhere.
"""

from __future__ import annotations

import hmac
import inspect
import io
import json
import os
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib import resources
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi import Path as PathParam
from fastapi import Query as Param
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from dateline import DEFAULT_URL, __version__, export
from dateline.model import PLOVER_TYPES, QUAD_CLASSES, STATUSES
from dateline.query import (
    FILTERS,
    SORT_KEYS,
    ActorFilter,
    FilterError,
    Query,
    filter_fields,
    option_name,
    parse_country,
    parse_query,
    parse_sector,
)
from dateline.store import Store, StoreError
from dateline.web.cache import ResponseCache
from dateline.web.highlight import highlights

MAX_BODY = int(os.environ.get("DATELINE_API_MAX_BYTES", str(5 * 1024 * 1024)))  # bytes per POST /api/documents
MAX_DOCS = 1000  # documents per POST /api/documents
MAX_LIMIT = 1000  # events per GET /api/events page
STATIC = resources.files("dateline.web") / "static"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
CSP_DOCS = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
PARAMS = set(FILTERS) | {"sort", "limit", "offset", "format", "q"}

Ingest = Callable[..., tuple[int, int]]


# ---- errors --------------------------------------------------------------------------------------------------------

def unprocessable(field: str, message: str, where: str = "query") -> JSONResponse:
    """A 422 shaped like FastAPI's own validation errors, naming the field."""
    loc: list[Any] = [where, *field.split(".")] if field else [where]
    loc = [int(p) if isinstance(p, str) and p.isdigit() else p for p in loc]
    return JSONResponse({"detail": [{"loc": loc, "msg": message, "type": "value_error"}]}, status_code=422)


def _field_of(message: str) -> str:
    head = message.split(":", 1)[0].strip().lstrip("-")
    return head if head in PARAMS else ""


# ---- keys ----------------------------------------------------------------------------------------------------------

def _declared_query(dependant: Any) -> set[str]:
    """The query parameter names an endpoint declares, its dependencies' included."""
    names = {f.alias for f in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _declared_query(sub)
    return names


def known_parameters(request: Request) -> None:
    """Refuse (422, naming it) a query parameter the endpoint does not declare: a typo is not silently ignored, and
    arbitrary parameters cannot grow the response cache."""
    route = request.scope.get("route")
    if route is None:
        return
    declared = _declared_query(route.dependant)
    unknown = sorted(set(request.query_params) - declared)
    if unknown:
        raise RequestValidationError([{
            "loc": ("query", name), "type": "value_error",
            "msg": f"{name}: unknown parameter (this endpoint takes {', '.join(sorted(declared)) or 'none'})",
        } for name in unknown])


def _bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(401, message, headers={"WWW-Authenticate": "Bearer"})


# ---- conversions ---------------------------------------------------------------------------------------------------

def _csv(recs: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    export.write_csv(recs, out)
    return out.getvalue()


def _jsonl(recs: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    export.write_jsonl(recs, out)
    return out.getvalue()


def _json(data: Any, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return Response(body, status_code=status, media_type="application/json")


def _parse_documents(body: bytes, content_type: str) -> list[Any]:
    """The records of a POST body: one JSON object, a list, ``{"documents": [...]}`` or JSON Lines."""
    text = body.decode("utf-8")
    if "ndjson" in content_type or "jsonl" in content_type:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    data = json.loads(text)
    if isinstance(data, dict) and isinstance(data.get("documents"), list):
        return data["documents"]
    return data if isinstance(data, list) else [data]


# ---- the application ---------------------------------------------------------------------------------------------

class SecurityHeaders:
    """Pure ASGI middleware adding the content security policy and related headers to every response."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = [(b"content-security-policy", (CSP_DOCS if scope["path"] == "/docs" else CSP).encode()),
                 (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                 (b"x-frame-options", b"DENY")]

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _filter_parameter(f: Any, meta: Any) -> inspect.Parameter:
    """The HTTP query parameter of one :class:`dateline.query.Query` filter: a text value, or a boolean switch."""
    param = Param(description=meta.doc, max_length=meta.max_length)
    annotation, default = (Annotated[bool, param], False) if meta.flag else (Annotated[str | None, param], None)
    return inspect.Parameter(option_name(f, meta), inspect.Parameter.KEYWORD_ONLY, default=default,
                             annotation=annotation)


class EventFilters:
    """Query parameters shared by the event endpoints: the filters of :class:`dateline.query.Query` (those of
    ``dateline events``), generated from its fields."""

    __signature__ = inspect.Signature([_filter_parameter(f, meta) for f, meta in filter_fields()])

    def __init__(self, **values: Any):
        self.values = values

    def query(self, **extra: Any) -> Query:
        """A validated :class:`dateline.query.Query`; raises FilterError naming the parameter."""
        return parse_query({**self.values, **extra})


def create_app(db_url: str, *, api_key: str | None = None, read_key: str | None = None, profile: str | None = None,
               ingest: Ingest | None = None, cache_size: int | None = None) -> FastAPI:
    """The FastAPI application over the store at ``db_url``.

    ``api_key`` (default: env ``DATELINE_API_KEY``) guards writes; ``read_key`` (env ``DATELINE_API_READ_KEY``), when
    set, guards reads too (the write key also reads).  ``profile`` is the pipeline profile for ingested documents (env
    ``DATELINE_PROFILE``, default ``accurate``); ``ingest`` replaces :func:`dateline.ingest.run_ingest` (tests).
    ``cache_size`` (env ``DATELINE_WEB_CACHE``, default 512; 0 turns it off) bounds the cache of read responses.
    """
    api_key = (api_key if api_key is not None else os.environ.get("DATELINE_API_KEY", "")).strip() or None
    read_key = (read_key if read_key is not None else os.environ.get("DATELINE_API_READ_KEY", "")).strip() or None
    profile = profile or os.environ.get("DATELINE_PROFILE") or "accurate"
    store = Store(db_url)
    cache = ResponseCache(store, size=cache_size if cache_size is not None else
                          int(os.environ.get("DATELINE_WEB_CACHE", "512") or 0))
    write_lock = threading.Lock()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(title="dateline", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Political event records from news articles: who did what to whom, when and where.")
    app.state.store = store
    app.state.cache = cache

    @app.exception_handler(FilterError)
    async def _filter_error(_request: Request, exc: FilterError) -> JSONResponse:
        return unprocessable(_field_of(str(exc)), str(exc))

    @app.exception_handler(StoreError)
    async def _store_error(_request: Request, exc: StoreError) -> JSONResponse:
        return unprocessable(_field_of(str(exc)), str(exc))

    app.add_middleware(SecurityHeaders)

    def can_read(request: Request) -> None:
        if read_key is None:
            return
        token = _bearer(request)
        if token is None:
            raise _unauthorized("reads need Authorization: Bearer <key> (DATELINE_API_READ_KEY is set)")
        if not (_same(token, read_key) or _same(token, api_key)):
            raise _unauthorized("wrong key")

    def can_write(request: Request) -> None:
        if api_key is None:
            raise HTTPException(403, "writes are disabled: set DATELINE_API_KEY on the server to enable them")
        token = _bearer(request)
        if token is None:
            raise _unauthorized("writes need Authorization: Bearer <key>")
        if not _same(token, api_key):
            raise _unauthorized("wrong key")

    read = [Depends(can_read), Depends(known_parameters)]

    # -- page and docs
    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(str(STATIC / "index.html"), media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(
            '<!doctype html><html><head><meta charset="utf-8"><title>dateline API</title>'
            '<link rel="icon" href="/static/swagger/favicon-32x32.png">'
            '<link rel="stylesheet" href="/static/swagger/swagger-ui.css"></head>'
            '<body><div id="swagger-ui"></div><script src="/static/swagger/swagger-ui-bundle.js"></script>'
            '<script src="/static/docs.js"></script></body></html>'
        )

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    # -- events
    @app.get("/api/events", dependencies=read, summary="Events matching filters, a page at a time")
    def list_events(
        filters: Annotated[EventFilters, Depends()],
        sort: Annotated[str, Param(description="date, published, type, goldstein, confidence, id or reports; "
                                               "prefix - for descending")] = "-date",
        limit: Annotated[int, Param(ge=0, le=MAX_LIMIT)] = 100,
        offset: Annotated[int, Param(ge=0)] = 0,
        format: Annotated[str, Param(pattern="^(json|csv|jsonl)$")] = "json",  # noqa: A002
    ) -> Response:
        q = filters.query(sort=sort, limit=limit + 1, offset=offset)

        def make() -> Response:
            recs = list(export.records(store.events(q)))
            more = len(recs) > limit
            recs = recs[:limit]
            if format == "csv":
                return Response(_csv(recs), media_type="text/csv; charset=utf-8",
                                headers={"Content-Disposition": 'attachment; filename="events.csv"'})
            if format == "jsonl":  # the records as `dateline export jsonl` writes them
                return Response(_jsonl(recs), media_type="application/x-ndjson; charset=utf-8",
                                headers={"Content-Disposition": 'attachment; filename="events.jsonl"'})
            return _json({"events": recs, "limit": limit, "offset": offset,
                          "next_offset": offset + limit if more else None})

        return cache.get_or_make(("events", q, limit, format), make)

    def one(key: tuple[Any, ...], find: Callable[[], dict[str, Any] | None], missing: str) -> Response:
        """The cached JSON of one record, or 404 ``missing``."""
        def make() -> Response:
            rec = find()
            if rec is None:
                raise HTTPException(404, missing)
            return _json(rec)

        return cache.get_or_make(key, make)

    @app.get("/api/events/{event_id}", dependencies=read, summary="One event (or group) with its reports")
    def get_event(event_id: Annotated[str, PathParam(max_length=255)]) -> Response:
        def find() -> dict[str, Any] | None:
            rec = store.event(event_id)
            if rec is not None:
                rec["highlights"] = highlights(rec, store.document_text(rec["doc_id"]))
            return rec

        return one(("event", event_id), find, f"no event {event_id!r}")

    @app.get("/api/incidents/{incident_id}", dependencies=read,
             summary="One incident: the documents that report it (linked by the names they share)")
    def get_incident(incident_id: Annotated[str, PathParam(max_length=255)]) -> Response:
        return one(("incident", incident_id), lambda: store.incident(incident_id), f"no incident {incident_id!r}")

    # -- aggregates
    @app.get("/api/stats", dependencies=read, summary="Counts by type, QuadClass, day and country pair")
    def get_stats(filters: Annotated[EventFilters, Depends()]) -> Response:
        q = filters.query()
        return cache.get_or_make(("stats", q), lambda: _json(store.stats(q)))

    @app.get("/api/network", dependencies=read, summary="Actor network: edges with counts and mean Goldstein")
    def get_network(filters: Annotated[EventFilters, Depends()],
                    edges: Annotated[int, Param(ge=1, le=500)] = 80) -> Response:
        q = filters.query()
        return cache.get_or_make(("network", q, edges), lambda: _json(store.network(q, max_edges=edges)))

    @app.get("/api/places", dependencies=read, summary="Event locations with counts (map points)")
    def get_places(filters: Annotated[EventFilters, Depends()],
                   limit: Annotated[int, Param(ge=1, le=5000)] = 1000) -> Response:
        q = filters.query()
        return cache.get_or_make(("places", q, limit), lambda: _json({"places": store.places(q, limit=limit)}))

    # -- actors
    @app.get("/api/actors", dependencies=read, summary="Actors by number of events")
    def list_actors(
        q: Annotated[str | None, Param(description="part of the name", max_length=200)] = None,
        country: Annotated[str | None, Param(description="ISO3, e.g. RUS")] = None,
        sector: Annotated[str | None, Param(description="PLOVER sector, e.g. GOV")] = None,
        limit: Annotated[int, Param(ge=1, le=MAX_LIMIT)] = 100,
        offset: Annotated[int, Param(ge=0)] = 0,
    ) -> Response:
        f = ActorFilter(q=(q or "").strip() or None, country=parse_country(country, "country"),
                        sector=parse_sector(sector, "sector"), limit=limit, offset=offset)
        return cache.get_or_make(("actors", f), lambda: _json({"actors": store.actors(f), "limit": limit,
                                                               "offset": offset}))

    @app.get("/api/actors/{actor_id}", dependencies=read, summary="One actor: events over time, types, partners")
    def get_actor(actor_id: Annotated[str, PathParam(max_length=255)]) -> Response:
        return one(("actor", actor_id), lambda: store.actor(actor_id), f"no actor {actor_id!r}")

    # -- writes
    @app.post("/api/documents", dependencies=[Depends(can_write)], summary="Ingest JSON documents",
              description=f"A JSON object, a list of them, {{\"documents\": [...]}} or JSON Lines "
                          f"(Content-Type application/x-ndjson); fields id, published, title, text, url, source. "
                          f"At most {MAX_DOCS} documents and {MAX_BODY} bytes a request.")
    async def post_documents(request: Request) -> Response:
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > MAX_BODY:
            raise HTTPException(413, f"request body over {MAX_BODY} bytes")
        body = bytearray()
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > MAX_BODY:
                raise HTTPException(413, f"request body over {MAX_BODY} bytes")
        try:
            recs = _parse_documents(bytes(body), request.headers.get("content-type", ""))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return unprocessable("", f"body: not valid JSON ({exc})", "body")
        except (RecursionError, ValueError):
            return unprocessable("", "body: JSON nested too deeply or numbers too large", "body")
        if not recs:
            return unprocessable("documents", "documents: give at least one document", "body")
        if len(recs) > MAX_DOCS:
            return unprocessable("documents", f"documents: at most {MAX_DOCS} a request, got {len(recs)}", "body")
        from dateline.read import MAX_TEXT, ReadError, record_to_document

        docs = []
        for i, rec in enumerate(recs):
            try:
                docs.append(record_to_document(rec, f"documents[{i}]"))
            except ReadError as exc:
                return unprocessable(f"documents.{i}", str(exc), "body")
            if len(docs[-1].text) > MAX_TEXT:  # the CLI cuts such a text and says so; a client is told instead
                raise HTTPException(413, f"documents[{i}]: text of {len(docs[-1].text)} characters is over the limit "
                                         f"of {MAX_TEXT} a document (read.MAX_TEXT); split it or send it shorter")
        added_docs, added_events = await run_in_threadpool(_ingest, docs)
        return _json({"received": len(docs), "documents_added": added_docs, "events_added": added_events,
                      "skipped": len(docs) - added_docs})

    def _ingest(docs: list[Any]) -> tuple[int, int]:
        fn = ingest
        if fn is None:
            from dateline.ingest import run_ingest as fn
        with write_lock:
            return fn(docs, store, profile=profile)

    @app.get("/api/meta", dependencies=read, summary="Choices for filters: event types, statuses, QuadClasses")
    def meta() -> Response:
        return _json({"types": list(PLOVER_TYPES), "statuses": list(STATUSES), "quad_classes": QUAD_CLASSES,
                      "sort_keys": list(SORT_KEYS)})

    @app.get("/api/health", dependencies=read, summary="Liveness and store counts")
    def health() -> Response:
        s = store.summary()
        return _json({"status": "ok", "version": __version__, "documents": s["documents"], "events": s["events"],
                      "data_version": store.data_version(), "writes": api_key is not None,
                      "read_key": read_key is not None})

    return app


def app_from_env() -> FastAPI:
    """``create_app`` over the store named by env ``DATELINE_DB`` (for ``uvicorn --factory`` and several workers)."""
    return create_app(os.environ.get("DATELINE_DB") or DEFAULT_URL)
