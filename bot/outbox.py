"""Durable WhatsApp outbox: one Redis stream per session, paced, retried, sent exactly once.

`enqueue` appends a message (split at WhatsApp's limit) to the session's stream; an
idempotency key makes a second enqueue of the same message a no-op. The `OutboxConsumer` in the
process owning the session reads the stream through a consumer group, sends at a paced rate
(per session and per chat, with jitter), keeps each chat in order, retries transient failures
with exponential backoff, and acknowledges an entry only after the transport accepted it, in the
same MULTI that records a "sent" marker for its key. Entries left unacknowledged by a dead
consumer are reclaimed (XAUTOCLAIM); live consumers renew the lease on what they hold. After
`max_attempts` failures (or one permanent failure) an entry moves to a dead-letter stream and
the admins get one notice. The transport derives WhatsApp's message id from the key, so a
message re-sent after a crash between "sent" and "acknowledged" is dropped as a duplicate.

A message holding a one-time secret (a reset link, a code) is enqueued with `secret_for`: its
entry is deleted once sent like every entry, it is dropped unsent once the secret expired
(e.g. while the session was down), and its dead letter keeps no copy of the body.
"""

from __future__ import annotations

import asyncio
import base64
import bisect
import hashlib
import heapq
import itertools
import json
import math
import random
import socket
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.exceptions import NoScriptError, RedisError, ResponseError

from bot.messages import Document, OutboundMessage
from bot.transport import PermanentSendError, SessionState, TransientSendError, Transport
from cicero.backoff import backoff_delay
from cicero.clock import clock
from menus.format import WHATSAPP_TEXT_LIMIT, split_message
from storage.identifiers import InvalidIdentifier, is_group_jid, normalize_group_jid, phone_to_jid

log = structlog.get_logger(__name__)

GROUP = "outbox"
KEY_TTL = 7 * 24 * 3600  # enqueue dedup and "sent" markers live this long (seconds)
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
NOTICE_KIND = "notice"
_SECRET_UNTIL = "secret_until"  # entry field: epoch seconds after which the body is worthless
_DEAD_MAXLEN = 1_000
RECENT_KEPT = 20
_MAX_BLOCK = 0.5  # longest blocking read; bounds how long stop() waits
_BLOCK_SLACK = 0.12  # Redis times blocked reads out on its 10 Hz cron: up to 0.1 s late
_STATE_POLL = 0.2  # how often a session that is not WORKING is looked at again
_READ_EVERY = 0.05  # top-up reads while sending a backlog
_READ_BATCH = 200
_PRUNE_AFTER = 10.0  # a consumer with nothing pending, idle this long, is forgotten


@dataclass(frozen=True)
class OutboxPace:
    per_session_interval: float = 0.35  # seconds between two sends of one session
    per_chat_interval: float = 1.0  # seconds between two sends to one chat
    jitter: float = 0.2  # ± fraction applied to both
    max_attempts: int = 5  # transient failures before dead-letter
    backoff_base: float = 1.0  # seconds; doubles per attempt, capped at backoff_cap, with jitter
    backoff_cap: float = 60.0
    reclaim_idle: float = 60.0  # seconds an unacknowledged entry may sit before another takes it
    read_ahead: int = 1_000  # entries held in memory, so other chats pass a slow one
    send_timeout: float = 30.0  # a send taking longer counts as a transient failure


@dataclass
class OutboxStats:
    sent: int = 0
    retried: int = 0
    dead: int = 0
    skipped: int = 0  # re-delivered entries whose key was already sent
    expired: int = 0  # secrets that expired before they could be sent
    reclaimed: int = 0  # entries taken over from another consumer


def stream_key(session: str) -> str:
    return f"outbox:{session}"


def dead_letter_key(session: str) -> str:
    return f"outbox:{session}:dead"


def recent_key(session: str) -> str:
    """A list of the session's last RECENT_KEPT sent messages, newest first (JSON: to, body
    cut short and never a secret's, document, message_id, at), for the /wa page."""
    return f"outbox:{session}:recent"


