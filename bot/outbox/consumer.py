"""The consumer of one session's outbox: paced, retried, acknowledged once sent.

It reads the session's stream through the consumer group, sends at a paced rate (per session
and per chat, with jitter), keeps each chat in order (schedule.py), retries transient failures
with exponential backoff, and acknowledges an entry only after the transport accepted it, in
the same MULTI that records a "sent" marker for its key (and the message in the session's
"recently sent" stream). Entries left unacknowledged by a dead consumer are reclaimed
(XAUTOCLAIM); live consumers renew the lease on what they hold. After `max_attempts` failures
(or one permanent failure) an entry moves to a dead-letter stream and the admins get one notice.
"""

from __future__ import annotations

import asyncio
import base64
import random
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from bot.outbox import scripts
from bot.outbox.enqueue import encode_enqueue, recipient
from bot.outbox.keys import (
    GROUP,
    KEY_TTL,
    RECENT_MAXLEN,
    SECRET_UNTIL,
    attempts_key,
    dead_letter_key,
    fields_of,
    recent_key,
    sent_key,
    stream_key,
    text,
)
from bot.outbox.schedule import Entry, Schedule
from bot.transport import PermanentSendError, SessionState, TransientSendError, Transport
from cicero.backoff import backoff_delay
from cicero.clock import clock
from cicero.messages import Document, OutboundMessage
from menus.outbox import dead_letter_notice
from storage.identifiers import InvalidIdentifier

log = structlog.get_logger(__name__)

NOTICE_KIND = "notice"
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

def _expired_secret(fields: dict[str, str]) -> bool:
    until = fields.get(SECRET_UNTIL)
    return until is not None and float(until) <= clock.now().timestamp()


def _kept(fields: dict[str, str]) -> dict[str, str]:
    """What a dead letter or the "recently sent" stream keeps of an entry: all of it, but
    never a secret's body."""
    if SECRET_UNTIL not in fields:
        return fields
    return {**{name: value for name, value in fields.items()
               if not name.startswith("doc_")}, "body": ""}


def _jittered(seconds: float, jitter: float) -> float:
    return seconds * random.uniform(1 - jitter, 1 + jitter) if seconds > 0 else 0.0


def _reason(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__)[:300]


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
        self._attempts = attempts_key(self.session)
        self._schedule = Schedule()
        self._stopping = asyncio.Event()
        self._finished = asyncio.Event()
        self._finished.set()
        self._broken = True
        self._session_next = self._last_read = self._next_maintenance = self._next_prune = 0.0
        self._claim_cursor = "0-0"
        self._heartbeat = redis.register_script(scripts.HEARTBEAT)
        self._prune_consumer = redis.register_script(scripts.PRUNE)
        self._enqueue = redis.register_script(scripts.ENQUEUE)
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
            fields = fields_of(raw)
            attributes = {k: fields[k] for k in ("reason", "attempts", "original_id",
                                                 "failed_at", "kind", SECRET_UNTIL)
                          if k in fields}
            attributes["dead_id"] = text(raw_id)
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
        self._schedule = Schedule()
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
            last = text(entries[-1][0])

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
        fresh: list[Entry] = []
        gone: list[str] = []
        for raw_id, raw in entries:
            entry_id = text(raw_id)
            if entry_id in self._schedule:
                continue
            fields = fields_of(raw)
            if "to" in fields:
                fresh.append(Entry(entry_id, fields))
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
                self._schedule.drop(text(i) for i in lost)
        if self.transport.state == SessionState.WORKING and self._room() > 0:
            await self._reclaim()
        if now >= self._next_prune:
            self._next_prune = now + max(self.pace.reclaim_idle, _PRUNE_AFTER)
            await self._prune()

    async def _reclaim(self) -> None:
        cursor, entries, *_ = await self.redis.xautoclaim(
            self._stream, GROUP, self.name, min_idle_time=int(self.pace.reclaim_idle * 1000),
            start_id=self._claim_cursor, count=self._room())
        self._claim_cursor = text(cursor)
        claimed = [(i, f) for i, f in entries if i is not None]
        if len(claimed) < len(entries):  # Redis 6.2 hides ids of deleted entries: sweep them
            await self._load_own_pending()
        if claimed and (added := await self._buffer(claimed)):
            self.stats.reclaimed += added
            self._log.info("outbox_reclaimed", count=added)

    async def _prune(self) -> None:
        idle_ms = max(self.pace.reclaim_idle, _PRUNE_AFTER) * 1000
        for consumer in await self.redis.xinfo_consumers(self._stream, GROUP):
            name = text(consumer["name"])
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

    async def _deliver(self, entry: Entry) -> None:
        key = entry.fields.get("key", "")
        if key and await self.redis.exists(sent_key(self.session, key)):
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

    async def _settle(self, entry: Entry, message_id: str | None) -> None:
        """Acknowledge (and forget) an entry; when it was sent, record its key as sent and the
        message (without a document's content) as recently sent in the same MULTI."""
        pipe = self.redis.pipeline(transaction=True)
        if message_id is not None:
            if key := entry.fields.get("key"):
                pipe.set(sent_key(self.session, key), message_id, ex=KEY_TTL)
            pipe.xadd(recent_key(self.session),
                      {**{name: value for name, value in _kept(entry.fields).items()
                          if name != "doc_b64"},
                       "message_id": message_id, "sent_at": datetime.now(UTC).isoformat()},
                      maxlen=RECENT_MAXLEN, approximate=True)
        pipe.xack(self._stream, GROUP, entry.id)
        pipe.xdel(self._stream, entry.id)
        pipe.hdel(self._attempts, entry.id)
        await pipe.execute()

    async def _failed(self, entry: Entry, reason: str) -> None:
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

    async def _dead_letter(self, entry: Entry, reason: str, attempts: int) -> None:
        """Move to the dead-letter stream, acknowledge, and queue one notice per admin: one
        MULTI, so a crash cannot lose the notice nor duplicate the dead letter."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.xadd(dead_letter_key(self.session),
                  {**_kept(entry.fields), "reason": reason, "attempts": str(attempts),
                   "original_id": entry.id, "failed_at": datetime.now(UTC).isoformat()},
                  maxlen=_DEAD_MAXLEN, approximate=True)
        pipe.xack(self._stream, GROUP, entry.id)
        pipe.xdel(self._stream, entry.id)
        pipe.hdel(self._attempts, entry.id)
        is_notice = entry.fields.get("kind") == NOTICE_KIND
        if not is_notice:
            notice = dead_letter_notice(entry.chat, attempts, reason)
            for phone in self.admin_phones:
                try:
                    admin = recipient(phone)
                    keys, args = encode_enqueue(self.notify_session, admin, notice,
                                                f"outbox-dead:{self.session}:{entry.id}:{admin}",
                                                None, kind=NOTICE_KIND)
                except (InvalidIdentifier, ValueError):
                    self._log.error("outbox_admin_phone_invalid", phone=phone)
                    continue
                await self._enqueue(keys, args, client=pipe)  # loaded before the MULTI
        await pipe.execute()
        self._schedule.done(entry, time.monotonic() + self._chat_pause())
        self.stats.dead += 1
        self._log.error("outbox_notice_dead" if is_notice else "outbox_dead_letter",
                        to=entry.chat, key=entry.fields.get("key"), attempts=attempts,
                        reason=reason)
