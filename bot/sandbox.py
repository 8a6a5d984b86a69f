"""A WhatsApp transport that never leaves the machine: for tests, `cicero chat`,
`cicero sandbox replay` and the web sandbox.

Outbound messages are recorded in the Redis stream SANDBOX_OUTBOUND, once per message id; the
id is derived from the idempotency key, as the neonize transport does, so a repeated send is
dropped the way WhatsApp drops a repeated id. The content of a sent document or image is kept
beside the record for `DOCUMENT_SECONDS` (`sent_document`), so the web sandbox can offer it
for download and show images. Inbound messages come either in-process
(`inject`) or from another process through the session's Redis stream `inbound_stream(session)`
(`submit_inbound`), read by a task of the started transport with its own consumer group, so
messages submitted while the bot is down are delivered when it starts again. The reader hands
each message to the handler in a task of its own, in stream order, so different chats are
handled concurrently (the handler — `InboundPipeline.receive` — takes the chat's turn before
its first await, which keeps one chat's messages in order); an entry is acknowledged only
after its message was handled, in batches. Once the reader has `_MAX_IN_FLIGHT` messages out, it
reads again when `_READ_AGAIN_AT` are left, so a backlog is read in batches rather than one entry
per finished message.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import uuid
from collections import deque
from datetime import UTC, datetime
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from bot.messages import Document, InboundMessage, OutboundMessage
from bot.transport import (
    InboundHandler,
    PermanentSendError,
    SendError,
    SessionState,
    TransientSendError,
    state_key,
)
from storage.identifiers import phone_to_jid

log = structlog.get_logger(__name__)

SANDBOX_OUTBOUND = "sandbox:outbound"
_INBOUND_MAXLEN = 10_000
_OUTBOUND_MAXLEN = 100_000
_SEEN_TTL = 7 * 24 * 3600
DOCUMENT_SECONDS = 2 * 24 * 3600  # how long the content of a sent document stays readable
_READER = "transport"
_MAX_IN_FLIGHT = 64  # inbound messages being handled at once
_READ_AGAIN_AT = 48
_STOP_GRACE = 10.0  # seconds stop() lets messages being handled finish

# KEYS: outbound stream, seen-id key, document key. ARGV: ttl, maxlen, document ttl, document
# content in base64 ("" without a document), its file name, its MIME type, field/value items.
_RECORD_LUA = """
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', unpack(ARGV, 7))
  if ARGV[4] ~= '' then
    redis.call('HSET', KEYS[3], 'content', ARGV[4], 'filename', ARGV[5], 'mimetype', ARGV[6])
    redis.call('EXPIRE', KEYS[3], ARGV[3])
  end
  return 1
