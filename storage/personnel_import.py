"""The personnel import, in batches.

The file is parsed and checked on its own first (cells, an NRP repeated in the file). Then
each batch of rows, in file order, is planned against the stored state and written in its
own transaction: a few set-based statements, whatever the batch's size, the population's
version bumped once, and the run's progress recorded with it (storage/import_journal.py). No
transaction lasts longer than one batch, so dashboard edits and the bot's registrations go on
during a long import; a crash loses at most the batch in flight, and importing the same file
again continues after the last batch written.

When a batch's statements fail (a value given to someone else meanwhile, a constraint), the
batch is written again row by row, each in a SAVEPOINT: only the row at fault is rejected.

A value that must belong to one person (usernames, WhatsApp number, e-mail) is refused when
another person holds it, stored or claimed by an earlier row of the file; a row that moves a
person off a value frees it for the rows after it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, func, literal, literal_column, select, union_all
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.db import transaction
from storage.import_journal import ImportRun, import_run
from storage.import_plans import (
    ImportSummary,
    Plan,
    among,
    diff,
    reject,
    reject_unwritten,
)
from storage.import_rows import PERSONNEL_REQUIRED, ParsedRow, parse_person, read_required
from storage.models import Client, ClientType, DirectorateMembership, Personnel
from storage.population_version import bump_population, defer_population_bump
from storage.sql import execute

Progress = Callable[[int, int], None]

BATCH_ROWS = 1000  # rows per transaction

CLIENTS = cast(Table, Client.__table__)
PERSONNEL = cast(Table, Personnel.__table__)
MEMBERSHIPS = cast(Table, DirectorateMembership.__table__)

PERSON_FIELDS = ("name", "rank", "satfung", "jabatan", "desa", "client_id", "whatsapp",
                 "email", "instagram", "tiktok", "status", "exception")
_FLAGS = frozenset({"status", "exception", "wa_notification_opt_in"})
_DEFAULTS = {"status": True, "exception": False, "wa_notification_opt_in": False}
_NEW_COLUMNS = ("user_id", *PERSON_FIELDS, "wa_notification_opt_in")
# One person per value (unique indexes on personnel): column -> how a reason names it
UNIQUE_LABELS = {"instagram": "username Instagram", "tiktok": "username TikTok",
                 "whatsapp": "nomor WhatsApp", "email": "email"}

Owners = dict[str, dict[str, tuple[str, int | None]]]  # column -> value -> (NRP, line or None)


async def import_personnel(engine: AsyncEngine, path: Path, progress: Progress | None = None,
                           *, batch_rows: int = BATCH_ROWS) -> ImportSummary:
    """Upsert personnel by NRP/NIP from a .csv / .xlsx file (see the module docstring)."""
    parsed = [parse_person(line, cells)
              for line, cells in read_required(path, PERSONNEL_REQUIRED)]
    _refuse_repeated_nrps(parsed)
    total = len(parsed)
    async with import_run(engine, "personnel", path, total) as run:
        clients = await _client_types(engine)
        claims = _claims_of_done_rows(parsed, run)
        if progress:
            progress(run.rows_done, total)
        for start in range(run.rows_done, total, batch_rows):
            batch = parsed[start:start + batch_rows]
            await _import_batch(engine, batch, clients, claims, run)
            if progress:
                progress(run.rows_done, total)
        return run.summary


def _refuse_repeated_nrps(parsed: list[ParsedRow]) -> None:
    first_line: dict[str, int] = {}
    for row in parsed:
        if row.row_id is None:
            continue
        if row.row_id in first_line:
            row.problems.append(f"NRP/NIP ganda dalam file (lihat baris {first_line[row.row_id]})")
        else:
            first_line[row.row_id] = row.line


def _claim(claims: Owners, row: ParsedRow) -> None:
    assert row.row_id is not None
    for column in UNIQUE_LABELS:
        if value := row.values.get(column):
            claims[column][value] = (row.row_id, row.line)


def _claims_of_done_rows(parsed: list[ParsedRow], run: ImportRun) -> Owners:
    """The values claimed by the rows a previous, interrupted run of this file accepted: a
    later row's reason names their lines as an uninterrupted run would."""
    claims: Owners = {column: {} for column in UNIQUE_LABELS}
    rejected = run.rejected_lines
    for row in parsed[:run.rows_done]:
        if row.row_id is not None and row.line not in rejected:
            _claim(claims, row)
    return claims


async def _client_types(engine: AsyncEngine) -> dict[str, str]:
    async with engine.connect() as connection:
        return dict((await connection.execute(select(CLIENTS.c.client_id, CLIENTS.c.type))).all())


async def _import_batch(engine: AsyncEngine, batch: list[ParsedRow], clients: dict[str, str],
                        claims: Owners, run: ImportRun) -> None:
    outcome = ImportSummary()
    async with transaction(engine) as session:
        await defer_population_bump(session)
        plans = await _plan(session, batch, clients, claims, outcome)
        written = await _write(session, plans, outcome)
        if written:
            await _log_changes(session, written)
        await run.advance(session, len(batch), outcome)
        if written:
            await bump_population(session)  # last: the hot row is held until the commit
    rejected = {rejected.line for rejected in outcome.rejected}
    for row in batch:
        if row.row_id is not None and row.line not in rejected:
            _claim(claims, row)


