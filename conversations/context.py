"""A chat's conversation state: which flow, which state, its data, in one Redis key.

The key lives `idle_seconds` after the last message (the idle TTL), so a restart continues at
the same step. A small marker key outlives it by a day, so the next message after an expiry
can be told that its session ended. `last_active` is business-clock time: moving the clock
(`sandbox replay`) expires a context the same way the TTL does in real time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis

_MARKER_SECONDS = 24 * 3600


@dataclass
class ChatContext:
    flow: str | None = None
    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)  # earlier states of this flow, for `kembali`
    version: int = 0  # bumped on every save; timers of older versions are stale
    last_active: float = 0.0  # business-clock epoch seconds

    @property
    def active(self) -> bool:
        return self.flow is not None

    def reset(self) -> None:
        self.flow, self.state, self.data, self.history = None, None, {}, []


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
    """Redis storage of chat contexts, one key per (session, chat)."""

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
            context = ChatContext(**json.loads(raw))
            if now - context.last_active < self.idle_seconds:
                return context, False
            return ChatContext(version=context.version), True
        return ChatContext(), marker is not None

    def write(self, session: str, chat: str, context: ChatContext, now: float) -> ContextWrite:
        """What saving `context` writes (its version bumped, active now), for the caller to
        send with the rest of its turn (conversations/turn_writes.py)."""
        context.version += 1
        context.last_active = now
        # vars, not asdict: the fields are JSON values already, no deep copy needed
        value = json.dumps(vars(context)) if context.active else None
        return ContextWrite(context_key(session, chat), _marker_key(session, chat), value,
                            self.idle_seconds)

    async def peek(self, session: str, chat: str) -> ChatContext | None:
        raw = await self.redis.get(context_key(session, chat))
        return ChatContext(**json.loads(raw)) if raw is not None else None

    async def forget(self, session: str, chat: str) -> None:
        await self.redis.delete(context_key(session, chat), _marker_key(session, chat))
