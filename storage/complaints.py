"""Complaints ("Pesan Komplain"): who the reporter is, what the stored data says about their
activity, and the `complaints` rows. No text here: `menus/complaint.py` renders the answers.

Activity facts come from the engagement rows only (no live RapidAPI lookups); the list of
today's posts a person still owes is a view of the one attendance engine.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.clock import Period
from storage.attendance import (
    ENGAGEMENT_KIND,
    REPORT_POLICIES,
    Population,
    PopulationKind,
    attendance_for,
)
from storage.identifiers import InvalidIdentifier, canonical_username, normalize_phone
from storage.models import Platform
from storage.sql import fetch_all, fetch_one, fetch_value, write_returning


class ComplaintStatus(StrEnum):
    OPEN = "open"  # waiting for a person (the satker operator) to follow it up
    ANSWERED = "answered"  # an answer (automatic, or an operator's) went to the reporter
    CLOSED = "closed"  # closed by an operator or admin without an answer


class IssueType(StrEnum):
    INACTIVE = "inactive"
    NO_USERNAME = "no_username"
    INSTAGRAM_NOT_RECORDED = "instagram_not_recorded"
    TIKTOK_NOT_RECORDED = "tiktok_not_recorded"
    ATTENDANCE_SHORT = "attendance_short"
    UNMATCHED = "unmatched"


@dataclass(frozen=True)
class ComplaintForm:
    """What the complaint message says (the template fields and the issue lines)."""

    nrp: str
    name: str | None = None
    polres: str | None = None
    instagram: str | None = None  # the handle written in the complaint, normalised
    tiktok: str | None = None
    issues: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["issues"] = list(self.issues)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ComplaintForm:
        known = {field.name for field in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        values["issues"] = tuple(values.get("issues") or ())
        return cls(**values)


@dataclass(frozen=True)
class Reporter:
    """The person a complaint is about."""

    user_id: str
    name: str
    rank: str | None
    client_id: str
    client_name: str | None
    whatsapp: str | None  # normalised digits (628…); None when missing or unusable
    instagram: str | None
    tiktok: str | None
    active: bool
    directorates: tuple[str, ...]  # directorates the person is a member of

    def username(self, platform: Platform) -> str | None:
        return self.instagram if platform is Platform.INSTAGRAM else self.tiktok


@dataclass(frozen=True)
class PlatformActivity:
    """What the engagement rows say about one platform account of the reporter."""

    platform: Platform
    registered: str | None  # the stored username
    claimed: str | None  # the username written in the complaint
    recorded_posts: int  # posts liked (IG) / commented (TikTok) in the period
    days: int  # length of the period looked at

    @property
    def mismatch(self) -> bool:
        return bool(self.registered and self.claimed and self.registered != self.claimed)


@dataclass(frozen=True)
class MissedPost:
    platform: Platform
    external_id: str


@dataclass(frozen=True)
class TodayPosts:
    """Today's Instagram posts the reporter owes (their satker's and their directorates')."""

    day: date
    username: str | None
    posts: int
    missed: tuple[MissedPost, ...]


_REPORTER_SQL = """
    SELECT p.user_id, p.name, p.rank, p.client_id, c.name AS client_name, p.whatsapp,
           p.instagram, p.tiktok, p.status,
           coalesce(array_agg(m.directorate_id ORDER BY m.directorate_id)
                    FILTER (WHERE m.directorate_id IS NOT NULL), '{}') AS directorates
    FROM personnel p
    LEFT JOIN clients c ON c.client_id = p.client_id
    LEFT JOIN directorate_memberships m ON m.user_id = p.user_id
    WHERE p.user_id = :user_id
    GROUP BY p.user_id, c.name
"""


def _phone_or_none(raw: str | None) -> str | None:
    if not raw or not raw.strip():
        return None
    try:
        return normalize_phone(raw)
    except InvalidIdentifier:
        return None


