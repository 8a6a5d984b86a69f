"""Personnel changes made by staff (the dashboard, the operator consoles): create (or
reactivate), edit, NRP rename.

Every change writes its audit rows (`personnel_changes`, `changed_by` = the dashboard
username or the operator's phone) in the same transaction as the change. Columns are only
ever taken from `EDITABLE_COLUMNS`: request keys never become SQL identifiers.

An NRP rename is one `UPDATE personnel SET user_id`: every foreign key to
`personnel.user_id` is `ON UPDATE CASCADE` (storage/models/base.py `fk_column`), so the
memberships, audit rows, complaints, link reports and dashboard accounts move with it in
that same statement.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.db import violated_constraint
from storage.personnel_changes import record_change
from storage.sql import execute, fetch_all, fetch_one, fetch_value, write_returning

EDITABLE_COLUMNS: frozenset[str] = frozenset({
    "exception",
    "name", "rank", "satfung", "jabatan", "desa", "instagram", "tiktok", "whatsapp", "email",
    "status", "client_id"})
_UNIQUE_COLUMNS = ("instagram", "tiktok", "whatsapp", "email")
_CONSTRAINT_COLUMNS = {"pk_personnel": "user_id",
                       **{f"uq_personnel_{column}": column for column in _UNIQUE_COLUMNS}}


class PersonNotFound(LookupError):
    pass


class PersonnelConflict(Exception):
    """A unique value (NRP, username, WhatsApp number, e-mail) belongs to another person;
    `column` names it ('' when the database did not say which)."""

    def __init__(self, column: str) -> None:
        super().__init__(column)
        self.column = column


class RenameOutcome(StrEnum):
    RENAMED = "renamed"
    UNCHANGED = "unchanged"  # old and new are the same NRP
    ALREADY_DONE = "already_done"  # the old NRP is gone and the new one exists
    NOT_FOUND = "not_found"
    TAKEN = "taken"  # both NRPs exist


def _checked(columns: dict[str, Any]) -> dict[str, Any]:
    unknown = set(columns) - EDITABLE_COLUMNS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    return columns


def _conflict(exc: IntegrityError) -> PersonnelConflict:
    """A write refused by a unique index: another writer took the value after our check."""
    return PersonnelConflict(_CONSTRAINT_COLUMNS.get(violated_constraint(exc) or "", ""))


async def _ensure_unique(connection: AsyncConnection, user_id: str,
                         values: dict[str, Any]) -> None:
    for column in _UNIQUE_COLUMNS:
        if not values.get(column):
            continue
        holder = await fetch_value(
            connection, f"SELECT user_id FROM personnel WHERE {column} = :value "
            f"AND {column} <> '' AND user_id <> :user_id LIMIT 1",
            value=values[column], user_id=user_id)
        if holder is not None:
            raise PersonnelConflict(column)


async def _join_directorate(connection: AsyncConnection, user_id: str, directorate: str,
                            changed_by: str) -> None:
    joined = await write_returning(
        connection, "INSERT INTO directorate_memberships (directorate_id, user_id) "
        "VALUES (:directorate, :user_id) ON CONFLICT DO NOTHING RETURNING user_id",
        directorate=directorate, user_id=user_id)
    if joined:
        await record_change(connection, user_id, "directorate_membership", None, directorate,
                            changed_by)


async def create_or_reactivate(engine: AsyncEngine, user_id: str, values: dict[str, Any], *,
                               directorate: str | None, changed_by: str) -> bool:
    """Create the person (True), or, when the NRP exists, reactivate it (False). Either way
    the person becomes a member of `directorate` when one is given. `values` must hold
    `name` and `client_id`."""
    values = _checked(dict(values))
    try:
        async with engine.begin() as connection:
            found = await fetch_one(
                connection, "SELECT status FROM personnel WHERE user_id = :user_id FOR UPDATE",
                user_id=user_id)
            created = found is None
            if created:
                await _ensure_unique(connection, user_id, values)
                columns = ", ".join(["user_id", *values])
                placeholders = ", ".join(f":{name}" for name in ["user_id", *values])
                await execute(connection,
                              f"INSERT INTO personnel ({columns}) VALUES ({placeholders})",
                              user_id=user_id, **values)
                await record_change(connection, user_id, "created", None, values["client_id"],
                                    changed_by)
            elif not found["status"]:
                await execute(connection, "UPDATE personnel SET status = true, "
                              "updated_at = now() WHERE user_id = :user_id", user_id=user_id)
                await record_change(connection, user_id, "status", False, True, changed_by)
            if directorate:
                await _join_directorate(connection, user_id, directorate, changed_by)
    except IntegrityError as exc:  # a simultaneous create of the same NRP or unique value
        raise _conflict(exc) from exc
    return created


async def create_person(engine: AsyncEngine, user_id: str, values: dict[str, Any], *,
                        changed_by: str) -> None:
    """Insert a new active person; PersonnelConflict("user_id") when the NRP exists (in any
    client), or the column of a unique value another person holds. `values` must hold
    `name` and `client_id`."""
    values = _checked(dict(values))
    try:
        async with engine.begin() as connection:
            await _ensure_unique(connection, user_id, values)
            columns = ", ".join(["user_id", *values])
            placeholders = ", ".join(f":{name}" for name in ["user_id", *values])
            created = await write_returning(
                connection, f"INSERT INTO personnel ({columns}) VALUES ({placeholders}) "
                "ON CONFLICT (user_id) DO NOTHING RETURNING user_id", user_id=user_id, **values)
            if not created:
                raise PersonnelConflict("user_id")
            await record_change(connection, user_id, "created", None, values["client_id"],
                                changed_by)
    except IntegrityError as exc:
        raise PersonnelConflict("user_id") from exc


async def _rename(connection: AsyncConnection, old: str, new: str, changed_by: str) -> None:
    taken = await fetch_value(connection, "SELECT 1 FROM personnel WHERE user_id = :new",
                              new=new)
    if taken:
        raise PersonnelConflict("user_id")
    await execute(connection, "UPDATE personnel SET user_id = :new, updated_at = now() "
                  "WHERE user_id = :old", old=old, new=new)
    await record_change(connection, new, "user_id", old, new, changed_by)


async def update_person(engine: AsyncEngine, user_id: str, changes: dict[str, Any], *,
                        new_user_id: str | None, changed_by: str) -> str:
    """Apply `changes` (column -> value) and an optional NRP rename in one transaction, one
    audit row per field that really changed; returns the person's (possibly new) NRP."""
    changes = _checked(dict(changes))
    try:
        async with engine.begin() as connection:
            row = await fetch_one(
                connection, "SELECT name, rank, satfung, jabatan, desa, instagram, tiktok, "
                "whatsapp, email, status, exception, client_id FROM personnel "
                "WHERE user_id = :user_id FOR UPDATE", user_id=user_id)
            if row is None:
                raise PersonNotFound(user_id)
            current = user_id
            if new_user_id and new_user_id != user_id:
                await _rename(connection, user_id, new_user_id, changed_by)
                current = new_user_id
            changed = {column: value for column, value in changes.items()
                       if row[column] != value}
            await _ensure_unique(connection, current, changed)
            if changed:
                assignments = ", ".join(f"{column} = :{column}" for column in changed)
                await execute(connection, f"UPDATE personnel SET {assignments}, "
                              "updated_at = now() WHERE user_id = :user_id",
                              **{**changed, "user_id": current})
            for column, value in changed.items():
                await record_change(connection, current, column, row[column], value, changed_by)
    except IntegrityError as exc:
        raise _conflict(exc) from exc
    return current


async def rename_person(engine: AsyncEngine, old: str, new: str, *,
                        changed_by: str) -> RenameOutcome:
    """Move a person to a new NRP with every row that refers to it, in one transaction.
    Repeating a rename that already happened is harmless (ALREADY_DONE)."""
    if old == new:
        return RenameOutcome.UNCHANGED
    try:
        async with engine.begin() as connection:
            found = {row["user_id"] for row in await fetch_all(
                connection, "SELECT user_id FROM personnel WHERE user_id = ANY(:ids) FOR UPDATE",
                ids=[old, new])}
            if old not in found:
                return RenameOutcome.ALREADY_DONE if new in found else RenameOutcome.NOT_FOUND
            if new in found:
                return RenameOutcome.TAKEN
            await _rename(connection, old, new, changed_by)
    except IntegrityError:
        return RenameOutcome.TAKEN
    return RenameOutcome.RENAMED
