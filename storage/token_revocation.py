"""Revoked dashboard tokens, kept in Redis: one token (logout) or every token a dashboard
account was issued until a moment (password reset, refusal). The web layer checks them on
every request; the WhatsApp approval flow revokes through them too."""

from __future__ import annotations

import time

from redis.asyncio import Redis

TOKEN_SECONDS = 2 * 3600  # a dashboard token's lifetime


def revoked_key(token_id: str) -> str:
    return f"auth:revoked:{token_id}"


def revoked_before_key(dashboard_user_id: str) -> str:
    return f"auth:revoked_before:{dashboard_user_id}"


async def revoke_token(redis: Redis, token_id: str, expires_at: int) -> None:
    """This one token stops working (until it would have expired anyway)."""
    await redis.set(revoked_key(token_id), "1", ex=max(1, expires_at - int(time.time())))


async def revoke_all_tokens(redis: Redis, dashboard_user_id: str) -> None:
    """Every token of the account issued until now stops working."""
    await redis.set(revoked_before_key(dashboard_user_id), str(time.time_ns() // 1_000_000),
                    ex=TOKEN_SECONDS + 60)


async def is_revoked(redis: Redis, token_id: str, dashboard_user_id: str,
                     issued_at_ms: int) -> bool:
    revoked, before = await redis.mget(revoked_key(token_id),
                                       revoked_before_key(dashboard_user_id))
    return revoked is not None or (before is not None and issued_at_ms <= int(before))
