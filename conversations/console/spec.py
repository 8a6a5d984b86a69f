"""How a console is declared: data, in the spirit of aiogram-dialog.

    DIRREQUEST = Menu(texts.DIRREQUEST_TITLE, (
        Section(texts.SECTION_ATTENDANCE, (
            Option(texts.IG_LIKES, Report("ig-likes", questions=(PERIOD_DAY,))),
            Option(texts.CHART, Report("directorate-ig", output=Output.CHART)),
        )),
    ))

An option binds a label to an action (a registered report, a job, a form of questions with a
handler) or to a sub-menu. An action's questions are asked in order, each re-asked with what
is expected after an invalid answer; then the action runs and the menu is shown again. The
console (conversations/console/flow.py) does the numbering, the answers, `0`/`menu`/`batal`/
`kembali` and the access checks, the same way for every menu.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from storage.grants import ClientRef, Grants

if TYPE_CHECKING:
    from conversations.flow import Turn


class Invalid(Exception):
    """An answer that cannot be used; str(exc) is the reply saying what is expected."""


class Stop(Exception):
    """An answer that ends the option: str(exc) is the reply (e.g. the card of an NRP that is
    already registered), then the menu is shown again."""


@dataclass
class Step:
    """Where an action runs: the chat's turn, the client chosen for the console (in a
    console without a session client: the one the option's `client` question picked, else
    None), the answers given so far and the sender's grants."""

    turn: Turn
    client: ClientRef | None
    grants: Grants
    answers: dict[str, Any] = field(default_factory=dict)

    @property
    def client_id(self) -> str:
        assert self.client is not None, "this console has no client"
        return self.client.client_id


class Question:
    """Something an action needs to know before it runs. `ask` returns the prompt (it may keep
    what it offered in `step.turn.data`); `read` turns the answer into a value or raises
    Invalid. `applies` skips it (e.g. a question only for one field)."""

    key: str

    def applies(self, step: Step) -> bool:
        return True

    async def ask(self, step: Step) -> str:
        raise NotImplementedError

    async def read(self, step: Step, text: str) -> Any:
        raise NotImplementedError


class Action:
    """What an option runs once its questions are answered. It replies through
    `step.turn.say`; work longer than about a second is queued as a job."""

    questions: Sequence[Question]  # each subclass declares its own (a field or ())

    async def run(self, step: Step) -> None:
        raise NotImplementedError


Handler = Callable[[Step], Awaitable[None]]


@dataclass(frozen=True)
class Form(Action):
    """Questions, then a handler of the answers (add a person, change a field...)."""

    questions: Sequence[Question]
    handler: Handler

    async def run(self, step: Step) -> None:
        await self.handler(step)


@dataclass(frozen=True)
class Option:
    label: str
    action: Action | Menu
    # Who sees the option in this menu; None: everyone who may open the menu.
    visible: Callable[[Grants], bool] | None = None


@dataclass(frozen=True)
class Section:
    title: str
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Menu:
    title: str
    sections: tuple[Section, ...]

    def options(self, grants: Grants) -> list[Option]:
        """The options this person sees, in the order they are numbered (1…N)."""
        return [option for section in self.sections for option in section.options
                if option.visible is None or option.visible(grants)]

    def sections_for(self, grants: Grants) -> list[tuple[str, list[str]]]:
        """(section title, labels) of what this person sees, for rendering."""
        shown = []
        for section in self.sections:
            labels = [option.label for option in section.options
                      if option.visible is None or option.visible(grants)]
            if labels:
                shown.append((section.title, labels))
        return shown


def admins_only(grants: Grants) -> bool:
    return grants.admin
