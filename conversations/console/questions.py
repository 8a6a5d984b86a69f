"""The questions an option may ask: a numbered choice, a free text with its parser, a period,
a confirmation."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from cicero.clock import Period, clock
from conversations.answers import word
from conversations.console.spec import Invalid, Question, Step
from menus import console as texts
from storage.grants import ClientRef

# (value, label) pairs; the value is what the action receives (JSON: kept in the chat's data)
Choices = Sequence[tuple[Any, str]]
ChoicesOf = Choices | Callable[[Step], Choices | Awaitable[Choices]]
_OFFERED = "offered"  # turn.data key: the values of the choice last shown, in its numbering
_PROMPT = "offered_prompt"


async def _resolve(value: Any, step: Step) -> Any:
    if callable(value):
        value = value(step)
        if inspect.isawaitable(value):
            value = await value
    return value


class _Prompted(Question):
    """A question asked with its `prompt` (a text or a function of the step), skipped when its
    `when` condition (if any) does not hold; subclasses declare both fields."""

    def applies(self, step: Step) -> bool:
        return self.when is None or self.when(step)

    async def ask(self, step: Step) -> str:
        return await _resolve(self.prompt, step)


@dataclass(frozen=True)
class Choice(_Prompted):
    """Pick one of a numbered list, by number or by its exact label. The list offered is kept
    with the chat, so an answer means what the person saw even if the data moved since."""

    key: str
    prompt: str | Callable[[Step], str | Awaitable[str]]
    choices: ChoicesOf
    empty: str = texts.NOTHING_TO_CHOOSE  # said when there is nothing to offer
    when: Callable[[Step], bool] | None = None


    async def ask(self, step: Step) -> str:
        offered = list(await _resolve(self.choices, step))
        step.turn.data[_OFFERED] = [[value, label] for value, label in offered]
        if not offered:
            raise Invalid(self.empty)
        prompt = await _resolve(self.prompt, step)
        step.turn.data[_PROMPT] = prompt
        return texts.choice(prompt, [label for _, label in offered])

    async def read(self, step: Step, text: str) -> Any:
        offered = step.turn.data.get(_OFFERED) or []
        answer = word(text)
        if answer.isdigit() and 1 <= int(answer) <= len(offered):
            return offered[int(answer) - 1][0]
        for value, label in offered:
            if answer == word(label) or answer == word(str(value)):
                return value
        raise Invalid(texts.invalid_choice(len(offered)) + "\n\n"
                      + texts.choice(step.turn.data.get(_PROMPT, ""),
                                     [label for _, label in offered]))


@dataclass(frozen=True)
class Text(_Prompted):
    """A free answer, turned into a value by `parse` (which raises Invalid with the reply)."""

    key: str
    prompt: str | Callable[[Step], str | Awaitable[str]]
    parse: Callable[[Step, str], Any]
    when: Callable[[Step], bool] | None = None

    async def read(self, step: Step, text: str) -> Any:
        return await _resolve(lambda s: self.parse(s, text), step)


@dataclass(frozen=True)
class Confirm(_Prompted):
    """Go on only after the exact confirming words (`ya`, or `ya hapus` for a deletion)."""

    prompt: str | Callable[[Step], str | Awaitable[str]]
    words: str = "ya"
    key: str = "confirmed"
    when: Callable[[Step], bool] | None = None

    async def read(self, step: Step, text: str) -> Any:
        if word(text) != self.words:
            raise Invalid(texts.confirm_again(self.words))
        return True


ClientsOf = Callable[[Step], Awaitable[list[ClientRef]]]


@dataclass(frozen=True)
class ClientChoice(Choice):
    """Which client the option acts on, in a console without a session client: one of
    `clients_of(step)` (for the console: its `clients_for`), by number or id. The answer
    becomes the step's client; the console checks it again at every step like a session
    client."""

    key: str = "client"
    prompt: str | Callable[[Step], str | Awaitable[str]] = texts.ASK_CLIENT
    choices: ChoicesOf = ()
    clients_of: ClientsOf | None = None

    async def _allowed(self, step: Step) -> list[ClientRef]:
        assert self.clients_of is not None, "a ClientChoice needs clients_of"
        return await self.clients_of(step)

    async def ask(self, step: Step) -> str:
        offered = [(ref.client_id, texts.client_label(ref.client_id, ref.name, ref.active))
                   for ref in await self._allowed(step)]
        return await Choice.ask(replace(self, choices=offered), step)

    async def read(self, step: Step, text: str) -> Any:
        client_id = await super().read(step, text)
        allowed = {ref.client_id: ref for ref in await self._allowed(step)}
        if client_id not in allowed:  # withdrawn since it was offered
            raise Invalid(texts.CLIENT_GONE)
        step.client = allowed[client_id]
        return client_id


class PeriodKind(StrEnum):
    TODAY = "today"
    YESTERDAY = "yesterday"
    THIS_WEEK = "this-week"
    LAST_WEEK = "last-week"
    THIS_MONTH = "this-month"
    LAST_MONTH = "last-month"
    ALL_TIME = "all-time"


def period_of(kind: PeriodKind | str, today: date | None = None) -> Period:
    """The business period a menu's period answer names, as of `today` (all time: today;
    the report starts it at the client's first post, storage/report_periods.py)."""
    today = today or clock.today()
    match PeriodKind(kind):
        case PeriodKind.TODAY:
            return clock.day(today)
        case PeriodKind.YESTERDAY:
            return clock.day(today - timedelta(days=1))
        case PeriodKind.THIS_WEEK:
            return clock.week(today)
        case PeriodKind.LAST_WEEK:
            return clock.week(today - timedelta(days=7))
        case PeriodKind.THIS_MONTH:
            return clock.month(today)
        case PeriodKind.LAST_MONTH:
            return clock.month(today.replace(day=1) - timedelta(days=1))
        case PeriodKind.ALL_TIME:
            return clock.day(today)


def period_question(*kinds: PeriodKind) -> Choice:
    return Choice("period", texts.ASK_PERIOD,
                  tuple((kind.value, texts.PERIOD_LABELS[kind.value]) for kind in kinds))


def mode_question(*modes: str) -> Choice:
    return Choice("mode", texts.ASK_MODE, tuple((mode, texts.MODE_LABELS[mode]) for mode in modes))
