"""What a flow is: a class with its states and triggers declared for `transitions`, one
handler per state, and the turn object every handler receives.

    class Registration(Flow):
        name = "registration"
        states = ("ask_nrp", "confirm_link")
        transitions = (("nrp_found", "ask_nrp", "confirm_link"),)

        async def start(self, turn): ...
        async def on_ask_nrp(self, turn): ...

A flow instance holds no per-chat data: everything lives in `turn.data` (saved in Redis).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine
from transitions import Machine

from bot.messages import InboundMessage
from cicero.clock import BusinessClock
from cicero.settings import Settings
from conversations.answers import Answer, word, yes_no
from conversations.context import ChatContext
from storage.identities import Identity

if TYPE_CHECKING:
    from conversations.engine import FlowRegistry


class FlowError(Exception):
    """A flow asked for a transition its table does not declare: a programming error."""


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


@dataclass
class Turn:
    """One inbound message being handled: the context object of aiogram, for one chat."""

    message: InboundMessage
    identity: Identity
    services: Services
    context: ChatContext
    flows: FlowRegistry
    outgoing: list[Outgoing] = field(default_factory=list)

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

    def say(self, *texts: str) -> None:
        """Reply in this chat; each text is one WhatsApp message."""
        self.outgoing.extend(Outgoing(self.message.chat, text) for text in texts if text)

    def send(self, to: str, text: str, *, session: str | None = None) -> None:
        """A message to another chat (a complaint's reporter, a registrant)."""
        self.outgoing.append(Outgoing(to, text, session))

    def go(self, trigger: str) -> None:
        """Fire a declared trigger: the new state is the one the flow's table names."""
        flow = self.flows.get(self.context.flow)
        destination = flow.destination(self.context.state, trigger)
        if self.context.state is not None and destination != self.context.state:
            self.context.history.append(self.context.state)
        self.context.state = destination

    async def begin(self, flow_name: str, **data: Any) -> None:
        """Leave the current flow (if any) and start another one in this chat."""
        self.context.reset()
        self.context.flow = flow_name
        self.context.data.update(data)
        flow = self.flows.get(flow_name)
        self.context.state = flow.initial
        await flow.start(self)

    def finish(self) -> None:
        """The conversation is over; the next message starts fresh."""
        self.context.reset()


class Flow:
    """Base of every flow. Subclasses declare `name`, `states`, `transitions`."""

    name: ClassVar[str]
    states: ClassVar[Sequence[str]]
    transitions: ClassVar[Sequence[tuple[str, str | Sequence[str], str]]] = ()
    # States where the person is expected to answer at once: a nudge after a short silence.
    quick_reply_states: ClassVar[frozenset[str]] = frozenset()
    machine: ClassVar[Machine]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "states" not in cls.__dict__:
            return
        cls.machine = Machine(
            model=None, states=list(cls.states), initial=cls.states[0], auto_transitions=False,
            transitions=[{"trigger": trigger, "source": source if isinstance(source, str)
                          else list(source), "dest": dest}
                         for trigger, source, dest in cls.transitions])
        missing = [state for state in cls.states if not hasattr(cls, f"on_{state}")]
        if missing:
            raise TypeError(f"{cls.__name__} has no handler for {', '.join(missing)}")

    @property
    def initial(self) -> str:
        return self.states[0]

    def destination(self, state: str | None, trigger: str) -> str:
        found = self.machine.get_transitions(trigger=trigger, source=state or self.initial)
        if not found:
            raise FlowError(f"{self.name}: no transition {trigger!r} from {state!r}")
        return found[0].dest

    async def start(self, turn: Turn) -> None:
        """The first reply; `turn.state` is the initial state."""
        raise NotImplementedError

    async def handle(self, turn: Turn) -> None:
        handler = getattr(self, f"on_{turn.state}")
        await handler(turn)

    async def prompt(self, turn: Turn) -> None:
        """Ask again what the current state expects (after `kembali`). Default: start over."""
        await self.start(turn)
