"""Which personnel WhatsApp numbers are already in the Google Contacts of the bot's account
(`saved_contacts`), so each is created there once; and, for a person whose number changed
(`personnel_changes`), the contact of the old number, to update instead of adding one."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.sql import execute, fetch_all

# A number not saved yet, with the saved contact of the number its person had before, when
# nobody active uses that old number any more.
_PENDING_SQL = """
    WITH unsaved AS (
        SELECT p.whatsapp AS phone, min(coalesce(p.rank || ' ', '') || p.name) AS name,
               array_agg(p.user_id) AS users
        FROM personnel p
        WHERE p.status AND coalesce(p.whatsapp, '') <> ''
          AND (CAST(:every AS boolean) OR p.whatsapp = ANY(:phones))
          AND NOT EXISTS (SELECT 1 FROM saved_contacts s WHERE s.phone = p.whatsapp)
        GROUP BY p.whatsapp)
    SELECT u.phone, u.name, previous.phone AS previous, previous.resource_name
    FROM unsaved u LEFT JOIN LATERAL (
        SELECT s.phone, s.resource_name
        FROM personnel_changes c JOIN saved_contacts s ON s.phone = c.old_value
        WHERE c.user_id = ANY(u.users) AND c.field = 'whatsapp' AND c.new_value = u.phone
          AND s.resource_name IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM personnel q WHERE q.status AND q.whatsapp = s.phone)
        ORDER BY c.id DESC LIMIT 1) previous ON true
    ORDER BY u.phone
"""
_REMEMBER_SQL = """
    INSERT INTO saved_contacts (phone, resource_name) VALUES (:phone, :resource_name)
    ON CONFLICT (phone) DO UPDATE SET resource_name = EXCLUDED.resource_name
"""
_MOVE_SQL = "UPDATE saved_contacts SET phone = :phone WHERE phone = :previous"


@dataclass(frozen=True)
class PendingContact:
    phone: str
    name: str  # "RANK NAME"
    previous: str | None = None  # the person's old, saved number: update its contact
    resource_name: str | None = None  # that contact


async def pending_contacts(engine: AsyncEngine, phones: Collection[str] | None = None
                           ) -> list[PendingContact]:
    """Active personnel's numbers not saved yet (only `phones` when given)."""
    rows = await fetch_all(engine, _PENDING_SQL, every=phones is None,
                           phones=sorted(phones or ()))
    return [PendingContact(**row) for row in rows]


async def remember_saved(engine: AsyncEngine, phone: str, resource_name: str | None) -> None:
    await execute(engine, _REMEMBER_SQL, phone=phone, resource_name=resource_name)


async def remember_moved(engine: AsyncEngine, previous: str, phone: str) -> None:
    """The contact saved for `previous` now holds `phone`."""
    await execute(engine, _MOVE_SQL, previous=previous, phone=phone)
