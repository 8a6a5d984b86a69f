"""The Starlette application: resources in the lifespan, one routing table per area, one
exception-handler table, and the cross-cutting middleware (CORS, metrics, duplicate guard)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis.asyncio as aioredis
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from cicero.clock import clock
from cicero.logs import configure_logging
from cicero.settings import Settings, get_settings
from storage.db import create_request_engine, ensure_migrated
from web import (
    auth,
    claim,
    dashboard,
    dedup,
    health,
    landing,
    link_reports,
    operations,
    pages,
    pages_wa,
    penmas_approvals,
    penmas_auth,
    penmas_events,
    personnel,
    personnel_auth,
    premium,
    recaps,
    requests,
    satbinmas,
    social_lookup,
    special_tasks,
)
from web.errors import exception_handlers
from web.premium_access import gate_premium_routes
from web.response_cache import VersionedCache
from web.security import resolve_jwt_secret

# A request waits this long for a server that hangs, then answers 503 (web/errors.py).
CONNECT_SECONDS = 2
REDIS_REPLY_SECONDS = 2  # the web's Redis commands are all short; none blocks


def _cors(settings: Settings) -> list[Middleware]:
    if not settings.cors_origin:
        return []
    origins = [origin.strip() for origin in settings.cors_origin.split(",") if origin.strip()]
    return [Middleware(CORSMiddleware, allow_origins=origins, allow_credentials=True,
                       allow_methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"],
                       allow_headers=["Authorization", "Content-Type", "X-Client-Id"])]


def app_from_environment() -> Starlette:
    """uvicorn's factory in each process of `cicero web --workers N`: the parent put the
    servers' URLs, the JWT secret and the log level into the environment."""
    settings = get_settings()
    configure_logging(os.environ.get("CICERO_LOG_LEVEL", "WARNING"))
    clock.configure(settings.tz_business)
    return create_app(settings, os.environ["DATABASE_URL"], os.environ["REDIS_URL"])


def create_app(settings: Settings, database_url: str, redis_url: str) -> Starlette:
    jwt_secret = resolve_jwt_secret(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engine = create_request_engine(
            database_url, lock_timeout=settings.request_lock_timeout,
            statement_timeout=settings.request_statement_timeout,
            connect_args={"timeout": CONNECT_SECONDS})
        await ensure_migrated(engine)
        redis = aioredis.Redis.from_url(redis_url, decode_responses=True,
                                        socket_connect_timeout=CONNECT_SECONDS,
                                        socket_timeout=REDIS_REPLY_SECONDS)
        app.state.engine, app.state.redis = engine, redis
        try:
            yield
        finally:
            await redis.aclose()
            await engine.dispose()

    routes = gate_premium_routes([
        *health.routes, *auth.routes, *personnel_auth.routes, *dashboard.routes,
        *recaps.routes, *personnel.routes, *social_lookup.routes, *claim.routes,
        *link_reports.routes, *special_tasks.routes, *satbinmas.routes, *operations.routes,
        *pages.routes, *pages_wa.routes, *penmas_auth.routes, *penmas_events.routes,
        *penmas_approvals.routes, *premium.routes, *landing.routes])
    middleware = [*_cors(settings), *operations.middleware, *requests.middleware,
                  *dedup.middleware]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers=exception_handlers)  # type: ignore[arg-type]
    app.state.settings, app.state.jwt_secret = settings, jwt_secret
    app.state.response_cache = VersionedCache()
    return app
