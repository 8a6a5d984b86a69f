"""Link reports as lists, for the app API: one person's, or those of one client's tasks,
newest task first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cicero.clock import Period
from storage.link_reports import LINK_COLUMNS, PLATFORMS, REPORT_TABLES, Links, TaskKind
from storage.sql import Database, fetch_all

# Per kind of task: its table, shortcode column and day column.
_TASKS = {TaskKind.REGULAR: ("posts", "external_id", "uploaded_at", "AND t.platform = 'instagram'"),
          TaskKind.SPECIAL: ("special_tasks", "shortcode", "registered_at", "")}


def _list_sql(kind: TaskKind) -> str:
    table, shortcode, at, only = _TASKS[kind]
    reports = REPORT_TABLES[kind]
    links = ", ".join(f"r.{column}" for column in LINK_COLUMNS)
    return f"""
        SELECT t.{shortcode} AS shortcode, t.client_id AS task_client_id, t.{at} AS task_at,
               r.user_id, p.name, p.rank, p.client_id AS home_client_id, {links},
               r.submitted_at, r.updated_at, count(*) OVER () AS total
        FROM {reports.table} r
        JOIN {table} t ON t.id = r.{reports.task_column} {only}
        JOIN personnel p ON p.user_id = r.user_id
        WHERE (CAST(:user_id AS text) IS NULL OR r.user_id = :user_id)
          AND (CAST(:client_id AS text) IS NULL OR t.client_id = :client_id)
          AND (CAST(:shortcode AS text) IS NULL OR t.{shortcode} = :shortcode)
          AND (CAST(:since AS timestamptz) IS NULL OR t.{at} >= :since)
          AND (CAST(:until AS timestamptz) IS NULL OR t.{at} < :until)
        ORDER BY t.{at} DESC, t.{shortcode}, r.user_id
        LIMIT :limit OFFSET :offset
    """


_LIST_SQL = {kind: _list_sql(kind) for kind in TaskKind}


@dataclass(frozen=True)
class ReportRow:
    shortcode: str
    task_client_id: str
    task_at: datetime
    user_id: str
    name: str
    rank: str | None
    home_client_id: str
    links: Links
    submitted_at: datetime
    updated_at: datetime


def _row(row: Any) -> ReportRow:
    return ReportRow(row["shortcode"], row["task_client_id"], row["task_at"], row["user_id"],
                     row["name"], row["rank"], row["home_client_id"],
                     {platform: row[f"{platform}_link"] for platform in PLATFORMS},
                     row["submitted_at"], row["updated_at"])


async def list_reports(db: Database, kind: TaskKind, *, user_id: str | None = None,
                       client_id: str | None = None, shortcode: str | None = None,
                       period: Period | None = None, page: int = 1,
                       limit: int = 20) -> tuple[list[ReportRow], int]:
    """One page of reports and the number of all that match."""
    rows = await fetch_all(db, _LIST_SQL[kind], user_id=user_id, client_id=client_id,
                           shortcode=shortcode, since=period.since if period else None,
                           until=period.until if period else None, limit=limit,
                           offset=(page - 1) * limit)
    return [_row(row) for row in rows], int(rows[0]["total"]) if rows else 0
