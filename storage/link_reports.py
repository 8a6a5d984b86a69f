"""Link reports: an officer's re-share links for an amplification task, and the tasks an
officer may report.

A task is an official Instagram post of one of the officer's units (their satker and the
directorates they are a member of, when that unit is active with amplification on) or a
special task registered for such a unit. Its day is the post's upload day, or the day a
special task was registered. A task can be reported within the reporting window: today,
plus yesterday until `grace_hours` past midnight.

One row per (task, person) in `link_reports` / `special_link_reports`, one link per platform;
a new report of the same task replaces the platforms it gives and keeps the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.clock import Period, clock
from storage.kept_connections import fetch_rows
from storage.share_links import LinkPlatform
from storage.sql import Database, fetch_all, write_returning

PLATFORMS: tuple[str, ...] = tuple(platform.value for platform in LinkPlatform)
LINK_COLUMNS: tuple[str, ...] = tuple(f"{platform}_link" for platform in PLATFORMS)


class TaskKind(StrEnum):
    REGULAR = "regular"  # an official post (posts)
    SPECIAL = "special"  # a special task (special_tasks)


@dataclass(frozen=True)
class ReportTable:
    """Where the reports of one kind of task live."""

    table: str
    task_column: str


REPORT_TABLES = {TaskKind.REGULAR: ReportTable("link_reports", "post_id"),
                 TaskKind.SPECIAL: ReportTable("special_link_reports", "task_id")}

Links = dict[str, str | None]  # platform -> URL (None: no link for that platform)


def link_count(links: Links) -> int:
    return sum(1 for url in links.values() if url)


@dataclass(frozen=True)
class Task:
    kind: TaskKind
    id: int  # posts.id or special_tasks.id
    client_id: str
    client_name: str
    shortcode: str
    at: datetime  # upload time, or registration time of a special task
    report: Links | None  # this officer's links, None when not reported

    @property
    def day(self) -> date:
        return clock.business_date(self.at)

    @property
    def reported(self) -> bool:
        return self.report is not None


@dataclass(frozen=True)
class Officer:
    user_id: str
    name: str
    rank: str | None
    active: bool
    client_id: str
    units: tuple[str, ...]  # clients whose tasks they owe (amplification on)


def reporting_window(now: datetime, grace_hours: int) -> Period:
    """Today; also yesterday while `now` is within `grace_hours` of midnight."""
    today = clock.business_date(now)
    if now < clock.start_of(today) + timedelta(hours=grace_hours):
        return clock.period(today - timedelta(days=1), today)
    return clock.day(today)


# The officer and the clients whose tasks they owe; $1 is the NRP.
_OFFICER_SQL = """
    SELECT p.user_id, p.name, p.rank, p.status, p.client_id,
           coalesce(array_agg(c.client_id ORDER BY c.client_id <> p.client_id, c.client_id)
                    FILTER (WHERE c.client_id IS NOT NULL), '{}') AS units
    FROM personnel p
    LEFT JOIN clients c ON c.status AND c.amplify_status AND (
        c.client_id = p.client_id OR c.client_id IN (
            SELECT directorate_id FROM directorate_memberships m WHERE m.user_id = p.user_id))
    WHERE p.user_id = $1
    GROUP BY p.user_id
"""
_REPORT_COLUMNS = ", ".join(f"r.{column}" for column in LINK_COLUMNS)
# The officer (one row, task columns NULL, when they owe nothing) with each task of the
# window [$2, $3) and their report of it. One statement: it runs for every `lapor` message.
_OFFICER_TASKS_SQL = f"""
    WITH me AS ({_OFFICER_SQL}), tasks AS (
        SELECT 'regular' AS kind, p.id, c.client_id AS task_client, c.name AS client_name,
               p.external_id AS shortcode, p.uploaded_at AS at,
               r.user_id IS NOT NULL AS reported, {_REPORT_COLUMNS}
        FROM me JOIN clients c ON c.client_id = ANY(me.units)
        JOIN posts p ON p.client_id = c.client_id AND p.platform = 'instagram'
                    AND p.uploaded_at >= $2 AND p.uploaded_at < $3
        LEFT JOIN link_reports r ON r.post_id = p.id AND r.user_id = me.user_id
        UNION ALL
        SELECT 'special', t.id, c.client_id, c.name, t.shortcode, t.registered_at,
               r.user_id IS NOT NULL, {_REPORT_COLUMNS}
        FROM me JOIN clients c ON c.client_id = ANY(me.units)
        JOIN special_tasks t ON t.client_id = c.client_id
                            AND t.registered_at >= $2 AND t.registered_at < $3
        LEFT JOIN special_link_reports r ON r.task_id = t.id AND r.user_id = me.user_id
    )
    SELECT me.*, tasks.* FROM me LEFT JOIN tasks ON true
    ORDER BY tasks.at, tasks.shortcode, tasks.kind
