"""The inbound path: transport → here → the conversation engine.

Drops repeats (Redis, 24 h, so a redelivery after a restart is still caught), ignores
status broadcasts and groups that are not a registered client group, resolves the sender
to an identity, and hands the message on. Messages of one chat are handled strictly in
arrival order; different chats run concurrently. Nothing raised by a handler escapes.

A sender over the throttle's limit (`bot.throttle`) is told once that they are sending too
fast (`Throttled`) and then not answered until the window passes; the count rides on the
dedup check's round trip.

The reads before the handler (the dedup check, the group check, the identity) are repeated
while PostgreSQL or Redis cannot be reached, for about 8 seconds, so a restart of either loses
no message; after that the sender is told to try again later (`Unavailable`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import structlog
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.messages import InboundMessage
from bot.redis_batch import RedisBatcher
from bot.throttle import SenderThrottle, Verdict
from cicero.unreachable import RETRY_DELAYS, UNREACHABLE, while_unreachable
from storage.identities import Identity
from storage.identity_cache import IdentityCache

log = structlog.get_logger(__name__)

DEDUP_SECONDS = 24 * 3600
STATUS_BROADCAST = "status@broadcast"
# (message, identity) or, with a preload, (message, identity, preloaded values, receipt)
Handler = Callable[..., Awaitable[None]]
# The keys the handler wants read with the dedup check (one MGET); their values are passed on.
Preload = Callable[[InboundMessage], Sequence[str]]
# Told about a message that could not be read in while the servers were unreachable.
Unavailable = Callable[[InboundMessage], Awaitable[None]]
# Tells a sender, once per window, that they are over the throttle's limit; stages the receipt
# with its reply.
Throttled = Callable[[InboundMessage, "Receipt"], Awaitable[None]]


@dataclass
class Receipt:
    """The mark that a message was handled, so a repeat of it is dropped. A handler that
    commits writes it atomically with its commit (and sets `staged`): a crash before that
    commit leaves the message unmarked, and its redelivery is handled instead of dropped.
    Otherwise the pipeline sets it once the handler is done (also when the handler failed:
    no message loops forever)."""

    key: str
    seconds: int
    staged: bool = False

    def stage(self, pipe: Pipeline) -> None:
        pipe.set(self.key, "1", ex=self.seconds)
        self.staged = True


@dataclass
class _ChatQueue:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class InboundPipeline:
    def __init__(self, redis: Redis, engine: AsyncEngine, handler: Handler, *,
                 admin_phones: frozenset[str] = frozenset(),
                 dedup_seconds: int = DEDUP_SECONDS, preload: Preload | None = None,
                 batcher: RedisBatcher | None = None,
                 unavailable: Unavailable | None = None,
                 throttle: SenderThrottle | None = None,
                 throttled: Throttled | None = None) -> None:
        self.engine, self.handler, self.preload = engine, handler, preload
        self.unavailable = unavailable
        self.throttle, self.throttled = throttle, throttled
        self.retry_delays: Sequence[float] = RETRY_DELAYS
        self.batcher = batcher or RedisBatcher(redis)
        self.identities = IdentityCache(engine, admin_phones)
        self.dedup_seconds = dedup_seconds
        self._chats: dict[str, _ChatQueue] = {}

    async def start(self) -> None:
        """Keep resolved identities while PostgreSQL's change notifications are heard
        (without `start` every message is looked up)."""
        await self.identities.start()

    async def stop(self) -> None:
        await self.identities.stop()

    async def receive(self, message: InboundMessage) -> bool:
        """Handle one message; False when it was dropped (repeat, status, unknown group).

        The chat's turn is taken before the first await, so calls made in arrival order
        are handled in that order."""
        if message.chat == STATUS_BROADCAST:
            return False
        queue = self._chats.setdefault(message.chat, _ChatQueue())
        queue.users += 1
        try:
            async with queue.lock:
                return await self._handle(message)
        finally:
            queue.users -= 1
            if not queue.users:
                self._chats.pop(message.chat, None)

    async def _handle(self, message: InboundMessage) -> bool:
        receipt = Receipt(f"inbound:seen:{message.session}:{message.chat}:{message.message_id}",
                          self.dedup_seconds)
        try:
            read = await while_unreachable(lambda: self._read_in(message, receipt),
                                           self.retry_delays, "inbound_retrying",
                                           chat=message.chat)
        except UNREACHABLE as exc:  # not a bug: no traceback
            log.error("inbound_unavailable", chat=message.chat, message_id=message.message_id,
                      session=message.session, error=repr(exc))
            if self.unavailable is not None:
                try:
                    await self.unavailable(message)
                except Exception:  # e.g. Redis is the server that is down
                    log.exception("inbound_unavailable_notice_failed", chat=message.chat)
            return False
        if read is None:
            return False
        if isinstance(read, Verdict):
            await self._hold_back(message, receipt, read)
        else:
            preloaded, identity = read
            try:
                if self.preload is None:
                    await self.handler(message, identity)
                else:
                    await self.handler(message, identity, preloaded, receipt)
            except Exception:  # the engine answers users itself; this is the last safety net
                log.exception("inbound_handler_failed", chat=message.chat,
                              message_id=message.message_id, session=message.session)
        if not receipt.staged:  # a handler that committed nothing (or failed): mark it here
            await while_unreachable(lambda: self.batcher.run(receipt.stage), self.retry_delays,
                                    "inbound_mark_retrying", chat=message.chat)
        return True

    async def _hold_back(self, message: InboundMessage, receipt: Receipt,
                         verdict: Verdict) -> None:
        """A message over the throttle's limit: only the first is answered, and never in a
        group; the pipeline marks the others handled."""
        if verdict is not Verdict.NOTICE:
            return
        log.warning("inbound_throttled", chat=message.chat, sender=message.sender,
                    session=message.session)
        if message.is_group or self.throttled is None:
            return
        try:
            await self.throttled(message, receipt)
        except Exception:  # like a handler's: contained, and the message is still marked
            log.exception("inbound_throttled_notice_failed", chat=message.chat)

    async def _read_in(self, message: InboundMessage,
                       receipt: Receipt) -> tuple[list, Identity] | Verdict | None:
        """The preloaded values and the sender's identity; None for a repeat or a group we do
        not serve; the throttle's verdict when the sender is over its limit. Reads and the
        throttle's count only: safe to repeat."""
        keys = self.preload(message) if self.preload is not None else ()
        throttle = self.throttle
        rate_key = throttle.key(message) if throttle is not None else ""

        def stage(pipe: Pipeline) -> None:
            pipe.mget(receipt.key, *keys)
            if throttle is not None:
                throttle.stage(pipe, rate_key)

        [[handled_before, *preloaded], *counted] = await self.batcher.run(stage)
        if handled_before:
            log.info("inbound_duplicate", chat=message.chat, message_id=message.message_id)
            return None
        if message.is_group and not await self.identities.is_registered_group(message.chat):
            return None
        if throttle is not None:
            verdict = throttle.verdict(counted[0])
            if verdict is not Verdict.PASS:
                return verdict
        return preloaded, await self.identities.resolve(message.sender)
