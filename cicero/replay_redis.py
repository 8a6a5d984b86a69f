"""A Redis database of its own for `cicero sandbox replay`, so that a replay beside a running
bot (`cicero up`, `cicero bot`) shares none of the bot's keys: not its session states (a
replay stopping its sandbox sessions marked the bot's STOPPED), not its outbox streams and
consumer group (the replay's consumers, under the same names, took the bot's messages), not
its inbound streams, conversations or timers. Only PostgreSQL is shared, as it should be.

The replay leases one of the server's other numbered databases (1-15, never the configured
one): a database that is empty, or that only a replay used before (it carries MARKER). It
takes it in one script that also empties it, holds the lease while it runs and gives it
back at the end; a lease left by a killed replay expires after LEASE_SECONDS.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from redis.asyncio import Redis
from redis.exceptions import ResponseError

DATABASES = range(1, 16)
LEASE_KEY = "sandbox:replay:lease"
MARKER = "sandbox:replay:database"
LEASE_SECONDS = 120

# KEYS: lease, marker. ARGV: token, ttl. 1 = taken (and emptied), 0 = leased by a running
# replay, -1 = holds someone else's data.
_TAKE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('DBSIZE') > 0 and redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
redis.call('FLUSHDB')
redis.call('SET', KEYS[2], '1')
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class NoReplayDatabase(RuntimeError):
    """Every other database of the Redis server is in use (or not allowed)."""


def with_database(redis_url: str, database: int) -> str:
    """`redis_url` pointing at numbered database `database`."""
    parts = urlsplit(redis_url)
    query = [(name, value) for name, value in parse_qsl(parts.query) if name != "db"]
    if parts.scheme == "unix":
        return urlunsplit(parts._replace(query=urlencode([*query, ("db", str(database))])))
    return urlunsplit(parts._replace(path=f"/{database}", query=urlencode(query)))


def _database_of(redis_url: str) -> int:
    return int(Redis.from_url(redis_url).connection_pool.connection_kwargs.get("db") or 0)


@contextlib.asynccontextmanager
async def replay_database(redis_url: str) -> AsyncIterator[str]:
    """Lease an empty database of the same Redis server for the time of a replay; its URL."""
    token = uuid.uuid4().hex
    configured = _database_of(redis_url)
    for database in (n for n in DATABASES if n != configured):
        url = with_database(redis_url, database)
        client = Redis.from_url(url, decode_responses=True)
        try:
            taken = await client.register_script(_TAKE)([LEASE_KEY, MARKER],
                                                        [token, LEASE_SECONDS])
            if taken == 1:
                break
        except ResponseError:  # a server with fewer databases, or SELECT not allowed
            pass
        except BaseException:
            await client.aclose()
            raise
        await client.aclose()
    else:
        raise NoReplayDatabase("tidak ada database Redis kosong untuk replay (1-15 terpakai)")

    async def renew() -> None:
        while True:
            await asyncio.sleep(LEASE_SECONDS / 3)
            await client.set(LEASE_KEY, token, ex=LEASE_SECONDS, xx=True)

    renewing = asyncio.create_task(renew(), name="replay-database-lease")
    try:
        yield url
    finally:
        renewing.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await renewing
        with contextlib.suppress(Exception):
            await client.register_script(_RELEASE)([LEASE_KEY], [token])
        await client.aclose()
