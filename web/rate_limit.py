"""Fixed-window request counters in Redis, for the public endpoints that attackers like:
failed logins (per username and per IP), registrations and reset requests (per IP).

A window starts with its first hit and lasts `window` seconds; past `limit` hits the caller
gets 429 until it ends. Redis trouble never locks anyone out: the counters fail open.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.requests import Request

from web.errors import ApiError

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Limit:
    name: str
    limit: int  # hits allowed per window
    window: int  # seconds


LOGIN_FAILURES_PER_USERNAME = Limit("login-failures-user", 5, 15 * 60)
LOGIN_FAILURES_PER_IP = Limit("login-failures-ip", 20, 15 * 60)
REGISTRATIONS_PER_IP = Limit("register-ip", 10, 3600)
RESET_REQUESTS_PER_IP = Limit("reset-request-ip", 10, 3600)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _key(limit: Limit, subject: str) -> str:
    digest = hashlib.sha256(subject.strip().lower().encode("utf-8")).hexdigest()[:32]
    return f"ratelimit:{limit.name}:{digest}"


def _too_many(seconds_left: int) -> ApiError:
    minutes = max(1, math.ceil(seconds_left / 60))
    return ApiError(429, f"Terlalu banyak percobaan. Silakan coba lagi dalam {minutes} menit.")


async def hit(redis: Redis, limit: Limit, subject: str) -> int:
    """Count one hit; the number of hits in the current window (0 when Redis fails)."""
    key = _key(limit, subject)
    try:
        async with redis.pipeline(transaction=True) as pipe:
            pipe.set(key, 0, ex=limit.window, nx=True)
            pipe.incr(key)
            _, count = await pipe.execute()
        return int(count)
    except RedisError:
        log.warning("rate_limit_unavailable", limit=limit.name)
        return 0


async def ensure_allowed(redis: Redis, limit: Limit, subject: str) -> None:
    """429 when the window already holds `limit` hits (checked, not counted)."""
    key = _key(limit, subject)
    try:
        async with redis.pipeline(transaction=True) as pipe:
            pipe.get(key)
            pipe.ttl(key)
            count, ttl = await pipe.execute()
    except RedisError:
        log.warning("rate_limit_unavailable", limit=limit.name)
        return
    if count is not None and int(count) >= limit.limit:
        raise _too_many(int(ttl) if ttl and ttl > 0 else limit.window)


async def consume(redis: Redis, limit: Limit, subject: str) -> None:
    """Count one hit and answer 429 when it is over the limit."""
    if await hit(redis, limit, subject) > limit.limit:
        try:
            ttl = await redis.ttl(_key(limit, subject))
        except RedisError:
            ttl = limit.window
        raise _too_many(int(ttl) if ttl and ttl > 0 else limit.window)


async def clear(redis: Redis, limit: Limit, subject: str) -> None:
    try:
        await redis.delete(_key(limit, subject))
    except RedisError:
        log.warning("rate_limit_unavailable", limit=limit.name)
