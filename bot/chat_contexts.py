"""Chat contexts in Redis, one key per (session, chat).

The key lives `idle_seconds` after the last message (the idle TTL), so a restart continues at
the same step. A small marker key outlives it by a day, so the next message after an expiry
can be told that its session ended. `last_active` is business-clock time: moving the clock
(`sandbox replay`) expires a context the same way the TTL does in real time.
"""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis

from conversations.context import ChatContext

_MARKER_SECONDS = 24 * 3600


def context_key(session: str, chat: str) -> str:
    return f"conv:{session}:{chat}"


def _marker_key(session: str, chat: str) -> str:
    return f"conv:{session}:{chat}:had"


@dataclass(frozen=True)
class ContextWrite:
    key: str
    marker_key: str
    value: str | None  # None: the context ended; delete it and its marker
    seconds: int
    marker_seconds: int = _MARKER_SECONDS


class ContextStore:
    def __init__(self, redis: Redis, idle_seconds: int) -> None:
        self.redis = redis
        self.idle_seconds = idle_seconds

    async def load(self, session: str, chat: str, now: float) -> tuple[ChatContext, bool]:
        """The chat's context and whether an earlier one expired since the last message."""
        return self.parse(await self.redis.mget(*self.keys(session, chat)), now)

    @staticmethod
    def keys(session: str, chat: str) -> tuple[str, str]:
        """What `load` reads (MGET), for a caller batching it with its own commands."""
        return context_key(session, chat), _marker_key(session, chat)

    def parse(self, values: list, now: float) -> tuple[ChatContext, bool]:
        """`load`'s answer from the MGET of `keys`."""
        raw, marker = values
        if raw is not None:
            context = ChatContext.from_json(raw)
            if now - context.last_active < self.idle_seconds:
                return context, False
            return ChatContext(version=context.version), True
        return ChatContext(), marker is not None

    def write(self, session: str, chat: str, context: ChatContext, now: float) -> ContextWrite:
        """What saving `context` writes (its version bumped, active now), for the caller to
        send with the rest of its turn (bot/turn_writes.py)."""
        context.version += 1
        context.last_active = now
        value = context.to_json() if context.active else None
        return ContextWrite(context_key(session, chat), _marker_key(session, chat), value,
                            self.idle_seconds)

    async def peek(self, session: str, chat: str) -> ChatContext | None:
        raw = await self.redis.get(context_key(session, chat))
        return ChatContext.from_json(raw) if raw is not None else None

    async def forget(self, session: str, chat: str) -> None:
        await self.redis.delete(context_key(session, chat), _marker_key(session, chat))
