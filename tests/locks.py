"""Holding a row lock from a test, and waiting until another session is blocked behind it:
how a race between two writers is reproduced without timing guesses."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


async def until_blocked(engine: AsyncEngine, query_like: str, *, seconds: float = 20) -> None:
    """Return once a session whose current statement matches `query_like` (SQL LIKE) waits
    for a lock; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        async with engine.connect() as connection:
            waiting = await connection.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND query LIKE :like AND pid <> pg_backend_pid()"), {"like": query_like})
        if waiting:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"no session blocked on a lock running {query_like!r}")
