"""clientrequest's action deciding confirmed premium requests: pick a
pending request, grant or deny it (a denial asks the reason), the person is told. The
decision is `grantsub#` / `denysub#`'s own (conversations/premium_approval.py)."""

from __future__ import annotations

from dataclasses import dataclass

from conversations.console.questions import Choice, Text
from conversations.console.spec import Action, Invalid, Step
from conversations.decision_commands import MIN_REASON, reason_of
from conversations.premium_approval import decide_premium
from menus import conversation as common_texts
from menus import premium as texts
from storage import premium


async def _pending(step: Step) -> list[tuple[int, str]]:
    return [(request.id, texts.request_line(request))
            for request in await premium.pending_requests(step.turn.services.engine)]


async def _decision_prompt(step: Step) -> str:
    request = await premium.get_request(step.turn.services.engine, step.answers["request"])
    if request is None:
        raise Invalid(texts.unknown_request(step.answers["request"]))
    return texts.decision_prompt(request)


def _reason(step: Step, text: str) -> str:
    reason = reason_of(text)
    if len(reason) < MIN_REASON:
        raise Invalid(texts.REASON_TOO_SHORT)
    return reason


@dataclass(frozen=True)
class PremiumDecision(Action):
    questions: tuple = (
        Choice("request", texts.CHOOSE_REQUEST, _pending, empty=texts.NO_PENDING),
        Choice("grant", _decision_prompt, ((True, texts.GRANT), (False, texts.DENY))),
        Text("reason", texts.ASK_REASON, _reason,
             when=lambda step: step.answers.get("grant") is False),
    )

    async def run(self, step: Step) -> None:
        if not step.grants.admin:  # the console shows it to admins only; checked again
            step.turn.say(common_texts.ACCESS_DENIED)
            return
        await decide_premium(step.turn, step.answers["request"], grant=step.answers["grant"],
                             reason=step.answers.get("reason", ""))
