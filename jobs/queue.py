"""The one door to start a job from anywhere: enqueue it by key."""

from __future__ import annotations

from arq.connections import ArqRedis, RedisSettings, create_pool
from redis.asyncio import Redis

from jobs.schedule import by_key
from jobs.worker import QUEUE_NAME


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


async def enqueue_email(redis: Redis, to: str, subject: str, body: str) -> None:
    """Queue one e-mail for a worker (job `send_email`) through an already open connection,
    e.g. the web app's: enqueueing only writes, so its pool's response decoding is harmless."""
    queue = ArqRedis(redis.connection_pool, default_queue_name=QUEUE_NAME)
    await queue.enqueue_job("send_email", to, subject, body)
