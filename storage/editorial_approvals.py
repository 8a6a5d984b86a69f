"""Approval requests of the Penmas workflow, read side: the editors' queue and a writer's
own requests. They are opened and closed by storage/editorial_events.py with the status
change they belong to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import ApprovalStatus
from storage.sql import fetch_all, fetch_one


@dataclass(frozen=True)
class ApprovalRecord:
    id: int
    event_id: int
    title: str | None
    topic: str
    requested_by: int
    requester: str
    status: ApprovalStatus
    decided_by: int | None
    decider: str | None
    reason: str | None
    created_at: datetime
    decided_at: datetime | None


async def list_approvals(engine: AsyncEngine, *, requested_by: int | None,
                         status: ApprovalStatus | None) -> list[ApprovalRecord]:
    """Newest first; `requested_by` None: everyone's (the editors' view)."""
    rows = await fetch_all(
        engine, "SELECT a.id, a.event_id, e.title, e.topic, a.requested_by, r.username AS "
                "requester, a.status, a.decided_by, d.username AS decider, a.reason, "
                "a.created_at, a.decided_at FROM editorial_approvals a "
                "JOIN editorial_events e ON e.id = a.event_id "
                "JOIN penmas_users r ON r.id = a.requested_by "
                "LEFT JOIN penmas_users d ON d.id = a.decided_by "
                "WHERE (CAST(:requester AS integer) IS NULL OR a.requested_by = :requester) "
                "AND (CAST(:status AS text) IS NULL OR a.status = :status) "
                "ORDER BY a.id DESC",
        requester=requested_by, status=status.value if status else None)
    return [ApprovalRecord(**{**row, "status": ApprovalStatus(row["status"])}) for row in rows]


async def approval_state(engine: AsyncEngine,
                         approval_id: int) -> tuple[int, ApprovalStatus] | None:
    """(event id, status) of an approval request."""
    row = await fetch_one(engine, "SELECT event_id, status FROM editorial_approvals "
                                  "WHERE id = :id", id=approval_id)
    return (row["event_id"], ApprovalStatus(row["status"])) if row else None
