"""`<accept>#<id>` / `<refuse>#<id> alasan`: a one-line decision on a record, typed in the
operator chat (premium requests, Penmas events). One reading for all of them: WhatsApp bold
markers around the command are ignored, the id is a record id, the reason is folded to one
line of at most MAX_REASON characters and a refusal needs at least MIN_REASON of them."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from conversations.flow import Command, Turn
from storage.identifiers import record_id

MAX_REASON = 500
MIN_REASON = 3


def reason_of(text: str) -> str:
    """A typed reason as it is stored: one line, at most MAX_REASON characters."""
    return " ".join(text.split())[:MAX_REASON]


class DecisionCommand(Command):
    """Subclasses name the two command words, the replies for a malformed command and a
    refusal without reason, who may decide (`decider`) and what a decision does (`decide`)."""

    sessions = frozenset({"operator"})
    accept_word: ClassVar[str]
    refuse_word: ClassVar[str]
    wrong_format: ClassVar[str]
    reason_required: ClassVar[str]
    _pattern: ClassVar[re.Pattern[str]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._pattern = re.compile(rf"\s*\**\s*({cls.accept_word}|{cls.refuse_word})\s*#\s*"
                                  r"([^\s*]*)(.*?)[\s*]*", re.IGNORECASE | re.DOTALL)

    def wants(self, turn: Turn) -> bool:
        return self._pattern.fullmatch(turn.text) is not None

    async def enter(self, turn: Turn) -> None:
        decider = await self.decider(turn)
        if decider is None:
            return
        match = self._pattern.fullmatch(turn.text)
        assert match is not None
        accept = match.group(1).lower() == self.accept_word
        target, reason = record_id(match.group(2)), reason_of(match.group(3))
        if target is None:
            turn.say(self.wrong_format)
            return
        if not accept and len(reason) < MIN_REASON:
            turn.say(self.reason_required)
            return
        await self.decide(turn, decider, target, accept=accept, reason=reason)

    async def decider(self, turn: Turn) -> Any | None:
        """Who decides; None (after replying why) when the sender may not."""
        raise NotImplementedError

    async def decide(self, turn: Turn, decider: Any, target: int, *, accept: bool,
                     reason: str) -> None:
        raise NotImplementedError
