"""The arq worker: one function per scheduled job, the schedule in business time, and a worker
that outlives Redis going away.

Single flight: every scheduled run and every manual enqueue of a job uses the same arq job id
(`job:<key>`) and results are not kept, so a job that is still queued or running is never
started a second time.

On every poll the worker (`CiceroWorker.heart_beat`) refreshes its heartbeat (jobs/queue.py,
read by /readyz), enqueues the jobs whose slots came (jobs/scheduler.py, also the slots
missed while Redis was away) and, every REAP_EVERY seconds, marks failed the runs whose
process died (jobs/runner.py). When Redis cannot be reached, arq's loop ends; `serve` waits
with backoff and resumes the same worker, and arq's bookkeeping of a job that ends during the
outage is repeated until Redis answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import structlog
from arq.connections import RedisSettings
from arq.typing import WorkerCoroutine
from arq.worker import Function, Worker, func
from redis.asyncio import Redis

from cicero.backoff import backoff_delay
from cicero.clock import clock
from cicero.settings import Settings
from cicero.unreachable import UNREACHABLE, while_unreachable
from jobs.context import JobContext
from jobs.email import MAX_TRIES, send_email
from jobs.queue import HEARTBEAT_EVERY, QUEUE_NAME, record_heartbeat
from jobs.report_delivery import deliver_report
from jobs.runner import execute, reap_abandoned_runs
from jobs.satbinmas_accounts import (
    satbinmas_profile_for_chat,
    save_satbinmas_account,
    save_satbinmas_account_for_chat,
)
from jobs.satbinmas_media import satbinmas_task_for_chat
from jobs.schedule import SCHEDULE, JobDefinition
from jobs.scheduler import SlotScheduler
from jobs.social_lookup import social_lookup
from jobs.special_tasks import register_special_task
from storage.db import create_engine
from storage.job_state import last_runs

log = structlog.get_logger(__name__)

REAP_EVERY = 10.0  # seconds between two looks for runs whose process died
RECONNECT_BASE, RECONNECT_CAP = 0.5, 5.0  # seconds: backoff while Redis is away
# arq's bookkeeping at the end of a job, repeated while Redis is away: ~5 minutes in all
_FINISH_DELAYS = (0.5, 1, 2, 4, *([5] * 59))


def _coroutine(job: JobDefinition) -> WorkerCoroutine:
    async def run(ctx: dict[str, Any], force: bool = False,
                  caught_up: str | None = None) -> dict[str, Any]:
        return await execute(ctx["cicero"], job, force=force, caught_up=caught_up)

    run.__qualname__ = run.__name__ = job.arq_name
    return run


async def fetch_client_job(ctx: dict[str, Any], client_id: str,
                           platforms: list[str] | None = None) -> dict[str, Any]:
    from jobs.fetch_jobs import fetch_client

    return await fetch_client(ctx["cicero"], client_id, platforms)


async def fetch_engagement_job(ctx: dict[str, Any], post_id: int) -> dict[str, Any]:
    from jobs.fetch_jobs import fetch_engagement

    return await fetch_engagement(ctx["cicero"], post_id)


async def fetch_client_for_chat_job(ctx: dict[str, Any], client_id: str, session: str, to: str,
                                    key: str, platforms: list[str] | None = None
                                    ) -> dict[str, Any]:
    from jobs.fetch_jobs import fetch_client_for_chat

    return await fetch_client_for_chat(ctx["cicero"], client_id, session, to, key, platforms)


async def fetch_tiktok_video_for_chat_job(ctx: dict[str, Any], client_id: str, video_id: str,
                                          session: str, to: str, key: str) -> dict[str, Any]:
    from jobs.fetch_jobs import fetch_tiktok_video_for_chat

    return await fetch_tiktok_video_for_chat(ctx["cicero"], client_id, video_id, session, to,
                                             key)


async def import_personnel_for_chat_job(ctx: dict[str, Any], filename: str, content: bytes,
                                        session: str, to: str, key: str) -> dict[str, Any]:
    from jobs.import_jobs import import_personnel_for_chat

    return await import_personnel_for_chat(ctx["cicero"], filename, content, session, to, key)


async def save_contacts_job(ctx: dict[str, Any], phones: list[str] | None = None
                            ) -> dict[str, Any]:
    from jobs.google_contacts import save_contacts

    return await save_contacts(ctx["cicero"], phones)


async def save_contacts_for_chat_job(ctx: dict[str, Any], session: str, to: str,
                                     key: str) -> dict[str, Any]:
    from jobs.google_contacts import save_contacts_for_chat

    return await save_contacts_for_chat(ctx["cicero"], session, to, key)


ON_DEMAND = {"fetch_client": fetch_client_job, "fetch_engagement": fetch_engagement_job,
             "fetch_client_for_chat": fetch_client_for_chat_job,
             "fetch_tiktok_video_for_chat": fetch_tiktok_video_for_chat_job,
             "import_personnel_for_chat": import_personnel_for_chat_job,
             "save_contacts": save_contacts_job,
             "save_contacts_for_chat": save_contacts_for_chat_job}


def _functions() -> list[Function]:
    scheduled = [func(_coroutine(job), name=job.arq_name, keep_result=0,
                      timeout=job.timeout_seconds, max_tries=1) for job in SCHEDULE]
    on_demand = [func(coroutine, name=name, keep_result=0, timeout=1800, max_tries=1)
                 for name, coroutine in ON_DEMAND.items()]
    on_demand.append(func(send_email, name="send_email", keep_result=0, timeout=120,
                          max_tries=MAX_TRIES))
    on_demand.append(func(deliver_report, name="deliver_report", keep_result=0, timeout=600,
                          max_tries=1))
    on_demand.append(func(social_lookup, name="social_lookup", keep_result=10, timeout=120,
                          max_tries=1))
    on_demand.append(func(register_special_task, name="register_special_task", keep_result=10,
                          timeout=120, max_tries=1))
    on_demand.append(func(save_satbinmas_account, name="save_satbinmas_account", keep_result=10,
                          timeout=120, max_tries=1))
    on_demand += [func(coroutine, name=coroutine.__name__, keep_result=0, timeout=600,
                       max_tries=1) for coroutine in (save_satbinmas_account_for_chat,
                                                      satbinmas_profile_for_chat,
                                                      satbinmas_task_for_chat)]
    return scheduled + on_demand


async def open_context(settings: Settings, database_url: str, redis_url: str) -> JobContext:
    return JobContext(settings=settings, database_url=database_url,
                      engine=create_engine(database_url),
                      redis=Redis.from_url(redis_url, decode_responses=True),
                      http=httpx.AsyncClient(timeout=30))


async def close_context(context: JobContext) -> None:
    await context.http.aclose()
    await context.redis.aclose()
    await context.engine.dispose()


class CiceroWorker(Worker):
    """arq's worker with our schedule (business time, catching up) instead of arq's cron."""

    def __init__(self, *args: Any, catch_up_missed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scheduler = None if self.burst else SlotScheduler(SCHEDULE, clock.now())
        self.connected = False  # the last poll reached Redis
        self.lost_redis_at: float | None = None  # since when `serve` has been waiting
        self._next_beat = self._next_reap = 0.0
        # Whether today's slots missed before the start are still to be looked up
        # (jobs/scheduler.py `recall`): `cicero up` and `cicero worker` do.
        self._recalled = not catch_up_missed
        self._reaping: asyncio.Task[None] | None = None

    async def heart_beat(self) -> None:
        if not self.connected:
            self.connected = True
            if self.lost_redis_at is not None:
                log.warning("worker_redis_back",
                            after=round(time.monotonic() - self.lost_redis_at, 1))
                self.lost_redis_at = None
        await self.record_health()
        now, moment = time.monotonic(), clock.now()
        if now >= self._next_beat:
            await record_heartbeat(self.pool, moment)
            self._next_beat = now + HEARTBEAT_EVERY
        if self.scheduler is not None:
            await self._enqueue_due(moment)
        if now >= self._next_reap and (self._reaping is None or self._reaping.done()):
            self._next_reap = now + REAP_EVERY  # beside the loop: PostgreSQL may be slow
            self._reaping = asyncio.create_task(self._reap(), name="worker-reap")

    async def _enqueue_due(self, now: datetime) -> None:
        assert self.scheduler is not None
        if not self._recalled and "cicero" in self.ctx:
            await self._recall()
        for due in self.scheduler.due(now):
            caught_up = due.slot.isoformat() if due.late else None
            queued = await self.pool.enqueue_job(due.job.arq_name, False, caught_up,
                                                 _job_id=due.job.arq_name)
            self.scheduler.enqueued(due.job, now)
            report = log.warning if caught_up else log.info
            report("job_caught_up" if caught_up else "job_due", job=due.job.key,
                   slot=due.slot.isoformat(), queued=queued is not None)
        self.scheduler.handled(now)

    async def _recall(self) -> None:
        assert self.scheduler is not None
        try:
            runs = await last_runs(self.ctx["cicero"].engine)
        except Exception as exc:  # PostgreSQL away: the next poll looks again
            log.warning("job_recall_failed", error=repr(exc))
            return
        recalled = self.scheduler.recall({key: run.started_at for key, run in runs.items()})
        self._recalled = True
        if recalled:
            log.warning("jobs_missed_before_start", jobs=recalled)

    async def _reap(self) -> None:
        context = self.ctx.get("cicero")
        if context is None:
            return
        try:
            await reap_abandoned_runs(context)
        except Exception as exc:  # PostgreSQL away: the next look tries again
            log.warning("job_reap_failed", error=repr(exc))

    async def close(self) -> None:
        if self._reaping is not None:
            self._reaping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reaping
        await super().close()

    # Left undone, a job that ended during an outage would stay "in progress" for its
    # timeout and then run a second time.
    async def finish_job(self, *args: Any, **kwargs: Any) -> None:
        finish = super().finish_job
        await while_unreachable(lambda: finish(*args, **kwargs), _FINISH_DELAYS,
                                "worker_finish_job_retry")

    async def finish_failed_job(self, *args: Any, **kwargs: Any) -> None:
        finish = super().finish_failed_job
        await while_unreachable(lambda: finish(*args, **kwargs), _FINISH_DELAYS,
                                "worker_finish_job_retry")


def create_worker(settings: Settings, database_url: str, redis_url: str, *,
                  handle_signals: bool = True, burst: bool = False,
                  catch_up_missed: bool = False) -> CiceroWorker:
    """`catch_up_missed`: make up today's slots that no worker ran before this one started
    (the production worker); off for workers that only run what is queued."""
    async def startup(ctx: dict[str, Any]) -> None:
        if "cicero" not in ctx:  # started again after Redis came back: keep what is open
            ctx["cicero"] = await open_context(settings, database_url, redis_url)

    async def shutdown(ctx: dict[str, Any]) -> None:
        await close_context(ctx["cicero"])

    return CiceroWorker(
        functions=_functions(), queue_name=QUEUE_NAME,
        redis_settings=RedisSettings.from_dsn(redis_url), on_startup=startup,
        on_shutdown=shutdown, timezone=ZoneInfo(settings.tz_business),
        handle_signals=handle_signals, burst=burst, keep_result=0, max_jobs=4,
        catch_up_missed=catch_up_missed,
    )


async def serve(worker: CiceroWorker) -> None:
    """Run the worker until it is stopped (a signal, `close()`; in burst mode: until the queue
    is empty). When Redis goes away, wait with backoff and take up again where it was."""
    stopped = asyncio.Event()
    worker.on_stop = lambda signal: stopped.set()
    attempt = 0
    while not stopped.is_set():
        try:
            await worker.async_run()
            return
        except asyncio.CancelledError:
            if stopped.is_set():  # arq cancels its own loop when told to stop
                return
            raise
        except UNREACHABLE as exc:
            if worker.connected or worker.lost_redis_at is None:
                worker.connected, attempt = False, 0
                worker.lost_redis_at = time.monotonic()
            delay = backoff_delay(attempt, base=RECONNECT_BASE, cap=RECONNECT_CAP, jitter=0.3)
            attempt += 1
            log.warning("worker_redis_unreachable", error=repr(exc), retry_in=round(delay, 2))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopped.wait(), delay)


async def stop(worker: CiceroWorker, serving: asyncio.Task[None]) -> None:
    """Stop a worker run by `serve` in the task `serving`; Redis may be away meanwhile."""
    try:
        await worker.close()
    except UNREACHABLE as exc:
        log.warning("worker_close_unreachable", error=repr(exc))
    serving.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await serving


async def run_queued_jobs(settings: Settings, database_url: str, redis_url: str) -> int:
    """Run every job queued now on a worker in this process until the queue is empty, so a
    sandbox replay shows what the jobs a conversation started send; how many jobs ran."""
    redis = Redis.from_url(redis_url)
    try:
        if not await redis.zcard(QUEUE_NAME):
            return 0
    finally:
        await redis.aclose()
    worker = create_worker(settings, database_url, redis_url, handle_signals=False, burst=True)
    try:
        await worker.async_run()
    finally:
        await worker.close()
    return worker.jobs_complete + worker.jobs_failed
