"""`xxx#` commands that no entry claims. The reference let anyone run `fetchlikes#…` and
other admin prefixes; here an admin is told the command is unknown (with the list), anyone
else that they have no access, and nothing is read or written."""

from __future__ import annotations

from conversations.flow import Command, Turn
from menus import admin_commands as admin_texts
from menus import conversation as texts
from storage.identities import IdentityKind


class RestrictedCommand(Command):
    def wants(self, turn: Turn) -> bool:
        word = turn.word
        return "#" in word and " " not in word.split("#", 1)[0]

    async def enter(self, turn: Turn) -> None:
        if IdentityKind.ADMIN in turn.identity.kinds:
            turn.say(admin_texts.unknown(turn.word.split("#", 1)[0] + "#"))
        else:
            turn.say(texts.ACCESS_DENIED)
