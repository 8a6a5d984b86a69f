"""Riding out a PostgreSQL or Redis restart: what a server that is down, restarting or out of
reach raises, and repeating a step that is safe to repeat while it does."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import asyncpg
import structlog
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = structlog.get_logger(__name__)

T = TypeVar("T")

RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0, 4.0)  # seconds between attempts: ~8 s in all
# Not a mistake in a query or a script: the server cannot be reached (now).
UNREACHABLE = (OSError, TimeoutError, asyncpg.PostgresConnectionError,
               asyncpg.OperatorInterventionError, asyncpg.InterfaceError,
               RedisConnectionError, RedisTimeoutError)


async def while_unreachable(step: Callable[[], Awaitable[T]], delays: Sequence[float],
                            event: str, **context: object) -> T:
    """Run `step`, again after each delay while it raises UNREACHABLE; the last attempt's
    error is raised. `step` must be safe to repeat (a read, or writes that are idempotent)."""
    for delay in delays:
        try:
            return await step()
        except UNREACHABLE as exc:
            log.warning(event, error=repr(exc), retry_in=delay, **context)
            await asyncio.sleep(delay)
    return await step()