def _recent(fields: dict[str, str], message_id: str) -> str:
    body = "" if _SECRET_UNTIL in fields else fields.get("body", "")[:200]
    return json.dumps({"to": fields.get("to", ""), "body": body,
                       "document": fields.get("doc_name", ""), "message_id": message_id,
                       "at": datetime.now(UTC).isoformat()}, ensure_ascii=False)


def _enqueued_key(session: str, key: str) -> str:
    return f"outbox:{session}:enqueued:{key}"


def _sent_key(session: str, key: str) -> str:
    return f"outbox:{session}:sent:{key}"


def _attempts_key(session: str) -> str:
    return f"outbox:{session}:attempts"


# Lua of one enqueue, for this module's script and for scripts that enqueue among other writes
# (conversations/turn_writes.py). keys: stream, then one dedup key per part. args: ttl, then
# per part: n, n field/value items. Returns the stream ids added.
ENQUEUE_LUA_FUNCTION = """
local function enqueue(keys, args)
  local ids, pos = {}, 2
  for i = 2, #keys do
    local n = tonumber(args[pos])
    local fields = {}
    for j = 1, n do fields[j] = args[pos + j] end
    pos = pos + n + 1
    if redis.call('SET', keys[i], '1', 'NX', 'EX', args[1]) then
      ids[#ids + 1] = redis.call('XADD', keys[1], '*', unpack(fields))
    end
  end
  return ids
end
"""
_ENQUEUE_LUA = ENQUEUE_LUA_FUNCTION + "return enqueue(KEYS, ARGV)\n"
# Renew the lease (reset idle time) of the entries a live consumer holds; report those it lost.
_HEARTBEAT_LUA = """
local held, lost = {KEYS[1], ARGV[1], ARGV[2], '0'}, {}
for i = 3, #ARGV do
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  if p[1] and p[1][2] == ARGV[2] then held[#held + 1] = ARGV[i] else lost[#lost + 1] = ARGV[i] end
end
if #held > 4 then
  held[#held + 1] = 'JUSTID'
  redis.call('XCLAIM', unpack(held))
end
return lost
"""
# Forget a consumer only if it owns nothing (checked atomically).
_PRUNE_LUA = """
if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) == 0 then
  return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
end
return -1
"""
_ENQUEUE_SHA = hashlib.sha1(_ENQUEUE_LUA.encode()).hexdigest()  # for pipelines


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _fields(raw: Any) -> dict[str, str]:
    return {_text(k): _text(v) for k, v in (raw or {}).items()}


@lru_cache(maxsize=65_536)
def _recipient(to: str) -> str:
    """A group JID (validated) or the personal JID of a phone / personal JID."""
    return normalize_group_jid(to) if is_group_jid(to) else phone_to_jid(to)


def _parts(body: str, document: Document | None) -> list[tuple[str, Document | None]]:
    if document is None:
        texts = split_message(body)
        if not texts:
            raise ValueError("nothing to send: empty body and no document")
        return [(text, None) for text in texts]
    if len(document.content) > MAX_DOCUMENT_BYTES:
        raise ValueError(f"document {document.filename!r} exceeds {MAX_DOCUMENT_BYTES} bytes")
    if len(body) <= WHATSAPP_TEXT_LIMIT:
        return [(body.strip(), document)]  # the text is the caption
    return [(text, None) for text in split_message(body)] + [("", document)]


