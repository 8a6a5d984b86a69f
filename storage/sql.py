"""The one way to run SQL: a statement with named parameters (`:name`), run over SQLAlchemy's
pool, rows read by column name.

    rows = await fetch_all(engine, "SELECT user_id, name FROM personnel WHERE client_id = :c",
                           c=client_id)
    people = [Person(**row) for row in rows]

Pass an engine for a statement in its own transaction, or a connection of
`async with engine.begin() as connection:` (or the session of `storage.db.transaction`) for
several statements that commit together.
Statements are compiled once per text (SQLAlchemy caches `text()` constructs by identity, so
keep statements as module constants).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

Database = AsyncEngine | AsyncConnection | AsyncSession
Row = Mapping[str, Any]


@lru_cache(maxsize=1024)
def statement(sql: str) -> TextClause:
    return text(sql)


async def _run(db: Database, sql: str, params: dict[str, Any], *, write: bool) -> Any:
    if not isinstance(db, AsyncEngine):
        return await db.execute(statement(sql), params)
    if write:
        async with db.begin() as connection:
            return await connection.execute(statement(sql), params)
    async with db.connect() as connection:
        return await connection.execute(statement(sql), params)


async def fetch_all(db: Database, sql: str, **params: Any) -> list[Row]:
    """Every row, each a read-only mapping of column name to value."""
    result = await _run(db, sql, params, write=False)
    return list(result.mappings())


async def fetch_one(db: Database, sql: str, **params: Any) -> Row | None:
    result = await _run(db, sql, params, write=False)
    return result.mappings().first()


async def fetch_value(db: Database, sql: str, **params: Any) -> Any:
    """The first column of the first row (None without rows)."""
    result = await _run(db, sql, params, write=False)
    return result.scalar()


async def execute(db: Database, sql: str, **params: Any) -> int:
    """A write in its own transaction (or the connection's); the number of rows it touched."""
    result = await _run(db, sql, params, write=True)
    return result.rowcount


async def write_returning(db: Database, sql: str, **params: Any) -> list[Row]:
    """A write with RETURNING, committed (or in the connection's transaction)."""
    result = await _run(db, sql, params, write=True)
    return list(result.mappings())


async def execute_many(db: Database, sql: str, rows: Sequence[dict[str, Any]]) -> None:
    """One statement for many parameter sets (executemany), committed together."""
    if rows:
        await _run(db, sql, list(rows), write=True)  # type: ignore[arg-type]