# --- planning -------------------------------------------------------------------------------


async def _plan(session: AsyncSession, batch: list[ParsedRow], clients: dict[str, str],
                claims: Owners, outcome: ImportSummary) -> list[Plan]:
    ids = [row.row_id for row in batch if row.row_id]
    people = {row.user_id: row for row in (await session.execute(
        select(PERSONNEL.c.user_id, *(PERSONNEL.c[name] for name in PERSON_FIELDS))
        .where(among(PERSONNEL.c.user_id, ids)))).mappings()}
    owners = await _owners(session, batch, people, claims)
    twins = await _zero_padded_twins(session, [i for i in ids if i not in people])
    memberships: dict[str, set[str]] = {}
    if any("directorates" in row.sets for row in batch):
        result = await session.execute(select(MEMBERSHIPS.c.user_id, MEMBERSHIPS.c.directorate_id)
                                       .where(among(MEMBERSHIPS.c.user_id, ids)))
        for user_id, directorate_id in result.all():
            memberships.setdefault(user_id, set()).add(directorate_id)

    plans: list[Plan] = []
    for row in batch:
        user_id, problems = row.row_id, row.problems
        stored = people.get(user_id) if user_id else None
        client_id = row.values.get("client_id")
        if client_id is not None and client_id not in clients:
            problems.append(f'satker tidak dikenal: "{client_id}"')
        elif client_id is None and stored is None and user_id is not None:
            problems.append("satker (client_id) kosong, wajib untuk personil baru")
        twin = twins.get(user_id.lstrip("0")) if user_id and stored is None else None
        if twin is not None:
            problems.append(
                f'NRP/NIP "{user_id}" sama dengan NRP {twin} yang sudah ada bila nol di depannya '
                "dihitung (sel Excel berformat angka membuang nol di depan): tulis NRP sebagai "
                f"teks, atau pakai {twin} bila orangnya sama")
        for directorate in sorted(row.sets.get("directorates", ())):
            if directorate not in clients:
                problems.append(f'direktorat tidak dikenal: "{directorate}"')
            elif clients[directorate] != ClientType.DIRECTORATE.value:
                problems.append(f'satker "{directorate}" bukan direktorat')
        for column, label in UNIQUE_LABELS.items():
            value = row.values.get(column)
            owner = owners[column].get(value) if value else None
            if owner is not None and owner[0] != user_id:
                where = f" (baris {owner[1]})" if owner[1] else ""
                problems.append(f'{label} "{value}" sudah dipakai NRP {owner[0]}{where}')
        if problems or user_id is None:
            reject(outcome, row)
            continue
        for column in owners:
            if value := row.values.get(column):
                previous = stored[column] if stored else None
                if previous and previous != value:
                    owners[column].pop(previous, None)
                owners[column][value] = (user_id, row.line)
        plan = Plan(row.line, user_id)
        new_set = row.sets.get("directorates")
        old_set = frozenset(memberships.get(user_id, ()))
        if new_set is not None and new_set != old_set:
            plan.sets["directorates"] = (old_set, new_set)
        if stored is None:
            plan.create = {**_DEFAULTS, **row.values}
        else:
            plan.changes = diff(row, stored, PERSON_FIELDS)
        if plan.create is None and not plan.changes and not plan.sets:
            outcome.unchanged += 1
        else:
            plans.append(plan)
    return plans


async def _zero_padded_twins(session: AsyncSession, new_ids: list[str]) -> dict[str, str]:
    """Stored NRPs that differ from a new one only by leading zeros (`01055189` stored,
    `1055189` in a file whose Excel cell lost the zero): its digits without leading zeros ->
    the stored NRP."""
    if not new_ids:
        return {}
    digits = func.ltrim(PERSONNEL.c.user_id, "0")
    result = await session.execute(select(digits, PERSONNEL.c.user_id).where(
        among(digits, {user_id.lstrip("0") for user_id in new_ids})))
    return dict(result.tuples().all())


async def _owners(session: AsyncSession, batch: list[ParsedRow], people: dict[str, Any],
                  claims: Owners) -> Owners:
    """Who holds each unique value the batch names: the batch's own people (their stored
    values) and anyone else; a holder whose value an earlier row of the file gave them
    carries that row's line."""
    held = [(person["user_id"], column, person[column])
            for person in people.values() for column in UNIQUE_LABELS if person[column]]
    # Only values new to their row's person: a value the person holds is nobody else's (the
    # unique indexes). One query per column (OR-ed, they scanned the table once per batch);
    # `<> ''` written out, not a parameter, so that the partial unique indexes apply.
    others = [select(PERSONNEL.c.user_id, literal(column), PERSONNEL.c[column])
              .where(among(PERSONNEL.c[column], values),
                     PERSONNEL.c[column] != literal_column("''"))
              for column in UNIQUE_LABELS
              if (values := [row.values[column] for row in batch if column in row.values
                             and _new_value(people.get(row.row_id or ""), column,
                                            row.values[column])])]
    if others:
        held += (await session.execute(union_all(*others))).all()
    owners: Owners = {column: {} for column in UNIQUE_LABELS}
    for user_id, column, value in held:
        claim = claims[column].get(value)
        owners[column][value] = (user_id, claim[1] if claim and claim[0] == user_id else None)
    return owners


