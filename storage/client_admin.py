"""Clients (satker) managed by an admin over WhatsApp: add one, change a column or a kind of
contact, switch it on or off, delete it, and the facts its info card shows.

Columns are only ever taken from `EDITABLE_COLUMNS`. A client is only deleted when nothing
would be lost or orphaned with it: personnel (who would have no satker), posts (with their
engagement and link reports) and satkers below it must be moved or removed first; else it
can only be switched off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import ContactKind
from storage.ordering import NO_SATFUNG, person_key, satfung_key
from storage.sql import execute, execute_many, fetch_all, fetch_one, write_returning

EDITABLE_COLUMNS = frozenset({"name", "type", "parent_id", "instagram", "tiktok",
                              "tiktok_secuid", "status", "instagram_status", "tiktok_status",
                              "amplify_status", "attendance_policy"})


@dataclass(frozen=True)
class Dependents:
    personnel: int
    posts: int
    children: int

    @property
    def any(self) -> bool:
        return bool(self.personnel or self.posts or self.children)


@dataclass(frozen=True)
class ClientCard:
    client_id: str
    name: str
    type: str
    parent_id: str | None
    status: bool
    instagram: str | None
    instagram_status: bool
    tiktok: str | None
    tiktok_status: bool
    tiktok_secuid: str | None
    amplify_status: bool
    attendance_policy: str | None
    operators: tuple[str, ...]
    super_admins: tuple[str, ...]
    groups: tuple[str, ...]
    active_personnel: int
    inactive_personnel: int
    posts: int
    dashboard_accounts: int


class DeleteOutcome(StrEnum):
    DELETED = "deleted"
    NOT_FOUND = "not_found"
    HAS_DEPENDENTS = "has_dependents"


_ADD_SQL = """
    INSERT INTO clients (client_id, name, type) VALUES (:client_id, :name, :type)
    ON CONFLICT (client_id) DO NOTHING RETURNING client_id
"""
_CARD_SQL = """
    SELECT c.client_id, c.name, c.type, c.parent_id, c.status, c.instagram,
           c.instagram_status, c.tiktok, c.tiktok_status, c.tiktok_secuid, c.amplify_status,
           c.attendance_policy,
           coalesce(array_agg(k.value ORDER BY k.id) FILTER (WHERE k.kind = 'operator'),
                    '{}') AS operators,
           coalesce(array_agg(k.value ORDER BY k.id) FILTER (WHERE k.kind = 'super_admin'),
                    '{}') AS super_admins,
           coalesce(array_agg(k.value ORDER BY k.id) FILTER (WHERE k.kind = 'group'),
                    '{}') AS groups,
           (SELECT count(*) FROM personnel p WHERE p.client_id = c.client_id AND p.status)
               AS active_personnel,
           (SELECT count(*) FROM personnel p WHERE p.client_id = c.client_id
               AND NOT p.status) AS inactive_personnel,
           (SELECT count(*) FROM posts p WHERE p.client_id = c.client_id) AS posts,
           (SELECT count(*) FROM dashboard_user_clients g WHERE g.client_id = c.client_id)
               AS dashboard_accounts
    FROM clients c LEFT JOIN client_contacts k ON k.client_id = c.client_id
    WHERE c.client_id = :client_id
    GROUP BY c.client_id
"""
_DEPENDENTS_SQL = """
    SELECT (SELECT count(*) FROM personnel WHERE client_id = :client_id) AS personnel,
           (SELECT count(*) FROM posts WHERE client_id = :client_id) AS posts,
           (SELECT count(*) FROM clients WHERE parent_id = :client_id) AS children
"""
_LOCK_SQL = "SELECT client_id FROM clients WHERE client_id = :client_id FOR UPDATE"
_DELETE_SQL = "DELETE FROM clients WHERE client_id = :client_id"
_CLEAR_CONTACTS_SQL = "DELETE FROM client_contacts WHERE client_id = :client_id AND kind = :kind"
_ADD_CONTACT_SQL = """
    INSERT INTO client_contacts (client_id, kind, value) VALUES (:client_id, :kind, :value)
    ON CONFLICT DO NOTHING
"""


async def add_client(engine: AsyncEngine, client_id: str, name: str, type_: str) -> bool:
    """Create the client (every other column at its default); False when the id exists."""
    created = await write_returning(engine, _ADD_SQL, client_id=client_id, name=name,
                                    type=type_)
    return bool(created)


async def client_card(engine: AsyncEngine, client_id: str) -> ClientCard | None:
    row = await fetch_one(engine, _CARD_SQL, client_id=client_id)
    if row is None:
        return None
    values: dict[str, Any] = dict(row)
    for key in ("operators", "super_admins", "groups"):
        values[key] = tuple(values[key])
    return ClientCard(**values)


async def update_client(engine: AsyncEngine, client_id: str, column: str, value: Any) -> bool:
    """Set one column; False when the client does not exist."""
    if column not in EDITABLE_COLUMNS:
        raise ValueError(f"not editable: {column}")
    touched = await execute(
        engine, f"UPDATE clients SET {column} = :value, updated_at = now() "
                "WHERE client_id = :client_id", value=value, client_id=client_id)
    return touched > 0


async def set_contacts(engine: AsyncEngine, client_id: str, kind: ContactKind,
                       values: Sequence[str]) -> None:
    """Replace the client's contacts of one kind with `values` (normalised already)."""
    async with engine.begin() as connection:
        await execute(connection, _CLEAR_CONTACTS_SQL, client_id=client_id, kind=kind.value)
        await execute_many(connection, _ADD_CONTACT_SQL,
                           [{"client_id": client_id, "kind": kind.value, "value": value}
                            for value in dict.fromkeys(values)])


async def dependents(engine: AsyncEngine, client_id: str) -> Dependents:
    row = await fetch_one(engine, _DEPENDENTS_SQL, client_id=client_id)
    assert row is not None
    return Dependents(**row)


async def delete_client(engine: AsyncEngine, client_id: str) -> tuple[DeleteOutcome,
                                                                        Dependents | None]:
    """Delete the client with its contacts and grants, only when it has no dependents
    (checked again under a lock, in the deleting transaction)."""
    async with engine.begin() as connection:
        if await fetch_one(connection, _LOCK_SQL, client_id=client_id) is None:
            return DeleteOutcome.NOT_FOUND, None
        row = await fetch_one(connection, _DEPENDENTS_SQL, client_id=client_id)
        assert row is not None
        found = Dependents(**row)
        if found.any:
            return DeleteOutcome.HAS_DEPENDENTS, found
        await execute(connection, _DELETE_SQL, client_id=client_id)
    return DeleteOutcome.DELETED, None


async def exception_personnel(engine: AsyncEngine,
                              client_id: str) -> list[tuple[str, str | None, str, str]]:
    """(satfung, rank, name, NRP) of the client's active exception personnel, in the one list
    order (satfung, then rank and name)."""
    rows = await fetch_all(engine, "SELECT satfung, rank, name, user_id FROM personnel "
                                   "WHERE client_id = :client_id AND exception AND status",
                           client_id=client_id)
    people = [(row["satfung"] or NO_SATFUNG, row["rank"], row["name"], row["user_id"])
              for row in rows]
    return sorted(people, key=lambda p: (*satfung_key(p[0]), *person_key(p[1], p[2]), p[3]))
