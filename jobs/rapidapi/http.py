"""One RapidAPI provider over the shared `httpx.AsyncClient`: rate limit, concurrency, retries.

Every call goes through `RapidApiClient.get_json`:

1. take a concurrency slot (per client instance, i.e. per process; retries and the next
   pages of a listing are served before fresh calls),
2. wait for the provider's rate limiter (Redis, shared by every process on the same Redis),
3. send the request with the RapidAPI headers,
4. on 429 / 5xx / timeout / connection error release the slot, sleep (exactly `Retry-After`,
   or exponential backoff with jitter) and try again; any other 4xx, a malformed body or
   exhausted attempts raise `RapidApiError` naming the call.

The sleep between attempts happens outside the concurrency slot, so a call that waits for a
retry never holds back the others.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import json
import math
import random
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from time import time as wall_time
from typing import Any

import httpx
import structlog
from redis.asyncio import Redis

from cicero.backoff import backoff_delay

log = structlog.get_logger(__name__)

INSTAGRAM_HOST = "social-api4.p.rapidapi.com"
TIKTOK_HOST = "tiktok-api23.p.rapidapi.com"

_RETRYABLE_TRANSPORT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
_BODY_EXCERPT = 200


@dataclass(frozen=True)
class ProviderConfig:
    name: str
    base_url: str
    host: str
    requests_per_second: float = 10.0
    concurrency: int = 6
    max_attempts: int = 5
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    timeout: float = 20.0


def instagram_config(settings: Any) -> ProviderConfig:
    """The Instagram product (social-api4); base URL from `RAPIDAPI_INSTAGRAM_URL`."""
    return ProviderConfig(
        name="instagram", base_url=settings.rapidapi_instagram_url, host=INSTAGRAM_HOST,
        requests_per_second=float(getattr(settings, "rapidapi_instagram_rps", 10.0)),
        concurrency=int(getattr(settings, "rapidapi_concurrency", 6)))


def tiktok_config(settings: Any) -> ProviderConfig:
    """The TikTok product (tiktok-api23); base URL from `RAPIDAPI_TIKTOK_URL`."""
    return ProviderConfig(
        name="tiktok", base_url=settings.rapidapi_tiktok_url, host=TIKTOK_HOST,
        requests_per_second=float(getattr(settings, "rapidapi_tiktok_rps", 10.0)),
        concurrency=int(getattr(settings, "rapidapi_concurrency", 6)))


class RapidApiError(Exception):
    """A call that failed for good: non-retryable 4xx, malformed body, or retries exhausted."""

    def __init__(self, endpoint: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.endpoint = endpoint
        self.status = status


class NotFound(RapidApiError):
    """The account / post does not exist (HTTP 404, or a 200 body saying so)."""


class PrivateAccount(RapidApiError):
    """The account exists but is private: its posts cannot be read."""


@dataclass
class CallStats:
    calls: int = 0  # logical calls (get_json invocations)
    retries: int = 0  # extra HTTP attempts after a retryable failure
    failures: int = 0  # calls that ended in RapidApiError

    @property
    def requests(self) -> int:
        """HTTP requests sent, i.e. what the RapidAPI quota is charged for (roughly)."""
        return self.calls + self.retries


# GCRA by reservation: each caller books the next free slot and is told how long to wait for
# it. The theoretical arrival time lives in Redis, the clock is Redis's own (TIME), so every
# process sharing the Redis shares the same schedule and nobody polls.
_RESERVE_SLOT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]))
if not tat or tat < now then tat = now end
local nxt = tat + interval
redis.call('SET', KEYS[1], string.format('%d', nxt), 'PX', math.ceil((nxt - now) / 1000) + 1000)
return tat - now
"""


class RateLimiter:
    """At most `per_second` acquisitions per second for `name`, across every process."""

    def __init__(self, redis: Redis, name: str, per_second: float) -> None:
        self.key = f"cicero:rapidapi:rate:{name}"
        self.per_second = per_second
        self._interval_us = math.ceil(1_000_000 / per_second) if per_second > 0 else 0
        self._reserve = redis.register_script(_RESERVE_SLOT)

    async def acquire(self) -> None:
        if not self._interval_us:
            return
        wait_us = int(await self._reserve(keys=[self.key], args=[self._interval_us]))
        if wait_us > 0:
            await asyncio.sleep(wait_us / 1_000_000)


URGENT = 1 << 40  # the priority of retries and listings: work begun, or work that unlocks more


class ConcurrencySlots:
    """A semaphore whose waiters are served highest `priority` first, FIFO within a
    priority. Callers give retries and post listings `URGENT`, and an engagement page the
    work still ahead of it, so long chains of pages start early and the run does not end
    waiting on one of them (longest remaining work first)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._free = size
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._arrivals = itertools.count()
        self._busy_seconds = 0.0  # slot-seconds held, up to `_since`
        self._since = time.monotonic()

    @property
    def in_use(self) -> int:
        return self.size - self._free

    @property
    def waiting(self) -> int:
        """Callers queued for a slot."""
        return len(self._waiters)

    @property
    def busy_seconds(self) -> float:
        """Slot-seconds held so far (a benchmark divides it by size x wall time)."""
        return self._busy_seconds + self.in_use * (time.monotonic() - self._since)

    def _set_free(self, free: int) -> None:
        now = time.monotonic()
        self._busy_seconds += self.in_use * (now - self._since)
        self._since, self._free = now, free

    async def acquire(self, priority: int = 0) -> None:
        if self._free > 0 and not self._waiters:
            self._set_free(self._free - 1)
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (-priority, next(self._arrivals), waiter))
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()  # the slot was handed over just as we were cancelled
            raise

    def release(self) -> None:
        while self._waiters:
            _, _, waiter = heapq.heappop(self._waiters)
            if not waiter.done():
                waiter.set_result(None)  # hand the slot over directly
                return
        self._set_free(self._free + 1)

    @asynccontextmanager
    async def slot(self, priority: int = 0) -> AsyncIterator[None]:
        await self.acquire(priority)
        try:
            yield
        finally:
            self.release()


@dataclass
class _Retry:
    """A failed attempt that may be repeated."""

    reason: str
    status: int | None = None
    retry_after: float | None = None


def _retry_after(value: str | None) -> float | None:
    """Seconds from a `Retry-After` header (delta-seconds, fractional accepted, or HTTP date)."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - wall_time()
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(0.0, seconds)


