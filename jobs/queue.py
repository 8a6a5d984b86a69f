"""The one door to start a job from anywhere: enqueue it by key; and whether a worker is
there to run it (its heartbeat)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.jobs import Job, ResultNotFound
from redis.asyncio import ConnectionPool, Redis

from jobs.schedule import by_key

QUEUE_NAME = "cicero:jobs"
# Every running worker writes the business time of its last poll here (jobs/worker.py); the
# key lives HEARTBEAT_TTL seconds, so it is gone soon after the last worker stopped polling.
HEARTBEAT_KEY = "cicero:worker:heartbeat"
HEARTBEAT_EVERY = 5
HEARTBEAT_TTL = 15


async def record_heartbeat(redis: Redis, now: datetime) -> None:
    await redis.set(HEARTBEAT_KEY, now.isoformat(), ex=HEARTBEAT_TTL)


async def last_heartbeat(redis: Redis) -> datetime | None:
    """When a worker last polled the queue, within the last HEARTBEAT_TTL seconds."""
    value = await redis.get(HEARTBEAT_KEY)
    if isinstance(value, bytes):
        value = value.decode()
    return datetime.fromisoformat(value) if value else None


class UnknownJob(KeyError):
    pass


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


async def enqueue_email(redis: Redis, to: str, subject: str, body: str, *,
                        valid_for: float | None = None) -> None:
    """Queue one e-mail for a worker (job `send_email`) through an already open connection,
    e.g. the web app's: enqueueing only writes, so its pool's response decoding is harmless.

    `valid_for` (seconds): the mail holds a one-time code worth nothing after this; the job
    (and the code in it) expires from Redis then instead of waiting a day for a worker. Its
    result is never kept (jobs/worker.py)."""
    queue = ArqRedis(redis.connection_pool, default_queue_name=QUEUE_NAME)
    await queue.enqueue_job("send_email", to, subject, body,
                            _expires=None if valid_for is None else timedelta(seconds=valid_for))


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
