"""Editorial events of the Penmas app: list, read, create, change (fields and status in one
transaction), delete, and their change log.

Every change writes one `editorial_changes` row in the same transaction as the change, in a
neutral notation the app shows as is: `created`, `fields: title, content`,
`status: draft -> submitted`, `rejected: <reason>`, `press release: judul, tkp`; a note is
stored as written. Deleting an event removes its log with it. Submitting
opens an approval request (`editorial_approvals`, one pending per event); approving or
rejecting closes it with the editor and the reason. The rules are in
storage/editorial_workflow.py; each is checked with the event row locked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.editorial_workflow import (
    Actor,
    EventNotFound,
    check_can_edit,
    check_can_read,
    check_transition,
)
from storage.models import ApprovalStatus, EventStatus
from storage.sql import Database, Row, execute, fetch_all, fetch_one, fetch_value

# What a request may set on an event; keys never become SQL identifiers beyond this set.
EVENT_COLUMNS: tuple[str, ...] = ("event_date", "topic", "title", "assignee", "content",
                                  "summary", "image_path", "tags", "category")
PRESS_RELEASE_COLUMNS: tuple[str, ...] = ("judul", "dasar", "tersangka", "tkp", "kronologi",
                                          "modus", "barang_bukti", "pasal", "ancaman",
                                          "catatan")


@dataclass(frozen=True)
class EditorialEventRecord:
    id: int
    event_date: datetime
    topic: str
    title: str | None
    assignee: str | None
    status: EventStatus
    content: str | None
    summary: str | None
    image_path: str | None
    tags: str | None
    category: str | None
    created_by: int
    author: str  # the writer's username
    author_whatsapp: str | None
    updated_by: int | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class EditorialChangeRecord:
    id: int
    event_id: int
    user_id: int | None
    username: str | None
    status: EventStatus
    changes: str
    logged_at: datetime


@dataclass(frozen=True)
class Outcome:
    """What a change did: the event after it, its status before, and the approval request it
    opened or closed (None when the status did not move through one)."""

    event: EditorialEventRecord
    previous: EventStatus
    approval_id: int | None

    @property
    def status_changed(self) -> bool:
        return self.event.status is not self.previous


_EVENT_SQL = """
    SELECT e.id, e.event_date, e.topic, e.title, e.assignee, e.status, e.content, e.summary,
           e.image_path, e.tags, e.category, e.created_by, u.username AS author,
           u.whatsapp AS author_whatsapp, e.updated_by, e.created_at, e.updated_at
    FROM editorial_events e JOIN penmas_users u ON u.id = e.created_by
"""


def _event(row: Row) -> EditorialEventRecord:
    values = dict(row)
    values["status"] = EventStatus(values["status"])
    return EditorialEventRecord(**values)


async def list_events(engine: AsyncEngine, *, author_id: int | None,
                      status: EventStatus | None = None) -> list[EditorialEventRecord]:
    """Events by date (oldest first); `author_id` None: everyone's (an editor's view)."""
    rows = await fetch_all(
        engine, _EVENT_SQL + " WHERE (CAST(:author AS integer) IS NULL OR e.created_by = :author)"
                             " AND (CAST(:status AS text) IS NULL OR e.status = :status)"
                             " ORDER BY e.event_date, e.id",
        author=author_id, status=status.value if status else None)
    return [_event(row) for row in rows]


async def get_event(db: Database, event_id: int) -> EditorialEventRecord | None:
    row = await fetch_one(db, _EVENT_SQL + " WHERE e.id = :id", id=event_id)
    return _event(row) if row else None


async def readable_event(engine: AsyncEngine, event_id: int,
                         actor: Actor) -> EditorialEventRecord:
    """The event, when `actor` may read it (raises EventNotFound / NotAllowed)."""
    event = await get_event(engine, event_id)
    if event is None:
        raise EventNotFound(event_id)
    check_can_read(actor, event.created_by)
    return event


async def _log(connection: AsyncConnection, event_id: int, actor_id: int | None,
               status: EventStatus, changes: str) -> None:
    await execute(connection, "INSERT INTO editorial_changes (event_id, user_id, status, changes) "
                              "VALUES (:event, :user, :status, :changes)",
                  event=event_id, user=actor_id, status=status.value, changes=changes)


async def _locked(connection: AsyncConnection, event_id: int) -> tuple[int, EventStatus]:
    """(author, status) of the event, its row locked until the transaction ends."""
    row = await fetch_one(connection, "SELECT created_by, status FROM editorial_events "
                                      "WHERE id = :id FOR UPDATE", id=event_id)
    if row is None:
        raise EventNotFound(event_id)
    return row["created_by"], EventStatus(row["status"])


def _assignments(values: Mapping[str, Any], allowed: tuple[str, ...]) -> str:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"not a writable column: {sorted(unknown)}")
    return ", ".join(f"{column} = :{column}" for column in allowed if column in values)


async def create_event(engine: AsyncEngine, actor: Actor,
                       values: Mapping[str, Any]) -> EditorialEventRecord:
    """A new draft by `actor` (`values` needs event_date and topic)."""
    columns = [column for column in EVENT_COLUMNS if column in values]
    _assignments(values, EVENT_COLUMNS)
    async with engine.begin() as connection:
        event_id = await fetch_value(
            connection, f"INSERT INTO editorial_events ({', '.join(columns)}, created_by, "
                        f"updated_by) VALUES ({', '.join(':' + c for c in columns)}, :actor, "
                        ":actor) RETURNING id", actor=actor.id, **values)
        await _log(connection, event_id, actor.id, EventStatus.DRAFT, "created")
        event = await get_event(connection, event_id)
    assert event is not None
    return event


async def change_event(engine: AsyncEngine, event_id: int, actor: Actor,
                       values: Mapping[str, Any], *, status: EventStatus | None = None,
                       reason: str | None = None) -> Outcome:
    """Change fields and/or move the status, in one transaction with their log rows. A
    status equal to the current one is no move. Raises the workflow's errors."""
    async with engine.begin() as connection:
        author, current = await _locked(connection, event_id)
        check_can_read(actor, author)
        if values:
            check_can_edit(actor, author, current)
            await execute(connection, f"UPDATE editorial_events SET "
                                      f"{_assignments(values, EVENT_COLUMNS)}, updated_by = "
                                      ":actor, updated_at = now() WHERE id = :id",
                          id=event_id, actor=actor.id, **values)
            await _log(connection, event_id, actor.id, current,
                       "fields: " + ", ".join(c for c in EVENT_COLUMNS if c in values))
        approval_id = None
        if status is not None and status is not current:
            check_transition(actor, author, current, status)
            approval_id = await _move(connection, event_id, actor, current, status, reason)
        event = await get_event(connection, event_id)
    assert event is not None
    return Outcome(event, current, approval_id)


