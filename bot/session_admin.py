"""What the /wa page reads and does about one WhatsApp session: its state, the connected number,
why it is not WORKING, its outbox backlog and dead letters (resend, discard), and the requests
(restart, log out, a pairing code for a phone number) that the bot process owning the session
carries out.

The requests travel through the Redis list `control_key(session)`: the web process pushes, the
bot holding the session's lease (bot/session_lease.py) pops them on its housekeeping tick
(`take_requests`), so they reach the right process wherever it runs. A request not taken
within REQUEST_SECONDS (no bot serves the session) expires.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from bot.messages import Document
from bot.outbox import dead_letter_key, enqueue, recent_key, stream_key
from bot.transport import SessionState, state_key
from storage.identifiers import InvalidIdentifier, jid_to_phone

REQUEST_SECONDS = 120
ACTIONS = ("restart", "logout", "pair")
DEAD_SHOWN = 20


def control_key(session: str) -> str:
    return f"wa:control:{session}"


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _fields(raw: Any) -> dict[str, str]:
    return {_text(k): _text(v) for k, v in (raw or {}).items()}


@dataclass(frozen=True)
class DeadLetter:
    id: str
    to: str
    body: str
    filename: str
    reason: str
    attempts: str
    failed_at: str


@dataclass(frozen=True)
class SentMessage:
    to: str
    body: str  # cut short; "" for a one-time secret
    document: str
    at: str


@dataclass(frozen=True)
class SessionOverview:
    session: str
    state: str
    transport: str
    updated_at: str
    phone: str  # the connected number, "" when not paired
    name: str  # the connected account's name, "" when unknown
    error: str
    qr: str
    pair_phone: str  # the number a pairing code was asked for, while pairing
    pair_code: str
    backlog: int  # messages waiting in the outbox
    dead_total: int
    dead_letters: list[DeadLetter]  # the most recent, newest first
    recent: list[SentMessage]  # the last messages WhatsApp accepted, newest first


async def session_overview(redis: Redis, session: str) -> SessionOverview:
    state = _fields(await redis.hgetall(state_key(session)))
    dead_rows = await redis.xrevrange(dead_letter_key(session), count=DEAD_SHOWN)
    dead = [DeadLetter(_text(raw_id), f.get("to", ""), f.get("body", ""), f.get("doc_name", ""),
                       f.get("reason", ""), f.get("attempts", ""), f.get("failed_at", ""))
            for raw_id, f in ((raw_id, _fields(raw)) for raw_id, raw in dead_rows)]
    phone = ""
    if jid := state.get("jid"):
        try:
            phone = jid_to_phone(jid)
        except InvalidIdentifier:
            phone = jid
    return SessionOverview(
        session, state.get("state") or "UNKNOWN", state.get("transport", ""),
        state.get("updated_at", ""), phone, state.get("name", ""), state.get("error", ""),
        state.get("qr", "") if state.get("state") == SessionState.SCAN_QR_CODE else "",
        state.get("pair_phone", ""), state.get("pair_code", ""),
        await redis.xlen(stream_key(session)), await redis.xlen(dead_letter_key(session)), dead,
        await _recent(redis, session))


async def _recent(redis: Redis, session: str) -> list[SentMessage]:
    sent = []
    for raw in await redis.lrange(recent_key(session), 0, -1):
        item = json.loads(_text(raw))
        sent.append(SentMessage(item.get("to", ""), item.get("body", ""),
                                item.get("document", ""), item.get("at", "")))
    return sent


async def resend_dead_letter(redis: Redis, session: str, dead_id: str) -> bool:
    """Put a dead letter back in the outbox (under a new key, so it is sent again) and remove
    it from the dead letters; False when there is no such dead letter."""
    rows = await redis.xrange(dead_letter_key(session), min=dead_id, max=dead_id)
    if not rows:
        return False
    fields = _fields(rows[0][1])
    document = None
    if "doc_b64" in fields:
        document = Document(fields.get("doc_name", "file"), base64.b64decode(fields["doc_b64"]),
                            fields.get("doc_mime", "application/octet-stream"))
    if fields.get("body") or document is not None:  # a secret's dead letter keeps no body
        await enqueue(redis, session, fields["to"], fields.get("body", ""),
                      key=f"resend:{session}:{dead_id}", document=document)
    await redis.xdel(dead_letter_key(session), dead_id)
    return True


async def discard_dead_letter(redis: Redis, session: str, dead_id: str) -> bool:
    return bool(await redis.xdel(dead_letter_key(session), dead_id))


async def request(redis: Redis, session: str, action: str, phone: str = "") -> None:
    """Ask the bot serving `session` to `action` it (one of ACTIONS; "pair" with the phone
    number, digits, to pair by code)."""
    if action not in ACTIONS or (action == "pair") != bool(phone):
        raise ValueError(f"bad request {action!r} {phone!r}")
    async with redis.pipeline(transaction=True) as pipe:
        pipe.rpush(control_key(session), f"{action} {phone}".strip())
        pipe.expire(control_key(session), REQUEST_SECONDS)
        await pipe.execute()


async def take_requests(redis: Redis, session: str) -> list[tuple[str, str]]:
    """The requests waiting for `session` as (action, phone), oldest first, removed from the
    list."""
    async with redis.pipeline(transaction=True) as pipe:
        pipe.lrange(control_key(session), 0, -1)
        pipe.delete(control_key(session))
        waiting, _ = await pipe.execute()
    requests = []
    for action, _, phone in (_text(item).partition(" ") for item in waiting):
        if action in ACTIONS:
            requests.append((action, phone))
    return requests
