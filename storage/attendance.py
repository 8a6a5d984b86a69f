"""The one attendance engine (spec/attendance.md).

For a population of personnel, the posts of one client on one platform in a
period, and a policy, it computes in SQL how many of those posts each person
engaged with, and turns the counts into statuses. Every report is a view of an
`Attendance`; nothing else in Cicero counts engagement.

Queries per call: one for the client, one for the people with their counts,
one for the posts; one more each for the optional per-post and per-day
breakdowns. The number never depends on the period length or the population.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from cicero.clock import Period, clock
from storage.attendance_results import (  # the engine's vocabulary, re-exported
    ALL,
    MAJORITY,
    POLICIES,
    Attendance,
    ClientInfo,
    Group,
    HasStatus,
    PersonResult,
    Policy,
    Population,
    PopulationKind,
    PostSummary,
    Status,
    Totals,
)
from storage.db import driver_fetch
from storage.models import EngagementKind, Platform
from storage.ordering import NO_SATFUNG, rank_position
from storage.sql import Database, Row, fetch_all, fetch_one, fetch_value

__all__ = [
    "ALL",
    "ENGAGEMENT_KIND",
    "MAJORITY",
    "POLICIES",
    "POPULATION_FILTERS",
    "REPORT_POLICIES",
    "Attendance",
    "ClientInfo",
    "Group",
    "HasStatus",
    "PersonResult",
    "Policy",
    "Population",
    "PopulationKind",
    "PostSummary",
    "Status",
    "Totals",
    "UnknownClient",
    "attendance_builder",
    "attendance_for",
    "client_info",
    "find_client",
    "resolve_policy",
]

_MEMBER = ("EXISTS (SELECT 1 FROM directorate_memberships m "
           "WHERE m.user_id = p.user_id AND m.directorate_id = :client_id)")
# Region words are dropped and punctuation removed before the prefix test (reference §2.3).
_KASAT_BINMAS = (
    "regexp_replace(regexp_replace(upper(coalesce(p.jabatan, '')), "
    r"'\m(POLRESTABES|POLRESTA|POLTABES|POLRES|POLDA|POLSEK|KOTA|KABUPATEN|KAB|RESORT|WILAYAH)\M',"
    " '', 'g'), '[^A-Z]', '', 'g') LIKE 'KASATBINMAS%'"
)
POPULATION_FILTERS = {  # SQL over `personnel p`; :client_id is the population's client
    PopulationKind.SATKER: "p.client_id = :client_id",
    PopulationKind.DIRECTORATE: _MEMBER,
    PopulationKind.OWN_STAFF: f"p.client_id = :client_id AND {_MEMBER}",
    PopulationKind.KASAT_BINMAS: f"{_MEMBER} AND {_KASAT_BINMAS}",
}
_USERNAME_COLUMN = {Platform.INSTAGRAM: "p.instagram", Platform.TIKTOK: "p.tiktok"}
ENGAGEMENT_KIND = {Platform.INSTAGRAM: EngagementKind.LIKE, Platform.TIKTOK: EngagementKind.COMMENT}


class UnknownClient(LookupError):
    pass


_CLIENT_SQL = ("SELECT client_id, name, type, instagram, tiktok, attendance_policy "
               "FROM clients WHERE client_id = :client_id")


async def find_client(db: Database, client_id: str) -> ClientInfo:
    """The client by id (any case), on its own connection or the caller's."""
    row = await fetch_one(db, _CLIENT_SQL, client_id=client_id.upper())
    if row is None:
        raise UnknownClient(f"satker tidak dikenal: {client_id}")
    return ClientInfo(**row)


async def client_info(connection: AsyncConnection, client_id: str) -> ClientInfo:
    return await find_client(connection, client_id)


def resolve_policy(default: Policy, client: ClientInfo) -> Policy:
    """`client.attendance_policy` overrides a report's default policy for that client."""
    return POLICIES.get(client.attendance_policy or "", default)


def _people_sql(kind: PopulationKind, platform: Platform) -> str:
    return f"""
        SELECT p.user_id, p.name, p.rank, p.satfung, p.jabatan, p.exception, p.client_id,
               {_USERNAME_COLUMN[platform]} AS username
        FROM personnel p
        WHERE p.status AND {POPULATION_FILTERS[kind]}
    """


