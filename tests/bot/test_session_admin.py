"""What /wa reads of a session (bot/status.py) and asks of it (bot/session_admin.py): the
last messages sent (never a one-time secret's body), the backlog, and requests that expire
when no bot takes them; the admins' notice when a session leaves WORKING."""

from __future__ import annotations

import asyncio
import time

from bot.outbox import enqueue
from bot.sandbox import SandboxTransport, read_outbound
from bot.service import BotService
from bot.session_admin import REQUEST_SECONDS, control_key, request, take_requests
from bot.status import session_overview
from cicero.sandbox_bot import SandboxBot
from cicero.settings import load_settings

OFFICER = "6281211112222"
ADMIN = "6281299990001"


async def test_the_last_messages_sent_are_listed_newest_first_without_secrets(
        engine, redis) -> None:
    async with SandboxBot(load_settings(), engine, redis) as bot:
        await enqueue(redis, "user", OFFICER, "Rekap hari ini", key="recent-1")
        await bot.settle()
        await enqueue(redis, "user", OFFICER, "Kode masuk Anda: 123456", key="recent-2",
                      secret_for=300)
        await bot.settle()
    overview = await session_overview(redis, "user")
    assert [(m.to, m.body) for m in overview.recent] == [
        (f"{OFFICER}@s.whatsapp.net", ""), (f"{OFFICER}@s.whatsapp.net", "Rekap hari ini")]
    assert overview.backlog == 0
    assert overview.state == "STOPPED"


async def test_requests_wait_for_the_bot_in_order_and_expire(redis) -> None:
    await request(redis, "gateway", "pair", "6281234567890")
    await request(redis, "gateway", "restart")
    assert 0 < await redis.ttl(control_key("gateway")) <= REQUEST_SECONDS
    assert await take_requests(redis, "gateway") == [("pair", "6281234567890"),
                                                     ("restart", "")]
    assert await take_requests(redis, "gateway") == []


async def test_a_bot_of_one_session_reports_its_fall_over_a_session_served_elsewhere(
        engine, redis) -> None:
    """One `cicero bot` per session: the gateway's bot has no other session of its own, so the
    notice goes out over the operator session that another bot serves."""
    settings = load_settings(admin_whatsapp=ADMIN)

    def bot_of(session: str) -> BotService:
        return BotService(settings, engine, redis, sessions=[session], timer_interval=0.2,
                          transport_factory=lambda s: SandboxTransport(redis, s))

    gateway, operator = bot_of("gateway"), bot_of("operator")
    await gateway.start()
    await operator.start()
    try:
        await request(redis, "gateway", "logout")
        deadline = time.monotonic() + 20
        while not (notices := await read_outbound(redis, to=ADMIN)):
            assert time.monotonic() < deadline, "no notice"
            await asyncio.sleep(0.1)
    finally:
        await gateway.stop()
        await operator.stop()
    [notice] = [fields for _, fields in notices]
    assert notice["session"] == "operator"
    assert notice["text"].startswith("⚠️ Sesi WhatsApp *gateway* tidak lagi aktif: sekarang "
                                     "FAILED (logged out).")
