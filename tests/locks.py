"""Holding a row lock from a test, and waiting until another session is blocked behind it:
how a race between two writers is reproduced without timing guesses."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.waiting import eventually


async def until_blocked(engine: AsyncEngine, query_like: str, *, seconds: float = 20) -> None:
    """Return once a session whose current statement matches `query_like` (SQL LIKE) waits
    for a lock; fail after `seconds`."""
    async def waiting() -> int:
        async with engine.connect() as connection:
            return await connection.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND query LIKE :like AND pid <> pg_backend_pid()"), {"like": query_like})

    await eventually(waiting, f"a session blocked on a lock running {query_like!r}",
                     within=seconds)
