"""State of the self-service claim flow (profile update by e-mail OTP): the one-time codes,
kept only as salted SHA-256 digests in Redis, the "verified" window bound to NRP + e-mail,
and the two personnel look-ups the flow needs. No text here.

Redis keys (all expire on their own):
- `claim:otp:<nrp>`        hash {salt, digest, attempts}; one live code per NRP, 5 minutes
- `claim:verified:<nrp>`   the e-mail the window belongs to; 10 minutes
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

OTP_DIGITS = 6
OTP_TTL_SECONDS = 5 * 60
MAX_WRONG_ATTEMPTS = 3
VERIFIED_TTL_SECONDS = 10 * 60

# Counts the attempt and returns {attempts, salt, digest}, or nil when no code is live.
# One script, so concurrent guesses can never get more than MAX_WRONG_ATTEMPTS tries.
_TAKE_ATTEMPT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
local stored = redis.call('HMGET', KEYS[1], 'salt', 'digest')
return {attempts, stored[1], stored[2]}
"""


@dataclass(frozen=True)
class Claimant:
    """The person a claim is about, as far as the flow needs to know."""

    user_id: str
    name: str
    rank: str | None
    email: str | None
    active: bool


def _otp_key(nrp: str) -> str:
    return f"claim:otp:{nrp}"


def _verified_key(nrp: str) -> str:
    return f"claim:verified:{nrp}"


def _digest(salt: str, nrp: str, email: str, code: str) -> str:
    material = f"{salt}:{nrp}:{email.lower()}:{code}".encode()
    return hashlib.sha256(material).hexdigest()


# --- one-time codes ---------------------------------------------------------------------------

async def issue_code(redis: Redis, nrp: str, email: str) -> str:
    """A new 6-digit code for NRP + e-mail, replacing any live one; only its digest is kept."""
    code = f"{secrets.randbelow(10 ** OTP_DIGITS):0{OTP_DIGITS}d}"
    salt = secrets.token_hex(16)
    key = _otp_key(nrp)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.delete(key)
        pipe.hset(key, mapping={"salt": salt, "digest": _digest(salt, nrp, email, code),
                                "attempts": 0})
        pipe.expire(key, OTP_TTL_SECONDS)
        await pipe.execute()
    return code


async def discard_code(redis: Redis, nrp: str) -> None:
    await redis.delete(_otp_key(nrp))


async def consume_code(redis: Redis, nrp: str, email: str, code: str) -> bool:
    """True once for the right code of this NRP + e-mail; the code is then gone. Every check
    counts as an attempt; the MAX_WRONG_ATTEMPTS-th wrong one burns the code."""
    key = _otp_key(nrp)
    taken = await redis.eval(_TAKE_ATTEMPT, 1, key)
    if taken is None:
        return False
    attempts, salt, digest = int(taken[0]), str(taken[1]), str(taken[2])
    if attempts > MAX_WRONG_ATTEMPTS:
        await redis.delete(key)
        return False
    if hmac.compare_digest(_digest(salt, nrp, email, code), digest):
        return await redis.delete(key) == 1  # two simultaneous right answers: one wins
    if attempts >= MAX_WRONG_ATTEMPTS:
        await redis.delete(key)
    return False


# --- the verified window ----------------------------------------------------------------------

async def open_verified_window(redis: Redis, nrp: str, email: str) -> None:
    await redis.set(_verified_key(nrp), email.lower(), ex=VERIFIED_TTL_SECONDS)


async def is_verified(redis: Redis, nrp: str, email: str) -> bool:
    holder = await redis.get(_verified_key(nrp))
    return holder is not None and hmac.compare_digest(str(holder), email.lower())


async def extend_verified_window(redis: Redis, nrp: str, email: str) -> None:
    """Another VERIFIED_TTL_SECONDS from now, if the window is still this e-mail's."""
    if await is_verified(redis, nrp, email):
        await redis.expire(_verified_key(nrp), VERIFIED_TTL_SECONDS)


# --- personnel look-ups -----------------------------------------------------------------------

async def find_claimant(engine: AsyncEngine, nrp: str) -> Claimant | None:
    async with engine.connect() as connection:
        row = (await connection.execute(text(
            "SELECT user_id, name, rank, nullif(trim(email), ''), status FROM personnel "
            "WHERE user_id = :nrp"), {"nrp": nrp})).first()
    return Claimant(*row) if row is not None else None


async def email_holders_active(engine: AsyncEngine, email: str) -> list[bool]:
    """The `status` of every person whose stored e-mail is `email` (case-insensitive)."""
    async with engine.connect() as connection:
        rows = await connection.execute(text(
            "SELECT status FROM personnel WHERE lower(trim(email)) = lower(:email)"),
            {"email": email.strip()})
        return [bool(row[0]) for row in rows]