def _excerpt(response: httpx.Response) -> str:
    text = " ".join(response.text.split())
    return text[:_BODY_EXCERPT] + ("…" if len(text) > _BODY_EXCERPT else "")


def decode_body(raw: bytes) -> dict[str, Any]:
    """The JSON object of a body; a JSON string holding an object is unwrapped once."""
    data = json.loads(raw)
    if isinstance(data, str):
        data = json.loads(data)
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    return data


class RapidApiClient:
    """One provider. Create one per provider per process and share it between jobs: the
    concurrency bound is per instance, the rate limit is per provider name across processes."""

    def __init__(self, http: httpx.AsyncClient, redis: Redis, config: ProviderConfig,
                 api_key: str) -> None:
        self.http = http
        self.config = config
        self.api_key = api_key
        self.stats = CallStats()
        self.limiter = RateLimiter(redis, config.name, config.requests_per_second)
        self.slots = ConcurrencySlots(max(1, config.concurrency))
        self._base = config.base_url.rstrip("/")
        self._random = random.Random()

    def _describe(self, path: str, params: dict[str, str | int]) -> str:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return f"{self.config.name} GET {path}" + (f"?{query}" if query else "")

    def _backoff(self, retry_number: int) -> float:
        """Exponential backoff with 'equal jitter': between half and all of base·2^(n-1)."""
        return backoff_delay(retry_number - 1, base=self.config.backoff_base,
                             cap=self.config.backoff_cap, jitter=0.5, rand=self._random.random)

    async def get_json(self, path: str, params: dict[str, str | int], *,
                       fresh: bool = True, priority: int = 0) -> dict[str, Any]:
        """The decoded JSON object of `GET path?params`; raises `RapidApiError` when it cannot
        be had.

        `fresh` adds `x-cache-control: no-cache` (the reference sends it on all list calls).
        `priority` orders the wait for a slot (higher first; retries are always `URGENT`).
        """
        self.stats.calls += 1
        call = self._describe(path, params)
        headers = {"x-rapidapi-key": self.api_key, "x-rapidapi-host": self.config.host}
        if fresh:
            headers["x-cache-control"] = "no-cache"
        attempt = 0
        while True:
            attempt += 1
            outcome = await self._attempt(path, call, params, headers,
                                          URGENT if attempt > 1 else priority)
            if not isinstance(outcome, _Retry):
                return outcome
            wait = outcome.retry_after
            if wait is not None and wait > self.config.backoff_cap:
                raise self._fail(path, f"{call}: {outcome.reason}, Retry-After {wait:.0f}s is "
                                       "longer than we wait", outcome.status)
            if attempt >= self.config.max_attempts:
                raise self._fail(path, f"{call}: gave up after {attempt} attempts, last: "
                                       f"{outcome.reason}", outcome.status)
            if wait is None:
                wait = self._backoff(attempt)
            self.stats.retries += 1
            log.info("rapidapi_retry", call=call, attempt=attempt, reason=outcome.reason,
                     wait=round(wait, 3))
            await asyncio.sleep(wait)

    def _fail(self, path: str, message: str, status: int | None,
              kind: type[RapidApiError] = RapidApiError) -> RapidApiError:
        self.stats.failures += 1
        log.warning("rapidapi_failed", provider=self.config.name, endpoint=path, status=status,
                    error=message)
        return kind(path, message, status)

    async def _attempt(self, path: str, call: str, params: dict[str, str | int],
                       headers: dict[str, str], priority: int) -> dict[str, Any] | _Retry:
        async with self.slots.slot(priority):
            await self.limiter.acquire()
            try:
                response = await self.http.get(self._base + path, params=params,
                                               headers=headers, timeout=self.config.timeout)
            except _RETRYABLE_TRANSPORT as exc:
                return _Retry(f"{type(exc).__name__} {exc}".strip())
            except httpx.HTTPError as exc:
                raise self._fail(path, f"{call}: {type(exc).__name__} {exc}", None) from exc
        status = response.status_code
        if status == 429:
            return _Retry("HTTP 429", status, _retry_after(response.headers.get("retry-after")))
        if status >= 500:
            return _Retry(f"HTTP {status}: {_excerpt(response)}", status)
        if status == 404:
            raise self._fail(path, f"{call}: HTTP 404: {_excerpt(response)}", status, NotFound)
        if status >= 300:
            raise self._fail(path, f"{call}: HTTP {status}: {_excerpt(response)}", status)
        try:
            return decode_body(response.content)
        except (ValueError, UnicodeDecodeError) as exc:
            raise self._fail(path, f"{call}: malformed body ({exc}): {_excerpt(response)!r}",
                             status) from None

    def error(self, path: str, message: str, status: int | None = 200,
              kind: type[RapidApiError] = RapidApiError) -> RapidApiError:
        """An `RapidApiError` for a well-formed body that does not carry what the call needs."""
        return self._fail(path, message, status, kind)
