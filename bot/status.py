"""The read-only door to the bot's state, for `web/` (pages, health, metrics) and the CLI:
each session's published state, its outbox backlog, its dead letters and the messages it
sent last. Nothing outside `bot/` reads the bot's Redis keys itself.

Every function reads; none changes what the bot does. Redis errors are raised to the caller
(metrics and health decide how to report an unreadable Redis), except in `session_states`,
which a readiness probe calls and which reports UNKNOWN instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from bot.outbox.keys import GROUP, dead_letter_key, fields_of, recent_key, stream_key, text
from bot.transport import state_key
from cicero.sessions import SessionState

UNKNOWN_STATE = "UNKNOWN"  # a session that never published a state
SESSION_STATES = (*(state.value for state in SessionState), UNKNOWN_STATE)


@dataclass(frozen=True)
class SessionInfo:
    """What a transport published about its session (bot.transport.state_key)."""

    session: str
    state: str  # a SessionState value, or UNKNOWN
    transport: str = ""
    jid: str = ""  # the paired device, once paired
    qr: str = ""  # the code to scan while pairing (SCAN_QR_CODE)
    error: str = ""  # why it FAILED (logged out, banned, ...)
    updated_at: str = ""  # ISO 8601, UTC


@dataclass(frozen=True)
class Backlog:
    waiting: int  # entries in the session's outbox stream (not yet sent)
    pending: int  # of which handed to a consumer and not yet acknowledged


@dataclass(frozen=True)
class SentMessage:
    to: str  # JID
    body: str  # "" for a message holding a one-time secret
    key: str
    document: str  # the file name, "" for a text
    message_id: str
    sent_at: str  # ISO 8601, UTC


async def session_info(redis: Redis, session: str) -> SessionInfo:
    fields = fields_of(await redis.hgetall(state_key(session)))
    return SessionInfo(session, fields.get("state") or UNKNOWN_STATE,
                       fields.get("transport", ""), fields.get("jid", ""), fields.get("qr", ""),
                       fields.get("error", ""), fields.get("updated_at", ""))


async def session_state(redis: Redis, session: str) -> str:
    """The session's published state (a SessionState value) or UNKNOWN."""
    state = await redis.hget(state_key(session), "state")
    return text(state) if state else UNKNOWN_STATE


async def session_states(redis: Redis, sessions: Iterable[str]) -> dict[str, str]:
    """Each session's state; UNKNOWN when it never published one or Redis fails."""
    states: dict[str, str] = {}
    for session in sessions:
        try:
            states[session] = await session_state(redis, session)
        except Exception:  # a readiness probe reports, it never raises
            states[session] = UNKNOWN_STATE
    return states


async def outbox_backlog(redis: Redis, session: str) -> Backlog:
    key = stream_key(session)
    waiting = int(await redis.xlen(key))
    try:
        summary = await redis.xpending(key, GROUP)
    except ResponseError:  # no stream or no consumer group yet: nothing handed out
        return Backlog(waiting, 0)
    return Backlog(waiting, int(summary.get("pending") or 0))


async def dead_letter_count(redis: Redis, session: str) -> int:
    """Messages the outbox gave up on (kept, most recent last, up to about a thousand)."""
    return int(await redis.xlen(dead_letter_key(session)))


async def last_sent(redis: Redis, session: str, count: int = 20) -> list[SentMessage]:
    """The messages the session sent last, newest first (up to about a hundred are kept)."""
    rows = await redis.xrevrange(recent_key(session), count=count)
    sent = []
    for _, raw in rows:
        fields = fields_of(raw)
        sent.append(SentMessage(fields.get("to", ""), fields.get("body", ""),
                                fields.get("key", ""), fields.get("doc_name", ""),
                                fields.get("message_id", ""), fields.get("sent_at", "")))
    return sent
