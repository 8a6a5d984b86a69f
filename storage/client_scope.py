"""Which clients a dashboard login may see: its granted clients, and for a granted
directorate also the satkers under it (by hierarchy) and those whose personnel belong to it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.sql import fetch_all

_SCOPE_SQL = """
    SELECT client_id FROM clients WHERE client_id = ANY(:granted)
    UNION
    SELECT c.client_id FROM clients c JOIN clients d ON d.client_id = c.parent_id
    WHERE d.client_id = ANY(:granted) AND d.type = 'directorate'
    UNION
    SELECT DISTINCT p.client_id FROM directorate_memberships m
    JOIN personnel p ON p.user_id = m.user_id
    WHERE m.directorate_id = ANY(:granted)
"""


async def clients_in_scope(engine: AsyncEngine, granted: Iterable[str]) -> frozenset[str]:
    ids = sorted(set(granted))
    if not ids:
        return frozenset()
    rows = await fetch_all(engine, _SCOPE_SQL, granted=ids)
    return frozenset(row["client_id"] for row in rows)
