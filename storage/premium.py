"""Premium: a person's requests (transfer details → proof → confirmation → an admin's
decision) and their access, `personnel.premium_until` (the last business day it covers).

A grant adds PREMIUM_DAYS to the access: from today, or from the end of an access still
running. Access holds while `today <= premium_until`, whatever the expiry job did; the job
(jobs/premium_expiry.py) clears ended accesses and marks their requests `expired`. Both
changes of `premium_until` are audited in `personnel_changes`, like any change of a person.
A person has at most one open request (draft or pending) at a time.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.models import PremiumRequestStatus
from storage.personnel_changes import record_change
from storage.sql import Database, Row, execute, fetch_all, fetch_one, fetch_value

PREMIUM_DAYS = 30
EXPIRY_ACTOR = "premium-expiry"  # `changed_by` of the audit rows the expiry job writes


class PremiumError(Exception):
    """Base of what the premium workflow refuses."""


class RequestNotFound(PremiumError):
    pass


class PersonNotFound(PremiumError):
    pass


class NotYourRequest(PremiumError):
    pass


@dataclass
class RequestNotOpen(PremiumError):
    """Proof and confirmation belong to a draft request (409)."""

    status: PremiumRequestStatus


class MissingProof(PremiumError):
    """Confirmation needs the transfer proof first."""


@dataclass
class OpenRequestExists(PremiumError):
    request_id: int


@dataclass
class NotPending(PremiumError):
    """Only a confirmed request waits for an admin's decision."""

    status: PremiumRequestStatus


@dataclass(frozen=True)
class PremiumRequestRecord:
    id: int
    user_id: str
    name: str  # the person's name
    rank: str | None
    whatsapp: str | None
    sender_name: str
    account_number: str
    bank_name: str
    status: PremiumRequestStatus
    reason: str | None
    decided_by: str | None
    granted_until: date | None
    proof_type: str | None
    proof_size: int | None
    created_at: datetime
    confirmed_at: datetime | None
    decided_at: datetime | None


@dataclass(frozen=True)
class PremiumHolder:
    """A person whose access ends (or ended), with where to tell them."""

    user_id: str
    name: str
    rank: str | None
    whatsapp: str | None
    premium_until: date


_REQUEST_SQL = """
    SELECT r.id, r.user_id, p.name, p.rank, r.whatsapp, r.sender_name, r.account_number,
           r.bank_name, r.status, r.reason, r.decided_by, r.granted_until,
           f.content_type AS proof_type, f.size AS proof_size, r.created_at, r.confirmed_at,
           r.decided_at
    FROM premium_requests r JOIN personnel p ON p.user_id = r.user_id
    LEFT JOIN premium_proofs f ON f.request_id = r.id
"""


def _request(row: Row) -> PremiumRequestRecord:
    return PremiumRequestRecord(**{**row, "status": PremiumRequestStatus(row["status"])})


async def get_request(db: Database, request_id: int) -> PremiumRequestRecord | None:
    row = await fetch_one(db, _REQUEST_SQL + " WHERE r.id = :id", id=request_id)
    return _request(row) if row else None


async def requests_of(engine: AsyncEngine, user_id: str) -> list[PremiumRequestRecord]:
    rows = await fetch_all(engine, _REQUEST_SQL + " WHERE r.user_id = :user ORDER BY r.id DESC",
                           user=user_id)
    return [_request(row) for row in rows]


async def pending_requests(engine: AsyncEngine) -> list[PremiumRequestRecord]:
    """Confirmed requests waiting for an admin, oldest first."""
    rows = await fetch_all(engine, _REQUEST_SQL + " WHERE r.status = 'pending' "
                                                  "ORDER BY r.confirmed_at, r.id")
    return [_request(row) for row in rows]


async def premium_until(db: Database, user_id: str) -> date | None:
    return await fetch_value(db, "SELECT premium_until FROM personnel WHERE user_id = :user",
                             user=user_id)


async def premium_until_of_account(db: Database, dashboard_user_id: str) -> date | None:
    """The access of the person linked to a dashboard account (None: none, or no person)."""
    try:
        account = str(uuid.UUID(dashboard_user_id))
    except ValueError:
        return None
    return await fetch_value(db, "SELECT p.premium_until FROM dashboard_users d JOIN personnel p "
                                 "ON p.user_id = d.user_id WHERE d.id = CAST(:id AS uuid)",
                             id=account)


