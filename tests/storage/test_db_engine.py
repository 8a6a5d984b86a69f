"""The engine's pool replaces connections the server closed, without pinging every checkout."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from storage.db import create_engine


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