async def load_reporter(engine: AsyncEngine, user_id: str) -> Reporter | None:
    row = await fetch_one(engine, _REPORTER_SQL, user_id=user_id)
    if row is None:
        return None
    return Reporter(row["user_id"], row["name"], row["rank"], row["client_id"],
                    row["client_name"], _phone_or_none(row["whatsapp"]),
                    canonical_username(row["instagram"]), canonical_username(row["tiktok"]),
                    bool(row["status"]), tuple(row["directorates"]))


_RECORDED_SQL = """
    SELECT count(DISTINCT e.post_id) FROM engagements e JOIN posts p ON p.id = e.post_id
    WHERE e.kind = :kind AND e.username = :username AND p.platform = :platform
      AND p.uploaded_at >= :since AND p.uploaded_at < :until
"""


async def platform_activity(engine: AsyncEngine, reporter: Reporter, platform: Platform,
                            claimed: str | None, period: Period) -> PlatformActivity:
    """How many posts of `period` the reporter's stored account engaged with (any client)."""
    registered = reporter.username(platform)
    recorded = 0
    if registered:
        recorded = int(await fetch_value(
            engine, _RECORDED_SQL, kind=ENGAGEMENT_KIND[platform].value, username=registered,
            platform=platform.value, since=period.since, until=period.until) or 0)
    return PlatformActivity(platform, registered, claimed, recorded, len(period.days))


async def instagram_posts_missed(engine: AsyncEngine, reporter: Reporter,
                                 today: Period) -> TodayPosts:
    """Today's Instagram posts of the reporter's satker and directorates without their like,
    read from the attendance engine (exceptions count as done, as in every report)."""
    populations = [Population(PopulationKind.SATKER, reporter.client_id)]
    populations += [Population(PopulationKind.DIRECTORATE, directorate)
                    for directorate in reporter.directorates
                    if directorate != reporter.client_id]
    owed: set[int] = set()
    missed: dict[int, MissedPost] = {}
    for population in populations:
        view = await attendance_for(engine, population, Platform.INSTAGRAM, today,
                                    REPORT_POLICIES["complaint"], per_post=True)
        if not any(person.user_id == reporter.user_id for person in view.people):
            continue
        engaged = (view.per_post or {}).get(reporter.user_id, frozenset())
        for post in view.posts:
            owed.add(post.id)
            if post.id not in engaged:
                missed.setdefault(post.id, MissedPost(Platform.INSTAGRAM, post.external_id))
    return TodayPosts(today.start, reporter.instagram, len(owed), tuple(missed.values()))


_INSERT_SQL = """
    INSERT INTO complaints (id, user_id, from_phone, issue_type, body, details, response,
                            status, resolved_at, answered_by)
    VALUES (coalesce(CAST(:id AS bigint), nextval(pg_get_serial_sequence('complaints', 'id'))),
            :user_id, :from_phone, :issue_type, :body, CAST(:details AS jsonb), :response,
            :status, :resolved_at, :answered_by)
    RETURNING id
"""
AUTOMATIC = "otomatis"  # `answered_by` of an answer the bot built from stored data


async def next_complaint_number(engine: AsyncEngine) -> int:
    """A complaint's number before it is stored, so the replies that are stored with it can
    name it."""
    return int(await fetch_value(
        engine, "SELECT nextval(pg_get_serial_sequence('complaints', 'id'))"))


async def record_complaint(engine: AsyncEngine, *, user_id: str, from_phone: str,
                           issue_types: list[IssueType], body: str, details: dict[str, Any],
                           status: ComplaintStatus, response: str | None = None,
                           at: datetime | None = None, complaint_id: int | None = None) -> int:
    """Store one complaint (under `complaint_id` when it was numbered beforehand); an answered
    one carries its response, `resolved_at` (= `at`) and `answered_by` = AUTOMATIC.
    `issue_type` holds the matched types joined by commas, in the order they were found."""
    answered = status is ComplaintStatus.ANSWERED
    [row] = await write_returning(
        engine, _INSERT_SQL, id=complaint_id, user_id=user_id, from_phone=from_phone,
        issue_type=",".join(issue_types) or None, body=body, details=json.dumps(details),
        response=response, status=status.value, resolved_at=at if answered else None,
        answered_by=AUTOMATIC if answered else None)
    return int(row["id"])


