"""Bulk import of clients (satker) and personnel from CSV / XLSX files.

The file format is in spec/interfaces.md ("Import files"). Every row is validated in
Python first against the stored state, loaded with a fixed number of queries; the
valid rows are then written in one transaction, each inside its own SAVEPOINT so an
unexpected database error rejects only that row. A row equal to what is stored writes
nothing. Row parsing rules (empty cell = keep, set columns replace) are in
`storage.import_rows`.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import String, Table, and_, any_, delete, insert, literal, or_, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.db import transaction
from storage.import_rows import (
    CLIENT_REQUIRED,
    PERSONNEL_REQUIRED,
    ImportFileError,
    ParsedRow,
    parse_client,
    parse_person,
    read_required,
    read_table,
    shown,
)
from storage.models import (
    Client,
    ClientContact,
    ClientType,
    DirectorateMembership,
    Personnel,
    PersonnelChange,
)

__all__ = ["ImportFileError", "ImportSummary", "RejectedRow", "import_clients",
           "import_personnel", "read_rows"]

Progress = Callable[[int, int], None]

CLIENTS = cast(Table, Client.__table__)
CONTACTS = cast(Table, ClientContact.__table__)
PERSONNEL = cast(Table, Personnel.__table__)
MEMBERSHIPS = cast(Table, DirectorateMembership.__table__)
CHANGES = cast(Table, PersonnelChange.__table__)

_PERSON_FIELDS = ("name", "rank", "satfung", "jabatan", "desa", "client_id", "whatsapp",
                  "email", "instagram", "tiktok", "status", "exception")
_PERSON_DEFAULTS = {"status": True, "exception": False, "wa_notification_opt_in": False}
_CLIENT_FIELDS = ("name", "type", "parent_id", "instagram", "tiktok", "tiktok_secuid", "status",
                  "instagram_status", "tiktok_status", "amplify_status")
_CLIENT_DEFAULTS = {"type": ClientType.ORG.value, "status": True, "instagram_status": True,
                    "tiktok_status": True, "amplify_status": True}
# One person per value (unique indexes on personnel): column -> how a reason names it
_UNIQUE_LABELS = {"instagram": "username Instagram", "tiktok": "username TikTok",
                  "whatsapp": "nomor WhatsApp", "email": "email"}


@dataclass(frozen=True)
class RejectedRow:
    line: int
    row_id: str | None
    reason: str


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)


@dataclass
class _Plan:
    """The writes one valid row needs."""

    line: int
    row_id: str
    create: dict[str, Any] | None = None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    sets: dict[str, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line as the user sees it, canonical header -> stripped value) for every data row."""
    return read_table(path)[1]


# --- shared machinery -----------------------------------------------------------------------


def _any(values: Iterable[str]) -> Any:
    return any_(literal(sorted(set(values)), ARRAY(String)))


def _reject(summary: ImportSummary, row: ParsedRow) -> None:
    summary.rejected.append(
        RejectedRow(row.line, row.row_id or shown(row.raw_id) or None, "; ".join(row.problems)))


def _diff(row: ParsedRow, stored: Any, fields: Iterable[str]) -> dict[str, tuple[Any, Any]]:
    return {name: (stored[name], row.values[name]) for name in fields
            if name in row.values and stored[name] != row.values[name]}


def _short_error(exc: DBAPIError) -> str:
    text = str(exc.orig if exc.orig is not None else exc).strip().splitlines()[0]
    return re.sub(r"^<class '[^']*'>:\s*", "", text)[:200]


async def _apply(session: AsyncSession, plans: list[_Plan], summary: ImportSummary,
                 write: Callable[[AsyncSession, _Plan], Awaitable[None]],
                 progress: Progress | None, total: int) -> list[_Plan]:
    """Write each plan inside its own SAVEPOINT; return the plans that were written."""
    done = total - len(plans)
    if progress:
        progress(done, total)
    written = []
    for plan in plans:
        try:
            async with session.begin_nested():
                await write(session, plan)
        except DBAPIError as exc:
            summary.rejected.append(
                RejectedRow(plan.line, plan.row_id, f"gagal disimpan: {_short_error(exc)}"))
        else:
            written.append(plan)
            if plan.create is not None:
                summary.created += 1
            else:
                summary.updated += 1
        done += 1
        if progress:
            progress(done, total)
    summary.rejected.sort(key=lambda rejected: rejected.line)
    return written


async def _replace_set(session: AsyncSession, table: Table, key: dict[str, str], column: str,
                       old: frozenset[str], new: frozenset[str]) -> None:
    where = and_(*(table.c[name] == value for name, value in key.items()))
    if old - new:
        await session.execute(delete(table).where(where, table.c[column].in_(old - new)))
    if new - old:
        await session.execute(pg_insert(table).values(
            [{**key, column: value} for value in sorted(new - old)]).on_conflict_do_nothing())


# --- personnel ------------------------------------------------------------------------------


