"""Complaints ("Pesan Komplain"): who the reporter is, what the stored data says about their
activity, and the `complaints` rows. No text here: `menus/complaint.py` renders the answers.

Activity facts come from the engagement rows only (no live RapidAPI lookups); the list of
today's posts a person still owes is a view of the one attendance engine.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import JSONB
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


class ComplaintStatus(StrEnum):
    OPEN = "open"  # waiting for a person (the satker operator) to follow it up
    ANSWERED = "answered"  # the automatic answer reached the reporter


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


_REPORTER_SQL = text("""
    SELECT p.user_id, p.name, p.rank, p.client_id, c.name AS client_name, p.whatsapp,
           p.instagram, p.tiktok, p.status,
           coalesce(array_agg(m.directorate_id ORDER BY m.directorate_id)
                    FILTER (WHERE m.directorate_id IS NOT NULL), '{}') AS directorates
    FROM personnel p
    LEFT JOIN clients c ON c.client_id = p.client_id
    LEFT JOIN directorate_memberships m ON m.user_id = p.user_id
    WHERE p.user_id = :user_id
    GROUP BY p.user_id, c.name
""")


def _phone_or_none(raw: str | None) -> str | None:
    if not raw or not raw.strip():
        return None
    try:
        return normalize_phone(raw)
    except InvalidIdentifier:
        return None


async def load_reporter(engine: AsyncEngine, user_id: str) -> Reporter | None:
    async with engine.connect() as connection:
        row = (await connection.execute(_REPORTER_SQL, {"user_id": user_id})).mappings().first()
    if row is None:
        return None
    return Reporter(row["user_id"], row["name"], row["rank"], row["client_id"],
                    row["client_name"], _phone_or_none(row["whatsapp"]),
                    canonical_username(row["instagram"]), canonical_username(row["tiktok"]),
                    bool(row["status"]), tuple(row["directorates"]))


_RECORDED_SQL = text("""
    SELECT count(DISTINCT e.post_id) FROM engagements e JOIN posts p ON p.id = e.post_id
    WHERE e.kind = :kind AND e.username = :username AND p.platform = :platform
      AND p.uploaded_at >= :since AND p.uploaded_at < :until
""")


async def platform_activity(engine: AsyncEngine, reporter: Reporter, platform: Platform,
                            claimed: str | None, period: Period) -> PlatformActivity:
    """How many posts of `period` the reporter's stored account engaged with (any client)."""
    registered = reporter.username(platform)
    recorded = 0
    if registered:
        async with engine.connect() as connection:
            recorded = int(await connection.scalar(_RECORDED_SQL, {
                "kind": ENGAGEMENT_KIND[platform].value, "username": registered,
                "platform": platform.value, "since": period.since, "until": period.until}) or 0)
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


_INSERT_SQL = text("""
    INSERT INTO complaints (user_id, from_phone, issue_type, body, details, response, status,
                            resolved_at)
    VALUES (:user_id, :from_phone, :issue_type, :body, :details, :response, :status,
            :resolved_at)
    RETURNING id
""").bindparams(bindparam("details", type_=JSONB))


async def record_complaint(engine: AsyncEngine, *, user_id: str, from_phone: str,
                           issue_types: list[IssueType], body: str, details: dict[str, Any],
                           status: ComplaintStatus, response: str | None = None,
                           at: datetime | None = None) -> int:
    """Store one complaint; an answered one carries its response and `resolved_at` (= `at`).
    `issue_type` holds the matched types joined by commas, in the order they were found."""
    async with engine.begin() as connection:
        return int(await connection.scalar(_INSERT_SQL, {
            "user_id": user_id, "from_phone": from_phone,
            "issue_type": ",".join(issue_types) or None, "body": body, "details": details,
            "response": response, "status": status.value,
            "resolved_at": at if status is ComplaintStatus.ANSWERED else None}))
