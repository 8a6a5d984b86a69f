"""The conversation engine decides: a message and the chat's context in, the new context,
its silence timers and the replies out. It reads and writes nothing of its own; the bot
loads the context and commits the decision (bot/conversation_turns.py).

For each message the universal words (`batal`, `kembali`, `menu`) come first; then the
active flow's handler for its state, or else the first entry (flow or command) that wants
the message, or the session's fallback. Nothing raises to the user: an internal error
becomes an apology, logged with the chat id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import structlog

from cicero.messages import InboundMessage
from conversations.bulk_deactivation import may_deactivate
from conversations.console.audiences import sender_grants
from conversations.console.flow import Console
from conversations.context import ChatContext
from conversations.flow import Entry, Flow, Outgoing, Services, Turn
from menus import conversation as texts
from storage.identities import Identity

log = structlog.get_logger(__name__)

NUDGE_SECONDS = 90
WARNING_BEFORE_END_SECONDS = 60


class TimerKind(StrEnum):
    NUDGE = "nudge"  # a question waits for a quick answer
    WARNING = "warning"  # the conversation ends in a minute


TIMER_TEXTS = {TimerKind.NUDGE: texts.STILL_WAITING, TimerKind.WARNING: texts.ENDING_SOON}


@dataclass
class Decision:
    """What one message changes: the chat's context (inactive: ended), the silence timers
    of that context (kind -> due, business-clock epoch seconds) and the replies."""

    context: ChatContext
    replies: list[Outgoing]
    timers: dict[TimerKind, float] = field(default_factory=dict)


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

    @property
    def flows(self) -> list[Flow]:
        return list(self._flows.values())


class ConversationEngine:
    def __init__(self, services: Services, registry: FlowRegistry, *,
                 idle_seconds: int = 300) -> None:
        self.services = services
        self.registry = registry
        self.idle_seconds = idle_seconds

    async def decide(self, message: InboundMessage, identity: Identity, context: ChatContext,
                     *, expired: bool = False, now: float) -> Decision:
        """Answer one message given the chat's context (`expired`: an earlier conversation of
        this chat ended in silence, which the person is told first)."""
        turn = Turn(message, identity, self.services, context, self.registry)
        if expired:
            turn.say(texts.SESSION_EXPIRED)
        try:
            await self._dispatch(turn)
        except Exception:
            log.exception("conversation_failed", chat=message.chat, session=message.session,
                          flow=context.flow, state=context.state)
            # An unknown half-way state is worse than starting over.
            return Decision(ChatContext(), [Outgoing(message.chat, texts.INTERNAL_ERROR)])
        return Decision(turn.context, turn.outgoing, self._timers(turn.context, now))

    def _timers(self, context: ChatContext, now: float) -> dict[TimerKind, float]:
        if not context.active:
            return {}
        timers = {TimerKind.WARNING: now + self.idle_seconds - WARNING_BEFORE_END_SECONDS}
        if self.registry.get(context.flow).quick_reply(context.state):
            timers[TimerKind.NUDGE] = now + NUDGE_SECONDS
        return timers

    async def _dispatch(self, turn: Turn) -> None:
        context, word = turn.context, turn.word
        own = context.active and self.registry.knows(context.flow) \
            and word in turn.flow.own_words
        if not turn.message.is_group and not own:
            if word == "batal":
                turn.say(texts.CANCELLED if context.active else texts.NOTHING_TO_CANCEL)
                turn.finish()
                return
            if word == "menu":
                turn.finish()
                turn.say(texts.menu_for(turn.identity, turn.message.session,
                                        **await self._offered(turn)))
                return
            if word == "kembali" and context.active:
                if not await turn.back():
                    turn.say(texts.NO_PREVIOUS_STEP)
                    await turn.flow.ask(turn)
                return
        if context.active and self.registry.knows(context.flow):
            interrupting = self._entry_for(turn, interrupting_only=True)
            if interrupting is not None:  # e.g. a complaint or notifwa# in the middle of a flow
                if isinstance(interrupting, Flow):
                    context.reset()  # a flow replaces the current one; a command leaves it be
                await interrupting.enter(turn)
                return
            await turn.flow.handle(turn)
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
            turn.say(texts.unknown_command(turn.identity, turn.message.session,
                                           **await self._offered(turn)))

    async def _offered(self, turn: Turn) -> dict[str, Any]:
        """What the menu lists for this sender besides the field officer's commands: the
        consoles they may open, the bulk template, the admin commands."""
        grants = await sender_grants(turn)
        consoles = [flow.name for flow in self.registry.flows
                    if isinstance(flow, Console) and await flow.may_open(turn, grants)]
        return {"consoles": consoles, "admin": grants.admin,
                "bulk": may_deactivate(grants)}

    def _entry_for(self, turn: Turn, *, interrupting_only: bool = False) -> Entry | None:
        for entry in self.registry.entries:
            if interrupting_only and not entry.interrupts:
                continue
            if entry.applies(turn.message) and entry.wants(turn):
                return entry
        return None
