"""Running one job: toggle check, a recorded run, and errors that never crash the worker.

While a run lasts, the process running it (a worker, or `cicero jobs run`) keeps a lease in
Redis (`job-run:<id>`, LEASE_SECONDS, renewed every third of that). A run still marked
running without a lease lost its process (killed, crashed): workers mark it failed
(`reap_abandoned_runs`) instead of leaving it running forever.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from cicero.settings import ConfigError
from jobs.context import JobContext
from jobs.schedule import JobDefinition
from storage.job_state import abandon_runs, finish_run, is_active, running_runs, start_run
from storage.models import JobRunStatus

log = structlog.get_logger(__name__)

LEASE_SECONDS = 15
ABANDONED = "ditinggalkan: proses yang menjalankannya berhenti sebelum job selesai"


def lease_key(run_id: int) -> str:
    return f"job-run:{run_id}"


async def execute(ctx: JobContext, job: JobDefinition, *, force: bool = False,
                  caught_up: str | None = None) -> dict[str, Any]:
    """Run `job` now and record it. A disabled job is recorded as skipped unless forced.
    `caught_up`: the slot (ISO time) this run makes up for, recorded with the run."""
    noted = {"caught_up": caught_up} if caught_up else None
    if not force and not await is_active(ctx.engine, job.key):
        await start_run(ctx.engine, job.key, JobRunStatus.SKIPPED, "dinonaktifkan", noted)
        log.info("job_skipped_disabled", job=job.key)
        return {"status": JobRunStatus.SKIPPED.value}
    run_id = await start_run(ctx.engine, job.key, counts=noted)
    log.info("job_started", job=job.key, run_id=run_id, caught_up=caught_up)
    async with _lease(ctx.redis, run_id):
        try:
            counts = await job.run(ctx)
        except Exception as exc:  # a failed job is recorded and logged, never raised
            error = f"{type(exc).__name__}: {exc}"
            await finish_run(ctx.engine, run_id, JobRunStatus.FAILED, error=error[:2000])
            # a missing setting is said in its one line; anything else gets its traceback
            log.error("job_failed", job=job.key, run_id=run_id, error=error,
                      exc_info=not isinstance(exc, ConfigError))
            return {"status": JobRunStatus.FAILED.value, "error": error}
    await finish_run(ctx.engine, run_id, JobRunStatus.SUCCESS, counts=counts)
    log.info("job_finished", job=job.key, run_id=run_id, **counts)
    return {"status": JobRunStatus.SUCCESS.value, **counts}


@contextlib.asynccontextmanager
async def _lease(redis: Redis, run_id: int) -> AsyncIterator[None]:
    async def renew() -> None:
        while True:
            try:
                await redis.set(lease_key(run_id), "1", ex=LEASE_SECONDS)
            except (RedisError, OSError) as exc:  # Redis away: the run goes on regardless
                log.warning("job_lease_not_renewed", run_id=run_id, error=repr(exc))
            await asyncio.sleep(LEASE_SECONDS / 3)

    renewing = asyncio.create_task(renew(), name=f"job-lease-{run_id}")
    try:
        yield
    finally:
        renewing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewing
        with contextlib.suppress(RedisError, OSError):
            await redis.delete(lease_key(run_id))


async def reap_abandoned_runs(ctx: JobContext) -> int:
    """Mark failed the runs marked running whose process no longer renews their lease."""
    candidates = await running_runs(ctx.engine, started_before_seconds=LEASE_SECONDS)
    if not candidates:
        return 0
    leases = await ctx.redis.mget([lease_key(run_id) for run_id in candidates])
    gone = [run_id for run_id, lease in zip(candidates, leases, strict=True) if lease is None]
    reaped = await abandon_runs(ctx.engine, gone, ABANDONED) if gone else 0
    if reaped:
        log.warning("job_runs_abandoned", runs=gone)
    return reaped
