"""A client's WhatsApp contacts (operators, super admins, group)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import ContactKind


async def client_contacts(engine: AsyncEngine, client_id: str, kind: ContactKind) -> list[str]:
    async with engine.connect() as connection:
        rows = await connection.execute(text(
            "SELECT value FROM client_contacts WHERE client_id = :client_id AND kind = :kind "
            "ORDER BY id"), {"client_id": client_id.upper(), "kind": kind.value})
        return [value for (value,) in rows]