_CLIENT_NAMES_SQL = "SELECT client_id, name FROM clients"
_POPULATION_VERSION_SQL = "SELECT version FROM data_versions WHERE name = 'population'"


class _Member(NamedTuple):
    """One person of a population as the engine reads it (thousands per report, kept in the
    population cache, so read by attribute rather than through a row mapping)."""

    user_id: str
    name: str
    rank: str | None
    satfung: str | None
    jabatan: str | None
    exception: bool
    client_id: str
    username: str | None


class _PopulationCache:
    """A population's people, already in the one list order, per database, population and
    platform. They stay valid while the population version is unchanged: triggers on
    personnel, directorate memberships and clients bump it in the writing transaction
    (migration 0002). The version is read before the rows, so rows are never older than the
    version they are stored under."""

    def __init__(self, size: int = 64) -> None:
        self._entries: OrderedDict[tuple[Any, ...], tuple[int, list[_Member]]] = OrderedDict()
        self._size = size

    async def rows(self, connection: AsyncConnection, kind: PopulationKind,
                   platform: Platform, params: dict[str, Any]) -> list[_Member]:
        version = await fetch_value(connection, _POPULATION_VERSION_SQL)
        key = (str(connection.engine.url), kind, platform, params["client_id"])
        cached = self._entries.get(key)
        if cached is not None and cached[0] == version:
            self._entries.move_to_end(key)
            return cached[1]
        rows = _in_list_order([_Member(**row) for row in await fetch_all(
            connection, _people_sql(kind, platform), **params)])
        self._entries[key] = (version, rows)
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)
        return rows


_populations = _PopulationCache()


def _in_list_order(people: list[_Member]) -> list[_Member]:
    """Population members by rank, name, id (the one list order)."""
    positions = {rank: rank_position(rank) for rank in {person.rank for person in people}}
    return sorted(people, key=lambda p: (positions[p.rank], p.name.upper(), p.user_id))


_POSTS_SQL = """
    SELECT id, platform, external_id, uploaded_at, caption FROM posts
    WHERE client_id = :posts_of AND platform = :platform
      AND uploaded_at >= :since AND uploaded_at < :until
    ORDER BY uploaded_at, external_id
"""

# The counts are the largest reads of a report (a row per username that engaged: thousands),
# so they run on the driver itself with asyncpg's `$n` placeholders ($1 the post ids, $2 their
# business days, $3 the engagement kind) and its rows, read by name. bench/attendance.py,
# interleaved in the same minutes on a shared 2-core machine (arch-sql, December 2026): the
# Simple list of one day (~6,200 people) took 15-20 ms with this raw read and 33-36 ms with
# SQLAlchemy rows in the quieter pair (under heavier load all runs were 30-55 ms, noise);
# the other statements of a report return few rows and go through storage/sql.py.
# One pass over the period's engagement rows gives the counts per username (attendance)
# and, for matrices, per username and day.
_COUNTS_SQL = """
    SELECT e.username, {day_column} AS day, count(*) AS n
    FROM engagements e JOIN unnest($1::bigint[], $2::date[])
        AS d(post_id, day) ON d.post_id = e.post_id
    WHERE e.kind = $3
    GROUP BY GROUPING SETS ((e.username) {day_set})
"""
# With the per-day breakdown: one row per username with its days and their counts (a row
# per username and day made a Polda month ~170,000 rows, and decoding them cost more than
# the query).
_DAY_COUNTS_SQL = """
    SELECT username, CAST(sum(n) AS bigint) AS n, array_agg(day) AS days,
           array_agg(n) AS day_counts
    FROM (SELECT e.username, d.day, count(*) AS n
          FROM engagements e JOIN unnest($1::bigint[], $2::date[])
              AS d(post_id, day) ON d.post_id = e.post_id
          WHERE e.kind = $3
          GROUP BY e.username, d.day) AS per_day
    GROUP BY username
"""
_ENGAGERS_SQL = """
    SELECT post_id, count(*) AS engagers FROM engagements
    WHERE kind = :kind AND post_id = ANY(CAST(:post_ids AS bigint[]))
    GROUP BY post_id
"""
# A report reads its per-post counts on a second pooled connection while the first runs the
# main count. Holding one connection while waiting for another could starve the pool when
# many reports run at once; bounding how many do so at a time rules that out (pool: 20).
_SECOND_CONNECTIONS = asyncio.Semaphore(8)

