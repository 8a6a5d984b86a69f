"""The one door to start a job from anywhere: enqueue it by name; and whether a worker is
there to run it (its heartbeat). It imports nothing of the worker, so a web or bot process
never loads ingestion."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.jobs import Job, ResultNotFound
from redis.asyncio import ConnectionPool, Redis

from jobs.schedule import SCHEDULE, JobDefinition, by_key

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


async def run_and_wait(redis: Redis, function: str, *args: Any, job_id: str,
                       wait_seconds: float) -> Any | None:
    """Run job `function` on a worker and wait up to `wait_seconds` for what it returns;
    None when no worker answered in time. The function must keep its result
    (`keep_result` > 0).

    Identical requests share one job (same `job_id`), and a job no worker started within
    `wait_seconds` expires instead of running later for nobody. Results are pickled, so they
    are read over a connection of their own without the caller's response decoding."""
    pool = redis.connection_pool
    raw_pool = ConnectionPool(connection_class=pool.connection_class,
                              **{**pool.connection_kwargs, "decode_responses": False})
    queue = ArqRedis(connection_pool=raw_pool, default_queue_name=QUEUE_NAME)
    try:
        job = await queue.enqueue_job(function, *args, _job_id=job_id,
                                      _expires=timedelta(seconds=wait_seconds))
        job = job or Job(job_id, queue, _queue_name=QUEUE_NAME)
        return await job.result(timeout=wait_seconds, poll_delay=0.1)
    except (TimeoutError, ResultNotFound):
        return None
    finally:
        await queue.aclose()
        await raw_pool.disconnect()


async def lookup_social(redis: Redis, kind: str, username: str, limit: int,
                        wait_seconds: float) -> dict[str, Any]:
    """Run one RapidAPI lookup (job `social_lookup`, see jobs/social_lookup.py) on a worker and
    wait for its answer: `{"outcome": "ok", "data": ...}` or outcome `not_found` / `failed` /
    `unavailable`, and `timeout` when no worker answered in time (the worker keeps its answer
    for 10 s, so identical lookups share one job)."""
    answer = await run_and_wait(redis, "social_lookup", kind, username, limit,
                                job_id=f"social_lookup:{kind}:{username}:{limit}",
                                wait_seconds=wait_seconds)
    return answer if answer is not None else {"outcome": "timeout"}


def _special_task_job_id(client_id: str, shortcode: str) -> str:
    return f"special_task:{client_id}:{shortcode}"


async def register_special_task(redis: Redis, client_id: str, shortcode: str,
                                registered_by: str, wait_seconds: float) -> dict[str, Any]:
    """Register a special task (job `register_special_task`, jobs/special_tasks.py) and wait
    for the outcome: `{"outcome": "created" | "exists" | "not_found" | "failed" |
    "unavailable", "task_id": ...}`, or outcome `timeout`."""
    answer = await run_and_wait(redis, "register_special_task", client_id, shortcode,
                                registered_by, None,
                                job_id=_special_task_job_id(client_id, shortcode),
                                wait_seconds=wait_seconds)
    return answer if answer is not None else {"outcome": "timeout"}


async def enqueue_special_task(redis: Redis, client_id: str, shortcode: str,
                               registered_by: str, *, client_name: str, session: str, to: str,
                               key: str) -> bool:
    """Register a special task on a worker and tell `to` the outcome; the key (from the
    request message) is the job id and the outbox key, so a repeated request runs once."""
    queue = ArqRedis(redis.connection_pool, default_queue_name=QUEUE_NAME)
    reply = {"session": session, "to": to, "key": key, "client_name": client_name}
    job = await queue.enqueue_job("register_special_task", client_id, shortcode,
                                  registered_by, reply, _job_id=key)
    return job is not None


async def save_satbinmas_account(redis: Redis, client_id: str, platform: str, username: str,
                                 wait_seconds: float) -> dict[str, Any]:
    """Check an official Satbinmas account on its platform and store it for the satker (job
    `save_satbinmas_account`, see jobs/satbinmas_accounts.py), waiting up to `wait_seconds`
    for the outcome (`timeout` when no worker answered in time). Every request is a job of
    its own: a write repeated a moment later is checked again, not answered from the first."""
    answer = await run_and_wait(redis, "save_satbinmas_account", client_id, platform, username,
                                job_id=f"satbinmas_account:{uuid.uuid4().hex}",
                                wait_seconds=wait_seconds)
    return answer if answer is not None else {"outcome": "timeout"}


async def enqueue_satbinmas_account_for_chat(redis: Redis, client_id: str, platform: str,
                                             username: str, *, session: str, to: str,
                                             key: str, in_flow: bool = True) -> None:
    """The same check for a WhatsApp chat: its outcome is sent to `to` (`in_flow`: asked by
    the `#SatbinmasOfficial` flow, else by a console)."""
    queue = ArqRedis(redis.connection_pool, default_queue_name=QUEUE_NAME)
    await queue.enqueue_job("save_satbinmas_account_for_chat", client_id, platform, username,
                            session, to, key, in_flow, _job_id=key)


async def enqueue_satbinmas_profile(redis: Redis, client_id: str | None, username: str, *,
                                    session: str, to: str, key: str) -> None:
    """An Instagram profile's metadata (dirrequest 36), sent to `to`."""
    queue = ArqRedis(redis.connection_pool, default_queue_name=QUEUE_NAME)
    await queue.enqueue_job("satbinmas_profile_for_chat", client_id, username, session, to,
                            key, _job_id=key)


async def enqueue_satbinmas_task(redis: Redis, task: str, *, session: str, to: str,
                                 key: str) -> bool:
    """Dirrequest 37 / 38 / 39 (`instagram`, `secuid`, `tiktok`) for the chat `to`; False when
    the same task is already queued or running (its requester is told when it ends)."""
    queue = ArqRedis(redis.connection_pool, default_queue_name=QUEUE_NAME)
    job = await queue.enqueue_job("satbinmas_task_for_chat", task, session, to, key,
                                  _job_id=f"satbinmas:{task}")
    return job is not None
