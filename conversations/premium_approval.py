"""`grantsub#<id>` / `denysub#<id> alasan`: an admin decides a confirmed premium request from
WhatsApp (operator session only; anyone else gets the access-denied text). The person hears
the decision on WhatsApp. `decide_premium` is the one decision path, also used by the
console action (conversations/console/premium.py)."""

from __future__ import annotations

from conversations.dashboard_approval import stored_chat
from conversations.decision_commands import DecisionCommand
from conversations.flow import Turn
from menus import conversation as common_texts
from menus import premium as texts
from storage import premium
from storage.identities import IdentityKind


class PremiumApproval(DecisionCommand):
    accept_word, refuse_word = texts.GRANT_COMMAND, texts.DENY_COMMAND
    wrong_format, reason_required = texts.WRONG_FORMAT, texts.REASON_REQUIRED

    async def decider(self, turn: Turn) -> bool | None:
        if IdentityKind.ADMIN not in turn.identity.kinds:
            turn.say(common_texts.ACCESS_DENIED)
            return None
        return True

    async def decide(self, turn: Turn, decider: bool, target: int, *, accept: bool,
                     reason: str) -> None:
        await decide_premium(turn, target, grant=accept, reason=reason)


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
