"""The complaint inbox option of the operator and client consoles: open complaints of the
console's scope (an operator: their client's reporters; clientrequest: all), one picked,
then answered (the answer goes to the reporter) or closed."""

from __future__ import annotations

from conversations.complaint_inbox import resolve
from conversations.console.personnel_forms import Scope
from conversations.console.questions import Choice, Text
from conversations.console.spec import Form, Invalid, Step, Stop
from menus import complaint as texts
from storage.complaints import InboxComplaint, find_complaint, inbox

_MIN_RESPONSE = 5


def inbox_form(scope: Scope) -> Form:
    async def open_items(step: Step) -> list[tuple[int, str]]:
        items = await inbox(step.turn.services.engine, scope(step))
        return [(item.id, texts.inbox_line(item)) for item in items]

    async def chosen(step: Step) -> InboxComplaint:
        item = await find_complaint(step.turn.services.engine, step.answers["complaint"],
                                    scope(step))
        if item is None or item.status != "open":
            raise Stop(texts.already_handled(step.answers["complaint"]))
        return item

    async def decision_prompt(step: Step) -> str:
        return texts.decision_question(await chosen(step))

    def response(step: Step, text: str) -> str:
        if len(text.strip()) < _MIN_RESPONSE:
            raise Invalid(texts.RESPONSE_TOO_SHORT)
        return text.strip()

    async def handle(step: Step) -> None:
        turn = step.turn
        item = await chosen(step)
        answer = step.answers.get("response") if step.answers["decision"] == "answer" else None
        signed = (f"operator {step.client.name}" if scope(step) is not None and step.client
                  else "admin Cicero")
        outcome = await resolve(turn.services.engine, item, answer, answered_by=turn.phone,
                                signed=signed, at=turn.services.clock.now())
        if not outcome.resolved:
            turn.say(texts.already_handled(item.id))
        elif answer is None:
            turn.say(texts.closed(item))
        else:
            if outcome.delivery is not None:
                turn.send(outcome.delivery.to, outcome.delivery.text,
                          session=outcome.delivery.session)
            turn.say(texts.answered(item, item.reporter_whatsapp))

    return Form((
        Choice("complaint", texts.ASK_COMPLAINT, open_items, empty=texts.NO_OPEN_COMPLAINTS),
        Choice("decision", decision_prompt, (("answer", texts.ANSWER), ("close", texts.CLOSE))),
        Text("response", texts.ASK_RESPONSE, response,
             when=lambda step: step.answers.get("decision") == "answer"),
    ), handle)
