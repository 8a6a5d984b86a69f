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
from storage.identifiers import InvalidIdentifier, jid_to_phone

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
    name: str = ""  # the connected account's name, once known
    pair_phone: str = ""  # the number a pairing code was asked for, while pairing
    pair_code: str = ""


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
                       fields.get("error", ""), fields.get("updated_at", ""),
                       fields.get("name", ""), fields.get("pair_phone", ""),
                       fields.get("pair_code", ""))


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


@dataclass(frozen=True)
class DeadLetter:
    id: str
    to: str
    body: str
    filename: str
    reason: str
    attempts: str
    failed_at: str


async def dead_letters(redis: Redis, session: str, count: int = 20) -> list[DeadLetter]:
    """The most recent messages the outbox gave up on, newest first."""
    rows = await redis.xrevrange(dead_letter_key(session), count=count)
    return [DeadLetter(text(raw_id), f.get("to", ""), f.get("body", ""), f.get("doc_name", ""),
                       f.get("reason", ""), f.get("attempts", ""), f.get("failed_at", ""))
            for raw_id, f in ((raw_id, fields_of(raw)) for raw_id, raw in rows)]


@dataclass(frozen=True)
class SessionOverview:
    """Everything the /wa page shows of one session."""

    session: str
    state: str
    transport: str
    updated_at: str
    phone: str  # the connected number, "" when not paired
    name: str  # the connected account's name, "" when unknown
    error: str
    qr: str  # only while SCAN_QR_CODE
    pair_phone: str
    pair_code: str
    backlog: int  # messages waiting in the outbox
    dead_total: int
    dead_letters: list[DeadLetter]  # the most recent, newest first
    recent: list[SentMessage]  # the last messages WhatsApp accepted, newest first


async def session_overview(redis: Redis, session: str) -> SessionOverview:
    info = await session_info(redis, session)
    phone = ""
    if info.jid:
        try:
            phone = jid_to_phone(info.jid)
        except InvalidIdentifier:
            phone = info.jid
    return SessionOverview(
        session, info.state, info.transport, info.updated_at, phone, info.name, info.error,
        info.qr if info.state == SessionState.SCAN_QR_CODE else "", info.pair_phone,
        info.pair_code, (await outbox_backlog(redis, session)).waiting,
        await dead_letter_count(redis, session), await dead_letters(redis, session),
        await last_sent(redis, session))
