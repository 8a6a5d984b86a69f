"""Link amplification ("tugas amplifikasi", reference §2.8): who re-shared the client's
Instagram posts of a period, and where.

Not likes/comments attendance: a person's task count is the number of the period's posts
they sent a `link_reports` row for (source SPECIAL: the special tasks registered for the
client and `special_link_reports`). Exception people count as having done every task, at
evaluation time only; their link counts stay the raw facts.

Queries per build: one for the client, one for the period's posts, one for the population
with its reports. Never one per post, satker or person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from cicero.clock import Period, clock
from storage.attendance import (
    POPULATION_FILTERS,
    ClientInfo,
    Population,
    PopulationKind,
    Status,
    Totals,
    client_info,
)
from storage.link_reports import PLATFORMS
from storage.ordering import NO_SATFUNG, person_key, satker_key
from storage.sql import fetch_all

LINK_PLATFORMS = PLATFORMS


@dataclass(frozen=True)
class SubmittedLinks:
    post_id: int
    user_id: str
    links: dict[str, str | None]  # LINK_PLATFORMS -> URL or None
    submitted_at: datetime

    @property
    def link_count(self) -> int:
        return sum(1 for url in self.links.values() if url)


@dataclass(frozen=True)
class AmplifiedPost:
    id: int
    external_id: str
    uploaded_at: datetime
    reporters: int
    links: int

    @property
    def business_date(self) -> date:
        return clock.business_date(self.uploaded_at)


@dataclass(frozen=True)
class AmplifyPerson:
    user_id: str
    name: str
    rank: str | None
    satfung: str
    satker_id: str
    satker_name: str
    exception: bool
    reported: int  # posts with a link report (raw fact)
    tasks_done: int  # reported, or every post for an exception person
    links: int  # non-empty links across those reports (raw fact, at most 5 per post)
    posts: int
    status: Status

    @property
    def tasks_pending(self) -> int:
        return self.posts - self.tasks_done


@dataclass(frozen=True)
class SatkerAmplification:
    key: str
    name: str
    people: list[AmplifyPerson]
    totals: Totals
    links: int


@dataclass(frozen=True)
class TaskSource:
    """Which tasks are amplified: the client's official Instagram posts (regular) or the
    special tasks registered for it (khusus), and where their reports live."""

    name: str
    tasks_sql: str  # id, external_id, uploaded_at (a special task's: its registration)
    reports_table: str
    task_column: str

    @property
    def special(self) -> bool:
        return self.name == "special"


REGULAR = TaskSource("regular", """
    SELECT p.id, p.external_id, p.uploaded_at
    FROM posts p
    WHERE p.client_id = :client_id AND p.platform = 'instagram'
      AND p.uploaded_at >= :since AND p.uploaded_at < :until
    ORDER BY p.uploaded_at, p.external_id
""", "link_reports", "post_id")
SPECIAL = TaskSource("special", """
    SELECT t.id, t.shortcode AS external_id, t.registered_at AS uploaded_at
    FROM special_tasks t
    WHERE t.client_id = :client_id AND t.registered_at >= :since AND t.registered_at < :until
    ORDER BY t.registered_at, t.shortcode
""", "special_link_reports", "task_id")


@dataclass
class Amplification:
    client: ClientInfo
    population: Population
    period: Period
    posts: list[AmplifiedPost]
    people: list[AmplifyPerson]
    reports: list[SubmittedLinks]
    source: TaskSource = REGULAR
    totals: Totals = field(init=False)

    def __post_init__(self) -> None:
        self.totals = Totals.of(self.people)

    @property
    def has_posts(self) -> bool:
        return bool(self.posts)

    @property
    def links(self) -> int:
        return sum(report.link_count for report in self.reports)

    def with_status(self, *statuses: Status) -> list[AmplifyPerson]:
        return [person for person in self.people if person.status in statuses]

    def by_satker(self) -> list[SatkerAmplification]:
        buckets: dict[str, list[AmplifyPerson]] = defaultdict(list)
        for person in self.people:
            buckets[person.satker_id].append(person)
        groups = [SatkerAmplification(key, members[0].satker_name, members,
                                      Totals.of(members),
                                      sum(p.links for p in members))
                  for key, members in buckets.items()]
        return sorted(groups, key=lambda g: satker_key(
            is_directorate_itself=g.key == self.client.client_id,
            completion_rate=g.totals.completion_rate, personnel=g.totals.total, name=g.name))


def status_of(tasks_done: int, posts: int) -> Status:
    """Every post reported: done; some: partial; none: none. No posts: no_posts."""
    if posts == 0:
        return Status.NO_POSTS
    if tasks_done >= posts:
        return Status.DONE
    return Status.PARTIAL if tasks_done > 0 else Status.NONE


_PEOPLE_SQL = """
    SELECT p.user_id, p.name, p.rank, p.satfung, p.exception,
           p.client_id AS satker_id, c.name AS satker_name,
           r.{task_column} AS post_id, r.instagram_link, r.facebook_link, r.twitter_link,
           r.tiktok_link, r.youtube_link, r.submitted_at
    FROM personnel p
    JOIN clients c ON c.client_id = p.client_id
    LEFT JOIN {reports_table} r ON r.user_id = p.user_id AND r.{task_column} = ANY(:post_ids)
    WHERE p.status AND {population}