def is_active(until: date | None, today: date) -> bool:
    return until is not None and today <= until


# --- the person's side ----------------------------------------------------------------------


async def create_request(engine: AsyncEngine, user_id: str, *, requested_by: str | None,
                         fallback_whatsapp: str | None, sender_name: str, account_number: str,
                         bank_name: str) -> PremiumRequestRecord:
    """A draft request of `user_id`; the person is told on their own WhatsApp number, else on
    `fallback_whatsapp` (the requesting account's). Raises OpenRequestExists."""
    try:
        async with engine.begin() as connection:
            request_id = await fetch_value(
                connection,
                "INSERT INTO premium_requests (user_id, requested_by, whatsapp, sender_name, "
                "account_number, bank_name) SELECT p.user_id, CAST(:by AS uuid), "
                "coalesce(nullif(p.whatsapp, ''), CAST(:fallback AS text)), :sender, :account, "
                ":bank FROM personnel p WHERE p.user_id = :user RETURNING id",
                user=user_id, by=str(uuid.UUID(requested_by)) if requested_by else None,
                fallback=fallback_whatsapp, sender=sender_name, account=account_number,
                bank=bank_name)
            if request_id is None:
                raise PersonNotFound(user_id)
            record = await get_request(connection, request_id)
    except IntegrityError as exc:
        if "uq_premium_requests_open" not in str(exc.orig):
            raise
        open_id = await fetch_value(engine, "SELECT id FROM premium_requests WHERE user_id = "
                                            ":user AND status IN ('draft', 'pending')",
                                    user=user_id)
        raise OpenRequestExists(int(open_id or 0)) from None
    assert record is not None
    return record


async def _own_draft(connection: AsyncConnection, request_id: int, user_id: str) -> None:
    """Lock the request; it must be `user_id`'s and still a draft."""
    row = await fetch_one(connection, "SELECT user_id, status FROM premium_requests "
                                      "WHERE id = :id FOR UPDATE", id=request_id)
    if row is None:
        raise RequestNotFound(request_id)
    if row["user_id"] != user_id:
        raise NotYourRequest(request_id)
    if row["status"] != PremiumRequestStatus.DRAFT.value:
        raise RequestNotOpen(PremiumRequestStatus(row["status"]))


async def store_proof(engine: AsyncEngine, request_id: int, user_id: str, *, content: bytes,
                      content_type: str, sha256: str) -> PremiumRequestRecord:
    """Keep (or replace) the transfer proof of a draft request."""
    async with engine.begin() as connection:
        await _own_draft(connection, request_id, user_id)
        await execute(connection,
                      "INSERT INTO premium_proofs (request_id, content, content_type, size, "
                      "sha256) VALUES (:id, :content, :type, :size, :sha) ON CONFLICT "
                      "(request_id) DO UPDATE SET content = EXCLUDED.content, content_type = "
                      "EXCLUDED.content_type, size = EXCLUDED.size, sha256 = EXCLUDED.sha256, "
                      "uploaded_at = now()",
                      id=request_id, content=content, type=content_type, size=len(content),
                      sha=sha256)
        await execute(connection, "UPDATE premium_requests SET updated_at = now() WHERE id = :id",
                      id=request_id)
        record = await get_request(connection, request_id)
    assert record is not None
    return record


async def confirm_request(engine: AsyncEngine, request_id: int,
                          user_id: str) -> PremiumRequestRecord:
    """The person confirms their transfer: the request now waits for an admin."""
    async with engine.begin() as connection:
        await _own_draft(connection, request_id, user_id)
        if await fetch_value(connection, "SELECT 1 FROM premium_proofs WHERE request_id = :id",
                             id=request_id) is None:
            raise MissingProof(request_id)
        await execute(connection, "UPDATE premium_requests SET status = 'pending', "
                                  "confirmed_at = now(), updated_at = now() WHERE id = :id",
                      id=request_id)
        record = await get_request(connection, request_id)
    assert record is not None
    return record


async def proof_of(db: Database, request_id: int) -> tuple[bytes, str] | None:
    """The proof image and its type."""
    row = await fetch_one(db, "SELECT content, content_type FROM premium_proofs "
                              "WHERE request_id = :id", id=request_id)
    return (bytes(row["content"]), row["content_type"]) if row else None


# --- the admin's decision -------------------------------------------------------------------


