"""The one door to start a job from anywhere: enqueue it by name. It imports nothing of the
worker, so a web or bot process never loads ingestion."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.jobs import Job, ResultNotFound
from redis.asyncio import ConnectionPool, Redis

from jobs.schedule import SCHEDULE, JobDefinition, by_key

QUEUE_NAME = "cicero:jobs"


class UnknownJob(KeyError):
    pass


def scheduled_jobs() -> tuple[JobDefinition, ...]:
    """The schedule's table (keys, names, times), for consoles and pages."""
    return SCHEDULE


async def _enqueue(redis_url: str, function: str, *args: object, job_id: str) -> bool:
    pool = await create_pool(RedisSettings.from_dsn(redis_url), default_queue_name=QUEUE_NAME)
    try:
        return await pool.enqueue_job(function, *args, _job_id=job_id) is not None
    finally:
        await pool.aclose()


async def enqueue_fetch_client(redis_url: str, client_id: str,
                               platforms: list[str] | None = None) -> bool:
    """Fetch one client now; False when a fetch of that client is already queued or running."""
    client_id = client_id.upper()
    return await _enqueue(redis_url, "fetch_client", client_id, platforms,
                          job_id=f"fetch:client:{client_id}")


async def enqueue_fetch_engagement(redis_url: str, post_id: int) -> bool:
    return await _enqueue(redis_url, "fetch_engagement", post_id,
                          job_id=f"fetch:engagement:{post_id}")


async def enqueue_job(redis_url: str, key: str, *, force: bool = False) -> bool:
    """Queue job `key` for a worker; False when it is already queued or running."""
    job = by_key().get(key)
    if job is None:
        raise UnknownJob(key)
    return await _enqueue(redis_url, job.arq_name, force, job_id=job.arq_name)


async def enqueue_email(redis: Redis, to: str, subject: str, body: str) -> None:
    """Queue one e-mail for a worker (job `send_email`) through an already open connection,
    e.g. the web app's: enqueueing only writes, so its pool's response decoding is harmless."""
    queue = ArqRedis(redis.connection_pool, default_queue_name=QUEUE_NAME)
    await queue.enqueue_job("send_email", to, subject, body)


async def enqueue_report(redis: Redis, delivery: dict[str, Any], *, session: str, to: str,
                         key: str) -> None:
    """Make a report on a worker and send it to `to` (job `deliver_report`); the key is the
    job's id and the outbox key of what it sends, so a repeated request is made once."""
    queue = ArqRedis(redis.connection_pool, default_queue_name=QUEUE_NAME)
    await queue.enqueue_job("deliver_report", delivery, session, to, key, _job_id=key)


async def enqueue_fetch_for_chat(redis: Redis, client_id: str, *, session: str, to: str,
                                 key: str, platforms: list[str] | None = None) -> bool:
    """Fetch one client now (`platforms`: None for both) and tell `to` what changed; False
    when a fetch of that client is already queued or running (its requester is told when it
    ends)."""
    queue = ArqRedis(redis.connection_pool, default_queue_name=QUEUE_NAME)
    job = await queue.enqueue_job("fetch_client_for_chat", client_id, session, to, key,
                                  platforms, _job_id=f"fetch:client:{client_id}")
    return job is not None


async def enqueue_tiktok_video_for_chat(redis: Redis, client_id: str, video_id: str, *,
                                        session: str, to: str, key: str) -> None:
    """Fetch one TikTok video (and its comments) for `client_id` and tell `to` what was found
    (job `fetch_tiktok_video_for_chat`); the key makes a repeated request run once."""
    queue = ArqRedis(redis.connection_pool, default_queue_name=QUEUE_NAME)
    await queue.enqueue_job("fetch_tiktok_video_for_chat", client_id, video_id, session, to,
                            key, _job_id=key)


async def enqueue_personnel_import(redis: Redis, filename: str, content: bytes, *,
                                   session: str, to: str, key: str) -> None:
    """Import a personnel file on a worker and send its summary to `to` (job
    `import_personnel_for_chat`); the key makes a repeated request run once."""
    queue = ArqRedis(redis.connection_pool, default_queue_name=QUEUE_NAME)
    await queue.enqueue_job("import_personnel_for_chat", filename, content, session, to, key,
                            _job_id=key)


async def enqueue_contacts_save(redis: Redis, *, phones: list[str] | None = None,
                                chat: tuple[str, str, str] | None = None) -> None:
    """Save personnel numbers to Google Contacts on a worker: `phones` only (None: every
    unsaved one); with `chat` (session, to, key) the outcome is sent there (job
    `save_contacts_for_chat`, all numbers), else nobody is told (job `save_contacts`)."""
    queue = ArqRedis(redis.connection_pool, default_queue_name=QUEUE_NAME)
    if chat is not None:
        session, to, key = chat
        await queue.enqueue_job("save_contacts_for_chat", session, to, key, _job_id=key)
    else:
        await queue.enqueue_job("save_contacts", phones)


async def lookup_social(redis: Redis, kind: str, username: str, limit: int,
                        wait_seconds: float) -> dict[str, Any]:
    """Run one RapidAPI lookup (job `social_lookup`, see jobs/social_lookup.py) on a worker and
    wait up to `wait_seconds` for its answer: `{"outcome": "ok", "data": ...}` or outcome
    `not_found` / `failed` / `unavailable`, and `timeout` when no worker answered in time.

    Identical lookups share one job (the job id is the lookup; the worker keeps its answer for
    10 s), and a job no worker started within `wait_seconds` expires instead of running later
    for nobody. Results are pickled, so they are read over a connection of their own without
    the caller's response decoding."""
    pool = redis.connection_pool
    raw_pool = ConnectionPool(connection_class=pool.connection_class,
                              **{**pool.connection_kwargs, "decode_responses": False})
    queue = ArqRedis(connection_pool=raw_pool, default_queue_name=QUEUE_NAME)
    job_id = f"social_lookup:{kind}:{username}:{limit}"
    try:
        job = await queue.enqueue_job("social_lookup", kind, username, limit, _job_id=job_id,
                                      _expires=timedelta(seconds=wait_seconds))
        job = job or Job(job_id, queue, _queue_name=QUEUE_NAME)
        return await job.result(timeout=wait_seconds, poll_delay=0.1)
    except (TimeoutError, ResultNotFound):
        return {"outcome": "timeout"}
    finally:
        await queue.aclose()
        await raw_pool.disconnect()