def encode_enqueue(session: str, to: str, body: str, key: str | None,
                   document: Document | None = None, kind: str | None = None,
                   secret_until: float | None = None) -> tuple[list[str], list[Any]]:
    """Keys and arguments of one enqueue (`ENQUEUE_LUA_FUNCTION`). Raises InvalidIdentifier
    for a bad `to` and ValueError for nothing to send or a document over MAX_DOCUMENT_BYTES."""
    jid = _recipient(to)
    base = key if key is not None else uuid.uuid4().hex
    keys, args = [stream_key(session)], [KEY_TTL]
    for n, (text, doc) in enumerate(_parts(body, document), start=1):
        part_key = f"{base}#{n}"
        keys.append(_enqueued_key(session, part_key))
        fields = ["to", jid, "body", text, "key", part_key]
        if kind:
            fields += ["kind", kind]
        if secret_until is not None:
            fields += [_SECRET_UNTIL, f"{secret_until:.3f}"]
        if doc is not None:
            fields += ["doc_name", doc.filename, "doc_mime", doc.mimetype,
                       "doc_b64", base64.b64encode(doc.content).decode("ascii")]
        args.append(len(fields))
        args.extend(fields)
    return keys, args


async def enqueue(redis: Redis, session: str, to: str, body: str = "", *, key: str | None = None,
                  document: Document | None = None, secret_for: float | None = None
                  ) -> list[str]:
    """Append a message to the session's outbox; return the stream ids added ([] when every
    part was already enqueued under its key). `secret_for`: the body holds a one-time secret
    valid this many seconds (business clock), see the module's docstring. Raises
    InvalidIdentifier for a bad `to` and ValueError for nothing to send or a document over
    MAX_DOCUMENT_BYTES."""
    secret_until = None if secret_for is None else clock.now().timestamp() + secret_for
    keys, args = encode_enqueue(session, to, body, key, document, secret_until=secret_until)
    return [_text(i) for i in await redis.register_script(_ENQUEUE_LUA)(keys, args)]


async def enqueue_many(redis: Redis, session: str,
                       messages: Iterable[tuple[str, str, str | None]]) -> list[list[str]]:
    """`enqueue` for many (to, body, key) text messages in pipelined round trips; validates
    them all before sending any. Returns the stream ids added per message."""
    calls = [encode_enqueue(session, to, body, key, None) for to, body, key in messages]
    results: list[list[str]] = []
    for start in range(0, len(calls), 1_000):
        chunk = calls[start:start + 1_000]
        for attempt in (1, 2):
            pipe = redis.pipeline(transaction=False)
            for keys, args in chunk:
                pipe.evalsha(_ENQUEUE_SHA, len(keys), *keys, *args)
            try:
                replies = await pipe.execute()
                break
            except NoScriptError:  # safe to repeat: every part is deduplicated by its key
                if attempt == 2:
                    raise
                await redis.script_load(_ENQUEUE_LUA)
        results.extend([_text(i) for i in reply] for reply in replies)
    return results


async def settled(redis: Redis, session: str) -> bool:
    """Every entry of the session's outbox was handed out and acknowledged (sent or dead)."""
    if not await redis.exists(stream_key(session)):
        return True
    last = _text((await redis.xinfo_stream(stream_key(session)))["last-generated-id"])
    for group in await redis.xinfo_groups(stream_key(session)):
        if _text(group["name"]) == GROUP:
            return group["pending"] == 0 and _text(group["last-delivered-id"]) == last
    return False


def _expired_secret(fields: dict[str, str]) -> bool:
    until = fields.get(_SECRET_UNTIL)
    return until is not None and float(until) <= clock.now().timestamp()


def _kept_when_dead(fields: dict[str, str]) -> dict[str, str]:
    """What a dead letter keeps of an entry: all of it, but never a secret's body."""
    if _SECRET_UNTIL not in fields:
        return fields
    return {**{name: value for name, value in fields.items()
               if not name.startswith("doc_")}, "body": ""}


def _jittered(seconds: float, jitter: float) -> float:
    return seconds * random.uniform(1 - jitter, 1 + jitter) if seconds > 0 else 0.0