_PAIRS_SQL = """
    SELECT e.username, e.post_id FROM engagements e
    WHERE e.kind = :kind AND e.post_id = ANY(:post_ids) AND e.username = ANY(:usernames)
"""


@dataclass
class _Counts:
    by_username: dict[str, int] = field(default_factory=dict)
    by_username_day: dict[str, dict[date, int]] = field(default_factory=dict)


async def attendance_for(
    engine: AsyncEngine | AsyncConnection,
    population: Population,
    platform: Platform | str,
    period: Period,
    policy: Policy = ALL,
    *,
    posts_of: str | None = None,
    per_post: bool = False,
    per_day: bool = False,
) -> Attendance:
    """Attendance of `population` for the posts of `posts_of` (default: the population's
    client) on `platform` in `period`. The client's own policy override wins.

    The population, the largest read, usually comes from the cache. Given an engine, the
    per-post counts are read beside the main count on a second connection; given a
    connection, one after the other."""
    platform = Platform(platform)
    if isinstance(engine, AsyncConnection):
        return await _compute(engine, None, population, platform, period, policy, posts_of,
                              per_post, per_day)
    async with engine.connect() as connection:
        return await _compute(connection, engine, population, platform, period, policy,
                              posts_of, per_post, per_day)


async def _compute(connection: AsyncConnection, engine: AsyncEngine | None,
                   population: Population, platform: Platform, period: Period, policy: Policy,
                   posts_of: str | None, per_post: bool, per_day: bool) -> Attendance:
    client = await client_info(connection, population.client_id)
    policy = resolve_policy(policy, client)
    params = {
        "client_id": client.client_id,
        "posts_of": (posts_of or client.client_id).upper(),
        "platform": platform.value,
        "kind": ENGAGEMENT_KIND[platform].value,
        "since": period.since,
        "until": period.until,
    }
    post_rows = await fetch_all(connection, _POSTS_SQL, **params)
    params["post_ids"] = [row["id"] for row in post_rows]
    rows = await _populations.rows(connection, population.kind, platform, params)
    if engine is None:
        counts = await _counts(connection, params, post_rows, per_day)
        engagers = await _engagers(connection, params)
    else:
        async with _SECOND_CONNECTIONS, engine.connect() as second:
            counts, engagers = await asyncio.gather(
                _counts(connection, params, post_rows, per_day), _engagers(second, params))
    satker_names = {row["client_id"]: row["name"]
                    for row in await fetch_all(connection, _CLIENT_NAMES_SQL)}
    posts = [PostSummary(**row, engagers=engagers.get(row["id"], 0)) for row in post_rows]
    people = _people(rows, satker_names, counts.by_username, len(posts), policy)
    attendance = Attendance(client, population, platform, period, policy, posts, people,
                            posts_of=params["posts_of"])
    if per_day:
        attendance.per_day = _per_day(people, counts.by_username_day, posts, policy)
    if per_post:
        attendance.per_post = await _pairs(connection, params, posts, people, policy)
    return attendance


async def _counts(connection: AsyncConnection, params: dict[str, Any], post_rows: list[Row],
                  per_day: bool) -> _Counts:
    counts = _Counts()
    if not post_rows:
        return counts
    args = (params["post_ids"], [clock.business_date(row["uploaded_at"]) for row in post_rows],
            params["kind"])
    if per_day:
        for row in await driver_fetch(connection, _DAY_COUNTS_SQL, *args):
            counts.by_username[row["username"]] = row["n"]
            counts.by_username_day[row["username"]] = dict(
                zip(row["days"], row["day_counts"], strict=True))
        return counts
    sql = _COUNTS_SQL.format(day_set="", day_column="CAST(NULL AS date)")
    for row in await driver_fetch(connection, sql, *args):
        counts.by_username[row["username"]] = row["n"]
    return counts