"""


def _link(value: str | None) -> str | None:
    return value.strip() or None if value else None


async def amplification_for(engine: AsyncEngine | AsyncConnection, client_id: str,
                            period: Period, source: TaskSource = REGULAR) -> Amplification:
    """Link amplification of the client's population for the client's tasks of `period`
    (its Instagram posts, or its special tasks): a directorate's members (grouped by home
    satker later) or an ORG satker's own active personnel."""
    if isinstance(engine, AsyncConnection):
        return await _compute(engine, client_id, period, source)
    async with engine.connect() as connection:
        return await _compute(connection, client_id, period, source)


async def _compute(connection: AsyncConnection, client_id: str, period: Period,
                   source: TaskSource) -> Amplification:
    client = await client_info(connection, client_id)
    kind = PopulationKind.DIRECTORATE if client.is_directorate else PopulationKind.SATKER
    params: dict[str, Any] = {"client_id": client.client_id, "since": period.since,
                              "until": period.until}
    post_rows = await fetch_all(connection, source.tasks_sql, **params)
    params["post_ids"] = [row["id"] for row in post_rows]
    people_sql = _PEOPLE_SQL.format(population=POPULATION_FILTERS[kind],
                                    reports_table=source.reports_table,
                                    task_column=source.task_column)
    rows = await fetch_all(connection, people_sql, **params)
    identities: dict[str, Any] = {}
    reports: list[SubmittedLinks] = []
    for row in rows:
        identities.setdefault(row["user_id"], row)
        if row["post_id"] is not None:
            links = {name: _link(row[f"{name}_link"]) for name in LINK_PLATFORMS}
            reports.append(SubmittedLinks(row["post_id"], row["user_id"], links,
                                      row["submitted_at"]))
    posts = _posts(post_rows, reports)
    people = _people(identities.values(), reports, len(posts))
    reports.sort(key=lambda r: (r.post_id, r.user_id))
    return Amplification(client, Population(kind, client.client_id), period, posts, people,
                         reports, source)


def _posts(rows: Iterable[Any], reports: list[SubmittedLinks]) -> list[AmplifiedPost]:
    reporters: dict[int, int] = defaultdict(int)
    links: dict[int, int] = defaultdict(int)
    for report in reports:
        reporters[report.post_id] += 1
        links[report.post_id] += report.link_count
    return [AmplifiedPost(row["id"], row["external_id"], row["uploaded_at"],
                          reporters[row["id"]], links[row["id"]]) for row in rows]


def _people(identities: Iterable[Any], reports: list[SubmittedLinks],
            posts: int) -> list[AmplifyPerson]:
    reported: dict[str, int] = defaultdict(int)
    links: dict[str, int] = defaultdict(int)
    for report in reports:
        reported[report.user_id] += 1
        links[report.user_id] += report.link_count
    people = []
    for row in identities:
        user_id = row["user_id"]
        done = posts if row["exception"] else reported[user_id]
        people.append(AmplifyPerson(
            user_id=user_id, name=row["name"], rank=row["rank"],
            satfung=row["satfung"] or NO_SATFUNG, satker_id=row["satker_id"],
            satker_name=row["satker_name"], exception=row["exception"],
            reported=reported[user_id], tasks_done=done, links=links[user_id], posts=posts,
            status=status_of(done, posts)))
    return sorted(people, key=lambda p: (*person_key(p.rank, p.name), p.user_id))


async def build_amplification(engine: AsyncEngine, request: Any) -> Amplification:
    """The build step of the `amplify` report."""
    return await amplification_for(engine, request.client_id, request.period)


async def build_special_amplification(engine: AsyncEngine, request: Any) -> Amplification:
    """The build step of the khusus (special task) recaps."""
    return await amplification_for(engine, request.client_id, request.period, SPECIAL)
