"""The console action deciding premium requests (conversations/console/premium.py), run by
the real conversation engine in a console that offers only it, as clientrequest will."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from bot.conversation_turns import ConversationTurns
from bot.messages import InboundMessage
from cicero.clock import clock
from cicero.settings import load_settings
from conversations.console.flow import Console
from conversations.console.premium import PremiumDecision
from conversations.console.spec import Menu, Option, Section, admins_only
from conversations.engine import ConversationEngine, FlowRegistry
from conversations.flow import Services, Turn
from menus import premium as texts
from storage.grants import ClientRef, Grants
from storage.identities import resolve_identity
from tests.conversations.conftest import ADMIN, BUDI, OPERATOR


class PremiumConsole(Console):
    name = "premiumtest"
    keywords = frozenset({"premiumtest"})
    menu = Menu("Konsol Uji", (Section("", (
        Option(texts.CONSOLE_OPTION, PremiumDecision(), visible=admins_only),)),))
    refusal = "hanya admin"
    needs_client = False

    async def may_open(self, turn: Turn, grants: Grants) -> bool:
        return grants.admin

    async def clients_for(self, turn: Turn, grants: Grants) -> list[ClientRef]:
        return []


@pytest.fixture
async def requests(world) -> list[int]:
    async with world.begin() as connection:
        ids = [int(await connection.scalar(text(
            "INSERT INTO premium_requests (user_id, whatsapp, sender_name, account_number, "
            "bank_name, status, confirmed_at) VALUES (:user, :wa, 'Pengirim', '123456', 'BNI', "
            "'pending', now()) RETURNING id"), {"user": user, "wa": wa}))
            for user, wa in (("87020991", BUDI), ("87020993", None))]
    return ids


@pytest.fixture
def console(world, redis) -> ConversationTurns:
    settings = load_settings(admin_whatsapp=ADMIN)
    flow = PremiumConsole()
    return ConversationTurns(ConversationEngine(Services(world, redis, settings, clock),
                                                FlowRegistry([flow], [flow], {})), redis)


async def _talk(console: ConversationTurns, redis, world, phone: str, *lines: str
                ) -> list[tuple[str, str]]:
    identity = await resolve_identity(world, phone, frozenset({ADMIN}))
    start = (await redis.xrevrange("outbox:operator", count=1) or [("0-0", {})])[0][0]
    for line in lines:
        await console.handle(InboundMessage("operator", uuid.uuid4().hex,
                                            f"{phone}@s.whatsapp.net", phone, line,
                                            clock.now()), identity)
    entries = await redis.xrange("outbox:operator", min=f"({start}")
    return [(fields["to"].split("@")[0], fields["body"]) for _, fields in entries]


async def _statuses(world) -> list[tuple[str, str | None]]:
    async with world.connect() as connection:
        rows = await connection.execute(text(
            "SELECT status, reason FROM premium_requests ORDER BY id"))
        return [tuple(row) for row in rows]


async def test_deny_then_grant_from_the_console(console, redis, world, requests) -> None:
    budi_request, dedi_request = requests
    sent = await _talk(console, redis, world, ADMIN, "premiumtest", "1")
    assert texts.CONSOLE_OPTION in sent[0][1]
    assert texts.CHOOSE_REQUEST in sent[1][1]
    assert f"ID {budi_request} – BRIPKA BUDI SANTOSO (NRP 87020991)" in sent[1][1]
    sent = await _talk(console, redis, world, ADMIN, "1", "2", "ok")
    assert "Putuskan:" in sent[0][1] and sent[1][1] == texts.ASK_REASON
    assert sent[2][1] == texts.REASON_TOO_SHORT
    assert await _statuses(world) == [("pending", None), ("pending", None)]
    sent = await _talk(console, redis, world, ADMIN, "bukti transfer buram")
    assert sent[0] == (ADMIN, sent[0][1]) and "ditolak" in sent[0][1]
    assert sent[1] == (BUDI, texts.denied(budi_request, "bukti transfer buram"))
    assert "Konsol Uji" in sent[2][1]  # back to the menu

    sent = await _talk(console, redis, world, ADMIN, "1", "1", "1")
    assert f"ID {dedi_request} untuk BRIPTU DEDI (NRP 87020993) disetujui" in sent[-2][1]
    assert "tidak memiliki nomor WhatsApp" in sent[-2][1]
    assert await _statuses(world) == [("rejected", "bukti transfer buram"), ("approved", None)]
    sent = await _talk(console, redis, world, ADMIN, "1")
    assert sent[0][1].startswith(texts.NO_PENDING)


async def test_refused_to_anyone_but_an_admin(console, redis, world, requests) -> None:
    sent = await _talk(console, redis, world, OPERATOR, "premiumtest")
    assert sent == [(OPERATOR, "hanya admin")]
    assert await _statuses(world) == [("pending", None), ("pending", None)]
