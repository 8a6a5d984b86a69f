"""One-time codes, kept only as salted SHA-256 digests in Redis: one live code per (scope,
subject), bound to a target (the e-mail or number it was sent to), burned by the right answer
or by the MAX_WRONG_ATTEMPTS-th wrong one. Used by the claim flow (scope `claim`) and the
personnel login (scope `personnel-login`).

Redis key: `<scope>:otp:<subject>`, hash {salt, digest, attempts}, expiring on its own.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from redis.asyncio import Redis

OTP_DIGITS = 6
OTP_TTL_SECONDS = 5 * 60
MAX_WRONG_ATTEMPTS = 3

# Counts the attempt and returns {attempts, salt, digest}, or nil when no code is live.
# One script, so concurrent guesses can never get more than MAX_WRONG_ATTEMPTS tries.
_TAKE_ATTEMPT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
local stored = redis.call('HMGET', KEYS[1], 'salt', 'digest')
return {attempts, stored[1], stored[2]}
"""


def code_key(scope: str, subject: str) -> str:
    return f"{scope}:otp:{subject}"


def _digest(salt: str, subject: str, target: str, code: str) -> str:
    material = f"{salt}:{subject}:{target.lower()}:{code}".encode()
    return hashlib.sha256(material).hexdigest()


async def issue_code(redis: Redis, scope: str, subject: str, target: str,
                     ttl_seconds: int = OTP_TTL_SECONDS) -> str:
    """A new 6-digit code, replacing any live one of the subject; only its digest is kept."""
    code = f"{secrets.randbelow(10 ** OTP_DIGITS):0{OTP_DIGITS}d}"
    salt = secrets.token_hex(16)
    key = code_key(scope, subject)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.delete(key)
        pipe.hset(key, mapping={"salt": salt, "digest": _digest(salt, subject, target, code),
                                "attempts": 0})
        pipe.expire(key, ttl_seconds)
        await pipe.execute()
    return code


async def discard_code(redis: Redis, scope: str, subject: str) -> None:
    await redis.delete(code_key(scope, subject))


async def consume_code(redis: Redis, scope: str, subject: str, target: str, code: str) -> bool:
    """True once for the right code; the code is then gone. Every check counts as an
    attempt; the MAX_WRONG_ATTEMPTS-th wrong one burns the code."""
    key = code_key(scope, subject)
    taken = await redis.register_script(_TAKE_ATTEMPT)([key])
    if taken is None:
        return False
    attempts, salt, digest = int(taken[0]), str(taken[1]), str(taken[2])
    if attempts > MAX_WRONG_ATTEMPTS:
        await redis.delete(key)
        return False
    if hmac.compare_digest(_digest(salt, subject, target, code), digest):
        return await redis.delete(key) == 1  # two simultaneous right answers: one wins
    if attempts >= MAX_WRONG_ATTEMPTS:
        await redis.delete(key)
    return False
