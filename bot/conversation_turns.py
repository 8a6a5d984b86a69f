"""The inbound pipeline's handler: load the chat's context, let the conversation engine decide,
commit the decision.

The commit is the message's receipt, the context with its idle TTL, the silence timers and the
replies (each under a key derived from the inbound message id, so a redelivered message never
answers twice) in one atomic script call on the round trip the messages in flight share
(bot/turn_writes.py): the state moves on exactly when its replies are queued. Due timers are
sent from here too (`fire_due_timers`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import structlog
from redis.asyncio import Redis

from bot.chat_contexts import ContextStore
from bot.inbound import Receipt
from bot.messages import InboundMessage
from bot.outbox import encode_enqueue, enqueue, enqueue_many
from bot.redis_batch import RedisBatcher
from bot.turn_writes import TurnWrites
from cicero.unreachable import RETRY_DELAYS
from conversations.context import ChatContext
from conversations.engine import TIMER_TEXTS, ConversationEngine, Decision, TimerKind
from menus import conversation as texts
from storage.identities import Identity

log = structlog.get_logger(__name__)

TIMERS_KEY = "conv:timers"


@dataclass(frozen=True)
class _Timer:
    session: str
    chat: str
    version: int
    kind: TimerKind

    def member(self) -> str:
        return json.dumps([self.session, self.chat, self.version, self.kind.value])

    @classmethod
    def parse(cls, member: str | bytes) -> _Timer:
        session, chat, version, kind = json.loads(member)
        return cls(session, chat, int(version), TimerKind(kind))


class ConversationTurns:
    def __init__(self, engine: ConversationEngine, redis: Redis) -> None:
        self.engine = engine
        self.redis = redis
        self.clock = engine.services.clock
        self.store = ContextStore(redis, engine.idle_seconds)
        self.batcher = RedisBatcher(redis)  # shared with the inbound pipeline
        self.retry_delays: Sequence[float] = RETRY_DELAYS  # of a commit while Redis is away

    def preload(self, message: InboundMessage) -> Sequence[str]:
        """The chat's context keys, read on the inbound pipeline's first round trip; their
        values come back to `handle` as `preloaded`."""
        return () if message.is_group else self.store.keys(message.session, message.chat)

    async def handle(self, message: InboundMessage, identity: Identity,
                     preloaded: list | None = None, receipt: Receipt | None = None) -> None:
        """Answer one message."""
        now = self.clock.now().timestamp()
        if message.is_group:
            context, expired = ChatContext(), False
        elif preloaded:
            context, expired = self.store.parse(preloaded, now)
        else:
            context, expired = await self.store.load(message.session, message.chat, now)
        decision = await self.engine.decide(message, identity, context, expired=expired, now=now)
        await self._commit(message, decision, now, receipt)

    async def apologise(self, message: InboundMessage) -> None:
        """The inbound pipeline could not read a message in (a server unreachable): ask the
        sender to try again. Groups are left alone (maybe not even served)."""
        if not message.is_group:
            await enqueue(self.redis, message.session, message.chat, texts.INTERNAL_ERROR,
                          key=f"unavailable:{message.session}:{message.chat}:{message.message_id}")

    async def slow_down(self, message: InboundMessage, receipt: Receipt) -> None:
        """The inbound pipeline's throttle held this sender back: tell them once (the pipeline
        asks only for the window's first message over the limit), with the receipt."""
        writes = TurnWrites(receipt=receipt)
        writes.enqueues.append(encode_enqueue(
            message.session, message.chat,
            texts.too_fast(self.engine.services.settings.inbound_rate_window_seconds),
            f"throttled:{message.session}:{message.chat}:{message.message_id}"))
        await writes.run(self.batcher, self.retry_delays)

    async def _commit(self, message: InboundMessage, decision: Decision, now: float,
                      receipt: Receipt | None) -> None:
        if message.is_group and not decision.replies:
            return
        writes = TurnWrites(receipt=receipt, timers_key=TIMERS_KEY)
        if not message.is_group:
            context = decision.context
            writes.context = self.store.write(message.session, message.chat, context, now)
            writes.timers = {_Timer(message.session, message.chat, context.version, kind).member():
                             due for kind, due in decision.timers.items()}
        for index, item in enumerate(decision.replies):
            key = f"reply:{message.session}:{message.chat}:{message.message_id}:{index}"
            try:
                writes.enqueues.append(
                    encode_enqueue(item.session or message.session, item.to, item.text, key))
            except ValueError as exc:  # a malformed stored number, an empty text
                log.warning("reply_dropped", chat=message.chat, to=item.to, error=str(exc))
        await writes.run(self.batcher, self.retry_delays)

    async def fire_due_timers(self) -> int:
        """Send the nudges and warnings that are due; stale ones (the chat moved on) vanish.
        Safe with several bot processes: a timer belongs to whoever removes it."""
        now = self.clock.now().timestamp()
        sent = 0
        for member in await self.redis.zrangebyscore(TIMERS_KEY, "-inf", now):
            if not await self.redis.zrem(TIMERS_KEY, member):
                continue
            timer = _Timer.parse(member)
            context = await self.store.peek(timer.session, timer.chat)
            if (context is None or context.version != timer.version
                    or now - context.last_active >= self.engine.idle_seconds):
                continue
            await enqueue_many(self.redis, timer.session, [
                (timer.chat, TIMER_TEXTS[timer.kind],
                 f"timer:{timer.session}:{timer.chat}:{timer.version}:{timer.kind.value}")])
            sent += 1
        return sent
