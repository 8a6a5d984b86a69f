"""`grantsub#<id>` / `denysub#<id> alasan`: an admin decides a confirmed premium request from
WhatsApp (operator session only; anyone else gets the access-denied text). The person hears
the decision on WhatsApp. `decide_premium` is the one decision path, also used by the
console action (conversations/console/premium.py)."""

from __future__ import annotations

import re

from conversations.dashboard_approval import stored_chat
from conversations.flow import Command, Turn
from menus import conversation as common_texts
from menus import premium as texts
from storage import premium
from storage.identifiers import record_id
from storage.identities import IdentityKind

_COMMAND_RE = re.compile(rf"\s*\**\s*({texts.GRANT_COMMAND}|{texts.DENY_COMMAND})\s*#\s*"
                         r"([^\s*]*)(.*?)[\s*]*", re.IGNORECASE | re.DOTALL)
MAX_REASON = 500
MIN_REASON = 3


class PremiumApproval(Command):
    sessions = frozenset({"operator"})

    def wants(self, turn: Turn) -> bool:
        return _COMMAND_RE.fullmatch(turn.text) is not None

    async def enter(self, turn: Turn) -> None:
        if IdentityKind.ADMIN not in turn.identity.kinds:
            turn.say(common_texts.ACCESS_DENIED)
            return
        match = _COMMAND_RE.fullmatch(turn.text)
        assert match is not None
        command, raw_id = match.group(1).lower(), match.group(2)
        reason = " ".join(match.group(3).split())[:MAX_REASON]
        target = record_id(raw_id)
        if target is None:
            turn.say(texts.WRONG_FORMAT)
            return
        grant = command == texts.GRANT_COMMAND
        if not grant and len(reason) < MIN_REASON:
            turn.say(texts.REASON_REQUIRED)
            return
        await decide_premium(turn, target, grant=grant, reason=reason)


async def decide_premium(turn: Turn, request_id: int, *, grant: bool, reason: str) -> None:
    """Grant or deny request `request_id` as the sender, reply, and tell the person."""
    engine, decided_by = turn.services.engine, turn.phone
    try:
        if grant:
            request = await premium.grant(engine, request_id, decided_by=decided_by,
                                          today=turn.services.clock.today())
        else:
            request = await premium.deny(engine, request_id, decided_by=decided_by,
                                         reason=reason)
    except premium.RequestNotFound:
        turn.say(texts.unknown_request(request_id))
        return
    except premium.NotPending as exc:
        turn.say(texts.not_pending(request_id, exc.status))
        return
    person = stored_chat(request.whatsapp)
    turn.say(texts.granted_reply(request, person is not None) if grant
             else texts.denied_reply(request, person is not None))
    if person is None:
        return
    if grant:
        assert request.granted_until is not None
        turn.send(person, texts.granted(request.id, request.granted_until))
    else:
        turn.send(person, texts.denied(request.id, reason))
