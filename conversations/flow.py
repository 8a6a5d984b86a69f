"""What a flow is: a class whose steps are `State` attributes, each with its prompt and its
handler, in the aiogram way (states as attributes, handlers bound to them):

    class Registration(Flow):
        name = "registration"
        keywords = frozenset({"userrequest"})

        ask_nrp = State(prompt=texts.ASK_NRP, quick_reply=True)
        confirm_link = State(prompt=lambda turn: texts.confirm_link(turn.data["nrp"]))

        @ask_nrp.on_message
        async def read_nrp(self, turn: Turn) -> None:
            ...
            turn.go(self.confirm_link)  # moves on and asks confirm_link's prompt

A misspelt state fails when the class is defined (a NameError in the class body, or a
TypeError for a state without handler or prompt); `turn.go` takes only states of the running
flow. A flow instance holds no per-chat data: everything lives in `turn.data` (saved in
Redis by the bot). `kembali` returns to the previous state (or the state's declared `back`)
and asks its prompt again.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.clock import BusinessClock
from cicero.messages import InboundMessage
from cicero.settings import Settings
from conversations.answers import Answer, word, yes_no
from conversations.context import ChatContext
from storage.identities import Identity

if TYPE_CHECKING:
    from conversations.engine import FlowRegistry

Handler = Callable[[Any, "Turn"], Awaitable[None]]
# A prompt is a text, a function of the turn returning the text, or a flow method (bound with
# `@state.prompter`) that says what it needs itself, possibly after reading the database.
Prompt = str | Callable[["Turn"], str]


class FlowError(Exception):
    """A flow moved to a state it does not declare: a programming error."""


@dataclass(frozen=True)
class Services:
    """The shared resources a flow may use."""

    engine: AsyncEngine
    redis: Redis
    settings: Settings
    clock: BusinessClock


@dataclass(frozen=True)
class Outgoing:
    to: str  # JID
    text: str
    session: str | None = None  # None: the session the message came in on


class State:
    """One step of a flow: what is asked (its prompt, repeated after `kembali` or an invalid
    answer), the handler of the answer, whether a silence there earns a nudge, and where
    `kembali` leads when the history is not the answer (a step after a saved change)."""

    def __init__(self, prompt: Prompt | None = None, *, quick_reply: bool = False,
                 back: State | None = None) -> None:
        self.name = ""
        self.quick_reply = quick_reply
        self.back = back
        self._prompt: Prompt | None = prompt
        self._prompt_method: Handler | None = None
        self.handler: Handler | None = None

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"State({self.name})"

    def on_message(self, method: Handler) -> Handler:
        """Decorator: the flow method that handles a message in this state."""
        if self.handler is not None:
            raise TypeError(f"state {self.name} has two handlers")
        self.handler = method
        return method

    def prompter(self, method: Handler) -> Handler:
        """Decorator: a flow method that asks this state's question itself."""
        self._prompt_method = method
        return method

    @property
    def has_prompt(self) -> bool:
        return self._prompt is not None or self._prompt_method is not None

    async def ask(self, flow: Flow, turn: Turn) -> None:
        if self._prompt_method is not None:
            await self._prompt_method(flow, turn)
        elif isinstance(self._prompt, str):
            turn.say(self._prompt)
        elif self._prompt is not None:
            turn.say(self._prompt(turn))