def _order(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


def _reason(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__)[:300]


def notice_text(to: str, attempts: int, reason: str) -> str:
    target = f"grup {to}" if is_group_jid(to) else to.split("@")[0]
    return f"⚠️ Pesan gagal terkirim ke {target} setelah {attempts} percobaan: {reason}"


@dataclass(eq=False)
class _Entry:
    id: str
    fields: dict[str, str]
    failures: int = 0
    retry_at: float = 0.0

    @property
    def chat(self) -> str:
        return self.fields["to"]


class _Schedule:
    """Entries held in memory, one ordered queue per chat; yields the next sendable head."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._chats: dict[str, list[_Entry]] = {}
        self._chat_next: dict[str, float] = {}
        self._heap: list[tuple[float, tuple[int, int], int, str]] = []
        self._tokens: dict[str, int] = {}
        self._counter = itertools.count()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, entry_id: str) -> bool:
        return entry_id in self._entries

    def ids(self) -> list[str]:
        return list(self._entries)

    def add(self, entry: _Entry) -> None:
        self._entries[entry.id] = entry
        queue = self._chats.setdefault(entry.chat, [])
        bisect.insort(queue, entry, key=lambda e: _order(e.id))  # reclaimed entries may be older
        if queue[0] is entry:
            self._push(entry.chat)

    def peek(self, now: float) -> tuple[_Entry | None, float]:
        """The head that may go now (or None) and when the earliest head may go."""
        while self._heap:
            ready, _, token, chat = self._heap[0]
            if self._tokens.get(chat) != token:
                heapq.heappop(self._heap)
                continue
            return (self._chats[chat][0] if ready <= now else None), ready
        return None, math.inf

    def done(self, entry: _Entry, chat_next: float) -> None:
        self._remove(entry)
        self._chat_next[entry.chat] = chat_next
        if len(self._chat_next) > 10_000:
            now = time.monotonic()
            self._chat_next = {c: t for c, t in self._chat_next.items()
                               if t > now or c in self._chats}
        self._refresh(entry.chat)

    def defer(self, entry: _Entry, retry_at: float, chat_next: float) -> None:
        entry.retry_at = retry_at
        self._chat_next[entry.chat] = chat_next
        self._refresh(entry.chat)

    def drop(self, ids: Iterable[str]) -> None:
        for entry_id in ids:
            if (entry := self._entries.get(entry_id)) is not None:
                self._remove(entry)
                self._refresh(entry.chat)

    def _remove(self, entry: _Entry) -> None:
        del self._entries[entry.id]
        queue = self._chats[entry.chat]
        queue.pop(next(i for i, e in enumerate(queue) if e is entry))

    def _push(self, chat: str) -> None:
        head = self._chats[chat][0]
        ready = max(self._chat_next.get(chat, 0.0), head.retry_at)
        token = self._tokens[chat] = next(self._counter)
        heapq.heappush(self._heap, (ready, _order(head.id), token, chat))

    def _refresh(self, chat: str) -> None:
        if self._chats.get(chat):
            self._push(chat)
        else:
            self._chats.pop(chat, None)
            self._tokens.pop(chat, None)


class OutboxConsumer:
    """Sends one session's outbox through its transport. One per session and process."""

    def __init__(self, redis: Redis, transport: Transport, *, pace: OutboxPace = OutboxPace(),
                 consumer_name: str | None = None, admin_phones: Sequence[str] = (),
                 notify_session: str = "operator") -> None:
        self.redis = redis
        self.transport = transport
        self.session = transport.session
        self.pace = pace
        # Stable by default: a restarted process resumes its own pending entries at once.
        self.name = consumer_name or f"{socket.gethostname()}:{self.session}"
        self.admin_phones = tuple(admin_phones)
        self.notify_session = notify_session
        self.stats = OutboxStats()
        self._stream = stream_key(self.session)
        self._attempts = _attempts_key(self.session)
        self._schedule = _Schedule()
        self._stopping = asyncio.Event()
        self._finished = asyncio.Event()
        self._finished.set()
        self._broken = True
        self._session_next = self._last_read = self._next_maintenance = self._next_prune = 0.0
        self._claim_cursor = "0-0"
        self._heartbeat = redis.register_script(_HEARTBEAT_LUA)
        self._prune_consumer = redis.register_script(_PRUNE_LUA)
        self._log = log.bind(session=self.session, consumer=self.name)

    async def run(self) -> None:
        """Loop until stop(); first takes back pending entries (own ones, then idle ones)."""
        self._stopping.clear()
        self._finished.clear()
        self._broken = True
        try:
            while not self._stopping.is_set():
                try:
                    if self._broken:
                        await self._recover()
                    await self._step()
                except (RedisError, OSError) as exc:
                    self._log.warning("outbox_redis_error", error=str(exc))
                    self._broken = True
                    await self._pause(1.0)
                except Exception:  # a bug must not stop the outbox: log, rebuild, go on
                    self._log.exception("outbox_loop_error")
                    self._broken = True
                    await self._pause(1.0)
        finally:
            self._finished.set()

    async def stop(self) -> None:
        self._stopping.set()
        await self._finished.wait()

    async def dead_letters(self, count: int = 100) -> list[OutboundMessage]:
        """The most recent dead-lettered messages of this session, oldest first."""
        rows = await self.redis.xrevrange(dead_letter_key(self.session), count=count)
        messages = []
        for raw_id, raw in reversed(rows):
            fields = _fields(raw)
            attributes = {k: fields[k] for k in ("reason", "attempts", "original_id",
                                                 "failed_at", "kind", _SECRET_UNTIL)
                          if k in fields}
            attributes["dead_id"] = _text(raw_id)
            try:
                messages.append(self._message(fields, attributes))
            except ValueError:  # a corrupt document: list the entry without it
                fields.pop("doc_b64", None)
                messages.append(self._message(fields, attributes))
        return messages

    # --- the loop -------------------------------------------------------------------------

    async def _step(self) -> None:
        now = time.monotonic()
        if now >= self._next_maintenance:
            await self._maintain(now)
        if self.transport.state != SessionState.WORKING:
            await self._pause(_STATE_POLL)  # nothing is read, nothing counts as an attempt
            return
        entry, ready_at = self._schedule.peek(now)
        send_at = max(ready_at, self._session_next)
        if entry is not None and send_at <= now:
            if now - self._last_read >= _READ_EVERY:
                await self._read(None)
            await self._deliver(entry)
            return
        wait = max(0.0, min(send_at - now, self._next_maintenance - now))
        if self._room() > 0 and wait > 2 * _BLOCK_SLACK:  # long wait: let Redis wake us on news
            await self._read(min(wait - _BLOCK_SLACK, _MAX_BLOCK))
            return
        if self._room() > 0 and now - self._last_read >= _READ_EVERY:
            await self._read(None)
        await self._pause(min(wait, _MAX_BLOCK))

    async def _pause(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        except TimeoutError:
            pass

    def _room(self) -> int:
        return self.pace.read_ahead - len(self._schedule)

    async def _recover(self) -> None:
        """(Re)start: the group exists, memory is rebuilt from our own pending entries."""
        self._schedule = _Schedule()
        try:
            await self.redis.xgroup_create(self._stream, GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        await self._load_own_pending()
        self._claim_cursor = "0-0"
        self._next_maintenance = 0.0  # reclaim idle entries of dead consumers before reading
        self._broken = False

    async def _load_own_pending(self) -> None:
        last = "0-0"
        while True:
            reply = await self.redis.xreadgroup(GROUP, self.name, {self._stream: last}, count=500)
            entries = reply[0][1] if reply else []
            if not entries:
                return
            await self._buffer(entries)
            last = _text(entries[-1][0])

    async def _read(self, block: float | None) -> None:
        if self._room() <= 0:
            return
        block_ms = int(block * 1000) if block else None
        reply = await self.redis.xreadgroup(GROUP, self.name, {self._stream: ">"},
                                            count=min(self._room(), _READ_BATCH), block=block_ms)
        self._last_read = time.monotonic()
        for _stream, entries in reply or []:
            await self._buffer(entries)

    async def _buffer(self, entries: Sequence[Any]) -> int:
        fresh: list[_Entry] = []
        gone: list[str] = []
        for raw_id, raw in entries:
            entry_id = _text(raw_id)
            if entry_id in self._schedule:
                continue
            fields = _fields(raw)
            if "to" in fields:
                fresh.append(_Entry(entry_id, fields))
            else:
                gone.append(entry_id)  # deleted from the stream while pending
        if gone:
            await self.redis.xack(self._stream, GROUP, *gone)
        if fresh:
            failures = await self.redis.hmget(self._attempts, [e.id for e in fresh])
            for entry, count in zip(fresh, failures, strict=True):
                entry.failures = int(count or 0)
                self._schedule.add(entry)
        return len(fresh)

    async def _maintain(self, now: float) -> None:
        self._next_maintenance = now + max(0.05, self.pace.reclaim_idle / 3)
        held = self._schedule.ids()
        for start in range(0, len(held), 500):
            lost = await self._heartbeat([self._stream],
                                         [GROUP, self.name, *held[start:start + 500]])
            if lost:
                self._log.warning("outbox_entries_lost", count=len(lost))
                self._schedule.drop(_text(i) for i in lost)
        if self.transport.state == SessionState.WORKING and self._room() > 0:
            await self._reclaim()
        if now >= self._next_prune:
            self._next_prune = now + max(self.pace.reclaim_idle, _PRUNE_AFTER)
            await self._prune()

    async def _reclaim(self) -> None:
        cursor, entries, *_ = await self.redis.xautoclaim(
            self._stream, GROUP, self.name, min_idle_time=int(self.pace.reclaim_idle * 1000),
            start_id=self._claim_cursor, count=self._room())
        self._claim_cursor = _text(cursor)
        claimed = [(i, f) for i, f in entries if i is not None]
        if len(claimed) < len(entries):  # Redis 6.2 hides ids of deleted entries: sweep them
            await self._load_own_pending()
        if claimed and (added := await self._buffer(claimed)):
            self.stats.reclaimed += added
            self._log.info("outbox_reclaimed", count=added)

    async def _prune(self) -> None:
        idle_ms = max(self.pace.reclaim_idle, _PRUNE_AFTER) * 1000
        for consumer in await self.redis.xinfo_consumers(self._stream, GROUP):
            name = _text(consumer["name"])
            if name != self.name and not int(consumer["pending"]) and consumer["idle"] > idle_ms:
                await self._prune_consumer([self._stream], [GROUP, name])

    # --- one message ------------------------------------------------------------------------

    def _message(self, fields: dict[str, str], attributes: dict[str, str]) -> OutboundMessage:
        document = None
        if "doc_b64" in fields:
            document = Document(fields.get("doc_name", "file"), base64.b64decode(fields["doc_b64"]),
                                fields.get("doc_mime", "application/octet-stream"))
        return OutboundMessage(session=self.session, to=fields["to"], body=fields.get("body", ""),
                               document=document, key=fields.get("key", ""),
                               attributes=attributes)

    async def _deliver(self, entry: _Entry) -> None:
        key = entry.fields.get("key", "")
        if key and await self.redis.exists(_sent_key(self.session, key)):
            await self._settle(entry, None)
            self._schedule.done(entry, time.monotonic())
            self.stats.skipped += 1
            self._log.info("outbox_already_sent", key=key, entry=entry.id)
            return
        if _expired_secret(entry.fields):  # a dead link or code: not worth sending
            await self._settle(entry, None)
            self._schedule.done(entry, time.monotonic())
            self.stats.expired += 1
            self._log.info("outbox_secret_expired", key=key, entry=entry.id)
            return
        attributes = {"attempt": str(entry.failures + 1), "outbox_id": entry.id}
        try:  # a malformed entry fails like a send, so it ends in the dead-letter stream
            message = self._message(entry.fields, attributes)
            message_id = await asyncio.wait_for(self.transport.send(message),
                                                self.pace.send_timeout)
        except PermanentSendError as exc:
            await self._dead_letter(entry, _reason(exc), entry.failures + 1)
        except TransientSendError as exc:
            await self._failed(entry, _reason(exc))
        except Exception as exc:  # a transport bug or timeout: retry, but say so
            self._log.warning("outbox_send_unexpected_error", key=key, exc_info=exc)
            await self._failed(entry, _reason(exc))
        else:
            await self._settle(entry, message_id)
            self._schedule.done(entry, time.monotonic() + self._chat_pause())
            self.stats.sent += 1
            self._log.debug("outbox_sent", to=entry.chat, key=key, message_id=message_id)
        self._session_next = time.monotonic() + _jittered(self.pace.per_session_interval,
                                                          self.pace.jitter)

    def _chat_pause(self) -> float:
        return _jittered(self.pace.per_chat_interval, self.pace.jitter)

    async def _settle(self, entry: _Entry, message_id: str | None) -> None:
        """Acknowledge (and forget) an entry; record its key as sent in the same MULTI."""
        pipe = self.redis.pipeline(transaction=True)
        if message_id is not None and (key := entry.fields.get("key")):
            pipe.set(_sent_key(self.session, key), message_id, ex=KEY_TTL)
        if message_id is not None:
            pipe.lpush(recent_key(self.session), _recent(entry.fields, message_id))
            pipe.ltrim(recent_key(self.session), 0, RECENT_KEPT - 1)
        pipe.xack(self._stream, GROUP, entry.id)
        pipe.xdel(self._stream, entry.id)
        pipe.hdel(self._attempts, entry.id)
        await pipe.execute()

    async def _failed(self, entry: _Entry, reason: str) -> None:
        now = time.monotonic()
        if self.transport.state != SessionState.WORKING:
            self._schedule.defer(entry, now, now)  # the session went down: not an attempt
            return
        entry.failures = await self.redis.hincrby(self._attempts, entry.id, 1)
        if entry.failures >= self.pace.max_attempts:
            await self._dead_letter(entry, reason, entry.failures)
            return
        delay = backoff_delay(entry.failures - 1, base=self.pace.backoff_base,
                              cap=self.pace.backoff_cap, jitter=self.pace.jitter)
        self.stats.retried += 1
        self._log.warning("outbox_send_retry", to=entry.chat, key=entry.fields.get("key"),
                          attempt=entry.failures, delay=round(delay, 3), reason=reason)
        self._schedule.defer(entry, now + delay, now + self._chat_pause())

    async def _dead_letter(self, entry: _Entry, reason: str, attempts: int) -> None:
        """Move to the dead-letter stream, acknowledge, and queue one notice per admin: one
        MULTI, so a crash cannot lose the notice nor duplicate the dead letter."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.xadd(dead_letter_key(self.session),
                  {**_kept_when_dead(entry.fields), "reason": reason, "attempts": str(attempts),
                   "original_id": entry.id, "failed_at": datetime.now(UTC).isoformat()},
                  maxlen=_DEAD_MAXLEN, approximate=True)
        pipe.xack(self._stream, GROUP, entry.id)
        pipe.xdel(self._stream, entry.id)
        pipe.hdel(self._attempts, entry.id)
        is_notice = entry.fields.get("kind") == NOTICE_KIND
        if not is_notice:
            text = notice_text(entry.chat, attempts, reason)
            for phone in self.admin_phones:
                try:
                    admin = _recipient(phone)
                    keys, args = encode_enqueue(self.notify_session, admin, text,
                                                f"outbox-dead:{self.session}:{entry.id}:{admin}",
                                                None, kind=NOTICE_KIND)
                except (InvalidIdentifier, ValueError):
                    self._log.error("outbox_admin_phone_invalid", phone=phone)
                    continue
                pipe.eval(_ENQUEUE_LUA, len(keys), *keys, *args)
        await pipe.execute()
        self._schedule.done(entry, time.monotonic() + self._chat_pause())
        self.stats.dead += 1
        self._log.error("outbox_notice_dead" if is_notice else "outbox_dead_letter",
                        to=entry.chat, key=entry.fields.get("key"), attempts=attempts,
                        reason=reason)
