"""A person's own data as the WhatsApp self-service sees and changes it.

Every change goes through `update_field` / `link_whatsapp`, which write the audit row
(`personnel_changes`) in the same transaction as the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import asyncpg
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.kept_connections import fetch_rows
from storage.ordering import satfung_key
from storage.personnel_changes import record_change
from storage.sql import execute, fetch_all, fetch_value

# Units every satker may pick besides its own satfung (reference §3).
FIXED_SATFUNG: tuple[str, ...] = ("SUBBID MULTIMEDIA", "SUBBID PENMAS", "SUBBID PID",
                                  "SUB BAG RENMIN")
# The system's own account: nobody may register it as theirs.
RESERVED_INSTAGRAM: frozenset[str] = frozenset({"cicero_devs"})


class ProfileField(StrEnum):
    NAME = "name"
    RANK = "rank"
    SATFUNG = "satfung"
    JABATAN = "jabatan"
    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"
    DESA = "desa"


@dataclass(frozen=True)
class Profile:
    user_id: str
    name: str
    rank: str | None
    satfung: str | None
    jabatan: str | None
    desa: str | None
    client_id: str
    client_name: str | None
    whatsapp: str | None
    instagram: str | None
    tiktok: str | None
    active: bool
    notifications: bool
    directorate_member: bool
    exception: bool = False


class LinkOutcome(StrEnum):
    LINKED = "linked"
    ALREADY_YOURS = "already_yours"
    NOT_FOUND = "not_found"
    INACTIVE = "inactive"
    OTHER_NUMBER = "other_number"  # the NRP is linked to a different number
    NUMBER_IN_USE = "number_in_use"  # this number is linked to a different NRP


class HandleTaken(Exception):
    """The Instagram or TikTok handle belongs to another person."""


_PROFILE_SQL = """
    SELECT p.user_id, p.name, p.rank, p.satfung, p.jabatan, p.desa, p.client_id,
           c.name AS client_name, p.whatsapp, p.instagram, p.tiktok, p.status AS active,
           p.wa_notification_opt_in AS notifications,
           EXISTS (SELECT 1 FROM directorate_memberships m WHERE m.user_id = p.user_id)
               AS directorate_member,
           p.exception
    FROM personnel p LEFT JOIN clients c USING (client_id)
    WHERE p.user_id = $1
"""


async def load_profile(engine: AsyncEngine, user_id: str) -> Profile | None:
    rows = await fetch_rows(engine, _PROFILE_SQL, user_id)
    return Profile(**rows[0]) if rows else None


# One statement (atomic on its own, one round trip): the person's row is locked, so two
# simultaneous confirmations write once; the link and its audit row are written together.
_LINK_WHATSAPP_SQL = """
    WITH target AS (
        SELECT whatsapp, status FROM personnel WHERE user_id = $1 FOR UPDATE
    ), holder AS (
        SELECT 1 FROM personnel WHERE whatsapp = $2 AND user_id <> $1 LIMIT 1
    ), linked AS (
        UPDATE personnel p SET whatsapp = $2, updated_at = now()
        FROM target
        WHERE p.user_id = $1 AND target.status AND coalesce(target.whatsapp, '') = ''
          AND NOT EXISTS (SELECT 1 FROM holder)
        RETURNING p.user_id
    ), audited AS (
        INSERT INTO personnel_changes (user_id, field, old_value, new_value, changed_by)
        SELECT user_id, 'whatsapp', NULL, $2, $2 FROM linked
    )
    SELECT target.whatsapp AS current, target.status AS active,
           EXISTS (SELECT 1 FROM linked) AS linked
    FROM target
