"""The bulk deactivation template ("Permohonan Penghapusan Data Personil", reference §4.6,
S20), heard on every session and in registered groups, with the holes closed (weakness 2):
only an admin (any client) or an operator or super admin (their own clients' personnel)
may send it; from anyone else nothing is applied.

    Permohonan Penghapusan Data Personil – POLRES A
    1. BUDI SANTOSO – 87020991 – mutasi
    2. AGUS – 87020990 – pensiun

Numbered lines name a person, the NRP and the reason; other lines (greetings, signatures,
forwarding wrappers) are ignored. A client named after the header narrows the template to
that client. Each person is deactivated, their WhatsApp cleared and the reason kept in the
audit log; the reply lists every line's outcome.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncEngine

from conversations.console.audiences import sender_grants
from conversations.flow import Command, Turn
from menus import bulk_deactivation as texts
from menus import conversation as common_texts
from storage.bulk_deactivation import Request, deactivate
from storage.grants import Grants, clients
from storage.identifiers import InvalidNrp, normalize_nrp

HEADER = "permohonan penghapusan data personil"
_LINE_RE = re.compile(r"^\s*\**\s*(\d{1,4})\s*[.)]\s*(.+)$")
_SEPARATOR_RE = re.compile(r"\s+[-–—]\s+|\s*[–—]\s*|\s*\|\s*")
_KEY_RE = re.compile(r"[^A-Z0-9]")


def is_template(text: str) -> bool:
    return HEADER in " ".join(text.lower().split())


def parse_template(text: str) -> tuple[str | None, list[Request], list[int]]:
    """(the client named after the header, the requests, the numbers of numbered lines
    without a readable NRP)."""
    hint: str | None = None
    requests: list[Request] = []
    unreadable: list[int] = []
    for raw in text.splitlines():
        line = raw.replace("*", "").strip()
        if HEADER in " ".join(line.lower().split()):
            rest = line[line.lower().index("personil") + len("personil"):]
            hint = rest.strip(" -–—:").strip() or None
            continue
        match = _LINE_RE.match(line)
        if match is None:
            continue
        number, body = int(match.group(1)), match.group(2)
        parts = [part.strip() for part in _SEPARATOR_RE.split(body) if part.strip()]
        for index, part in enumerate(parts):
            try:
                nrp = normalize_nrp(part)
            except InvalidNrp:
                continue
            requests.append(Request(number, nrp, " ".join(parts[:index]),
                                    " – ".join(parts[index + 1:])))
            break
        else:
            unreadable.append(number)
    return hint, requests, unreadable


def _key(value: str) -> str:
    return _KEY_RE.sub("", value.upper())


async def scope_of(engine: AsyncEngine, grants: Grants, hint: str | None) -> set[str] | None:
    """The clients whose personnel the sender may deactivate: None for any (an admin),
    narrowed to the client named after the header when it is recognised."""
    allowed: set[str] | None = None if grants.admin else set(grants.contact_of)
    if hint:
        named = {ref.client_id for ref in await clients(engine, None, active_only=False)
                 if _key(hint) in (_key(ref.client_id), _key(ref.name))}
        if named:
            allowed = named if allowed is None else allowed & named
    return allowed


async def apply_template(engine: AsyncEngine, text: str, allowed: Collection[str] | None, *,
                         changed_by: str) -> str:
    """Deactivate what the template lists within `allowed`; the summary to reply."""
    _, requests, unreadable = parse_template(text)
    if not requests:
        return texts.NOTHING_TO_DO
    results = await deactivate(engine, requests, allowed, changed_by=changed_by)
    return texts.summary(results, unreadable)


def may_deactivate(grants: Grants) -> bool:
    return grants.admin or bool(grants.contact_of)


class BulkDeactivation(Command):
    in_groups = True
    interrupts = True  # pasted in the middle of a console, it is still the template

    def wants(self, turn: Turn) -> bool:
        return is_template(turn.message.text)

    async def enter(self, turn: Turn) -> None:
        engine = turn.services.engine
        grants = await sender_grants(turn)
        if not may_deactivate(grants):
            turn.say(common_texts.ACCESS_DENIED)
            return
        hint, _, _ = parse_template(turn.message.text)
        allowed = await scope_of(engine, grants, hint)
        turn.say(await apply_template(engine, turn.message.text, allowed,
                                      changed_by=turn.phone))
