"""A client's WhatsApp contacts (operators, super admins, group)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import ContactKind
from storage.sql import fetch_all


async def client_contacts(engine: AsyncEngine, client_id: str, kind: ContactKind) -> list[str]:
    rows = await fetch_all(engine, "SELECT value FROM client_contacts "
                           "WHERE client_id = :client_id AND kind = :kind ORDER BY id",
                           client_id=client_id.upper(), kind=kind.value)
    return [row["value"] for row in rows]