async def import_personnel(engine: AsyncEngine, path: Path,
                           progress: Progress | None = None) -> ImportSummary:
    """Upsert personnel by NRP/NIP from a .csv / .xlsx file."""
    parsed = [parse_person(line, cells)
              for line, cells in read_required(path, PERSONNEL_REQUIRED)]
    summary = ImportSummary()
    async with transaction(engine) as session:
        plans = await _plan_personnel(session, parsed, summary)
        written = await _apply(session, plans, summary, _write_person, progress, len(parsed))
        log = [change for plan in written for change in _change_log(plan)]
        if log:
            await session.execute(insert(CHANGES), log)
    return summary


async def _plan_personnel(session: AsyncSession, parsed: list[ParsedRow],
                          summary: ImportSummary) -> list[_Plan]:
    ids = [row.row_id for row in parsed if row.row_id]
    clients = dict((await session.execute(select(CLIENTS.c.client_id, CLIENTS.c.type))).all())
    people = {row.user_id: row for row in (await session.execute(
        select(PERSONNEL.c.user_id, *(PERSONNEL.c[name] for name in _PERSON_FIELDS))
        .where(PERSONNEL.c.user_id == _any(ids)))).mappings()}
    # column -> value -> (owner NRP, line in this file or None when only stored)
    owners: dict[str, dict[str, tuple[str, int | None]]] = {name: {} for name in _UNIQUE_LABELS}
    wanted = {name: [row.values[name] for row in parsed if name in row.values]
              for name in _UNIQUE_LABELS}
    stored_owners = await session.execute(
        select(PERSONNEL.c.user_id, *(PERSONNEL.c[name] for name in _UNIQUE_LABELS)).where(or_(
            *(PERSONNEL.c[name] == _any(wanted[name]) for name in _UNIQUE_LABELS))))
    for person in [*stored_owners.mappings(), *people.values()]:
        for column in owners:
            if person[column]:
                owners[column][person[column]] = (person["user_id"], None)
    memberships: dict[str, set[str]] = {}
    if any("directorates" in row.sets for row in parsed):
        result = await session.execute(select(MEMBERSHIPS.c.user_id, MEMBERSHIPS.c.directorate_id)
                                       .where(MEMBERSHIPS.c.user_id == _any(ids)))
        for user_id, directorate_id in result.all():
            memberships.setdefault(user_id, set()).add(directorate_id)

    first_line: dict[str, int] = {}
    plans: list[_Plan] = []
    for row in parsed:
        user_id, problems = row.row_id, row.problems
        if user_id is not None:
            if user_id in first_line:
                problems.append(f"NRP/NIP ganda dalam file (lihat baris {first_line[user_id]})")
            else:
                first_line[user_id] = row.line
        stored = people.get(user_id) if user_id else None
        client_id = row.values.get("client_id")
        if client_id is not None and client_id not in clients:
            problems.append(f'satker tidak dikenal: "{client_id}"')
        elif client_id is None and stored is None and user_id is not None:
            problems.append("satker (client_id) kosong, wajib untuk personil baru")
        for directorate in sorted(row.sets.get("directorates", ())):
            if directorate not in clients:
                problems.append(f'direktorat tidak dikenal: "{directorate}"')
            elif clients[directorate] != ClientType.DIRECTORATE.value:
                problems.append(f'satker "{directorate}" bukan direktorat')
        for column, label in _UNIQUE_LABELS.items():
            value = row.values.get(column)
            owner = owners[column].get(value) if value else None
            if owner is not None and owner[0] != user_id:
                where = f" (baris {owner[1]})" if owner[1] else ""
                problems.append(f'{label} "{value}" sudah dipakai NRP {owner[0]}{where}')
        if problems or user_id is None:
            _reject(summary, row)
            continue
        for column in owners:
            if value := row.values.get(column):
                previous = stored[column] if stored else None
                if previous and previous != value:
                    owners[column].pop(previous, None)
                owners[column][value] = (user_id, row.line)
        plan = _Plan(row.line, user_id)
        new_set = row.sets.get("directorates")
        old_set = frozenset(memberships.get(user_id, ()))
        if new_set is not None and new_set != old_set:
            plan.sets["directorates"] = (old_set, new_set)
        if stored is None:
            plan.create = {"user_id": user_id, **_PERSON_DEFAULTS, **row.values}
        else:
            plan.changes = _diff(row, stored, _PERSON_FIELDS)
        if plan.create is None and not plan.changes and not plan.sets:
            summary.unchanged += 1
        else:
            plans.append(plan)
    return plans


async def _write_person(session: AsyncSession, plan: _Plan) -> None:
    if plan.create is not None:
        await session.execute(insert(PERSONNEL).values(plan.create))
    elif plan.changes:
        await session.execute(update(PERSONNEL).where(PERSONNEL.c.user_id == plan.row_id)
                              .values({name: new for name, (_, new) in plan.changes.items()}))
    if "directorates" in plan.sets:
        await _replace_set(session, MEMBERSHIPS, {"user_id": plan.row_id}, "directorate_id",
                           *plan.sets["directorates"])


def _as_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, frozenset):
        return ",".join(sorted(value)) or None
    return None if value is None else str(value)


