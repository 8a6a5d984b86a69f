"""One-time secrets do not outlive their use in Redis (whose append-only file a local user
once read a reset token from): a reset link that could not be delivered leaves no copy in the
dead-letter stream, an expired one is not sent at all, and an e-mailed code's job expires
with the code. The real app over HTTP, the real outbox consumer, real Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.outbox import dead_letter_key, stream_key
from bot.sandbox import read_outbound
from bot.transport import PermanentSendError
from cicero.clock import clock
from cicero.sandbox_bot import SandboxBot
from cicero.settings import load_settings
from storage import claims
from storage.models import DashboardRole
from tests.factories import insert_client, insert_person
from tests.web.conftest import LiveApp, dashboard_user, serve, web_settings

OWNER_WA = "6281311110001"
RESET = "/api/auth/dashboard-password-reset/request"


@pytest.fixture
async def app(engine, redis, database_url: str, redis_url: str) -> AsyncIterator[LiveApp]:
    await dashboard_user(engine, "binmas1", DashboardRole.OPERATOR, [], whatsapp=OWNER_WA)
    async for live in serve(web_settings(dashboard_url="https://dash.example/"), database_url,
                            redis_url):
        yield live


async def test_an_undeliverable_reset_link_leaves_no_copy_in_the_dead_letters(
    app: LiveApp, engine, redis
) -> None:
    async with SandboxBot(load_settings(), engine, redis) as bot:
        bot.service.transport("operator").fail_next(1, PermanentSendError)  # type: ignore
        response = await app.client.post(RESET, json={"username": "binmas1",
                                                       "contact": OWNER_WA})
        assert response.status_code == 200
        await bot.settle()  # every entry acknowledged: sent, or (this one) dead
    [(_, fields)] = await redis.xrange(dead_letter_key("operator"))
    assert fields["body"] == "" and "reset" in fields["key"]
    assert not any("token=" in value for value in fields.values())
    assert await redis.xlen(stream_key("operator")) == 0  # and the entry itself is gone


async def test_a_reset_link_that_expired_while_waiting_is_never_sent(
    app: LiveApp, engine, redis
) -> None:
    """No session is WORKING when the link is requested; when one is, 16 minutes later, the
    link (valid 15) is dropped from the outbox instead of being sent."""
    response = await app.client.post(RESET, json={"username": "binmas1", "contact": OWNER_WA})
    assert response.status_code == 200
    assert await redis.xlen(stream_key("operator")) == 1
    clock.set_now(clock.now() + timedelta(minutes=16), ticking=True)
    async with SandboxBot(load_settings(), engine, redis) as bot:
        await bot.settle()
        assert await read_outbound(redis, session="operator") == []
        consumer = next(c for c in bot.service.consumers if c.session == "operator")
        assert (consumer.stats.expired, consumer.stats.sent) == (1, 0)
    assert await redis.xlen(stream_key("operator")) == 0


async def test_an_otp_mail_job_expires_with_its_code(engine, redis, database_url: str,
                                                     redis_url: str) -> None:
    """No worker runs: the queued mail (holding the code in clear) used to wait a day."""
    async with engine.begin() as connection:
        await insert_client(connection, "POLRES_A", "Polres A")
        await insert_person(connection, "87020990", "BUDI SANTOSO", "POLRES_A", rank="BRIPDA",
                            satfung="SAT BINMAS", email="budi@polri.go.id", status=True)
    settings = web_settings(smtp_host="127.0.0.1", smtp_port=2525, smtp_from="c@polri.go.id")
    async for live in serve(settings, database_url, redis_url):
        response = await live.client.post("/api/claim/request-otp", json={
            "nrp": "87020990", "email": "budi@polri.go.id"})
        assert response.status_code == 202, response.text
    [job] = [key async for key in redis.scan_iter("arq:job:*")]
    assert 0 < await redis.pttl(job) <= claims.OTP_TTL_SECONDS * 1000
