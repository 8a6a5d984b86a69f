"""The arq worker: one function per scheduled job, cron entries from the schedule table.

Single flight: every cron entry and every manual enqueue of a job uses the same arq job id
(`job:<key>`) and results are not kept, so a job that is still queued or running is never
started a second time.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from arq import cron
from arq.connections import RedisSettings
from arq.typing import WorkerCoroutine
from arq.worker import Function, Worker, func
from redis.asyncio import Redis

from cicero.settings import Settings
from jobs.context import JobContext
from jobs.email import MAX_TRIES, send_email
from jobs.queue import QUEUE_NAME
from jobs.report_delivery import deliver_report
from jobs.runner import execute
from jobs.schedule import SCHEDULE, JobDefinition
from jobs.social_lookup import social_lookup
from storage.db import create_engine


def _coroutine(job: JobDefinition) -> WorkerCoroutine:
    async def run(ctx: dict[str, Any], force: bool = False) -> dict[str, Any]:
        return await execute(ctx["cicero"], job, force=force)

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
    return scheduled + on_demand


def _cron_jobs() -> list[Any]:
    entries = []
    for job in SCHEDULE:
        hours_by_minute: dict[int, set[int]] = defaultdict(set)
        for moment in job.times:
            hour, minute = (int(part) for part in moment.split(":"))
            hours_by_minute[minute].add(hour)
        for minute, hours in sorted(hours_by_minute.items()):
            entries.append(cron(_coroutine(job), name=f"{job.arq_name}@{minute:02d}",
                                hour=hours, minute=minute, job_id=job.arq_name,
                                timeout=job.timeout_seconds, keep_result=0))
    return entries


async def open_context(settings: Settings, database_url: str, redis_url: str) -> JobContext:
    return JobContext(settings=settings, database_url=database_url,
                      engine=create_engine(database_url),
                      redis=Redis.from_url(redis_url, decode_responses=True),
                      http=httpx.AsyncClient(timeout=30))


async def close_context(context: JobContext) -> None:
    await context.http.aclose()
    await context.redis.aclose()
    await context.engine.dispose()


def create_worker(settings: Settings, database_url: str, redis_url: str, *,
                  handle_signals: bool = True, burst: bool = False) -> Worker:
    async def startup(ctx: dict[str, Any]) -> None:
        ctx["cicero"] = await open_context(settings, database_url, redis_url)

    async def shutdown(ctx: dict[str, Any]) -> None:
        await close_context(ctx["cicero"])

    return Worker(
        functions=_functions(), cron_jobs=_cron_jobs(), queue_name=QUEUE_NAME,
        redis_settings=RedisSettings.from_dsn(redis_url), on_startup=startup,
        on_shutdown=shutdown, timezone=ZoneInfo(settings.tz_business),
        handle_signals=handle_signals, burst=burst, keep_result=0, max_jobs=4,
    )
