"""`notifwa#on` / `notifwa#off` on every session: the evening reminders' opt-in."""

from __future__ import annotations

from conversations.flow import Command, Turn
from menus import notifications as texts
from storage.personnel_profile import set_notifications

_ON = frozenset({"on", "ya", "yes", "true", "1", "aktif"})
_OFF = frozenset({"off", "no", "tidak", "false", "0", "nonaktif"})


class NotificationSwitch(Command):
    interrupts = True
    def wants(self, turn: Turn) -> bool:
        return turn.word.replace(" ", "").startswith("notifwa#")

    async def enter(self, turn: Turn) -> None:
        value = turn.word.replace(" ", "").split("#", 1)[1]
        if value not in _ON | _OFF:
            turn.say(texts.WRONG_FORMAT)
            return
        enabled = value in _ON
        if not await set_notifications(turn.services.engine, turn.phone, enabled):
            turn.say(texts.NOT_LINKED)
            return
        turn.say(texts.ENABLED if enabled else texts.DISABLED)
