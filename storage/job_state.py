"""Job toggles and the record of every run."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import JobRunStatus
from storage.sql import execute, fetch_all, fetch_value, write_returning


@dataclass(frozen=True)
class LastRun:
    job_key: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    counts: dict[str, Any] | None
    error: str | None


async def is_active(engine: AsyncEngine, job_key: str) -> bool:
    """A job without a config row runs."""
    value = await fetch_value(engine, "SELECT is_active FROM job_configs WHERE job_key = :key",
                              key=job_key)
    return value is not False


async def set_active(engine: AsyncEngine, job_key: str, display_name: str, active: bool) -> None:
    await execute(
        engine, "INSERT INTO job_configs (job_key, display_name, is_active) "
        "VALUES (:key, :name, :on) ON CONFLICT (job_key) DO UPDATE SET is_active = :on, "
        "display_name = :name, updated_at = now()", key=job_key, name=display_name, on=active)


async def toggles(engine: AsyncEngine) -> dict[str, bool]:
    rows = await fetch_all(engine, "SELECT job_key, is_active FROM job_configs")
    return {row["job_key"]: row["is_active"] for row in rows}


async def start_run(engine: AsyncEngine, job_key: str, status: str = JobRunStatus.RUNNING,
                    error: str | None = None, counts: dict[str, Any] | None = None) -> int:
    [row] = await write_returning(
        engine, "INSERT INTO job_runs (job_key, status, error, counts, finished_at) "
        "VALUES (:key, :status, :error, CAST(:counts AS jsonb), "
        "CASE WHEN :finished THEN now() END) RETURNING id",
        key=job_key, status=str(status), error=error, counts=_json(counts),
        finished=status != JobRunStatus.RUNNING)
    return int(row["id"])


async def finish_run(engine: AsyncEngine, run_id: int, status: JobRunStatus,
                     counts: dict[str, Any] | None = None, error: str | None = None) -> None:
    """Record the end of a run; `counts` join those recorded at its start."""
    await execute(
        engine, "UPDATE job_runs SET status = :status, finished_at = now(), error = :error, "
        "counts = CASE WHEN counts IS NULL THEN CAST(:counts AS jsonb) "
        "ELSE counts || COALESCE(CAST(:counts AS jsonb), '{}') END WHERE id = :id",
        id=run_id, status=str(status), error=error, counts=_json(counts))


async def running_runs(engine: AsyncEngine, started_before_seconds: float) -> list[int]:
    """Runs still marked running that started more than this long ago."""
    rows = await fetch_all(
        engine, "SELECT id FROM job_runs WHERE status = :running "
        "AND started_at < now() - make_interval(secs => :age) ORDER BY id",
        running=str(JobRunStatus.RUNNING), age=started_before_seconds)
    return [int(row["id"]) for row in rows]


async def abandon_runs(engine: AsyncEngine, run_ids: list[int], reason: str) -> int:
    """Mark runs whose process is gone as failed (only those still running); how many."""
    return await execute(
        engine, "UPDATE job_runs SET status = :failed, finished_at = now(), error = :reason "
        "WHERE id = ANY(:ids) AND status = :running", failed=str(JobRunStatus.FAILED),
        running=str(JobRunStatus.RUNNING), reason=reason, ids=run_ids)


def _json(counts: dict[str, Any] | None) -> str | None:
    return json.dumps(counts) if counts is not None else None


async def run_counts(engine: AsyncEngine) -> list[tuple[str, str, int]]:
    """(job, status, runs) of every job and status recorded, by job and status."""
    rows = await fetch_all(engine, "SELECT job_key, status, count(*) AS runs FROM job_runs "
                                   "GROUP BY job_key, status ORDER BY job_key, status")
    return [(str(row["job_key"]), str(row["status"]), int(row["runs"])) for row in rows]


async def last_runs(engine: AsyncEngine) -> dict[str, LastRun]:
    rows = await fetch_all(
        engine, "SELECT DISTINCT ON (job_key) job_key, started_at, finished_at, status, counts, "
        "error FROM job_runs ORDER BY job_key, started_at DESC, id DESC")
    return {row["job_key"]: LastRun(**row) for row in rows}