def _change_log(plan: _Plan) -> list[dict[str, Any]]:
    entry = {"user_id": plan.row_id, "changed_by": "import"}
    if plan.create is not None:
        return [{**entry, "field": "created", "old_value": None, "new_value": None}]
    changes = {**plan.changes, **plan.sets}
    return [{**entry, "field": name, "old_value": _as_text(old), "new_value": _as_text(new)}
            for name, (old, new) in changes.items()]


# --- clients --------------------------------------------------------------------------------


async def import_clients(engine: AsyncEngine, path: Path,
                         progress: Progress | None = None) -> ImportSummary:
    """Upsert clients (satker) by client_id from a .csv / .xlsx file."""
    parsed = [parse_client(line, cells) for line, cells in read_required(path, CLIENT_REQUIRED)]
    summary = ImportSummary()
    async with transaction(engine) as session:
        plans = await _plan_clients(session, parsed, summary)
        await _apply(session, plans, summary, _write_client, progress, len(parsed))
    return summary


async def _plan_clients(session: AsyncSession, parsed: list[ParsedRow],
                        summary: ImportSummary) -> list[_Plan]:
    stored = {row.client_id: row for row in (await session.execute(
        select(CLIENTS.c.client_id, *(CLIENTS.c[name] for name in _CLIENT_FIELDS)))).mappings()}
    contacts: dict[tuple[str, str], set[str]] = {}
    result = await session.execute(select(CONTACTS.c.client_id, CONTACTS.c.kind, CONTACTS.c.value)
                                   .where(CONTACTS.c.client_id == _any(
                                       row.row_id for row in parsed if row.row_id)))
    for client_id, kind, value in result.all():
        contacts.setdefault((client_id, kind), set()).add(value)

    first_line: dict[str, int] = {}
    for row in parsed:
        if row.row_id in first_line:
            first = first_line[row.row_id]
            row.problems.append(f"client_id ganda dalam file (lihat baris {first})")
        elif row.row_id:
            first_line[row.row_id] = row.line
    valid = {row.row_id: row for row in parsed if row.row_id and not row.problems}
    _drop_orphans(valid, stored, first_line)
    parent_of = {client_id: client["parent_id"] for client_id, client in stored.items()}
    parent_of.update({client_id: row.values["parent_id"] for client_id, row in valid.items()
                      if "parent_id" in row.values})
    for client_id, row in list(valid.items()):
        seen, parent = {client_id}, parent_of.get(client_id)
        while parent and parent not in seen:
            seen.add(parent)
            parent = parent_of.get(parent)
        if parent == client_id:
            row.problems.append(f'parent_id "{row.values["parent_id"]}" membentuk siklus')
    valid = {client_id: row for client_id, row in valid.items() if not row.problems}
    _drop_orphans(valid, stored, first_line)

    plans: dict[str, _Plan] = {}
    for row in parsed:
        if row.row_id is None or valid.get(row.row_id) is not row:
            _reject(summary, row)
            continue
        plan = _Plan(row.line, row.row_id)
        for kind, new in row.sets.items():
            old = frozenset(contacts.get((row.row_id, kind), ()))
            if new != old:
                plan.sets[kind] = (old, new)
        if (client := stored.get(row.row_id)) is None:
            plan.create = {"client_id": row.row_id, **_CLIENT_DEFAULTS, **row.values}
        else:
            plan.changes = _diff(row, client, _CLIENT_FIELDS)
        if plan.create is None and not plan.changes and not plan.sets:
            summary.unchanged += 1
        else:
            plans[row.row_id] = plan
    ordered: list[_Plan] = []  # parents before children
    while plans:
        ready = [plan for plan in plans.values() if _parent(plan) not in plans]
        ready = ready or list(plans.values())  # cannot happen: cycles were rejected above
        ordered.extend(ready)
        for plan in ready:
            del plans[plan.row_id]
    return ordered


def _parent(plan: _Plan) -> str | None:
    values = plan.create if plan.create is not None else {
        name: new for name, (_, new) in plan.changes.items()}
    return values.get("parent_id")


def _drop_orphans(valid: dict[str, ParsedRow], stored: dict[str, Any],
                  in_file: dict[str, int]) -> None:
    """Reject rows whose parent is neither stored nor a valid row of the file, until stable."""
    changed = True
    while changed:
        changed = False
        for client_id, row in list(valid.items()):
            parent = row.values.get("parent_id")
            if parent and parent not in stored and parent not in valid:
                hint = f" (baris {in_file[parent]} ditolak)" if parent in in_file else ""
                row.problems.append(f'parent_id tidak dikenal: "{parent}"{hint}')
                del valid[client_id]
                changed = True


async def _write_client(session: AsyncSession, plan: _Plan) -> None:
    if plan.create is not None:
        await session.execute(insert(CLIENTS).values(plan.create))
    elif plan.changes:
        await session.execute(update(CLIENTS).where(CLIENTS.c.client_id == plan.row_id)
                              .values({name: new for name, (_, new) in plan.changes.items()}))
    for kind, (old, new) in plan.sets.items():
        await _replace_set(session, CONTACTS, {"client_id": plan.row_id, "kind": kind}, "value",
                           old, new)
