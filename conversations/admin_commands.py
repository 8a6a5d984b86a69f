"""One-shot admin commands (reference §7, the ones that are not legacy), each a thin alias of
a console action: `clientinfo#POLRES_A` runs clientrequest's "info client" with the client
answered by the command, `fetchinsta#POLRES_A` its Instagram fetch, and so on. The
arguments go through the action's own questions (the same checks and messages); a
confirmation question is the command itself. Admins only, on every session.

    fetchinsta#ID, fetchlikes#ID          Instagram fetch (posts and likes) of a client
    fetchtiktok#ID, fetchcomments#ID      TikTok fetch (posts and comments)
    absensilikes#ID[#sudah|belum|…]       Instagram likes attendance
    absensikomentar#ID[#sudah|belum|…]    TikTok comments attendance
    clientinfo#ID                         the client's info card
    addnewclient#ID#name                  a new client (type org)
    updateclient#ID#field#value           one column or contact list of a client
    removeclient#ID                       delete a client (refused while it has data)
    savecontact                           save personnel numbers to Google Contacts
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from conversations.console.audiences import sender_grants
from conversations.console.client_forms import ADD_CLIENT, MANAGE_CLIENT, SAVE_CONTACTS
from conversations.console.media_forms import (
    FETCH_INSTAGRAM,
    FETCH_TIKTOK,
    IG_ATTENDANCE,
    TIKTOK_ATTENDANCE,
)
from conversations.console.questions import Confirm
from conversations.console.spec import Action, Invalid, Step, Stop
from conversations.context import ChatContext
from conversations.flow import Command, Turn
from menus import admin_commands as texts
from menus import conversation as common_texts

# The reference's column names of `updateclient#` and the client fields they are.
_REFERENCE_FIELDS = {
    "client_insta": "instagram", "client_tiktok": "tiktok", "client_operator": "operator",
    "client_super": "super_admin", "client_group": "group", "client_status": "status",
    "client_insta_status": "instagram_status", "client_tiktok_status": "tiktok_status",
    "client_amplify_status": "amplify_status", "client_type": "type", "nama": "name",
    "client_name": "name",
}
_MODES = {"": "all", "semua": "all", "sudah": "done", "belum": "not-done",
          "akumulasi": "all", "akumulasi#sudah": "done", "akumulasi#belum": "not-done",
          "perkonten": "per-content", "per-content": "per-content"}


def _mode(args: list[str]) -> list[str]:
    """`ID[#sudah|#belum|#akumulasi#sudah|…]` -> [ID, mode]."""
    rest = "#".join(args[1:]).lower()
    return [args[0], _MODES.get(rest, rest)]


def _update(args: list[str]) -> list[str]:
    if len(args) >= 2:
        args = [args[0], _REFERENCE_FIELDS.get(args[1].lower(), args[1].lower()),
                "#".join(args[2:])]
    return args


@dataclass(frozen=True)
class Alias:
    """`prefix#arg#…`: `action` with its questions `keys` answered by the arguments (after
    `translate`) and the others by `fixed`."""

    prefix: str
    usage: str
    action: Action
    keys: tuple[str, ...]
    fixed: dict[str, Any] = field(default_factory=dict)
    translate: Callable[[list[str]], list[str]] | None = None


ALIASES = {alias.prefix: alias for alias in (
    Alias("fetchinsta", "fetchinsta#CLIENT_ID", FETCH_INSTAGRAM, ("client",)),
    Alias("fetchlikes", "fetchlikes#CLIENT_ID", FETCH_INSTAGRAM, ("client",)),
    Alias("fetchtiktok", "fetchtiktok#CLIENT_ID", FETCH_TIKTOK, ("client",)),
    Alias("fetchcomments", "fetchcomments#CLIENT_ID", FETCH_TIKTOK, ("client",)),
    Alias("absensilikes", "absensilikes#CLIENT_ID[#sudah|#belum]", IG_ATTENDANCE,
          ("client", "mode"), translate=_mode),
    Alias("absensikomentar", "absensikomentar#CLIENT_ID[#sudah|#belum]", TIKTOK_ATTENDANCE,
          ("client", "mode"), translate=_mode),
    Alias("clientinfo", "clientinfo#CLIENT_ID", MANAGE_CLIENT, ("client",),
          {"operation": "info"}),
    Alias("addnewclient", "addnewclient#CLIENT_ID#NAMA", ADD_CLIENT, ("new_client", "name"),
          {"type": "org"}),
    Alias("updateclient", "updateclient#CLIENT_ID#FIELD#NILAI", MANAGE_CLIENT,
          ("client", "field", "value"), {"operation": "update"}, translate=_update),
    Alias("removeclient", "removeclient#CLIENT_ID", MANAGE_CLIENT, ("client",),
          {"operation": "delete"}),
    Alias("savecontact", "savecontact", SAVE_CONTACTS, ()),
)}


def _parts(text: str) -> tuple[str, list[str]]:
    prefix, _, rest = text.strip().strip("*").partition("#")
    return prefix.strip().lower(), [part.strip() for part in rest.split("#")]


class AdminCommand(Command):
    interrupts = True  # a one-shot answer; a console open in this chat goes on afterwards

    def wants(self, turn: Turn) -> bool:
        prefix, _ = _parts(turn.text)
        alias = ALIASES.get(prefix)
        return alias is not None and ("#" in turn.text or not alias.keys)

    async def enter(self, turn: Turn) -> None:
        grants = await sender_grants(turn)
        if not grants.admin:
            turn.say(common_texts.ACCESS_DENIED)
            return
        prefix, args = _parts(turn.text)
        alias = ALIASES[prefix]
        if alias.translate is not None:
            args = alias.translate(args)
        given = {key: value for key, value in zip(alias.keys, args, strict=False) if value}
        # The command must not disturb the chat's conversation: the questions keep what they
        # offer in a context of their own.
        step = Step(replace(turn, context=ChatContext()), None, grants, dict(alias.fixed))
        try:
            for question in alias.action.questions:
                if not question.applies(step) or isinstance(question, Confirm) \
                        or question.key in alias.fixed:
                    continue
                if question.key not in given:
                    turn.say(texts.usage(alias.usage))
                    return
                await question.ask(step)
                step.answers[question.key] = await question.read(step, given[question.key])
            await alias.action.run(step)
        except (Invalid, Stop) as exc:
            turn.say(str(exc))
