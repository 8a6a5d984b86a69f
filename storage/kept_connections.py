"""Driver connections kept per engine for the statements the bot runs on most messages.

A SQLAlchemy pool checkout and checkin costs more CPU than a short statement (the identity of
a sender, a profile, a switch of reminders); `fetch_rows` runs such a statement on one of a
few asyncpg connections opened on first use and kept until `engine.dispose()`. Statements
here use asyncpg's `$n` placeholders; rows are read by column name like storage/sql.py's.
Everything else goes through storage/sql.py.

Why it stays (issue 14, measured): bench/inbound.py, interleaved A/B runs in the same
minutes on a shared, loaded 2-core machine, with these statements moved to storage/sql.py
(pool checkout per statement, in autocommit so without BEGIN/ROLLBACK, pool 20 without
overflow so connections are not reopened): the inbound path cost 443-513 us of CPU per
message at saturation against 248-295 us with the kept connections (+70 %), and reached
540-1,371 msg/s against 713-1,433 msg/s; with the default pool (10 + 10 overflow) it was
627-749 us and 353-570 msg/s. The P1 goal (1,500 msg/s, paced p99 <= 15 ms) needs that
margin, so the second pool is kept for the bot's per-message statements only:
storage/identities.py, storage/personnel_profile.py (load, link, notifications) and
storage/link_reports.py (the `lapor` reads and the upsert).
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections import deque
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool

from storage.db import server_settings

try:
    from sqlalchemy.util import await_
except ImportError:  # SQLAlchemy 2.0
    from sqlalchemy.util import await_only as await_


def driver_dsn(engine: AsyncEngine) -> str:
    """The engine's database as a plain asyncpg DSN, for connections outside its pool."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


async def fetch_rows(engine: AsyncEngine, sql: str, *args: object) -> list[Any]:
    """Rows of one statement (asyncpg `$n` placeholders, its own transaction) on one of the
    driver connections kept for the engine."""
    return await _kept_connections(engine).fetch(sql, *args)


# As many as the engine's pool: a connection is held until the event loop has read its
# answer, which under load is longer than the statement took.
KEPT_CONNECTIONS = 10
_KEPT: weakref.WeakKeyDictionary[Any, KeptConnections] = weakref.WeakKeyDictionary()


def _kept_connections(engine: AsyncEngine) -> KeptConnections:
    kept = _KEPT.get(engine.sync_engine)
    if kept is None:
        size = engine.pool.size() if isinstance(engine.pool, QueuePool) else 1
        kept = _KEPT[engine.sync_engine] = KeptConnections(
            driver_dsn(engine), min(KEPT_CONNECTIONS, size), server_settings(engine))
        event.listen(engine.sync_engine, "engine_disposed", _close_kept)
    return kept


def _close_kept(sync_engine: Any) -> None:
    """`engine.dispose()` closes the kept connections too (it runs this in its greenlet)."""
    kept = _KEPT.pop(sync_engine, None)
    if kept is not None:
        await_(kept.close())


async def _close_quietly(connection: asyncpg.Connection) -> None:
    with contextlib.suppress(Exception):  # on a timeout asyncpg has terminated it
        await connection.close(timeout=10)


class KeptConnections:
    """Driver connections opened on first use and kept, one statement at a time each.

    A statement waiting for a connection gets the next one released, first come first
    served. A connection the server closed is replaced before use. One whose statement was
    cancelled or broke off (anything but an error reported by PostgreSQL) is closed, not
    reused: its state is unknown."""

    def __init__(self, dsn: str, size: int, settings: dict[str, str] | None = None) -> None:
        self.dsn, self.size, self.settings = dsn, size, settings or {}
        self._idle: list[asyncpg.Connection] = []
        self._opened = 0
        # a waiter gets a connection, or None: one was dropped, open a new one
        self._waiters: deque[asyncio.Future[asyncpg.Connection | None]] = deque()
        self._retiring: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    async def fetch(self, sql: str, *args: object) -> list[Any]:
        connection = await self._acquire()
        try:
            rows = await connection.fetch(sql, *args)
        except asyncpg.PostgresError:
            self._release(connection)
            raise
        except BaseException:
            self._release(connection, broken=True)
            raise
        self._release(connection)
        return rows

    async def close(self) -> None:
        idle, self._idle, self._opened = self._idle, [], 0
        await asyncio.gather(*self._retiring, *(_close_quietly(c) for c in idle))

    async def _acquire(self) -> asyncpg.Connection:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # connections belong to the loop that opened them
            for connection in self._idle:
                connection.terminate()
            self._idle, self._opened, self._waiters, self._loop = [], 0, deque(), loop
        while True:
            while self._idle:
                connection = self._idle.pop()
                if not connection.is_closed():
                    return connection
                self._opened -= 1
            if self._opened < self.size:
                self._opened += 1
                try:
                    return await asyncpg.connect(self.dsn, timeout=10,
                                                 server_settings=self.settings)
                except BaseException:
                    self._release(None)
                    raise
            waiter = loop.create_future()
            self._waiters.append(waiter)
            try:
                handed = await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():  # handed over as we were cancelled
                    self._release(waiter.result())
                else:
                    with contextlib.suppress(ValueError):  # not yet dropped by `_hand`
                        self._waiters.remove(waiter)
                raise
            if handed is not None and not handed.is_closed():
                return handed
            if handed is not None:
                self._opened -= 1

    def _release(self, connection: asyncpg.Connection | None, *, broken: bool = False) -> None:
        if connection is None or broken or connection.is_closed():
            self._opened -= 1
            if connection is not None and not connection.is_closed():
                self._retire(connection)
            self._hand(None)
        elif not self._hand(connection):
            self._idle.append(connection)

    def _hand(self, connection: asyncpg.Connection | None) -> bool:
        """Give `connection` (None: room for a new one) to the first waiter, if any."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(connection)
                return True
        return False

    def _retire(self, connection: asyncpg.Connection) -> None:
        """Close in the background: the server ends the session once the cancel request that
        asyncpg sends for a cancelled statement has landed (terminating the socket instead
        would leave the statement running)."""
        task = asyncio.get_running_loop().create_task(_close_quietly(connection))
        self._retiring.add(task)
        task.add_done_callback(self._retiring.discard)
