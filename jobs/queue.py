"""The one door to start a job from anywhere: enqueue it by key."""

from __future__ import annotations

from arq.connections import RedisSettings, create_pool

from jobs.schedule import by_key
from jobs.worker import QUEUE_NAME


class UnknownJob(KeyError):
    pass


async def enqueue_job(redis_url: str, key: str, *, force: bool = False) -> bool:
    """Queue job `key` for a worker; False when it is already queued or running."""
    job = by_key().get(key)
    if job is None:
        raise UnknownJob(key)
    pool = await create_pool(RedisSettings.from_dsn(redis_url), default_queue_name=QUEUE_NAME)
    try:
        queued = await pool.enqueue_job(job.arq_name, force, _job_id=job.arq_name)
        return queued is not None
    finally:
        await pool.aclose()
