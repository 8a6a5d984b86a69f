"""Operations endpoints: Prometheus metrics (/metrics, for loopback clients or with the
METRICS_TOKEN bearer token) and the OpenAPI document (/openapi.json) assembled from every
route's `@documented` EndpointDoc (web/openapi.py).

Body schemas are JSON unless the schema carries `"x-media-type"` (e.g. the admin login form,
`application/x-www-form-urlencoded`; a list for a body of several types, e.g. an image); the
key is removed from the published schema. Every response of status 400 and above is
described by the `{success: false, message}` schema.
"""

from __future__ import annotations

import copy
import hmac
import ipaddress
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from web.errors import ApiError
from web.metrics import HttpMetrics, MetricsMiddleware, exposition
from web.openapi import EndpointDoc, Param, documented

OPENAPI_VERSION = "3.1.0"
MEDIA_TYPE_KEY = "x-media-type"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["success", "message"],
    "properties": {"success": {"type": "boolean", "enum": [False]},
                   "message": {"type": "string"}},
}
_ERROR_REF = {"$ref": "#/components/schemas/ErrorResponse"}
_PATH_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # Starlette template, converters included
    endpoint: Any

    @property
    def doc(self) -> EndpointDoc | None:
        doc = getattr(self.endpoint, "__openapi__", None)
        return doc if isinstance(doc, EndpointDoc) else None


def operations(routes: Iterable[BaseRoute], prefix: str = "") -> Iterator[Operation]:
    """Every (method, path) the routing table answers, HEAD left out (it mirrors GET)."""
    for route in routes:
        if isinstance(route, Mount):
            yield from operations(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
                yield Operation(method, prefix + route.path, route.endpoint)


def undocumented(routes: Iterable[BaseRoute]) -> list[str]:
    """`METHOD /path` of every operation whose endpoint lacks `@documented`."""
    return [f"{op.method} {op.path}" for op in operations(routes) if op.doc is None]


def _parameter(param: Param) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": param.name, "in": param.location,
                             "required": param.required or param.location == "path",
                             "schema": copy.deepcopy(param.schema)}
    if param.description:
        entry["description"] = param.description
    return entry


def _parameters(path: str, doc: EndpointDoc) -> list[dict[str, Any]]:
    entries = [_parameter(param) for param in doc.params]
    declared = {(param.name, param.location) for param in doc.params}
    for name in _PATH_PARAM.findall(path):
        if (name, "path") not in declared:  # a template variable is always a parameter
            entries.append({"name": name, "in": "path", "required": True,
                            "schema": {"type": "string"}})
    return entries


def _request_body(body: dict[str, Any]) -> dict[str, Any]:
    schema = copy.deepcopy(body)
    media_types = schema.pop(MEDIA_TYPE_KEY, "application/json")
    if isinstance(media_types, str):
        media_types = [media_types]
    return {"required": True,
            "content": {media_type: {"schema": copy.deepcopy(schema)}
                        for media_type in media_types}}


def _responses(doc: EndpointDoc) -> dict[str, Any]:
    statuses = dict(doc.responses)
    if doc.auth:
        statuses.setdefault(401, "Token tidak ada, tidak valid, kedaluwarsa atau dicabut")
    responses: dict[str, Any] = {}
    for status in sorted(statuses):
        entry: dict[str, Any] = {"description": statuses[status]}
        if status >= 400:
            entry["content"] = {"application/json": {"schema": dict(_ERROR_REF)}}
        responses[str(status)] = entry
    return responses


def _operation_id(method: str, path: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", _PATH_PARAM.sub(r"\1", path))
    return "_".join([method.lower(), *words]) if words else f"{method.lower()}_root"


def _operation(op: Operation, doc: EndpointDoc) -> dict[str, Any]:
    entry: dict[str, Any] = {"operationId": _operation_id(op.method, op.path),
                             "summary": doc.summary, "tags": list(doc.tags),
                             "security": [{"bearerAuth": []}] if doc.auth else [],
                             "responses": _responses(doc)}
    parameters = _parameters(op.path, doc)
    if parameters:
        entry["parameters"] = parameters
    if doc.body is not None:
        entry["requestBody"] = _request_body(doc.body)
    return entry


def _version() -> str:
    try:
        return metadata.version("cicero")
    except metadata.PackageNotFoundError:
        return "0.0.0"


def openapi_document(routes: Iterable[BaseRoute]) -> dict[str, Any]:
    """The OpenAPI document of every documented operation (undocumented ones are left out;
    tests/web/test_operations.py fails on them)."""
    paths: dict[str, dict[str, Any]] = {}
    for op in operations(routes):
        doc = op.doc
        if doc is None:
            continue
        item = paths.setdefault(_PATH_PARAM.sub(r"{\1}", op.path), {})
        item.setdefault(op.method.lower(), _operation(op, doc))  # the first route wins
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": "Cicero API", "version": _version(),
                 "description": "API dashboard Cicero_Web serta endpoint operasional."},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "bearerFormat": "JWT"}},
            "schemas": {"ErrorResponse": ERROR_SCHEMA},
        },
    }


def _may_read_metrics(request: Request) -> None:
    """With METRICS_TOKEN set, only `Authorization: Bearer <token>` (401 otherwise); without
    it, only loopback clients (403 otherwise; behind a local proxy uvicorn takes the client
    from X-Forwarded-For, so proxied remote callers are not loopback)."""
    token = request.app.state.settings.metrics_token
    if token:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
                given.strip().encode("utf-8", "surrogateescape"), token.encode("utf-8")):
            raise ApiError(401, "Token metrik tidak valid", headers={"WWW-Authenticate": "Bearer"})
        return
    try:
        loopback = ipaddress.ip_address(request.client.host if request.client else "").is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ApiError(403, "Metrik hanya dapat dibaca dari localhost, atau dengan token "
                            "METRICS_TOKEN")


@documented(summary="Metrik Prometheus (permintaan HTTP, outbox, sesi WhatsApp, job); dengan "
                    "METRICS_TOKEN: header Authorization: Bearer <token>, tanpa itu: localhost",
            tags=["operations"], auth=False,
            responses={200: "Teks eksposisi Prometheus", 401: "Token metrik salah",
                       403: "Bukan dari localhost dan METRICS_TOKEN tidak disetel"})
async def metrics(request: Request) -> Response:
    _may_read_metrics(request)
    state = request.app.state
    http = getattr(state, "metrics", None)
    if not isinstance(http, HttpMetrics):  # served without the middleware: empty counters
        http = state.metrics = HttpMetrics()
    body = await exposition(http, state.redis, state.engine, state.settings.wa_sessions)
    return Response(body, media_type=CONTENT_TYPE_LATEST)


@documented(summary="Dokumen OpenAPI seluruh endpoint", tags=["operations"], auth=False,
            responses={200: "Dokumen OpenAPI 3.1 (JSON)"})
async def openapi_json(request: Request) -> JSONResponse:
    state = request.app.state
    document = getattr(state, "openapi", None)
    if document is None:  # the routing table never changes after start: build once
        document = state.openapi = openapi_document(request.app.routes)
    return JSONResponse(document)


routes = [Route("/metrics", metrics, methods=["GET"]),
          Route("/openapi.json", openapi_json, methods=["GET"])]
middleware = [Middleware(MetricsMiddleware)]