"""


def _officer(row: Any) -> Officer:
    return Officer(row["user_id"], row["name"], row["rank"], row["status"], row["client_id"],
                   tuple(row["units"]))


async def load_officer(engine: AsyncEngine, user_id: str) -> Officer | None:
    rows = await fetch_rows(engine, _OFFICER_SQL, user_id)
    return _officer(rows[0]) if rows else None


def _links_of(row: Any) -> Links:
    return {platform: row[f"{platform}_link"] for platform in PLATFORMS}


async def officer_tasks(engine: AsyncEngine, user_id: str,
                        window: Period) -> tuple[Officer | None, list[Task]]:
    """The officer (None when unknown) and their tasks of the window, oldest first, each
    with their report if any."""
    rows = await fetch_rows(engine, _OFFICER_TASKS_SQL, user_id, window.since, window.until)
    if not rows:
        return None, []
    tasks = [Task(TaskKind(row["kind"]), row["id"], row["task_client"], row["client_name"],
                  row["shortcode"], row["at"], _links_of(row) if row["reported"] else None)
             for row in rows if row["kind"] is not None]
    return _officer(rows[0]), tasks


async def tasks_of(engine: AsyncEngine, user_id: str, window: Period) -> list[Task]:
    """The person's tasks of the window ([] for an unknown or inactive person)."""
    officer, tasks = await officer_tasks(engine, user_id, window)
    return tasks if officer is not None and officer.active else []


@dataclass(frozen=True)
class StoredTask:
    """A stored post or special task found by its shortcode (whoever's it is)."""

    kind: TaskKind
    id: int
    shortcode: str
    client_id: str
    at: datetime


_BY_SHORTCODE_SQL = """
    SELECT 'regular' AS kind, id, external_id AS shortcode, client_id, uploaded_at AS at
    FROM posts
    WHERE platform = 'instagram' AND external_id = ANY(:codes)
    UNION ALL
    SELECT 'special', id, shortcode, client_id, registered_at FROM special_tasks
    WHERE shortcode = ANY(:codes)
"""


async def stored_tasks(db: Database, shortcodes: list[str]) -> list[StoredTask]:
    if not shortcodes:
        return []
    rows = await fetch_all(db, _BY_SHORTCODE_SQL, codes=shortcodes)
    return [StoredTask(TaskKind(row["kind"]), row["id"], row["shortcode"], row["client_id"],
                       row["at"]) for row in rows]


class TaskProblem(StrEnum):
    """Why an Instagram post named by its shortcode is not one of the officer's tasks now."""

    NOT_STORED = "not_stored"  # no official post or special task: a link like any other
    OTHER_CLIENT = "other_client"  # a task of a unit the officer does not belong to
    OUTSIDE_WINDOW = "outside_window"  # the officer's unit's, but no longer reportable


async def locate(db: Database, officer: Officer, tasks: list[Task], shortcodes: list[str],
                 kind: TaskKind | None = None) -> dict[str, Task | TaskProblem]:
    """Each shortcode as one of `tasks` (the officer's tasks of the window), else why not
    (only tasks of `kind` when given)."""
    found: dict[str, Task | TaskProblem] = {}
    by_code = {}
    for task in tasks:
        if kind is None or task.kind is kind:
            by_code.setdefault(task.shortcode, task)
    missing = [code for code in shortcodes if code not in by_code]
    stored: dict[str, set[str]] = {}
    for entry in await stored_tasks(db, missing):
        if kind is None or entry.kind is kind:
            stored.setdefault(entry.shortcode, set()).add(entry.client_id)
    for code in shortcodes:
        if code in by_code:
            found[code] = by_code[code]
        elif code not in stored:
            found[code] = TaskProblem.NOT_STORED
        elif stored[code] & set(officer.units):
            found[code] = TaskProblem.OUTSIDE_WINDOW
        else:
            found[code] = TaskProblem.OTHER_CLIENT
    return found


# --- writing --------------------------------------------------------------------------------


def _upsert_sql(kind: TaskKind) -> str:
    """$1 task, $2 user, $3 now, then per platform its link and whether to set it."""
    where = REPORT_TABLES[kind]
    table, task = where.table, where.task_column
    values = ", ".join(f"${4 + 2 * n}" for n in range(len(LINK_COLUMNS)))
    updates = ", ".join(
        f"{column} = CASE WHEN ${5 + 2 * n}::boolean THEN EXCLUDED.{column} "
        f"ELSE {table}.{column} END" for n, column in enumerate(LINK_COLUMNS))
    return f"""
        INSERT INTO {table} ({task}, user_id, {", ".join(LINK_COLUMNS)}, submitted_at,
                             updated_at)
        VALUES ($1, $2, {values}, $3, $3)
        ON CONFLICT ({task}, user_id) DO UPDATE SET {updates}, updated_at = EXCLUDED.updated_at
        RETURNING {", ".join(LINK_COLUMNS)}, submitted_at, updated_at, (xmax = 0) AS created
    """


_UPSERT_SQL = {kind: _upsert_sql(kind) for kind in TaskKind}


@dataclass(frozen=True)
class SavedReport:
    links: Links  # every platform's link after the change
    created: bool  # a first report of this task by this person
    submitted_at: datetime
    updated_at: datetime


async def save_links(engine: AsyncEngine, kind: TaskKind, task_id: int, user_id: str,
                     changes: Links, now: datetime) -> SavedReport:
    """Set the platforms in `changes` (None clears one) and keep the others."""
    args: list[Any] = [task_id, user_id, now]
    for platform in PLATFORMS:
        args += [changes.get(platform), platform in changes]
    [row] = await fetch_rows(engine, _UPSERT_SQL[kind], *args)
    return SavedReport(_links_of(row), row["created"], row["submitted_at"], row["updated_at"])


async def delete_report(db: Database, kind: TaskKind, task_id: int, user_id: str) -> bool:
    where = REPORT_TABLES[kind]
    rows = await write_returning(
        db, f"DELETE FROM {where.table} WHERE {where.task_column} = :task_id "
            "AND user_id = :user_id RETURNING user_id", task_id=task_id, user_id=user_id)
    return bool(rows)
