"""What /wa reads of a session through bot/session_admin.py: the last messages sent (never a
one-time secret's body), the backlog, and requests that expire when no bot takes them."""

from __future__ import annotations

from bot.outbox import enqueue
from bot.session_admin import (
    REQUEST_SECONDS,
    control_key,
    request,
    session_overview,
    take_requests,
)
from cicero.sandbox_bot import SandboxBot
from cicero.settings import load_settings

OFFICER = "6281211112222"


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