end
return 0
"""


def inbound_stream(session: str) -> str:
    """The Redis stream from which the sandbox transport of `session` reads its inbound messages."""
    return f"sandbox:inbound:{session}"


def message_id_for(session: str, key: str) -> str:
    """WhatsApp-style message id derived from the idempotency key (random without one)."""
    if not key:
        return "3EB0" + uuid.uuid4().hex[:16].upper()
    return "3EB0" + hashlib.sha256(f"{session}\x00{key}".encode()).hexdigest()[:16].upper()


def _document_key(message_id: str) -> str:
    return f"sandbox:document:{message_id}"


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _fields(raw: Any) -> dict[str, str]:
    return {_text(k): _text(v) for k, v in (raw or {}).items()}


class SandboxTransport:
    """Implements bot.transport.Transport over Redis only."""

    def __init__(self, redis: Redis, session: str) -> None:
        self.redis = redis
        self.session = session
        self._state = SessionState.STOPPED
        self._on_message: InboundHandler | None = None
        self._reader: asyncio.Task[None] | None = None
        self._faults: deque[type[SendError]] = deque()
        self._record = redis.register_script(_RECORD_LUA)
        self._stream = inbound_stream(session)
        self._group = f"sandbox:{session}"
        self._in_flight: set[asyncio.Task[None]] = set()
        self._acks: list[str] = []  # handled entries not yet acknowledged
        self._acking: asyncio.Task[None] | None = None

    @property
    def state(self) -> SessionState:
        return self._state

    async def start(self, on_message: InboundHandler) -> None:
        self._on_message = on_message
        await self._ensure_group()
        self._reader = asyncio.create_task(self._read_inbound(), name=f"sandbox-{self.session}")
        await self._set_state(SessionState.WORKING)

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None
        if self._in_flight:  # let what was handed out finish; the rest is redelivered later
            _, late = await asyncio.wait(self._in_flight, timeout=_STOP_GRACE)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        if self._acking is not None:
            await self._acking
        await self._set_state(SessionState.STOPPED)

    async def send(self, message: OutboundMessage) -> str:
        if self._state != SessionState.WORKING:
            raise TransientSendError(f"session {self.session} is {self._state}")
        if self._faults:
            raise self._faults.popleft()("injected sandbox fault")
        if not message.to.endswith(("@s.whatsapp.net", "@g.us")):
            raise PermanentSendError(f"invalid recipient {message.to!r}")
        message_id = message_id_for(self.session, message.key)
        fields = {"session": self.session, "to": message.to, "text": message.body,
                  "key": message.key, "message_id": message_id,
                  "at": datetime.now(UTC).isoformat()}
        if message.document is not None:
            fields.update(document_filename=message.document.filename,
                          document_mimetype=message.document.mimetype,
                          document_bytes=str(len(message.document.content)))
        if message.attributes:
            fields["attributes"] = json.dumps(message.attributes, sort_keys=True)
        keys = [SANDBOX_OUTBOUND, f"sandbox:seen:{self.session}:{message_id}",
                _document_key(message_id)]
        document = message.document or Document("", b"")
        args: list[Any] = [_SEEN_TTL, _OUTBOUND_MAXLEN, DOCUMENT_SECONDS,
                           base64.b64encode(document.content).decode("ascii"),
                           document.filename, document.mimetype]
        for name, value in fields.items():
            args += [name, value]
        await self._record(keys, args)
        return message_id

    async def inject(self, message: InboundMessage) -> None:
        """Deliver an inbound message in-process, as if it came from WhatsApp."""
        if self._on_message is None:
            raise RuntimeError("the sandbox transport is not started")
        await self._on_message(message)

    def fail_next(self, count: int, error: type[SendError] = TransientSendError) -> None:
        """Make the next `count` sends raise `error` (queued after earlier injected faults)."""
        self._faults.extend([error] * count)

    async def logout(self) -> None:
        """As when the device is unlinked from the phone: FAILED ("logged out") until the
        session is restarted."""
        await self._set_state(SessionState.FAILED, error="logged out")

    async def _set_state(self, state: SessionState, *, error: str = "") -> None:
        self._state = state
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(state_key(self.session),
                      mapping={"state": state.value, "transport": "sandbox",
                               "updated_at": datetime.now(UTC).isoformat(),
                               **({"error": error} if error else {})})
            if not error:
                pipe.hdel(state_key(self.session), "error")
            await pipe.execute()

    async def _ensure_group(self) -> None:
        try:
            await self.redis.xgroup_create(self._stream, self._group, id="$", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def _read_inbound(self) -> None:
        cursor = "0"  # our unacknowledged entries first (after the id last read), then new ones
        while True:
            try:
                if len(self._in_flight) >= _MAX_IN_FLIGHT:
                    while len(self._in_flight) > _READ_AGAIN_AT:
                        await asyncio.wait(self._in_flight, return_when=asyncio.FIRST_COMPLETED)
                reply = await self.redis.xreadgroup(
                    self._group, _READER, {self._stream: cursor},
                    count=_MAX_IN_FLIGHT - len(self._in_flight),
                    block=None if cursor != ">" else 1000)
                entries = reply[0][1] if reply else []
                if cursor != ">":
                    cursor = _text(entries[-1][0]) if entries else ">"
                for raw_id, raw in entries:  # tasks start in this order: chats keep theirs
                    task = asyncio.create_task(self._deliver_inbound(_text(raw_id), _fields(raw)))
                    self._in_flight.add(task)
                    task.add_done_callback(self._in_flight.discard)
            except RedisError as exc:
                log.warning("sandbox_inbound_error", session=self.session, error=str(exc))
                await asyncio.sleep(1.0)
                with contextlib.suppress(RedisError):
                    await self._ensure_group()

    async def _deliver_inbound(self, entry_id: str, fields: dict[str, str]) -> None:
        if self._on_message is not None:
            try:
                await self._on_message(_inbound_from_fields(fields))
            except Exception:
                log.exception("sandbox_inbound_handler_failed", session=self.session,
                              message_id=fields.get("message_id"))
        self._acks.append(entry_id)
        if self._acking is None:
            self._acking = asyncio.create_task(self._flush_acks())

    async def _flush_acks(self) -> None:
        """Acknowledge handled entries, all those waiting in one XACK."""
        try:
            while self._acks:
                ids, self._acks = self._acks, []
                try:
                    await self.redis.xack(self._stream, self._group, *ids)
                except RedisError as exc:  # left pending: redelivered at the next start,
                    log.warning("sandbox_inbound_ack_failed", session=self.session,  # where
                                error=str(exc), count=len(ids))  # the pipeline drops repeats
        finally:
            self._acking = None


def _inbound_from_fields(fields: dict[str, str]) -> InboundMessage:
    document = None
    if "document_b64" in fields:
        document = Document(fields.get("document_filename", "file"),
                            base64.b64decode(fields["document_b64"]),
                            fields.get("document_mimetype", "application/octet-stream"))
    return InboundMessage(session=fields["session"], message_id=fields["message_id"],
                          chat=fields["chat"], sender=fields["sender"], text=fields.get("text", ""),
                          timestamp=datetime.fromisoformat(fields["timestamp"]),
                          quoted_id=fields.get("quoted_id") or None, document=document)


def _submitted_fields(message: InboundMessage) -> dict[str, str]:
    fields = {"session": message.session, "message_id": message.message_id,
              "chat": message.chat, "sender": message.sender, "text": message.text,
              "timestamp": message.timestamp.isoformat()}
    if message.quoted_id:
        fields["quoted_id"] = message.quoted_id
    if message.document is not None:
        fields.update(document_filename=message.document.filename,
                      document_mimetype=message.document.mimetype,
                      document_b64=base64.b64encode(message.document.content).decode("ascii"))
    return fields


async def submit_inbound(redis: Redis, *messages: InboundMessage) -> None:
    """Hand messages to the running sandbox transports of their sessions (from any process),
    in this order, in one round trip."""
    pipe = redis.pipeline(transaction=False)
    for message in messages:
        pipe.xadd(inbound_stream(message.session), _submitted_fields(message),
                  maxlen=_INBOUND_MAXLEN, approximate=True)
    await pipe.execute()


async def outbound_cursor(redis: Redis) -> str:
    """The id of the newest recorded outbound message ("0-0" when none): read from here on
    to see only what is sent later."""
    last = await redis.xrevrange(SANDBOX_OUTBOUND, count=1)
    return _text(last[0][0]) if last else "0-0"


async def sent_document(redis: Redis, message_id: str) -> Document | None:
    """The document or image of the recorded outbound message `message_id`; None when it had
    none or its content expired (DOCUMENT_SECONDS)."""
    fields = _fields(await redis.hgetall(_document_key(message_id)))
    if "content" not in fields:
        return None
    return Document(fields["filename"], base64.b64decode(fields["content"]),
                    fields["mimetype"])


async def read_outbound(redis: Redis, *, since: str = "0-0", session: str | None = None,
                        to: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """Recorded outbound messages after stream id `since`, oldest first: session, to, text, key,
    message_id, at, and for documents document_filename / document_mimetype / document_bytes
    (int; the content: `sent_document`); attributes (dict) when the message had any."""
    if to is not None and "@" not in to:
        to = phone_to_jid(to)
    result: list[tuple[str, dict[str, Any]]] = []
    start = f"({since}"
    while True:
        rows = await redis.xrange(SANDBOX_OUTBOUND, min=start, count=1_000)
        for raw_id, raw in rows:
            fields: dict[str, Any] = _fields(raw)
            if (session and fields.get("session") != session) or (to and fields.get("to") != to):
                continue
            if "document_bytes" in fields:
                fields["document_bytes"] = int(fields["document_bytes"])
            if "attributes" in fields:
                fields["attributes"] = json.loads(fields["attributes"])
            result.append((_text(raw_id), fields))
        if len(rows) < 1_000:
            return result
        start = f"({_text(rows[-1][0])}"
