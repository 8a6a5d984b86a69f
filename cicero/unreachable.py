"""What a PostgreSQL or Redis server that is down, restarting, hanging or out of reach raises,
for whoever must tell an outage (retry later) from a bug. Ground floor: imports nothing of
ours. (bot/unreachable.py holds the same tuple for the bot's retries.)"""

from __future__ import annotations

import asyncpg
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError

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
