"""Rows for test worlds: one insert helper per table the tests populate, so a test names the
rows it needs (`await insert_client(engine, "POLRES_A")`) instead of writing the INSERT.

Each helper takes an engine (the row is committed at once) or a connection (the row joins the
caller's transaction); columns not named keep the table's defaults. Worlds built from these
rows live beside their tests (tests/web/builders.py, tests/conversations/conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

Database = AsyncEngine | AsyncConnection


async def insert_row(db: Database, table: str, returning: str | None = None,
                     **values: Any) -> Any:
    """INSERT one row of `table`; the value of column `returning` when asked."""
    sql = (f"INSERT INTO {table} ({', '.join(values)}) "
           f"VALUES ({', '.join(':' + column for column in values)})"
           + (f" RETURNING {returning}" if returning else ""))
    if isinstance(db, AsyncEngine):
        async with db.begin() as connection:
            return await insert_row(connection, table, returning, **values)
    result = await db.execute(text(sql), values)
    return result.scalar_one() if returning else None


async def insert_client(db: Database, client_id: str, name: str | None = None,
                        type_: str = "org", **columns: Any) -> None:
    """A client; its name defaults to the id with spaces ('POLRES_A' -> 'POLRES A'). Other
    columns by name: instagram, tiktok, parent_id, status, attendance_policy, …"""
    await insert_row(db, "clients", client_id=client_id,
                     name=client_id.replace("_", " ") if name is None else name, type=type_,
                     **columns)


async def insert_clients(db: Database, clients: Iterable[tuple[str, str, str]]) -> None:
    """Several clients given as (client_id, name, type)."""
    for client_id, name, type_ in clients:
        await insert_client(db, client_id, name, type_)


async def insert_person(db: Database, user_id: str, name: str, client_id: str, *,
                        directorates: Iterable[str] = (), **columns: Any) -> None:
    """A person of `client_id`, member of `directorates`. Other columns by name: rank,
    satfung, jabatan, instagram, tiktok, whatsapp, status, exception, …"""
    await insert_row(db, "personnel", user_id=user_id, name=name, client_id=client_id,
                     **columns)
    for directorate in directorates:
        await insert_membership(db, directorate, user_id)


async def insert_membership(db: Database, directorate: str, user_id: str) -> None:
    await insert_row(db, "directorate_memberships", directorate_id=directorate,
                     user_id=user_id)


async def insert_post(db: Database, platform: str, external_id: str, client_id: str,
                      uploaded_at: datetime, **columns: Any) -> int:
    return int(await insert_row(db, "posts", "id", platform=platform, external_id=external_id,
                                client_id=client_id, uploaded_at=uploaded_at, **columns))


async def insert_engagements(db: Database, post_id: int, kind: str,
                             usernames: Iterable[str]) -> None:
    for username in usernames:
        await insert_row(db, "engagements", post_id=post_id, kind=kind, username=username)


async def insert_link_report(db: Database, post_id: int, user_id: str, **links: str) -> None:
    await insert_row(db, "link_reports", post_id=post_id, user_id=user_id, **links)
