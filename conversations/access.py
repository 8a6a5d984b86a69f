"""Operator and admin commands reaching the bot from people who may not use them.

The reference let anyone run `clientrequest`, `fetchlikes#…` and the bulk-deletion template;
here they are refused, and nothing is read or written."""

from __future__ import annotations

from conversations.flow import Command, Turn
from menus import conversation as texts
from storage.identities import IdentityKind

OPERATOR_KEYWORDS = frozenset({"oprrequest", "clientrequest"})
_BULK_DELETION = "permohonan penghapusan data personil"
_STAFF = frozenset({IdentityKind.ADMIN, IdentityKind.SUPER_ADMIN, IdentityKind.OPERATOR,
                    IdentityKind.DASHBOARD_USER})


class RestrictedCommand(Command):
    def wants(self, turn: Turn) -> bool:
        word = turn.word
        return (word in OPERATOR_KEYWORDS or _BULK_DELETION in word
                or ("#" in word and " " not in word.split("#", 1)[0]))

    async def enter(self, turn: Turn) -> None:
        if turn.identity.kinds & _STAFF:
            turn.say(texts.OPERATOR_MENU_UNAVAILABLE)
        else:
            turn.say(texts.ACCESS_DENIED)
