"""Running one job: toggle check, a recorded run, and errors that never crash the worker."""

from __future__ import annotations

from typing import Any

import structlog

from jobs.context import JobContext
from jobs.schedule import JobDefinition
from storage.job_state import finish_run, is_active, start_run
from storage.models import JobRunStatus

log = structlog.get_logger(__name__)


async def execute(ctx: JobContext, job: JobDefinition, *, force: bool = False) -> dict[str, Any]:
    """Run `job` now and record it. A disabled job is recorded as skipped unless forced."""
    if not force and not await is_active(ctx.engine, job.key):
        await start_run(ctx.engine, job.key, JobRunStatus.SKIPPED, "dinonaktifkan")
        log.info("job_skipped_disabled", job=job.key)
        return {"status": JobRunStatus.SKIPPED.value}
    run_id = await start_run(ctx.engine, job.key)
    log.info("job_started", job=job.key, run_id=run_id)
    try:
        counts = await job.run(ctx)
    except Exception as exc:  # a failed job is recorded and logged, never raised into the worker
        error = f"{type(exc).__name__}: {exc}"
        await finish_run(ctx.engine, run_id, JobRunStatus.FAILED, error=error[:2000])
        log.error("job_failed", job=job.key, run_id=run_id, error=error, exc_info=True)
        return {"status": JobRunStatus.FAILED.value, "error": error}
    await finish_run(ctx.engine, run_id, JobRunStatus.SUCCESS, counts=counts)
    log.info("job_finished", job=job.key, run_id=run_id, **counts)
    return {"status": JobRunStatus.SUCCESS.value, **counts}