async def _move(connection: AsyncConnection, event_id: int, actor: Actor,
                current: EventStatus, status: EventStatus, reason: str | None) -> int | None:
    await execute(connection, "UPDATE editorial_events SET status = :status, updated_by = "
                              ":actor, updated_at = now() WHERE id = :id",
                  id=event_id, status=status.value, actor=actor.id)
    approval_id = None
    if status is EventStatus.SUBMITTED:
        approval_id = await fetch_value(
            connection, "INSERT INTO editorial_approvals (event_id, requested_by) "
                        "VALUES (:event, :actor) RETURNING id", event=event_id, actor=actor.id)
    elif status in (EventStatus.APPROVED, EventStatus.REJECTED):
        approval_id = await fetch_value(
            connection, "UPDATE editorial_approvals SET status = :status, decided_by = :actor, "
                        "reason = :reason, decided_at = now() "
                        "WHERE event_id = :event AND status = 'pending' RETURNING id",
            event=event_id, actor=actor.id, reason=reason,
            status=(ApprovalStatus.APPROVED if status is EventStatus.APPROVED
                    else ApprovalStatus.REJECTED).value)
    await _log(connection, event_id, actor.id, status,
               f"rejected: {reason}" if status is EventStatus.REJECTED and reason
               else f"status: {current.value} -> {status.value}")
    return approval_id


async def delete_event(engine: AsyncEngine, event_id: int, actor: Actor) -> EditorialEventRecord:
    """Remove an event with its log, approvals and press-release details."""
    async with engine.begin() as connection:
        author, current = await _locked(connection, event_id)
        check_can_edit(actor, author, current)
        event = await get_event(connection, event_id)
        await execute(connection, "DELETE FROM editorial_events WHERE id = :id", id=event_id)
    assert event is not None
    return event


# --- change log and notes -------------------------------------------------------------------


async def event_changes(engine: AsyncEngine, event_id: int) -> list[EditorialChangeRecord]:
    rows = await fetch_all(
        engine, "SELECT c.id, c.event_id, c.user_id, u.username, c.status, c.changes, "
                "c.logged_at FROM editorial_changes c LEFT JOIN penmas_users u ON u.id = "
                "c.user_id WHERE c.event_id = :event ORDER BY c.id", event=event_id)
    return [EditorialChangeRecord(row["id"], row["event_id"], row["user_id"], row["username"],
                                  EventStatus(row["status"]), row["changes"], row["logged_at"])
            for row in rows]


async def add_note(engine: AsyncEngine, event_id: int, actor: Actor, note: str) -> None:
    """A free note in the log of an event the actor may read."""
    async with engine.begin() as connection:
        author, current = await _locked(connection, event_id)
        check_can_read(actor, author)
        await _log(connection, event_id, actor.id, current, note)


# --- press-release details ------------------------------------------------------------------


async def press_release(db: Database, event_id: int) -> dict[str, str | None] | None:
    row = await fetch_one(db, f"SELECT {', '.join(PRESS_RELEASE_COLUMNS)} "
                              "FROM press_release_details WHERE event_id = :id", id=event_id)
    return dict(row) if row else None


async def save_press_release(engine: AsyncEngine, event_id: int, actor: Actor,
                             values: Mapping[str, str | None]) -> dict[str, str | None]:
    """Create or change the press-release details of an event the actor may edit."""
    _assignments(values, PRESS_RELEASE_COLUMNS)
    columns = [column for column in PRESS_RELEASE_COLUMNS if column in values]
    async with engine.begin() as connection:
        author, current = await _locked(connection, event_id)
        check_can_edit(actor, author, current)
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns) \
            or "event_id = EXCLUDED.event_id"
        await execute(connection, f"INSERT INTO press_release_details (event_id"
                                  f"{''.join(', ' + c for c in columns)}) VALUES (:id"
                                  f"{''.join(', :' + c for c in columns)}) "
                                  f"ON CONFLICT (event_id) DO UPDATE SET {updates}, "
                                  "updated_at = now()", id=event_id, **values)
        await _log(connection, event_id, actor.id, current,
                   "press release: " + (", ".join(columns) or "-"))
        saved = await press_release(connection, event_id)
    assert saved is not None
    return saved
