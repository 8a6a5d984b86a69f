"""The whole bot in this process on the sandbox transport, for `cicero chat` and
`cicero sandbox replay`: messages go through the real inbound pipeline, conversation engine
and outbox, and what would be sent to WhatsApp is read back from the sandbox record."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.outbox import OutboxPace, settled
from bot.sandbox import SandboxTransport, outbound_cursor, read_outbound, sent_document
from bot.service import BotService
from cicero.clock import clock, parse_moment
from cicero.messages import InboundMessage
from cicero.sessions import SessionName
from cicero.settings import Settings
from storage.identifiers import (
    InvalidIdentifier,
    normalize_group_jid,
    normalize_phone,
    phone_to_jid,
)

SESSIONS = [name.value for name in SessionName]
SETTLE_SECONDS = 60.0
INSTANT = OutboxPace(per_session_interval=0, per_chat_interval=0, jitter=0)


class ReplayFileError(ValueError):
    """A line of a replay file that cannot be understood; str() names the line."""


@dataclass(frozen=True)
class Said:
    """One inbound line: who says what, where."""

    phone: str
    text: str
    session: str
    group: str | None = None

    @property
    def chat(self) -> str:
        return self.group or phone_to_jid(self.phone)


def said(phone: str, text: str, *, session: str | None = None, group: str | None = None) -> Said:
    """Normalise the parts of an inbound line (raises InvalidIdentifier / ValueError)."""
    group_jid = normalize_group_jid(group) if group else None
    session = session or (SessionName.OPERATOR.value if group_jid else SessionName.USER.value)
    if session not in SESSIONS:
        raise ValueError(f"sesi tidak dikenal: {session!r} (pilihan: {', '.join(SESSIONS)})")
    return Said(normalize_phone(phone), text, session, group_jid)


def outbound_line(fields: dict[str, Any]) -> dict[str, Any]:
    """The JSON form `sandbox replay` prints for one sent message (spec/interfaces.md)."""
    line: dict[str, Any] = {"session": fields["session"], "to": fields["to"],
                            "text": fields.get("text", "")}
    if "document_filename" in fields:
        line["document"] = {"filename": fields["document_filename"],
                            "mimetype": fields["document_mimetype"],
                            "bytes": fields["document_bytes"]}
    return line


class SandboxBot:
    def __init__(self, settings: Settings, engine: AsyncEngine, redis: Redis, *,
                 pace: OutboxPace = INSTANT) -> None:
        self.redis = redis
        self.service = BotService(settings, engine, redis, pace=pace, sessions=SESSIONS,
                                  transport_factory=lambda s: SandboxTransport(redis, s),
                                  timer_interval=1.0)
        self.cursor = "0-0"

    async def __aenter__(self) -> SandboxBot:
        self.cursor = await outbound_cursor(self.redis)
        await self.service.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.service.stop()

    async def send(self, line: Said) -> None:
        """Deliver one inbound message and wait until every reply it caused was sent."""
        message = InboundMessage(
            session=line.session, message_id="SBX" + uuid.uuid4().hex[:16].upper(),
            chat=line.chat, sender=line.phone, text=line.text, timestamp=clock.now())
        transport = self.service.transport(line.session)
        assert isinstance(transport, SandboxTransport)
        await transport.inject(message)
        await self.settle()

    async def fire_timers(self) -> None:
        await self.service.conversations.fire_due_timers()
        await self.settle()

    async def forget(self, line: Said) -> None:
        """Start this chat's conversation from scratch."""
        await self.service.conversations.store.forget(line.session, line.chat)

    async def settle(self) -> None:
        deadline = time.monotonic() + SETTLE_SECONDS
        while not all([await settled(self.redis, session) for session in SESSIONS]):
            if time.monotonic() > deadline:
                raise TimeoutError("pesan keluar belum terkirim semua")
            await asyncio.sleep(0.01)

    async def new_outbound(self, chat: str | None = None) -> list[dict[str, Any]]:
        """Messages sent since the last call, oldest first (optionally only to `chat`); a
        document's content is in `document_content`."""
        rows = await read_outbound(self.redis, since=self.cursor)
        if rows:
            self.cursor = rows[-1][0]
        sent = [fields for _, fields in rows if chat is None or fields["to"] == chat]
        for fields in sent:
            if "document_filename" in fields:
                document = await sent_document(self.redis, fields["message_id"])
                fields["document_content"] = document.content if document else b""
        return sent


# --- replay files -----------------------------------------------------------------------------


def parse_replay(text: str, known_jobs: set[str]) -> list[tuple[str, Any]]:
    """Steps ("say", Said) / ("now", datetime) / ("run", key) of a replay file."""
    steps: list[tuple[str, Any]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        steps.append(_parse_line(number, raw, known_jobs))
    return steps


def _parse_line(number: int, raw: str, known_jobs: set[str]) -> tuple[str, Any]:
    def bad(reason: str) -> ReplayFileError:
        return ReplayFileError(f"baris {number}: {reason}")

    try:
        item = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise bad(f"bukan JSON yang valid ({exc.msg})") from None
    if not isinstance(item, dict):
        raise bad("harus berupa objek JSON")
    kinds = [key for key in ("from", "now", "run") if key in item]
    if len(kinds) != 1:
        raise bad('harus berisi tepat satu dari "from", "now" atau "run"')
    if kinds == ["now"]:
        try:
            return "now", parse_moment(str(item["now"]))
        except ValueError as exc:
            raise bad(str(exc)) from None
    if kinds == ["run"]:
        if item["run"] not in known_jobs:
            raise bad(f"job tidak dikenal: {item['run']!r}")
        return "run", item["run"]
    if not isinstance(item.get("text"), str):
        raise bad('baris "from" harus berisi "text"')
    try:
        return "say", said(str(item["from"]), item["text"], session=item.get("session"),
                           group=item.get("group"))
    except (InvalidIdentifier, ValueError) as exc:
        raise bad(str(exc)) from None


async def replay(bot: SandboxBot, steps: list[tuple[str, Any]],
                 run_job: Callable[[str], Any], emit: Callable[[dict[str, Any]], None],
                 run_queued: Callable[[], Awaitable[Any]] | None = None) -> None:
    """Play the steps in order; after each, emit every message it caused, in sending order
    (the sandbox record's fields: `outbound_line` is their printed form). `run_queued` runs
    the jobs a step queued (a report, an account check), so what they send belongs to that
    step."""
    for kind, value in steps:
        if kind == "say":
            await bot.send(value)
        elif kind == "now":
            clock.set_now(value)
            await bot.fire_timers()
        else:
            await run_job(value)
            await bot.settle()
        if run_queued is not None:
            await run_queued()
            await bot.settle()
        for fields in await bot.new_outbound():
            emit(fields)
