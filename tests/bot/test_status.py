"""bot/status.py, the read-only door web/ and the CLI use: session states, the outbox backlog,
dead letters and the messages a session sent last, read from what the bot really wrote."""

from __future__ import annotations

import redis.asyncio as aioredis

from bot import status
from bot.outbox import OutboxConsumer, OutboxPace, enqueue
from bot.sandbox import SandboxTransport
from bot.transport import PermanentSendError
from tests.bot.test_outbox import A, B, _noop, _running, _sent
from tests.waiting import eventually

FAST = OutboxPace(per_session_interval=0, per_chat_interval=0, jitter=0)


async def test_session_states_as_the_transport_published_them(redis) -> None:
    transport = SandboxTransport(redis, "gateway")
    await transport.start(_noop)
    try:
        info = await status.session_info(redis, "gateway")
        assert (info.state, info.transport, info.qr, info.error) == ("WORKING", "sandbox", "", "")
        assert info.updated_at
        assert await status.session_states(redis, ["gateway", "user"]) == {
            "gateway": "WORKING", "user": status.UNKNOWN_STATE}
    finally:
        await transport.stop()
    assert await status.session_state(redis, "gateway") == "STOPPED"


async def test_session_states_of_an_unreachable_redis_are_unknown() -> None:
    gone = aioredis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5)
    try:
        assert await status.session_states(gone, ["operator"]) == {
            "operator": status.UNKNOWN_STATE}
    finally:
        await gone.aclose()


async def test_backlog_dead_letters_and_last_sent(redis) -> None:
    assert await status.outbox_backlog(redis, "operator") == status.Backlog(0, 0)
    await enqueue(redis, "operator", A, "diblokir", key="zero")
    await enqueue(redis, "operator", A, "pertama", key="one")
    await enqueue(redis, "operator", B, "tautan rahasia", key="two", secret_for=600)
    assert await status.outbox_backlog(redis, "operator") == status.Backlog(3, 0)

    transport = SandboxTransport(redis, "operator")
    await transport.start(_noop)
    transport.fail_next(1, PermanentSendError)  # the first send: "diblokir"
    try:
        consumer = OutboxConsumer(redis, transport, pace=FAST)
        async with _running(consumer):
            await _sent(redis, 2)
            await eventually(lambda: _dead(redis))
    finally:
        await transport.stop()

    assert await status.outbox_backlog(redis, "operator") == status.Backlog(0, 0)
    assert await status.dead_letter_count(redis, "operator") == 1
    last = await status.last_sent(redis, "operator")  # newest first
    assert [m.sent_at for m in last] == sorted((m.sent_at for m in last), reverse=True)
    plain, secret = sorted(last, key=lambda m: m.key)
    assert (plain.to, plain.body, plain.key, plain.document) == (A, "pertama", "one#1", "")
    assert plain.message_id and plain.sent_at
    assert (secret.to, secret.body, secret.key) == (B, "", "two#1")  # a secret's body: not kept
    assert await status.last_sent(redis, "user") == []


async def _dead(redis) -> bool:
    return await status.dead_letter_count(redis, "operator") == 1