"""


async def link_whatsapp(engine: AsyncEngine, user_id: str, phone: str) -> LinkOutcome:
    """Link `phone` to the person, never over another number and never to an inactive person."""
    try:
        rows = await fetch_rows(engine, _LINK_WHATSAPP_SQL, user_id, phone)
    except asyncpg.UniqueViolationError:  # given to another person in the same moment
        return LinkOutcome.NUMBER_IN_USE
    if not rows:
        return LinkOutcome.NOT_FOUND
    current, active, linked = rows[0]["current"], rows[0]["active"], rows[0]["linked"]
    if linked:
        return LinkOutcome.LINKED
    if not active:
        return LinkOutcome.INACTIVE
    if current == phone:
        return LinkOutcome.ALREADY_YOURS
    if current:
        return LinkOutcome.OTHER_NUMBER
    return LinkOutcome.NUMBER_IN_USE  # the one condition left: another person has the number


async def username_owner(engine: AsyncEngine, field: ProfileField, username: str) -> str | None:
    """The user_id holding this Instagram/TikTok username, if any."""
    column = {ProfileField.INSTAGRAM: "instagram", ProfileField.TIKTOK: "tiktok"}[field]
    return await fetch_value(
        engine, f"SELECT user_id FROM personnel WHERE {column} = :name LIMIT 1", name=username)


async def whatsapp_owner(engine: AsyncEngine, phone: str) -> str | None:
    """The user_id holding this WhatsApp number (normalised digits), if any."""
    return await fetch_value(
        engine, "SELECT user_id FROM personnel WHERE whatsapp = :phone ORDER BY user_id LIMIT 1",
        phone=phone)


async def update_field(engine: AsyncEngine, user_id: str, field: ProfileField, value: str,
                       changed_by: str) -> str | None:
    """Store one field and its audit row; returns the old value. Raises HandleTaken when a
    unique username was taken meanwhile."""
    column = field.value  # ProfileField values are column names
    try:
        async with engine.begin() as connection:
            [before] = await fetch_all(
                connection, f"SELECT {column} FROM personnel WHERE user_id = :user_id FOR UPDATE",
                user_id=user_id)
            old = before[column]
            await execute(connection, f"UPDATE personnel SET {column} = :value, "
                          "updated_at = now() WHERE user_id = :user_id",
                          value=value, user_id=user_id)
            if old != value:
                await record_change(connection, user_id, column, old, value, changed_by)
    except IntegrityError as exc:
        raise HandleTaken(value) from exc
    return old


async def satfung_choices(engine: AsyncEngine, client_id: str) -> list[str]:
    """The client's own satfung plus the fixed units, in the one satfung order."""
    rows = await fetch_all(
        engine, "SELECT DISTINCT upper(satfung) AS satfung FROM personnel "
        "WHERE client_id = :client_id AND coalesce(satfung, '') <> ''", client_id=client_id)
    own = {row["satfung"] for row in rows}
    return sorted(own | set(FIXED_SATFUNG), key=satfung_key)


# One statement (atomic on its own, one round trip): lock the person(s), switch, audit.
_SET_NOTIFICATIONS_SQL = """
    WITH target AS (
        SELECT user_id, wa_notification_opt_in AS before FROM personnel
        WHERE whatsapp = $1 FOR UPDATE
    ), switched AS (
        UPDATE personnel p SET wa_notification_opt_in = $2, updated_at = now()
        FROM target WHERE p.user_id = target.user_id
        RETURNING p.user_id, target.before
    ), audited AS (
        INSERT INTO personnel_changes (user_id, field, old_value, new_value, changed_by)
        SELECT user_id, 'wa_notification_opt_in', coalesce(before::text, 'none'),
               $2::text, $1
        FROM switched WHERE before IS DISTINCT FROM $2
    )
    SELECT user_id FROM switched ORDER BY user_id
"""


async def set_notifications(engine: AsyncEngine, phone: str, enabled: bool) -> list[str]:
    """Turn reminders on/off for the person(s) linked to `phone`; returns their user ids."""
    rows = await fetch_rows(engine, _SET_NOTIFICATIONS_SQL, phone, enabled)
    return [row["user_id"] for row in rows]