def _new_value(stored: Any, column: str, value: str) -> bool:
    return stored is None or stored[column] != value


# --- writing --------------------------------------------------------------------------------


async def _write(session: AsyncSession, plans: list[Plan], outcome: ImportSummary
                 ) -> list[Plan]:
    """Write the batch's plans together; when that fails, row by row. Returns those written."""
    if not plans:
        return []
    try:
        async with session.begin_nested():
            await _write_together(session, plans)
    except DBAPIError:
        written = []
        for plan in plans:
            try:
                async with session.begin_nested():
                    await _write_together(session, [plan])
            except DBAPIError as exc:
                reject_unwritten(outcome, plan, exc)
            else:
                written.append(plan)
    else:
        written = plans
    for plan in written:
        plan.count(outcome)
    outcome.rejected.sort(key=lambda rejected: rejected.line)
    return written


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _typed(column: str) -> str:
    return f"{column} {'boolean' if column in _FLAGS else 'text'}"


# Changed columns only (a key present in the row's object), so a simultaneous edit of another
# column of the same person is kept.
_UPDATE_SQL = (
    "UPDATE personnel p SET "
    + ", ".join(f"{column} = CASE WHEN c ? '{column}' THEN "
                + (f"(c ->> '{column}')::boolean" if column in _FLAGS else f"c ->> '{column}'")
                + f" ELSE p.{column} END" for column in PERSON_FIELDS)
    + ", updated_at = now() FROM jsonb_each(CAST(:changes AS jsonb)) AS v(user_id, c) "
      "WHERE p.user_id = v.user_id")
_INSERT_SQL = (
    f"INSERT INTO personnel ({', '.join(_NEW_COLUMNS)}) SELECT {', '.join(_NEW_COLUMNS)} "
    f"FROM jsonb_to_recordset(CAST(:rows AS jsonb)) "
    f"AS r({', '.join(_typed(column) for column in _NEW_COLUMNS)})")
_LEAVE_SQL = (
    "DELETE FROM directorate_memberships m USING jsonb_to_recordset(CAST(:rows AS jsonb)) "
    "AS r(user_id text, directorate_id text) "
    "WHERE m.user_id = r.user_id AND m.directorate_id = r.directorate_id")
_JOIN_SQL = (
    "INSERT INTO directorate_memberships (user_id, directorate_id) "
    "SELECT user_id, directorate_id FROM jsonb_to_recordset(CAST(:rows AS jsonb)) "
    "AS r(user_id text, directorate_id text) ON CONFLICT DO NOTHING")
_CHANGES_SQL = (
    "INSERT INTO personnel_changes (user_id, field, old_value, new_value, changed_by) "
    "SELECT user_id, field, old_value, new_value, 'import' "
    "FROM jsonb_to_recordset(CAST(:rows AS jsonb)) "
    "AS r(user_id text, field text, old_value text, new_value text)")


async def _write_together(session: AsyncSession, plans: list[Plan]) -> None:
    """Updates first (they may free a value a new person takes), then new people, then
    memberships: one statement each."""
    changes = {plan.row_id: {name: new for name, (_, new) in plan.changes.items()}
               for plan in plans if plan.changes}
    if changes:
        await execute(session, _UPDATE_SQL, changes=_json(changes))
    new = [{column: plan.create.get(column) for column in _NEW_COLUMNS} | {"user_id": plan.row_id}
           for plan in plans if plan.create is not None]
    if new:
        await execute(session, _INSERT_SQL, rows=_json(new))
    leave, join = [], []
    for plan in plans:
        if "directorates" in plan.sets:
            old, wanted = plan.sets["directorates"]
            leave += [{"user_id": plan.row_id, "directorate_id": d} for d in sorted(old - wanted)]
            join += [{"user_id": plan.row_id, "directorate_id": d} for d in sorted(wanted - old)]
    if leave:
        await execute(session, _LEAVE_SQL, rows=_json(leave))
    if join:
        await execute(session, _JOIN_SQL, rows=_json(join))


def _as_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, frozenset):
        return ",".join(sorted(value)) or None
    return None if value is None else str(value)


async def _log_changes(session: AsyncSession, plans: list[Plan]) -> None:
    entries = []
    for plan in plans:
        if plan.create is not None:
            entries.append({"user_id": plan.row_id, "field": "created"})
            continue
        entries += [{"user_id": plan.row_id, "field": name, "old_value": _as_text(old),
                     "new_value": _as_text(new)}
                    for name, (old, new) in {**plan.changes, **plan.sets}.items()]
    await execute(session, _CHANGES_SQL, rows=_json(entries))
