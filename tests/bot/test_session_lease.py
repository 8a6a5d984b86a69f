"""One owner per WhatsApp session: a second bot on the same sessions takes nothing and, when it
stops, leaves the first one's sessions WORKING (real Redis, sandbox transports)."""

from __future__ import annotations

import asyncio
import sys

import pytest

from bot.sandbox import SandboxTransport
from bot.service import BotService
from bot.session_lease import (
    LEASE_SECONDS,
    Owner,
    SessionLeases,
    SessionsOwned,
    lease_key,
    owned_elsewhere,
)
from bot.transport import state_key
from cicero.settings import load_settings

SESSIONS = ["operator", "gateway"]


def _bot(engine, redis) -> BotService:
    return BotService(load_settings(), engine, redis, sessions=SESSIONS,
                      transport_factory=lambda s: SandboxTransport(redis, s))


async def _states(redis) -> dict[str, str]:
    return {s: await redis.hget(state_key(s), "state") for s in SESSIONS}


async def test_a_second_bot_takes_no_owned_session_and_its_stop_changes_nothing(
        engine, redis) -> None:
    first, second = _bot(engine, redis), _bot(engine, redis)
    await first.start()
    try:
        with pytest.raises(SessionsOwned) as refused:
            await second.start()
        assert refused.value.message.startswith(
            "sesi WhatsApp operator, gateway sudah dijalankan proses lain (")
        await second.stop()
        assert await _states(redis) == {"operator": "WORKING", "gateway": "WORKING"}
        assert await redis.get(lease_key("operator")) == first.leases.owner
        assert await redis.ttl(lease_key("operator")) > LEASE_SECONDS - 5
    finally:
        await first.stop()
    assert await _states(redis) == {"operator": "STOPPED", "gateway": "STOPPED"}
    assert await redis.get(lease_key("operator")) is None
    third = _bot(engine, redis)  # free again
    await third.start()
    await third.stop()


async def test_a_partly_owned_set_of_sessions_is_not_taken_at_all(redis) -> None:
    holder = SessionLeases(redis, ["gateway"])
    await holder.acquire()
    other = SessionLeases(redis, ["operator", "gateway"])
    with pytest.raises(SessionsOwned) as refused:
        await other.acquire()
    assert list(refused.value.held) == ["gateway"]
    assert await redis.get(lease_key("operator")) is None  # given back
    assert (await owned_elsewhere(redis, ["operator", "gateway"])).held == refused.value.held


async def test_the_lease_of_a_process_that_is_gone_is_taken_over(redis) -> None:
    ended = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import os; print(os.getpid())", stdout=asyncio.subprocess.PIPE)
    printed, _ = await ended.communicate()
    dead = Owner(Owner.of_this_process().host, int(printed), "dead")
    await redis.set(lease_key("operator"), str(dead), ex=LEASE_SECONDS)
    assert await owned_elsewhere(redis, ["operator"]) is None
    leases = SessionLeases(redis, ["operator"])
    await leases.acquire()
    assert await redis.get(lease_key("operator")) == leases.owner


async def test_a_lost_lease_is_reported_and_taken_again_when_free(redis) -> None:
    leases = SessionLeases(redis, ["operator", "gateway"])
    await leases.acquire()
    await redis.delete(lease_key("operator"))  # e.g. Redis lost its data
    await redis.set(lease_key("gateway"), "other-host|1|x")
    assert await leases.renew() == ["gateway"]
    assert await redis.get(lease_key("operator")) == leases.owner
