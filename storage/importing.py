"""Bulk import of clients (satker) and personnel from CSV / XLSX files.

The file format is in spec/interfaces.md ("Import files"). Every row is validated in
Python first against the stored state, loaded with a fixed number of queries; a row equal to
what is stored writes nothing. Row parsing rules (empty cell = keep, set columns replace) are
in `storage.import_rows`. Personnel files, which can be large, are imported in batches
(`storage.personnel_import`); a clients file is written in one transaction, each row inside
its own SAVEPOINT so an unexpected database error rejects only that row.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.db import transaction
from storage.import_plans import (
    ImportSummary,
    Plan,
    RejectedRow,
    among,
    diff,
    reject,
    reject_unwritten,
    replace_set,
)
from storage.import_rows import (
    CLIENT_REQUIRED,
    ImportFileError,
    ParsedRow,
    parse_client,
    read_required,
    read_table,
)
from storage.models import Client, ClientContact, ClientType
from storage.personnel_import import BATCH_ROWS, import_personnel
from storage.population_version import bump_population, defer_population_bump

__all__ = ["BATCH_ROWS", "ImportFileError", "ImportSummary", "RejectedRow", "import_clients",
           "import_personnel", "read_rows"]

Progress = Callable[[int, int], None]

CLIENTS = cast(Table, Client.__table__)
CONTACTS = cast(Table, ClientContact.__table__)

_CLIENT_FIELDS = ("name", "type", "parent_id", "instagram", "tiktok", "tiktok_secuid", "status",
                  "instagram_status", "tiktok_status", "amplify_status")
_CLIENT_DEFAULTS = {"type": ClientType.ORG.value, "status": True, "instagram_status": True,
                    "tiktok_status": True, "amplify_status": True}


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line as the user sees it, canonical header -> stripped value) for every data row."""
    return read_table(path)[1]


# --- clients --------------------------------------------------------------------------------


async def import_clients(engine: AsyncEngine, path: Path,
                         progress: Progress | None = None) -> ImportSummary:
    """Upsert clients (satker) by client_id from a .csv / .xlsx file."""
    parsed = [parse_client(line, cells) for line, cells in read_required(path, CLIENT_REQUIRED)]
    summary = ImportSummary()
    async with transaction(engine) as session:
        await defer_population_bump(session)
        plans = await _plan_clients(session, parsed, summary)
        if await _apply(session, plans, summary, progress, len(parsed)):
            await bump_population(session)
    return summary


async def _apply(session: AsyncSession, plans: list[Plan], summary: ImportSummary,
                 progress: Progress | None, total: int) -> list[Plan]:
    """Write each plan inside its own SAVEPOINT; return the plans that were written."""
    done = total - len(plans)
    if progress:
        progress(done, total)
    written = []
    for plan in plans:
        try:
            async with session.begin_nested():
                await _write_client(session, plan)
        except DBAPIError as exc:
            reject_unwritten(summary, plan, exc)
        else:
            written.append(plan)
            plan.count(summary)
        done += 1
        if progress:
            progress(done, total)
    summary.rejected.sort(key=lambda rejected: rejected.line)
    return written


async def _plan_clients(session: AsyncSession, parsed: list[ParsedRow],
                        summary: ImportSummary) -> list[Plan]:
    stored = {row.client_id: row for row in (await session.execute(
        select(CLIENTS.c.client_id, *(CLIENTS.c[name] for name in _CLIENT_FIELDS)))).mappings()}
    contacts: dict[tuple[str, str], set[str]] = {}
    result = await session.execute(select(CONTACTS.c.client_id, CONTACTS.c.kind, CONTACTS.c.value)
                                   .where(among(CONTACTS.c.client_id,
                                                [row.row_id for row in parsed if row.row_id])))
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

    plans: dict[str, Plan] = {}
    for row in parsed:
        if row.row_id is None or valid.get(row.row_id) is not row:
            reject(summary, row)
            continue
        plan = Plan(row.line, row.row_id)
        for kind, new in row.sets.items():
            old = frozenset(contacts.get((row.row_id, kind), ()))
            if new != old:
                plan.sets[kind] = (old, new)
        if (client := stored.get(row.row_id)) is None:
            plan.create = {"client_id": row.row_id, **_CLIENT_DEFAULTS, **row.values}
        else:
            plan.changes = diff(row, client, _CLIENT_FIELDS)
        if plan.create is None and not plan.changes and not plan.sets:
            summary.unchanged += 1
        else:
            plans[row.row_id] = plan
    ordered: list[Plan] = []  # parents before children
    while plans:
        ready = [plan for plan in plans.values() if _parent(plan) not in plans]
        ready = ready or list(plans.values())  # cannot happen: cycles were rejected above
        ordered.extend(ready)
        for plan in ready:
            del plans[plan.row_id]
    return ordered


def _parent(plan: Plan) -> str | None:
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


async def _write_client(session: AsyncSession, plan: Plan) -> None:
    if plan.create is not None:
        await session.execute(insert(CLIENTS).values(plan.create))
    elif plan.changes:
        await session.execute(update(CLIENTS).where(CLIENTS.c.client_id == plan.row_id)
                              .values({name: new for name, (_, new) in plan.changes.items()}))
    for kind, (old, new) in plan.sets.items():
        await replace_set(session, CONTACTS, {"client_id": plan.row_id, "kind": kind}, "value",
                           old, new)
