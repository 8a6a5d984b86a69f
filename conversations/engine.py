"""The conversation engine: one inbound message in, replies out through the outbox.

For each message: load the chat's context; the universal words (`batal`, `kembali`, `menu`)
come first; then the active flow's handler for its state, or else the first entry (flow or
command) that wants the message, or the session's fallback. The context is saved with its
idle TTL, the silence timers are armed, and every reply is appended to the outbox under a key
derived from the inbound message id, so a redelivered message never answers twice.
Nothing raises to the user: an internal error becomes an apology, logged with the chat id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import structlog

from bot.inbound import Receipt
from bot.messages import InboundMessage
from bot.outbox import encode_enqueue, enqueue, enqueue_many
from bot.redis_batch import RedisBatcher
from bot.unreachable import RETRY_DELAYS
from conversations.context import ChatContext, ContextStore
from conversations.flow import Flow, Outgoing, Services, Turn
from conversations.turn_writes import TurnWrites
from menus import conversation as texts
from storage.identities import Identity

log = structlog.get_logger(__name__)

TIMERS_KEY = "conv:timers"
NUDGE_SECONDS = 90
WARNING_BEFORE_END_SECONDS = 60


class Entry(Protocol):
    """Something a message can start: a flow (by keyword) or a one-shot command."""

    def wants(self, turn: Turn) -> bool: ...

    async def enter(self, turn: Turn) -> None: ...


class Command:
    """A one-shot answer with no state (e.g. `notifwa#on`)."""

    sessions: frozenset[str] | None = None  # None: every session
    in_groups = False
    interrupts = False  # also heard in the middle of another flow (which then continues)

    def wants(self, turn: Turn) -> bool:
        raise NotImplementedError

    async def enter(self, turn: Turn) -> None:
        raise NotImplementedError


class FlowRegistry:
    """The flows by name, the entries in the order they are tried, and per-session fallbacks."""

    def __init__(self, flows: Iterable[Flow], entries: Sequence[Entry],
                 fallbacks: dict[str, Entry]) -> None:
        self._flows = {flow.name: flow for flow in flows}
        self.entries = list(entries)
        self.fallbacks = fallbacks

    def get(self, name: str | None) -> Flow:
        if name not in self._flows:
            raise KeyError(f"unknown flow {name!r}")
        return self._flows[name]

    def knows(self, name: str | None) -> bool:
        return name in self._flows


def _applies(entry: Entry, message: InboundMessage) -> bool:
    sessions = getattr(entry, "sessions", None)
    if sessions is not None and message.session not in sessions:
        return False
    return not message.is_group or getattr(entry, "in_groups", False)


@dataclass(frozen=True)
class _Timer:
    session: str
    chat: str
    version: int
    kind: str  # "nudge" | "warning"

    def member(self) -> str:
        return json.dumps([self.session, self.chat, self.version, self.kind])

    @classmethod
    def parse(cls, member: str | bytes) -> _Timer:
        session, chat, version, kind = json.loads(member)
        return cls(session, chat, int(version), kind)


class ConversationEngine:
    def __init__(self, services: Services, registry: FlowRegistry, *,
                 idle_seconds: int = 300) -> None:
        self.services = services
        self.registry = registry
        self.idle_seconds = idle_seconds
        self.store = ContextStore(services.redis, idle_seconds)
        self.batcher = RedisBatcher(services.redis)  # shared with the inbound pipeline
        self.retry_delays: Sequence[float] = RETRY_DELAYS  # of a commit while Redis is away

    def preload(self, message: InboundMessage) -> Sequence[str]:
        """The chat's context keys, read on the inbound pipeline's first round trip; their
        values come back to `handle` as `preloaded`."""
        return () if message.is_group else self.store.keys(message.session, message.chat)

    async def handle(self, message: InboundMessage, identity: Identity,
                     preloaded: list | None = None, receipt: Receipt | None = None) -> None:
        """The inbound pipeline's handler: answer one message."""
        now = self.services.clock.now().timestamp()
        if message.is_group:
            context, expired = ChatContext(), False
        elif preloaded:
            context, expired = self.store.parse(preloaded, now)
        else:
            context, expired = await self.store.load(message.session, message.chat, now)
        turn = Turn(message, identity, self.services, context, self.registry)
        if expired:
            turn.say(texts.SESSION_EXPIRED)
        try:
            await self._dispatch(turn)
        except Exception:
            log.exception("conversation_failed", chat=message.chat, session=message.session,
                          flow=context.flow, state=context.state)
            turn.outgoing = [Outgoing(message.chat, texts.INTERNAL_ERROR)]
            context = ChatContext()  # an unknown half-way state is worse than starting over
            turn.context = context
        await self._commit(message, turn, now, receipt)

    async def apologise(self, message: InboundMessage) -> None:
        """The inbound pipeline could not read a message in (a server unreachable): ask the
        sender to try again. Groups are left alone (maybe not even served)."""
        if not message.is_group:
            await enqueue(self.services.redis, message.session, message.chat,
                          texts.INTERNAL_ERROR,
                          key=f"unavailable:{message.session}:{message.chat}:{message.message_id}")

    async def slow_down(self, message: InboundMessage, receipt: Receipt) -> None:
        """The inbound pipeline's throttle held this sender back: tell them once (the pipeline
        asks only for the window's first message over the limit), with the receipt."""
        writes = TurnWrites(receipt=receipt)
        writes.enqueues.append(encode_enqueue(
            message.session, message.chat,
            texts.too_fast(self.services.settings.inbound_rate_window_seconds),
            f"throttled:{message.session}:{message.chat}:{message.message_id}"))
        await writes.run(self.batcher, self.retry_delays)

    async def _commit(self, message: InboundMessage, turn: Turn, now: float,
                      receipt: Receipt | None) -> None:
        """The receipt, the context, its timers and the replies in one atomic script call,
        on the round trip the messages in flight share: the state moves on exactly when its
        replies are queued."""
        replies = self._replies(message, turn.outgoing)
        if message.is_group and not replies:
            return
        writes = TurnWrites(receipt=receipt, timers_key=TIMERS_KEY)
        if not message.is_group:
            writes.context = self.store.write(message.session, message.chat, turn.context, now)
            writes.timers = self._timers(message.session, message.chat, turn.context, now)
        for session, to, body, key in replies:
            try:
                writes.enqueues.append(encode_enqueue(session, to, body, key))
            except ValueError as exc:  # a malformed stored number, an empty text
                log.warning("reply_dropped", chat=message.chat, to=to, error=str(exc))
        await writes.run(self.batcher, self.retry_delays)

    async def _dispatch(self, turn: Turn) -> None:
        context, word = turn.context, turn.word
        if not turn.message.is_group:
            if word == "batal":
                turn.say(texts.CANCELLED if context.active else texts.NOTHING_TO_CANCEL)
                turn.finish()
                return
            if word == "menu":
                turn.finish()
                turn.say(texts.menu_for(turn.identity, turn.message.session))
                return
            if word == "kembali" and context.active:
                await self._back(turn)
                return
        if context.active and self.registry.knows(context.flow):
            interrupting = self._entry_for(turn, interrupting_only=True)
            if interrupting is not None:  # e.g. a complaint or notifwa# in the middle of a flow
                if isinstance(interrupting, Flow):
                    context.reset()  # a flow replaces the current one; a command leaves it be
                await interrupting.enter(turn)
                return
            await self.registry.get(context.flow).handle(turn)
            return
        context.reset()
        entry = self._entry_for(turn)
        if entry is not None:
            await entry.enter(turn)
            return
        if turn.message.is_group:
            return  # groups only hear what an entry claims; anything else is silence
        fallback = self.registry.fallbacks.get(turn.message.session)
        if fallback is not None:
            await fallback.enter(turn)
        else:
            turn.say(texts.unknown_command(turn.identity, turn.message.session))

    def _entry_for(self, turn: Turn, *, interrupting_only: bool = False) -> Entry | None:
        for entry in self.registry.entries:
            if interrupting_only and not getattr(entry, "interrupts", False):
                continue
            if _applies(entry, turn.message) and entry.wants(turn):
                return entry
        return None

    async def _back(self, turn: Turn) -> None:
        flow = self.registry.get(turn.context.flow)
        if not turn.context.history:
            turn.say(texts.NO_PREVIOUS_STEP)
            await flow.prompt(turn)
            return
        turn.context.state = turn.context.history.pop()
        await flow.prompt(turn)

    @staticmethod
    def _replies(message: InboundMessage, outgoing: list[Outgoing]
                 ) -> list[tuple[str, str, str, str]]:
        """(sending session, to, text, idempotency key) per reply; the key makes a redelivered
        inbound message queue its replies once."""
        return [(item.session or message.session, item.to, item.text,
                 f"reply:{message.session}:{message.chat}:{message.message_id}:{index}")
                for index, item in enumerate(outgoing)]

    # --- silence timers ---------------------------------------------------------------------

    def _timers(self, session: str, chat: str, context: ChatContext,
                now: float) -> dict[str, float]:
        """The silence timers of the saved context (member -> due)."""
        if not context.active:
            return {}
        timers = {_Timer(session, chat, context.version, "warning").member():
                  now + self.idle_seconds - WARNING_BEFORE_END_SECONDS}
        flow = self.registry.get(context.flow)
        if context.state in flow.quick_reply_states:
            timers[_Timer(session, chat, context.version, "nudge").member()] = now + NUDGE_SECONDS
        return timers

    async def fire_due_timers(self) -> int:
        """Send the nudges and warnings that are due; stale ones (the chat moved on) vanish.
        Safe with several bot processes: a timer belongs to whoever removes it."""
        redis = self.services.redis
        now = self.services.clock.now().timestamp()
        sent = 0
        for member in await redis.zrangebyscore(TIMERS_KEY, "-inf", now):
            if not await redis.zrem(TIMERS_KEY, member):
                continue
            timer = _Timer.parse(member)
            context = await self.store.peek(timer.session, timer.chat)
            if (context is None or context.version != timer.version
                    or now - context.last_active >= self.idle_seconds):
                continue
            text = texts.STILL_WAITING if timer.kind == "nudge" else texts.ENDING_SOON
            await enqueue_many(redis, timer.session, [
                (timer.chat, text, f"timer:{timer.session}:{timer.chat}:{timer.version}:"
                                   f"{timer.kind}")])
            sent += 1
        return sent
