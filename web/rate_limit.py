"""Fixed-window request counters in Redis, for the public endpoints that attackers like:
logins, registrations, reset requests, one-time codes.

A window starts with its first hit and lasts `window` seconds; past `limit` hits the caller
gets 429 (with Retry-After) until it ends. Every hit is counted in one atomic step BEFORE the
work it guards, so concurrent requests cannot all slip past a limit that was read first and
counted later.

Logins (`login_attempt`), counted before the password is checked:
- per (username, source address): LOGIN_ATTEMPTS_PER_SOURCE; a stranger exhausting it locks
  out only themselves, never the owner elsewhere;
- per source address, whatever the username: LOGIN_ATTEMPTS_PER_IP;
- per username from every source: past LOGIN_FAILURES_PER_USERNAME, an attempt from an
  address the account never logged in from must take a slot that is free only every
  1, 2, 4 … up to LOGIN_SLOWDOWN_MAX_SECONDS seconds: guessing from many addresses slows to
  a crawl instead of locking the owner out, and the owner's known addresses pass.
A refused attempt is not counted anywhere; a successful one clears its (username, source)
counter and is not a failure for the others.

Redis errors are not swallowed: an unreachable Redis answers 503 (web/errors.py), so no
limit is ever silently skipped.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from redis.asyncio import Redis
from starlette.requests import Request

from web.errors import ApiError


@dataclass(frozen=True)
class Limit:
    name: str
    limit: int  # hits allowed per window
    window: int  # seconds


LOGIN_ATTEMPTS_PER_SOURCE = Limit("login-user-source", 5, 15 * 60)
LOGIN_ATTEMPTS_PER_IP = Limit("login-ip", 20, 15 * 60)
LOGIN_FAILURES_PER_USERNAME = Limit("login-user", 10, 15 * 60)  # beyond: slowed, not refused
LOGIN_SLOWDOWN_FIRST_SECONDS = 1
LOGIN_SLOWDOWN_MAX_SECONDS = 5 * 60
REGISTRATIONS_PER_IP = Limit("register-ip", 10, 3600)
RESET_REQUESTS_PER_IP = Limit("reset-request-ip", 10, 3600)

# KEYS: counters (per source, per address, per username), the username's slow-down slot.
# ARGV: window (the three login limits share one), their limits, 1 when the source is
# known, first and longest delay (ms).
# Returns {0} when allowed, else {which limit refused (1..3), milliseconds to wait}.
_LOGIN_ATTEMPT_LUA = """
local counted = {}
local function count(key)
  redis.call('SET', key, 0, 'EX', ARGV[1], 'NX')
  counted[#counted + 1] = key
  return redis.call('INCR', key)
end
local function refuse(which, wait_ms)
  for _, key in ipairs(counted) do redis.call('DECR', key) end
  return {which, wait_ms}
end
if count(KEYS[1]) > tonumber(ARGV[2]) then return refuse(1, redis.call('PTTL', KEYS[1])) end
if count(KEYS[2]) > tonumber(ARGV[3]) then return refuse(2, redis.call('PTTL', KEYS[2])) end
local failures = count(KEYS[3])
local over = failures - tonumber(ARGV[4])
if over > 0 and ARGV[5] == '0' then
  local delay = math.min(tonumber(ARGV[6]) * 2 ^ math.min(over - 1, 30), tonumber(ARGV[7]))
  if not redis.call('SET', KEYS[4], 1, 'PX', math.floor(delay), 'NX') then
    return refuse(3, redis.call('PTTL', KEYS[4]))
  end
end
return {0}
"""
# KEYS: the per-source counter (cleared), the per-address and per-username ones (uncounted).
_LOGIN_SUCCEEDED_LUA = """
redis.call('DEL', KEYS[1])
for i = 2, #KEYS do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
"""


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _key(limit: Limit, *subject: str) -> str:
    text = "\x00".join(part.strip().lower() for part in subject)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"ratelimit:{limit.name}:{digest}"


def _too_many(milliseconds_left: int, window: int) -> ApiError:
    seconds = math.ceil(milliseconds_left / 1000) if milliseconds_left > 0 else window
    minutes = max(1, math.ceil(seconds / 60))
    return ApiError(429, f"Terlalu banyak percobaan. Silakan coba lagi dalam {minutes} menit.",
                    headers={"Retry-After": str(seconds)})


def _slowed_down(milliseconds_left: int) -> ApiError:
    seconds = max(1, math.ceil(milliseconds_left / 1000))
    return ApiError(429, "Terlalu banyak percobaan login untuk akun ini. Silakan coba lagi "
                         f"dalam {seconds} detik.", headers={"Retry-After": str(seconds)})


async def consume(redis: Redis, limit: Limit, subject: str) -> None:
    """Count one hit and answer 429 when it is over the limit."""
    key = _key(limit, subject)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.set(key, 0, ex=limit.window, nx=True)
        pipe.incr(key)
        pipe.pttl(key)
        _, count, milliseconds_left = await pipe.execute()
    if int(count) > limit.limit:
        raise _too_many(int(milliseconds_left), limit.window)


@dataclass(frozen=True)
class LoginAttempt:
    """A login attempt that was counted and allowed; tell it when the password was right."""

    redis: Redis
    keys: tuple[str, str, str]

    async def succeeded(self) -> None:
        await self.redis.register_script(_LOGIN_SUCCEEDED_LUA)(list(self.keys))


async def login_attempt(redis: Redis, username: str, source: str, *,
                        known_source: bool) -> LoginAttempt:
    """Count a login attempt before its password is checked; 429 when a limit refuses it.
    `known_source`: the account has logged in successfully from this address before."""
    counters = (_key(LOGIN_ATTEMPTS_PER_SOURCE, username, source),
                _key(LOGIN_ATTEMPTS_PER_IP, source),
                _key(LOGIN_FAILURES_PER_USERNAME, username))
    slot = _key(LOGIN_FAILURES_PER_USERNAME, username) + ":slot"
    reply = await redis.register_script(_LOGIN_ATTEMPT_LUA)(
        [*counters, slot],
        [LOGIN_ATTEMPTS_PER_SOURCE.window, LOGIN_ATTEMPTS_PER_SOURCE.limit,
         LOGIN_ATTEMPTS_PER_IP.limit, LOGIN_FAILURES_PER_USERNAME.limit,
         1 if known_source else 0, LOGIN_SLOWDOWN_FIRST_SECONDS * 1000,
         LOGIN_SLOWDOWN_MAX_SECONDS * 1000])
    refused_by = int(reply[0])
    if refused_by == 3:
        raise _slowed_down(int(reply[1]))
    if refused_by:
        raise _too_many(int(reply[1]), LOGIN_ATTEMPTS_PER_SOURCE.window)
    return LoginAttempt(redis, counters)
