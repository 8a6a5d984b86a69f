"""`setujuiberita#<id>` / `tolakberita#<id> alasan`: a Penmas editor approves or rejects a
submitted event from WhatsApp (operator session), the number being the one on their editor
account. The writer is told on WhatsApp; the change and its log row are written together
(storage/editorial_events.py), exactly as when the editor decides in the app."""

from __future__ import annotations

import re

from conversations.dashboard_approval import stored_chat
from conversations.flow import Command, Turn
from menus import penmas as texts
from storage.editorial_events import change_event
from storage.editorial_workflow import EventNotFound, IllegalStatusChange
from storage.identifiers import record_id
from storage.models import EventStatus
from storage.penmas_accounts import PenmasAccount, editor_by_phone

_COMMAND_RE = re.compile(rf"\s*\**\s*({texts.APPROVE_COMMAND}|{texts.REJECT_COMMAND})\s*#\s*"
                         r"([^\s*]*)(.*?)[\s*]*", re.IGNORECASE | re.DOTALL)
MAX_REASON = 500
MIN_REASON = 3


class EditorialDecision(Command):
    sessions = frozenset({"operator"})

    def wants(self, turn: Turn) -> bool:
        return _COMMAND_RE.fullmatch(turn.text) is not None

    async def enter(self, turn: Turn) -> None:
        editor = await editor_by_phone(turn.services.engine, turn.phone)
        if editor is None:
            turn.say(texts.NOT_AN_EDITOR)
            return
        match = _COMMAND_RE.fullmatch(turn.text)
        assert match is not None
        command, raw_id = match.group(1).lower(), match.group(2)
        reason = " ".join(match.group(3).split())[:MAX_REASON]
        target = record_id(raw_id)
        if target is None:
            turn.say(texts.WRONG_FORMAT)
            return
        approve = command == texts.APPROVE_COMMAND
        if not approve and len(reason) < MIN_REASON:
            turn.say(texts.REASON_REQUIRED)
            return
        await self._decide(turn, editor, target,
                           EventStatus.APPROVED if approve else EventStatus.REJECTED, reason)

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
