"""Riding out a PostgreSQL or Redis restart: what a server that is down, restarting, hanging
or out of reach raises (an outage: retry later, not a bug), and repeating a step that is safe
to repeat while it does. Ground floor: imports nothing of ours."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import asyncpg
import structlog
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError

log = structlog.get_logger(__name__)

T = TypeVar("T")

RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0, 4.0)  # seconds between attempts: ~8 s in all
UNREACHABLE = (OSError, TimeoutError, asyncpg.PostgresConnectionError,
               asyncpg.OperatorInterventionError, asyncpg.InterfaceError,
               RedisConnectionError, RedisTimeoutError)


def unreachable(exc: BaseException) -> bool:
    """True when `exc`, or the driver error SQLAlchemy wrapped in it, says the server cannot
    be reached (now); False for a mistake in a query or a script."""
    seen: BaseException | None = exc
    for _ in range(4):  # SQLAlchemy error -> adapted DBAPI error -> asyncpg's error
        if seen is None:
            return False
        if isinstance(seen, UNREACHABLE):
            return True
        if isinstance(seen, DBAPIError):
            if seen.connection_invalidated:
                return True
            seen = seen.orig
        else:
            seen = seen.__cause__
    return False


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