async def _audit(connection: AsyncConnection, changes: list[tuple[str, date | None]],
                 new: date | None, changed_by: str) -> None:
    """One personnel_changes row per (person, old premium_until)."""
    for user_id, old in changes:
        await record_change(connection, user_id, "premium_until", old, new, changed_by)


async def _pending(connection: AsyncConnection, request_id: int) -> str:
    """Lock the request; it must be waiting for a decision. Its person's id."""
    row = await fetch_one(connection, "SELECT user_id, status FROM premium_requests "
                                      "WHERE id = :id FOR UPDATE", id=request_id)
    if row is None:
        raise RequestNotFound(request_id)
    if row["status"] != PremiumRequestStatus.PENDING.value:
        raise NotPending(PremiumRequestStatus(row["status"]))
    return str(row["user_id"])


async def grant(engine: AsyncEngine, request_id: int, *, decided_by: str,
                today: date) -> PremiumRequestRecord:
    """Approve a pending request: the person's access runs PREMIUM_DAYS longer."""
    async with engine.begin() as connection:
        user_id = await _pending(connection, request_id)
        current = await fetch_value(connection, "SELECT premium_until FROM personnel "
                                                "WHERE user_id = :user FOR UPDATE", user=user_id)
        base = current if is_active(current, today) else today - timedelta(days=1)
        until = base + timedelta(days=PREMIUM_DAYS)
        await execute(connection, "UPDATE personnel SET premium_until = :until "
                                  "WHERE user_id = :user", until=until, user=user_id)
        await _audit(connection, [(user_id, current)], until, decided_by)
        await execute(connection, "UPDATE premium_requests SET status = 'approved', "
                                  "granted_until = :until, decided_by = :by, decided_at = now(), "
                                  "updated_at = now() WHERE id = :id",
                      until=until, by=decided_by, id=request_id)
        record = await get_request(connection, request_id)
    assert record is not None
    return record


async def deny(engine: AsyncEngine, request_id: int, *, decided_by: str,
               reason: str) -> PremiumRequestRecord:
    async with engine.begin() as connection:
        await _pending(connection, request_id)
        await execute(connection, "UPDATE premium_requests SET status = 'rejected', "
                                  "reason = :reason, decided_by = :by, decided_at = now(), "
                                  "updated_at = now() WHERE id = :id",
                      reason=reason, by=decided_by, id=request_id)
        record = await get_request(connection, request_id)
    assert record is not None
    return record


# --- expiry ---------------------------------------------------------------------------------

# The person's own number, else the one their latest request was told on.
_HOLDER_SQL = """
    SELECT p.user_id, p.name, p.rank, p.premium_until,
           coalesce(nullif(p.whatsapp, ''), (
               SELECT r.whatsapp FROM premium_requests r WHERE r.user_id = p.user_id
               AND r.whatsapp IS NOT NULL ORDER BY r.id DESC LIMIT 1)) AS whatsapp
    FROM personnel p
"""


def _holder(row: Row) -> PremiumHolder:
    return PremiumHolder(row["user_id"], row["name"], row["rank"], row["whatsapp"],
                         row["premium_until"])


async def ending_on(engine: AsyncEngine, day: date) -> list[PremiumHolder]:
    """People whose access covers `day` as its last day."""
    rows = await fetch_all(engine, _HOLDER_SQL + " WHERE p.premium_until = :day "
                                                 "ORDER BY p.user_id", day=day)
    return [_holder(row) for row in rows]


async def expire_before(engine: AsyncEngine, today: date) -> list[PremiumHolder]:
    """End every access whose last day is before `today`; who they were."""
    async with engine.begin() as connection:
        rows = await fetch_all(connection, _HOLDER_SQL + " WHERE p.premium_until < :today "
                                                         "ORDER BY p.user_id FOR UPDATE OF p",
                               today=today)
        ended = [_holder(row) for row in rows]
        if ended:
            users = [holder.user_id for holder in ended]
            await execute(connection, "UPDATE personnel SET premium_until = NULL "
                                      "WHERE user_id = ANY(:users)", users=users)
            await _audit(connection, [(h.user_id, h.premium_until) for h in ended], None,
                         EXPIRY_ACTOR)
            await execute(connection, "UPDATE premium_requests SET status = 'expired', "
                                      "updated_at = now() WHERE status = 'approved' "
                                      "AND user_id = ANY(:users)", users=users)
    return ended
