"""The engine's pool and its kept driver connections replace connections the server closed,
without pinging every checkout."""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine
from storage.kept_connections import fetch_rows


async def test_connections_the_server_closed_are_replaced(database_url: str) -> None:
    engine = create_engine(database_url, pool_size=3, max_overflow=0)
    admin = create_engine(database_url, pool_size=1, max_overflow=0)
    try:
        async def backend_pid() -> int:
            async with engine.connect() as connection:
                return int(await connection.scalar(text("SELECT pg_backend_pid()")))

        # Three pooled connections, each used once.
        connections = [await engine.connect() for _ in range(3)]
        before = {int(await c.scalar(text("SELECT pg_backend_pid()"))) for c in connections}
        for connection in connections:
            await connection.close()
        async with admin.connect() as connection:
            terminated = await connection.scalar(text(
                "SELECT count(*) FROM pg_stat_activity, "
                "LATERAL pg_terminate_backend(pid) AS done WHERE pid = ANY(:pids) AND done"),
                {"pids": list(before)})
        assert terminated == 3
        await asyncio.sleep(0.2)  # the closed sockets reach the event loop

        after = await asyncio.gather(*(backend_pid() for _ in range(6)))
        assert not set(after) & before
    finally:
        await engine.dispose()
        await admin.dispose()


async def _alive(admin: AsyncEngine, pids: set[int]) -> set[int]:
    async with admin.connect() as connection:
        rows = await connection.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE pid = ANY(:pids)"), {"pids": list(pids)})
        return {row[0] for row in rows}


async def test_kept_connections_are_few_and_replaced_when_closed_or_cancelled(
        database_url: str) -> None:
    engine = create_engine(database_url, pool_size=2, max_overflow=0)  # keeps 2
    admin = create_engine(database_url, pool_size=1, max_overflow=0)
    try:
        async def pid(sleep: float = 0.0) -> int:
            rows = await fetch_rows(engine, "SELECT pg_backend_pid(), pg_sleep($1)", sleep)
            return int(rows[0][0])

        first = await asyncio.gather(*(pid(0.05) for _ in range(10)))
        kept = set(first)
        assert len(kept) == 2  # ten statements at once, on two connections

        with pytest.raises(asyncpg.DivisionByZeroError):  # an error the server reported...
            await fetch_rows(engine, "SELECT 1 / 0")
        assert {await pid() for _ in range(4)} <= kept  # ...leaves the connection in use
        assert await _alive(admin, kept) == kept

        slow = asyncio.create_task(pid(30))
        await asyncio.sleep(0.3)
        slow.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await slow
        await asyncio.sleep(0.5)
        assert len(await _alive(admin, kept)) == 1  # the cancelled one was closed
        async with admin.connect() as connection:
            await connection.execute(text("SELECT pg_terminate_backend(pid) FROM "
                                          "pg_stat_activity WHERE pid = ANY(:pids)"),
                                     {"pids": list(kept)})
        await asyncio.sleep(0.2)  # the closed sockets reach the event loop

        after = set(await asyncio.gather(*(pid(0.05) for _ in range(6))))
        assert len(after) == 2 and not after & kept
    finally:
        await engine.dispose()
    try:
        await asyncio.sleep(0.2)
        assert await _alive(admin, after) == set()  # dispose closed the kept connections
    finally:
        await admin.dispose()


async def test_statements_waiting_for_a_kept_connection_are_served_in_order(
        database_url: str) -> None:
    engine = create_engine(database_url, pool_size=1, max_overflow=0)  # keeps 1
    try:
        finished: list[str] = []

        async def statement(name: str, repeat: int = 1) -> None:
            for _ in range(repeat):  # a repeat asks again the moment its connection is free:
                await fetch_rows(engine, "SELECT pg_sleep(0.02)")  # behind those waiting
                finished.append(name)

        first = asyncio.create_task(statement("first", repeat=2))
        await asyncio.sleep(0.005)  # it holds the connection, the others queue
        await asyncio.gather(first, *(statement(str(n)) for n in range(4)))
        assert finished == ["first", "0", "1", "2", "3", "first"]
    finally:
        await engine.dispose()
