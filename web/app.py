"""The Starlette application: resources in the lifespan, routes per area."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis.asyncio as aioredis
from starlette.applications import Starlette
from starlette.routing import Route

from storage.db import create_engine, ensure_migrated
from web import health


def create_app(database_url: str, redis_url: str) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engine = create_engine(database_url)
        await ensure_migrated(engine)
        redis = aioredis.Redis.from_url(redis_url, decode_responses=True)
        app.state.engine, app.state.redis = engine, redis
        try:
            yield
        finally:
            await redis.aclose()
            await engine.dispose()

    routes: list[Route] = [*health.routes]
    return Starlette(routes=routes, lifespan=lifespan)
