"""State of the self-service claim flow (profile update by e-mail OTP): the one-time codes,
kept only as salted SHA-256 digests in Redis, the "verified" window bound to NRP + e-mail,
and the two personnel look-ups the flow needs. No text here.

Redis keys (all expire on their own):
- `claim:otp:<nrp>`        hash {salt, digest, attempts}; one live code per NRP, 5 minutes
- `claim:verified:<nrp>`   the e-mail the window belongs to; 10 minutes
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import one_time_codes
from storage.sql import fetch_all, fetch_one

_SCOPE = "claim"
OTP_TTL_SECONDS = one_time_codes.OTP_TTL_SECONDS
MAX_WRONG_ATTEMPTS = one_time_codes.MAX_WRONG_ATTEMPTS
VERIFIED_TTL_SECONDS = 10 * 60


@dataclass(frozen=True)
class Claimant:
    """The person a claim is about, as far as the flow needs to know."""

    user_id: str
    name: str
    rank: str | None
    email: str | None
    active: bool


def _verified_key(nrp: str) -> str:
    return f"claim:verified:{nrp}"


# --- one-time codes (storage/one_time_codes.py, scope "claim", bound to the e-mail) ---------

async def issue_code(redis: Redis, nrp: str, email: str) -> str:
    """A new 6-digit code for NRP + e-mail, replacing any live one; only its digest is kept."""
    return await one_time_codes.issue_code(redis, _SCOPE, nrp, email)


async def discard_code(redis: Redis, nrp: str) -> None:
    await one_time_codes.discard_code(redis, _SCOPE, nrp)


async def consume_code(redis: Redis, nrp: str, email: str, code: str) -> bool:
    """True once for the right code of this NRP + e-mail; the code is then gone."""
    return await one_time_codes.consume_code(redis, _SCOPE, nrp, email, code)


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
    row = await fetch_one(engine, "SELECT user_id, name, rank, nullif(trim(email), '') AS email, "
                          "status AS active FROM personnel WHERE user_id = :nrp", nrp=nrp)
    return Claimant(**row) if row is not None else None


async def email_holders_active(engine: AsyncEngine, email: str) -> list[bool]:
    """The `status` of every person whose stored e-mail is `email` (case-insensitive)."""
    rows = await fetch_all(engine, "SELECT status FROM personnel "
                           "WHERE lower(trim(email)) = lower(:email)", email=email.strip())
    return [bool(row["status"]) for row in rows]
