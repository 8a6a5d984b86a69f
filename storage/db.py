"""Database engine, sessions and the migration guard."""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage.sql import fetch_value

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class DatabaseNotMigrated(RuntimeError):
    """The schema is behind the code; the message names the command that fixes it."""


def async_url(url: str) -> str:
    """Any PostgreSQL URL as the asyncpg form SQLAlchemy wants."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url.removeprefix(prefix)
    raise ValueError(f"not a PostgreSQL URL: {url}")


_SERVER_SETTINGS: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()


def create_engine(url: str, *, server_settings: dict[str, str] | None = None,
                  **kwargs: Any) -> AsyncEngine:
    """An engine whose connections start with `server_settings` (PostgreSQL settings).
    hide_parameters: an error's text never carries the values bound to the statement
    (password hashes, reset token digests, personal data), and neither does its log line."""
    options: dict[str, Any] = {"pool_size": 10, "max_overflow": 10, "hide_parameters": True}
    options.update(kwargs)
    if server_settings:
        options["connect_args"] = {**options.get("connect_args", {}),
                                   "server_settings": dict(server_settings)}
    engine = create_async_engine(async_url(url), **options)
    event.listen(engine.sync_engine, "checkout", _replace_closed_connection)
    _SERVER_SETTINGS[engine.sync_engine] = dict(server_settings or {})
    return engine


def create_request_engine(url: str, *, lock_timeout: float, statement_timeout: float,
                          **kwargs: Any) -> AsyncEngine:
    """The engine of a request path (the web app, the bot): a statement that waits longer
    than `lock_timeout` seconds for a lock, or runs longer than `statement_timeout`, fails
    (the web answers 503) instead of keeping its caller waiting behind a long writer. Imports
    and jobs use `create_engine`: they may wait."""
    return create_engine(url, server_settings={
        "lock_timeout": f"{round(lock_timeout * 1000)}ms",
        "statement_timeout": f"{round(statement_timeout * 1000)}ms"}, **kwargs)


def server_settings(engine: AsyncEngine) -> dict[str, str]:
    """The settings `engine`'s connections start with, for connections opened beside its
    pool (storage/kept_connections.py)."""
    return dict(_SERVER_SETTINGS.get(engine.sync_engine, {}))


def _replace_closed_connection(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """A pooled connection the server closed (restart, terminated backend) is replaced
    before use: the pool retries the checkout with a new one. asyncpg sees the closed socket
    without a round trip; `pool_pre_ping` would cost three on every checkout (BEGIN, a ping,
    ROLLBACK), more than most of our statements. A connection that breaks in the middle of a
    statement still fails that statement, and SQLAlchemy then replaces the whole pool."""
    if dbapi_connection.driver_connection.is_closed():
        raise exc.DisconnectionError("connection closed by the server")


async def driver_fetch(connection: AsyncConnection, sql: str, *args: object) -> list[Any]:
    """Rows of one statement (asyncpg `$n` placeholders) run by the driver itself, for large
    reads: no SQLAlchemy statement processing and no row objects. Used only where a benchmark
    showed it matters: the engagement counts of storage/attendance.py (figures there)."""
    raw = await connection.get_raw_connection()
    return await raw.driver_connection.fetch(sql, *args)


def violated_constraint(exc: BaseException) -> str | None:
    """The constraint (or unique index) a refused write broke: asyncpg names it; SQLAlchemy
    wraps asyncpg's error in its own (`orig`, then the adapter's `__cause__`)."""
    candidate: BaseException | None = exc
    for _ in range(3):
        if candidate is None:
            break
        if name := getattr(candidate, "constraint_name", None):
            return str(name)
        candidate = getattr(candidate, "orig", None) or candidate.__cause__
    return None


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def transaction(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session whose work commits together, or not at all."""
    async with session_factory(engine)() as session, session.begin():
        yield session


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", async_url(url).replace("%", "%%"))
    return config


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config("postgresql://x/y"))
    head = script.get_current_head()
    assert head is not None
    return head


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )


async def ensure_migrated(engine: AsyncEngine) -> None:
    current = await current_revision(engine)
    if current != head_revision():
        state = "kosong (belum dimigrasi)" if current is None else f"pada revisi {current}"
        raise DatabaseNotMigrated(
            f"Database {state}, kode membutuhkan revisi {head_revision()}. "
            "Jalankan: cicero db upgrade"
        )


async def ping(engine: AsyncEngine) -> None:
    """One round trip to the database (readiness); raises when it cannot be reached."""
    await fetch_value(engine, "SELECT 1")


# The postmaster's start time tells a restored or swapped cluster (whose transaction ids may
# repeat) from the one cached entries came from.
_SNAPSHOT_SQL = ("SELECT CAST(pg_postmaster_start_time() AS text) || ' ' || "
                 "CAST(pg_current_snapshot() AS text)")


async def data_snapshot(engine: AsyncEngine) -> str:
    """A text that changes whenever a transaction commits (and when the cluster is another
    one): the version of the data a cached answer was computed from."""
    return str(await fetch_value(engine, _SNAPSHOT_SQL))
