"""Clientrequest 1.2.5 and 3.4 (`RegisterSatbinmasAccount`, `COVERAGE`), which the client
console binds: run here in a console that offers every ORG satker to anyone with a grant, so
the action's own check is what keeps a sender to their satker. The check runs on a real
worker against the fake RapidAPI."""

from __future__ import annotations

from sqlalchemy import text

from bot.conversation_turns import ConversationTurns
from bot.messages import InboundMessage
from cicero.clock import clock
from conversations.console.flow import Console
from conversations.console.satbinmas import COVERAGE, RegisterSatbinmasAccount
from conversations.console.spec import Menu, Option, Section
from conversations.engine import ConversationEngine, FlowRegistry
from conversations.flow import Services, Turn
from jobs.worker import run_queued_jobs
from menus import satbinmas as texts
from storage.grants import ClientRef, Grants, clients
from storage.identities import resolve_identity
from storage.models import ClientType
from tests.conversations.conftest import ADMIN, DIRECTORATE_USER, OPERATOR


class EverySatker(Console):
    name = "akunresmi"
    keywords = frozenset({"akunresmi"})
    menu = Menu("Uji Akun Resmi", (Section("", (
        Option(texts.OPTION_REGISTER, RegisterSatbinmasAccount()),
        Option(texts.OPTION_COVERAGE, COVERAGE),
    )),))
    refusal = "ditolak"

    async def clients_for(self, turn: Turn, grants: Grants) -> list[ClientRef]:
        if not (grants.admin or grants.contact_of or grants.dashboard_clients):
            return []
        return await clients(turn.services.engine, None, [ClientType.ORG])


class Chat:
    def __init__(self, world, redis, settings, phone: str) -> None:
        self.world, self.redis, self.settings, self.phone = world, redis, settings, phone
        self.turns = ConversationTurns(ConversationEngine(
            Services(world, redis, settings, clock),
            FlowRegistry([EverySatker()], [EverySatker()], {})), redis)
        self.count = 0
        self.read = "0-0"

    async def say(self, body: str) -> list[str]:
        self.count += 1
        identity = await resolve_identity(self.world, self.phone, frozenset({ADMIN}))
        await self.turns.handle(InboundMessage(
            session="operator", message_id=f"M{self.phone}{self.count}",
            chat=f"{self.phone}@s.whatsapp.net", sender=self.phone, text=body,
            timestamp=clock.now()), identity)
        return await self.replies()

    async def replies(self) -> list[str]:
        entries = await self.redis.xrange("outbox:operator", min=f"({self.read}")
        if entries:
            self.read = entries[-1][0]
        return [fields["body"] for _, fields in entries
                if fields["to"] == f"{self.phone}@s.whatsapp.net"]


async def _choose(chat: Chat, satker: str) -> None:
    offered = await chat.say("akunresmi")
    assert "Pilih client:" in offered[0]
    assert "Uji Akun Resmi" in (await chat.say(satker))[0]


async def _rows(world) -> list[tuple[str, str, str]]:
    async with world.connect() as connection:
        rows = await connection.execute(text(
            "SELECT client_id, platform, username FROM satbinmas_accounts ORDER BY client_id"))
        return [tuple(row) for row in rows]


async def test_the_satkers_operator_registers_its_account(world, redis, bot_settings,
                                                          database_url, redis_url) -> None:
    chat = Chat(world, redis, bot_settings, OPERATOR)
    await _choose(chat, "polres_a")
    [platform] = await chat.say("1")
    assert "Akun resmi Satbinmas *POLRES A*" in platform and "Belum ada akun resmi" in platform
    assert "Kirim username akun resmi" in (await chat.say("1"))[0]
    assert "Username Instagram tidak valid" in (await chat.say("bad name!"))[0]
    checking, menu = await chat.say("@satbinmas_a")
    assert "Memeriksa akun Instagram @satbinmas_a" in checking and "Uji Akun Resmi" in menu
    await run_queued_jobs(bot_settings, database_url, redis_url)
    [result] = await chat.replies()
    assert "✅ Akun Instagram resmi *POLRES A* ditambahkan: @satbinmas_a" in result
    assert texts.ASK_NEXT not in result  # the console goes on with its menu, not the flow
    assert await _rows(world) == [("POLRES_A", "instagram", "satbinmas_a")]


async def test_another_satkers_operator_is_refused_and_nothing_is_written(
        world, redis, bot_settings, database_url, redis_url) -> None:
    chat = Chat(world, redis, bot_settings, OPERATOR)
    await _choose(chat, "polres_b")
    await chat.say("1")
    await chat.say("1")
    refused, menu = await chat.say("satbinmas_b")
    assert refused == texts.NOT_YOURS and "Uji Akun Resmi" in menu
    assert await run_queued_jobs(bot_settings, database_url, redis_url) == 0
    assert await _rows(world) == []
    # a directorate dashboard user is not POLRES B's either
    directorate = Chat(world, redis, bot_settings, DIRECTORATE_USER)
    await _choose(directorate, "polres_b")
    await directorate.say("1")
    await directorate.say("2")
    assert (await directorate.say("satbinmas_b_tt"))[0] == texts.NOT_YOURS
    assert await _rows(world) == []


async def test_an_admin_registers_any_satkers_account_and_sees_the_coverage(
        world, redis, bot_settings, database_url, redis_url) -> None:
    chat = Chat(world, redis, bot_settings, ADMIN)
    await _choose(chat, "polres_b")
    await chat.say("1")
    await chat.say("2")
    await chat.say("https://www.tiktok.com/@satbinmas_b_tt")
    await run_queued_jobs(bot_settings, database_url, redis_url)
    assert "✅ Akun TikTok resmi *POLRES B* ditambahkan" in (await chat.replies())[0]
    # a private account is refused and not stored
    await chat.say("1")
    await chat.say("1")
    await chat.say("satbinmas_privat")
    await run_queued_jobs(bot_settings, database_url, redis_url)
    [private] = await chat.replies()
    assert private.startswith("🔒 Akun Instagram @satbinmas_privat privat")
    assert private.endswith("Akun tidak disimpan.")
    assert await _rows(world) == [("POLRES_B", "tiktok", "satbinmas_b_tt")]
    coverage = await chat.say("2")
    assert "Absensi Akun Resmi Satbinmas" in coverage[0]
    assert "⚠️ *Baru sebagian (1)*\n1. POLRES B (IG belum · TikTok @satbinmas_b_tt)" in coverage[0]
    assert "❌ *Belum input akun (1)*\n1. POLRES A" in coverage[0]
