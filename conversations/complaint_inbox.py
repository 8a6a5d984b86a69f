"""Answering or closing an open complaint, the same way from the consoles and from
`cicero complaints`: the complaint is closed once (recording who and when), and an answer
goes to the reporter's registered WhatsApp on the session the complaint came in on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.sessions import SessionName
from menus import complaint as texts
from storage.complaints import InboxComplaint, resolve_complaint
from storage.identifiers import phone_to_jid


@dataclass(frozen=True)
class Delivery:
    to: str  # the reporter's JID
    session: str
    text: str


@dataclass(frozen=True)
class Resolution:
    resolved: bool  # False: it was no longer open, nothing changed
    delivery: Delivery | None = None  # the answer to send, when there is one and a number


async def resolve(engine: AsyncEngine, item: InboxComplaint, response: str | None, *,
                  answered_by: str, signed: str, at: datetime) -> Resolution:
    """Answer (`response`) or close (None) the complaint; `answered_by` is stored (a phone,
    "cli"), `signed` is how the reporter reads who answered."""
    if not await resolve_complaint(engine, item.id, response=response,
                                   answered_by=answered_by, at=at):
        return Resolution(False)
    if response is None or item.reporter_whatsapp is None:
        return Resolution(True)
    return Resolution(True, Delivery(phone_to_jid(item.reporter_whatsapp),
                                     item.session or SessionName.USER.value,
                                     texts.inbox_answer(item, response, signed)))
