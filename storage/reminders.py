"""Evening WhatsApp reminders: who is due at a stage, what each chat still owes today, and
the stage every chat reached (reference §6, scenario T17).

Completion is read from the one attendance engine (policy `reminder`, per-post pairs for
the links still to do); this module only adds who receives reminders (opted-in members
with a WhatsApp number) and the stage bookkeeping in `reminder_states`, which survives
restarts. No text here: `menus/reminders.py` renders a `Reminder`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.clock import Period
from storage.attendance import (
    REPORT_POLICIES,
    Attendance,
    PersonResult,
    Population,
    PopulationKind,
    Status,
    attendance_for,
)
from storage.identifiers import InvalidIdentifier, normalize_phone
from storage.models import ClientType, Platform
from storage.sql import execute_many, fetch_all

PLATFORMS = (Platform.INSTAGRAM, Platform.TIKTOK)
_COMPLETE = (Status.DONE, Status.NO_POSTS)


@dataclass(frozen=True)
class PendingPost:
    post_id: int
    platform: Platform
    external_id: str
    account: str | None  # the directorate's account on the platform (TikTok links carry it)


@dataclass(frozen=True)
class PlatformDuty:
    """Today's posts of one platform for one chat, merged over its directorates."""

    platform: Platform
    post_ids: frozenset[int]  # today's posts owed on the platform
    has_username: bool
    complete: bool  # the attendance status is done (policy `reminder`)
    pending: tuple[PendingPost, ...]  # posts without the person's like / comment

    @property
    def posts(self) -> int:
        return len(self.post_ids)


@dataclass(frozen=True)
class Addressee:
    rank: str | None
    name: str


@dataclass(frozen=True)
class Reminder:
    """What one WhatsApp chat owes today. `duties` holds only platforms with posts."""

    chat_id: str  # phone digits, 62…
    addressees: tuple[Addressee, ...]
    day: date
    duties: tuple[PlatformDuty, ...]
    complete_by_directorate: tuple[tuple[str, bool], ...]

    @property
    def complete(self) -> bool:
        return all(duty.complete for duty in self.duties)


@dataclass(frozen=True)
class ChatStage:
    """The furthest stage a chat reached today and whether it was complete everywhere."""

    last_stage: int
    complete: bool


def is_due(state: ChatStage | None, stage: int) -> bool:
    """Stage 1 reaches everyone; a later stage the chats incomplete at their last stage.
    A chat never reminded today (no state) is due at any stage."""
    return state is None or (state.last_stage < stage and not state.complete)


async def active_directorates(engine: AsyncEngine) -> list[str]:
    rows = await fetch_all(
        engine, "SELECT client_id FROM clients WHERE type = :type AND status ORDER BY client_id",
        type=ClientType.DIRECTORATE.value)
    return [row["client_id"] for row in rows]


async def opted_in_members(engine: AsyncEngine, directorate_id: str) -> dict[str, str]:
    """user_id -> raw WhatsApp number of the directorate's active members who opted in."""
    rows = await fetch_all(
        engine, "SELECT p.user_id, p.whatsapp FROM personnel p "
        "JOIN directorate_memberships m ON m.user_id = p.user_id "
        "WHERE m.directorate_id = :directorate_id AND p.status "
        "AND p.wa_notification_opt_in AND coalesce(btrim(p.whatsapp), '') <> ''",
        directorate_id=directorate_id)
    return {row["user_id"]: row["whatsapp"] for row in rows}


@dataclass
class _Entry:
    """One (chat, person, directorate) contribution before merging by chat."""

    person: PersonResult
    directorate_id: str
    duties: list[PlatformDuty]


def _duty(attendance: Attendance, person: PersonResult) -> PlatformDuty:
    engaged = (attendance.per_post or {}).get(person.user_id, frozenset())
    account = getattr(attendance.client, attendance.platform.value)
    pending = tuple(PendingPost(post.id, attendance.platform, post.external_id, account)
                    for post in attendance.posts if post.id not in engaged)
    return PlatformDuty(attendance.platform, frozenset(post.id for post in attendance.posts),
                        person.username is not None, person.status in _COMPLETE, pending)


