"""Job toggles and the record of every run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import JobRunStatus


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
    async with engine.connect() as connection:
        value = (await connection.execute(
            text("SELECT is_active FROM job_configs WHERE job_key = :key"), {"key": job_key}
        )).scalar_one_or_none()
    return value is not False


async def set_active(engine: AsyncEngine, job_key: str, display_name: str, active: bool) -> None:
    async with engine.begin() as connection:
        await connection.execute(text(
            "INSERT INTO job_configs (job_key, display_name, is_active) VALUES (:key, :name, :on) "
            "ON CONFLICT (job_key) DO UPDATE SET is_active = :on, display_name = :name, "
            "updated_at = now()"), {"key": job_key, "name": display_name, "on": active})


async def toggles(engine: AsyncEngine) -> dict[str, bool]:
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT job_key, is_active FROM job_configs"))
        return {key: active for key, active in rows}


async def start_run(engine: AsyncEngine, job_key: str, status: str = JobRunStatus.RUNNING,
                    error: str | None = None) -> int:
    async with engine.begin() as connection:
        return int((await connection.execute(text(
            "INSERT INTO job_runs (job_key, status, error, finished_at) "
            "VALUES (:key, :status, :error, CASE WHEN :finished THEN now() END) RETURNING id"),
            {"key": job_key, "status": str(status), "error": error,
             "finished": status != JobRunStatus.RUNNING})
        ).scalar_one())


async def finish_run(engine: AsyncEngine, run_id: int, status: JobRunStatus,
                     counts: dict[str, Any] | None = None, error: str | None = None) -> None:
    import json

    async with engine.begin() as connection:
        await connection.execute(text(
            "UPDATE job_runs SET status = :status, finished_at = now(), "
            "counts = CAST(:counts AS jsonb), error = :error WHERE id = :id"),
            {"id": run_id, "status": str(status), "error": error,
             "counts": json.dumps(counts) if counts is not None else None})


async def last_runs(engine: AsyncEngine) -> dict[str, LastRun]:
    async with engine.connect() as connection:
        rows = (await connection.execute(text(
            "SELECT DISTINCT ON (job_key) job_key, started_at, finished_at, status, counts, error "
            "FROM job_runs ORDER BY job_key, started_at DESC, id DESC"))).mappings()
        return {row["job_key"]: LastRun(**row) for row in rows}
