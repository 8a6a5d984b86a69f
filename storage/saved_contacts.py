"""Which personnel WhatsApp numbers are already in the Google Contacts of the bot's account
(`saved_contacts`), so each is created there once."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.sql import execute, fetch_all

_UNSAVED_SQL = """
    SELECT p.whatsapp AS phone, min(coalesce(p.rank || ' ', '') || p.name) AS name
    FROM personnel p
    WHERE p.status AND coalesce(p.whatsapp, '') <> ''
      AND (CAST(:every AS boolean) OR p.whatsapp = ANY(:phones))
      AND NOT EXISTS (SELECT 1 FROM saved_contacts s WHERE s.phone = p.whatsapp)
    GROUP BY p.whatsapp ORDER BY p.whatsapp
"""
_REMEMBER_SQL = """
    INSERT INTO saved_contacts (phone, resource_name) VALUES (:phone, :resource_name)
    ON CONFLICT (phone) DO UPDATE SET resource_name = EXCLUDED.resource_name
"""


async def unsaved_numbers(engine: AsyncEngine, phones: Collection[str] | None = None
                          ) -> list[tuple[str, str]]:
    """(phone, "RANK NAME") of active personnel whose number is not saved yet (only `phones`
    when given)."""
    rows = await fetch_all(engine, _UNSAVED_SQL, every=phones is None,
                           phones=sorted(phones or ()))
    return [(row["phone"], row["name"]) for row in rows]


async def remember_saved(engine: AsyncEngine, phone: str, resource_name: str | None) -> None:
    await execute(engine, _REMEMBER_SQL, phone=phone, resource_name=resource_name)