def _merge(platform: Platform, duties: list[PlatformDuty]) -> PlatformDuty:
    pending: dict[int, PendingPost] = {}
    for duty in duties:
        for post in duty.pending:
            pending.setdefault(post.post_id, post)
    return PlatformDuty(platform, frozenset().union(*(d.post_ids for d in duties)),
                        all(d.has_username for d in duties), all(d.complete for d in duties),
                        tuple(pending.values()))


def _reminder(chat_id: str, day: date, entries: list[_Entry]) -> Reminder:
    addressees: dict[str, Addressee] = {}
    for entry in entries:
        addressees.setdefault(entry.person.user_id,
                              Addressee(entry.person.rank, entry.person.name))
    by_platform: dict[Platform, list[PlatformDuty]] = defaultdict(list)
    by_directorate: dict[str, bool] = {}
    for entry in entries:
        complete = all(duty.complete for duty in entry.duties)
        by_directorate[entry.directorate_id] = by_directorate.get(entry.directorate_id,
                                                                  True) and complete
        for duty in entry.duties:
            if duty.posts:
                by_platform[duty.platform].append(duty)
    duties = tuple(_merge(platform, by_platform[platform]) for platform in PLATFORMS
                   if by_platform[platform])
    return Reminder(chat_id, tuple(addressees.values()), day, duties,
                    tuple(sorted(by_directorate.items())))


@dataclass(frozen=True)
class Candidates:
    reminders: list[Reminder]  # one per chat, ordered by chat id
    invalid_numbers: int  # opted-in people whose WhatsApp number cannot be a chat


async def reminder_candidates(engine: AsyncEngine, today: Period) -> Candidates:
    """Every chat that may receive today's reminder: opted-in active members of each active
    directorate that has posts today, with what they still owe, merged by chat."""
    policy = REPORT_POLICIES["reminder"]
    entries: dict[str, list[_Entry]] = defaultdict(list)
    invalid: set[str] = set()
    for directorate_id in await active_directorates(engine):
        numbers = await opted_in_members(engine, directorate_id)
        if not numbers:
            continue
        population = Population(PopulationKind.DIRECTORATE, directorate_id)
        views = [await attendance_for(engine, population, platform, today, policy,
                                      per_post=True) for platform in PLATFORMS]
        if not any(view.posts for view in views):
            continue  # nothing to do today: no reminder and no thank-you
        people = [{p.user_id: p for p in view.people} for view in views]
        for user_id, raw in numbers.items():
            if user_id not in people[0]:
                continue
            try:
                chat_id = normalize_phone(raw)
            except InvalidIdentifier:
                invalid.add(user_id)
                continue
            entries[chat_id].append(_Entry(
                people[0][user_id], directorate_id,
                [_duty(view, by_id[user_id]) for view, by_id in zip(views, people, strict=True)]))
    reminders = [_reminder(chat_id, today.start, entries[chat_id]) for chat_id in sorted(entries)]
    return Candidates(reminders, len(invalid))


async def reminder_stages(engine: AsyncEngine, day: date) -> dict[str, ChatStage]:
    """chat id -> its furthest stage today, complete only when complete in every directorate."""
    rows = await fetch_all(
        engine, "SELECT chat_id, max(CAST(last_stage AS integer)) AS last_stage, "
        "bool_and(is_complete) AS complete FROM reminder_states "
        "WHERE date_key = :day GROUP BY chat_id", day=day)
    return {row["chat_id"]: ChatStage(row["last_stage"], row["complete"]) for row in rows}


async def record_stage(engine: AsyncEngine, day: date, stage: int,
                       reminders: list[Reminder]) -> None:
    """Remember that these chats got `stage` and whether each was complete per directorate.
    A row never moves back: re-running a stage leaves the first record of it in place."""
    rows = [{"day": day, "chat_id": reminder.chat_id, "client_id": client_id,
             "stage": str(stage), "complete": complete}
            for reminder in reminders for client_id, complete in reminder.complete_by_directorate]
    await execute_many(
        engine, "INSERT INTO reminder_states (date_key, chat_id, client_id, last_stage, "
        "is_complete) VALUES (:day, :chat_id, :client_id, :stage, :complete) "
        "ON CONFLICT (date_key, chat_id, client_id) DO UPDATE SET "
        "last_stage = EXCLUDED.last_stage, is_complete = EXCLUDED.is_complete, "
        "updated_at = now() "
        "WHERE CAST(reminder_states.last_stage AS integer) "
        "< CAST(EXCLUDED.last_stage AS integer)", rows)
