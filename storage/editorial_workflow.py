"""The rules of the Penmas editorial workflow, as pure functions: which status may follow
which, who may read, change or move an event. storage/editorial_events.py applies them
under the event's row lock, so a decision and the state it was made on cannot drift apart.

    draft ──► submitted ──► approved ──► published
      ▲           │
      │           ▼
      └─────── rejected ──► submitted (resubmitted after changes)

A writer (penulis) reads and changes only their own events, and only while they are a draft
or rejected; they may submit them and take a rejected one back to draft. Editors read and
change every event that is not published, and alone approve, reject and publish.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from storage.models import EventStatus, PenmasRole

EDGES: dict[EventStatus, frozenset[EventStatus]] = {
    EventStatus.DRAFT: frozenset({EventStatus.SUBMITTED}),
    EventStatus.SUBMITTED: frozenset({EventStatus.APPROVED, EventStatus.REJECTED}),
    EventStatus.APPROVED: frozenset({EventStatus.PUBLISHED}),
    EventStatus.REJECTED: frozenset({EventStatus.DRAFT, EventStatus.SUBMITTED}),
    EventStatus.PUBLISHED: frozenset(),
}
EDITORS_ONLY: frozenset[EventStatus] = frozenset({
    EventStatus.APPROVED, EventStatus.REJECTED, EventStatus.PUBLISHED})
WRITER_EDITABLE: frozenset[EventStatus] = frozenset({EventStatus.DRAFT, EventStatus.REJECTED})


class Refusal(StrEnum):
    """Why an actor may not do what they asked (the web answers 403, the bot a text)."""

    NOT_YOURS = "not_yours"  # a writer and another writer's event
    EDITORS_ONLY = "editors_only"  # approve, reject, publish


class EditorialError(Exception):
    """Base of what the workflow refuses."""


class EventNotFound(EditorialError):
    pass


@dataclass
class NotAllowed(EditorialError):
    refusal: Refusal


@dataclass
class IllegalStatusChange(EditorialError):
    """The requested status does not follow the current one (409)."""

    current: EventStatus
    requested: EventStatus


@dataclass
class EventLocked(EditorialError):
    """The event's content cannot be changed in its status by this actor (409)."""

    status: EventStatus


@dataclass(frozen=True)
class Actor:
    """Who acts on an event: a Penmas account's id and role."""

    id: int
    role: PenmasRole

    @property
    def is_editor(self) -> bool:
        return self.role is PenmasRole.EDITOR


def check_can_read(actor: Actor, author_id: int) -> None:
    if not actor.is_editor and actor.id != author_id:
        raise NotAllowed(Refusal.NOT_YOURS)


def check_can_edit(actor: Actor, author_id: int, status: EventStatus) -> None:
    """Content (fields, press-release details) and deletion."""
    check_can_read(actor, author_id)
    editable = (EventStatus.DRAFT, EventStatus.SUBMITTED, EventStatus.APPROVED,
                EventStatus.REJECTED) if actor.is_editor else WRITER_EDITABLE
    if status not in editable:
        raise EventLocked(status)


def check_transition(actor: Actor, author_id: int, current: EventStatus,
                     requested: EventStatus) -> None:
    """May `actor` move an event from `current` to `requested`? Raises otherwise."""
    check_can_read(actor, author_id)
    if requested in EDITORS_ONLY and not actor.is_editor:
        raise NotAllowed(Refusal.EDITORS_ONLY)
    if requested not in EDGES[current]:
        raise IllegalStatusChange(current, requested)