@dataclass
class Turn:
    """One inbound message being handled: the context object of aiogram, for one chat."""

    message: InboundMessage
    identity: Identity
    services: Services
    context: ChatContext
    flows: FlowRegistry
    outgoing: list[Outgoing] = field(default_factory=list)
    # What is read once per message and used at several points of its handling (a console's
    # grants and clients: re-read for every message, not for every step of one message).
    memo: dict[Any, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.message.text.strip()

    @property
    def word(self) -> str:
        return word(self.message.text)

    @property
    def answer(self) -> Answer | None:
        return yes_no(self.message.text)

    @property
    def data(self) -> dict[str, Any]:
        return self.context.data

    @property
    def state(self) -> str | None:
        return self.context.state

    @property
    def phone(self) -> str:
        return self.message.sender

    @property
    def flow(self) -> Flow:
        return self.flows.get(self.context.flow)

    def say(self, *texts: str) -> None:
        """Reply in this chat; each text is one WhatsApp message."""
        self.outgoing.extend(Outgoing(self.message.chat, text) for text in texts if text)

    def send(self, to: str, text: str, *, session: str | None = None) -> None:
        """A message to another chat (a complaint's reporter, a registrant)."""
        self.outgoing.append(Outgoing(to, text, session))

    async def go(self, state: State, *, ask: bool = True, remember: bool = True) -> None:
        """Move to `state` of the running flow and ask its prompt (`ask=False` when the handler
        already said what the person must answer). The state left is remembered for
        `kembali`, unless `remember=False` (a flow that starts further on)."""
        flow = self.flow
        if state not in flow.states:
            raise FlowError(f"{flow.name} has no state {state!r}")
        history = self.context.history
        if state.name in history:  # back to an earlier step: the steps after it are gone
            del history[history.index(state.name):]
        elif remember and self.context.state is not None and state.name != self.context.state:
            history.append(self.context.state)
        self.context.state = state.name
        if ask:
            await state.ask(flow, self)

    async def back(self) -> bool:
        """`kembali`: one step back in the running flow, asking again; False when there is
        nowhere to go back to."""
        return await self.flow.back(self)

    async def begin(self, flow: Flow | str, **data: Any) -> None:
        """Leave the current flow (if any) and start another one in this chat."""
        target = self.flows.get(flow if isinstance(flow, str) else flow.name)
        self.context.reset()
        self.context.flow = target.name
        self.context.data.update(data)
        self.context.state = target.initial.name
        await target.start(self)

    def finish(self) -> None:
        """The conversation is over; the next message starts fresh."""
        self.context.reset()


class Entry:
    """Something a fresh message can start: a flow or a one-shot command. Where it is heard
    is declared here, once for both."""

    sessions: ClassVar[frozenset[str] | None] = None  # None: every session
    in_groups: ClassVar[bool] = False
    interrupts: ClassVar[bool] = False  # also heard in the middle of another flow
    keywords: ClassVar[frozenset[str]] = frozenset()  # words that start it (`wants`' default)
    # Universal words (`menu`) this flow answers itself while it runs.
    own_words: ClassVar[frozenset[str]] = frozenset()

    def applies(self, message: InboundMessage) -> bool:
        if self.sessions is not None and message.session not in self.sessions:
            return False
        return not message.is_group or self.in_groups

    def wants(self, turn: Turn) -> bool:
        return turn.word in self.keywords

    async def enter(self, turn: Turn) -> None:
        raise NotImplementedError


class Command(Entry):
    """A one-shot answer with no state (e.g. `notifwa#on`). A command that interrupts a flow
    leaves it be: the flow continues with the next message."""


class Flow(Entry):
    """Base of every flow: subclasses declare `name` and their `State` attributes (the first
    one is where the flow starts)."""

    name: ClassVar[str]
    states: ClassVar[tuple[State, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = [value for value in vars(cls).values() if isinstance(value, State)]
        cls.states = (*cls.states, *own)
        if inspect.isabstract(cls) or not cls.states or "name" not in vars(cls):
            return  # a base for other flows
        for state in cls.states:
            if callable(getattr(Flow, state.name, None)):
                raise TypeError(f"{cls.__name__}.{state.name} hides a method of Flow")
            if state.handler is None:
                raise TypeError(f"{cls.__name__}.{state.name} has no handler")
            if not state.has_prompt:
                raise TypeError(f"{cls.__name__}.{state.name} has no prompt")
            if state.back is not None and state.back not in cls.states:
                raise TypeError(f"{cls.__name__}.{state.name} goes back to a foreign state")

    @property
    def initial(self) -> State:
        return self.states[0]

    def state_named(self, name: str | None) -> State:
        for state in self.states:
            if state.name == name:
                return state
        raise FlowError(f"{self.name} has no state {name!r}")

    async def enter(self, turn: Turn) -> None:
        await turn.begin(self)

    async def start(self, turn: Turn) -> None:
        """The first reply; `turn.state` is the initial state. Default: its prompt."""
        await self.initial.ask(self, turn)

    async def handle(self, turn: Turn) -> None:
        handler = self.state_named(turn.state).handler
        assert handler is not None
        await handler(self, turn)

    async def ask(self, turn: Turn) -> None:
        """Ask again what the current state expects."""
        await self.state_named(turn.state).ask(self, turn)

    async def back(self, turn: Turn) -> bool:
        """`kembali`: to the state's declared `back`, else the previous state, and ask again.
        False when there is nowhere to go back to."""
        context = turn.context
        current = self.state_named(context.state)
        if current.back is not None:
            context.history.clear()
            context.state = current.back.name
        elif context.history:
            context.state = context.history.pop()
        else:
            return False
        await self.ask(turn)
        return True

    def quick_reply(self, state: str | None) -> bool:
        return self.state_named(state).quick_reply