async def _engagers(connection: AsyncConnection, params: dict[str, Any]) -> dict[int, int]:
    """Every username seen per post, personnel or not."""
    if not params["post_ids"]:
        return {}
    rows = await fetch_all(connection, _ENGAGERS_SQL, **params)
    return {row["post_id"]: row["engagers"] for row in rows}


def _people(members: list[_Member], satker_names: dict[str, str],
            engaged_by_username: dict[str, int], posts: int,
            policy: Policy) -> list[PersonResult]:
    """Statuses by the policy, for members already in the one list order (rank, name, id).
    Thousands of people per report: the loop stays lean."""
    required = policy.required(posts)
    exceptions = policy.apply_exceptions
    status = policy.status
    counted = engaged_by_username.get
    people = []
    for member in members:
        username = member.username or None
        if username is None:
            engaged = 0
        elif member.exception and exceptions:
            engaged = posts
        else:
            engaged = counted(username, 0)
        people.append(PersonResult(
            member.user_id, member.name, member.rank, member.satfung or NO_SATFUNG,
            member.jabatan, member.client_id, satker_names[member.client_id], username,
            member.exception, engaged, posts,
            status(engaged, posts, username is not None, required)))
    return people


def _per_day(people: list[PersonResult], by_username_day: dict[str, dict[date, int]],
             posts: list[PostSummary], policy: Policy) -> dict[str, dict[date, int]]:
    """user_id -> day -> posts engaged that day (exceptions: every post of the day)."""
    posts_per_day: dict[date, int] = defaultdict(int)
    for post in posts:
        posts_per_day[post.business_date] += 1
    result: dict[str, dict[date, int]] = {}
    for person in people:
        if person.username and person.exception and policy.apply_exceptions:
            result[person.user_id] = dict(posts_per_day)
        elif person.username:
            result[person.user_id] = dict(by_username_day.get(person.username, {}))
        else:
            result[person.user_id] = {}
    return result


async def _pairs(connection: AsyncConnection, params: dict[str, Any], posts: list[PostSummary],
                 people: list[PersonResult], policy: Policy) -> dict[str, frozenset[int]]:
    """user_id -> the ids of the period's posts the person engaged with (exceptions: all)."""
    post_ids = [post.id for post in posts]
    by_username = {p.username: p.user_id for p in people if p.username}
    found: dict[str, set[int]] = defaultdict(set)
    if post_ids and by_username:
        rows = await fetch_all(connection, _PAIRS_SQL,
                               **{**params, "post_ids": post_ids, "usernames": list(by_username)})
        for row in rows:
            found[by_username[row["username"]]].add(row["post_id"])
    result: dict[str, frozenset[int]] = {}
    for person in people:
        if person.exception and person.username and policy.apply_exceptions:
            result[person.user_id] = frozenset(post_ids)
        else:
            result[person.user_id] = frozenset(found.get(person.user_id, ()))
    return result


# The default policy of every report and consumer, in one table (spec/attendance.md).
REPORT_POLICIES: dict[str, Policy] = {
    "ig-likes": MAJORITY,
    "tiktok-comments": MAJORITY,
    "tiktok-analytic": MAJORITY,
    "directorate-ig": MAJORITY,
    "directorate-tiktok": MAJORITY,
    "ranking": MAJORITY,
    "simple-ig": ALL,
    "simple-tiktok": ALL,
    "report-ig": ALL,
    "report-tiktok": ALL,
    "laphar": ALL,
    "top-bottom": ALL,
    "kasat-ig": ALL,
    "kasat-tiktok": ALL,
    "kasatker": ALL,
    "kasat-attendance": ALL,
    "personnel-ranking": ALL,
    "reminder": ALL,
    "complaint": ALL,
    "dashboard": ALL,
}


def attendance_builder(report: str, kind: PopulationKind, platform: Platform, *,
                       per_post: bool = False, per_day: bool = False) -> Callable[..., Any]:
    """The build step of a report that is one attendance view of the requested client."""

    async def build(engine: AsyncEngine, request: Any) -> Attendance:
        return await attendance_for(engine, Population(kind, request.client_id), platform,
                                    request.period, REPORT_POLICIES[report],
                                    per_post=per_post, per_day=per_day)

    build.__name__ = f"build_{report.replace('-', '_')}"
    return build