# --- the inbox: open complaints, answered or closed by a person -----------------------------


@dataclass(frozen=True)
class InboxComplaint:
    """A complaint as the inbox shows it, with its reporter (when the NRP is known)."""

    id: int
    status: ComplaintStatus
    user_id: str | None
    name: str | None
    rank: str | None
    client_id: str | None
    client_name: str | None
    reporter_whatsapp: str | None  # normalised digits, None when missing or unusable
    from_phone: str
    session: str | None  # the session it came in on
    issues: tuple[str, ...]
    created_at: datetime
    response: str | None
    answered_by: str | None
    resolved_at: datetime | None


_INBOX_SQL = """
    SELECT c.id, c.status, c.user_id, p.name, p.rank, p.client_id, k.name AS client_name,
           p.whatsapp, c.from_phone, c.details, c.created_at, c.response, c.answered_by,
           c.resolved_at
    FROM complaints c
    LEFT JOIN personnel p ON p.user_id = c.user_id
    LEFT JOIN clients k ON k.client_id = p.client_id
    WHERE (CAST(:every_status AS boolean) OR c.status = 'open')
      AND (CAST(:every_client AS boolean) OR p.client_id = ANY(:client_ids))
      AND (CAST(:id AS integer) IS NULL OR c.id = CAST(:id AS integer))
    ORDER BY c.created_at, c.id
    LIMIT :limit
"""
_RESOLVE_SQL = """
    UPDATE complaints SET status = :status, response = :response, answered_by = :by,
                          resolved_at = :at
    WHERE id = :id AND status = 'open'
    RETURNING id
"""


def _inbox(row: Any) -> InboxComplaint:
    details = row["details"] or {}
    return InboxComplaint(
        row["id"], ComplaintStatus(row["status"]), row["user_id"], row["name"], row["rank"],
        row["client_id"], row["client_name"], _phone_or_none(row["whatsapp"]),
        row["from_phone"], details.get("session"), tuple(details.get("issues") or ()),
        row["created_at"], row["response"], row["answered_by"], row["resolved_at"])


async def inbox(engine: AsyncEngine, client_ids: Collection[str] | None, *,
                open_only: bool = True, limit: int = 30) -> list[InboxComplaint]:
    """Complaints (open ones unless `open_only` is off) of the reporters of `client_ids`
    (None: every complaint), oldest first."""
    rows = await fetch_all(engine, _INBOX_SQL, every_status=not open_only,
                           every_client=client_ids is None, client_ids=sorted(client_ids or ()),
                           id=None, limit=limit)
    return [_inbox(row) for row in rows]


async def find_complaint(engine: AsyncEngine, complaint_id: int,
                         client_ids: Collection[str] | None = None) -> InboxComplaint | None:
    """One complaint, any status, when its reporter is of `client_ids` (None: any)."""
    rows = await fetch_all(engine, _INBOX_SQL, every_status=True,
                           every_client=client_ids is None, client_ids=sorted(client_ids or ()),
                           id=complaint_id, limit=1)
    return _inbox(rows[0]) if rows else None


async def resolve_complaint(engine: AsyncEngine, complaint_id: int, *, response: str | None,
                            answered_by: str, at: datetime) -> bool:
    """Answer (with `response`) or close (without) an open complaint, recording who and when;
    False when it is no longer open (someone else was first)."""
    status = ComplaintStatus.ANSWERED if response else ComplaintStatus.CLOSED
    rows = await write_returning(engine, _RESOLVE_SQL, status=status.value, response=response,
                                 by=answered_by, at=at, id=complaint_id)
    return bool(rows)
