"""`setujuiberita#<id>` / `tolakberita#<id> alasan`: a Penmas editor approves or rejects a
submitted event from WhatsApp (operator session), the number being the one on their editor
account. The writer is told on WhatsApp; the change and its log row are written together
(storage/editorial_events.py), exactly as when the editor decides in the app."""

from __future__ import annotations

from conversations.dashboard_approval import stored_chat
from conversations.decision_commands import DecisionCommand
from conversations.flow import Turn
from menus import penmas as texts
from storage.editorial_events import change_event
from storage.editorial_workflow import EventNotFound, IllegalStatusChange
from storage.models import EventStatus
from storage.penmas_accounts import PenmasAccount, editor_by_phone


class EditorialDecision(DecisionCommand):
    accept_word, refuse_word = texts.APPROVE_COMMAND, texts.REJECT_COMMAND
    wrong_format, reason_required = texts.WRONG_FORMAT, texts.REASON_REQUIRED

    async def decider(self, turn: Turn) -> PenmasAccount | None:
        editor = await editor_by_phone(turn.services.engine, turn.phone)
        if editor is None:
            turn.say(texts.NOT_AN_EDITOR)
        return editor

    async def decide(self, turn: Turn, decider: PenmasAccount, target: int, *, accept: bool,
                     reason: str) -> None:
        await self._decide(turn, decider, target,
                           EventStatus.APPROVED if accept else EventStatus.REJECTED, reason)

    async def _decide(self, turn: Turn, editor: PenmasAccount, event_id: int,
                      status: EventStatus, reason: str) -> None:
        try:
            outcome = await change_event(turn.services.engine, event_id, editor.actor, {},
                                         status=status, reason=reason or None)
        except EventNotFound:
            turn.say(texts.unknown_event(event_id))
            return
        except IllegalStatusChange as exc:
            turn.say(texts.not_waiting(event_id, exc.current))
            return
        if not outcome.status_changed:  # decided already
            turn.say(texts.not_waiting(event_id, outcome.previous))
            return
        event, approved = outcome.event, status is EventStatus.APPROVED
        writer = stored_chat(event.author_whatsapp)
        turn.say(texts.approved_reply(event_id, writer is not None) if approved
                 else texts.rejected_reply(event_id, writer is not None))
        if writer is not None:
            turn.send(writer, texts.approved(event.id, event.title, event.topic, editor.username)
                      if approved else texts.rejected(event.id, event.title, event.topic,
                                                      editor.username, reason))
