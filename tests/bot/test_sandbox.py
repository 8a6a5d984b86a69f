"""The sandbox transport: inbound through Redis, outbound recorded once per message id."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.messages import Document, InboundMessage, OutboundMessage
from bot.sandbox import (
    SANDBOX_OUTBOUND,
    SandboxTransport,
    inbound_stream,
    read_outbound,
    sent_document,
    submit_inbound,
)
from bot.transport import PermanentSendError, SessionState, TransientSendError, state_key
from tests.waiting import eventually

PHONE_JID = "6281234567890@s.whatsapp.net"


async def _noop(message: InboundMessage) -> None:
    return None


def _inbound(text: str, session: str = "operator", message_id: str = "M1") -> InboundMessage:
    return InboundMessage(session=session, message_id=message_id, chat=PHONE_JID,
                          sender="6281234567890", text=text, timestamp=datetime.now(UTC))


async def test_submitted_inbound_reaches_the_started_transport(redis) -> None:
    received: list[InboundMessage] = []
    arrived = asyncio.Event()

    async def on_message(message: InboundMessage) -> None:
        received.append(message)
        arrived.set()

    transport = SandboxTransport(redis, "operator")
    other = SandboxTransport(redis, "gateway")
    await transport.start(on_message)
    await other.start(_noop)
    try:
        await submit_inbound(redis, _inbound("halo", session="gateway", message_id="G1"))
        doc = Document("rekap.xlsx", b"PK\x03\x04data", "application/vnd.ms-excel")
        message = InboundMessage(session="operator", message_id="M1", chat=PHONE_JID,
                                 sender="6281234567890", text="userrequest",
                                 timestamp=datetime(2025, 12, 6, 12, 5, tzinfo=UTC),
                                 quoted_id="Q9", document=doc)
        await submit_inbound(redis, message)
        await asyncio.wait_for(arrived.wait(), timeout=5)
        await asyncio.sleep(0.1)
        assert received == [message]  # the gateway's message went to the gateway only
    finally:
        await transport.stop()
        await other.stop()


async def test_inject_delivers_in_process(redis) -> None:
    received: list[InboundMessage] = []

    async def on_message(message: InboundMessage) -> None:
        received.append(message)

    transport = SandboxTransport(redis, "operator")
    with pytest.raises(RuntimeError):
        await transport.inject(_inbound("x"))
    await transport.start(on_message)
    try:
        await transport.inject(_inbound("menu"))
        assert [m.text for m in received] == ["menu"]
    finally:
        await transport.stop()


async def test_outbound_recorded_once_per_message_id(redis) -> None:
    transport = SandboxTransport(redis, "operator")
    await transport.start(_noop)
    try:
        message = OutboundMessage(session="operator", to=PHONE_JID, body="Halo", key="k-1")
        first = await transport.send(message)
        again = await transport.send(message)
        other = await transport.send(OutboundMessage(session="operator", to=PHONE_JID,
                                                     body="Halo", key="k-2"))
        doc = Document("laporan.pdf", b"%PDF-1.4 " * 10, "application/pdf")
        await transport.send(OutboundMessage(session="operator", to="120363012345678901@g.us",
                                             document=doc, key="k-3"))
        assert first == again != other
        assert first.startswith("3EB0")
        recorded = await read_outbound(redis)
        assert [fields["key"] for _, fields in recorded] == ["k-1", "k-2", "k-3"]
        assert recorded[0][1]["message_id"] == first
        assert recorded[0][1]["text"] == "Halo"
        assert recorded[0][1]["to"] == PHONE_JID
        assert recorded[2][1]["document_filename"] == "laporan.pdf"
        assert recorded[2][1]["document_bytes"] == 90
        assert await read_outbound(redis, to="081234567890") == recorded[:2]
        assert await read_outbound(redis, since=recorded[1][0]) == recorded[2:]
        assert await read_outbound(redis, session="gateway") == []
        assert await redis.xlen(SANDBOX_OUTBOUND) == 3
    finally:
        await transport.stop()


async def test_the_content_of_a_sent_document_is_kept(redis) -> None:
    transport = SandboxTransport(redis, "user")
    await transport.start(_noop)
    try:
        chart = Document("grafik_rekap_satker.png", b"\x89PNG\r\n\x1a\nchart", "image/png")
        await transport.send(OutboundMessage(session="user", to=PHONE_JID, body="Grafik",
                                             document=chart, key="doc-1"))
        await transport.send(OutboundMessage(session="user", to=PHONE_JID, body="Teks saja",
                                             key="doc-2"))
        (_, with_chart), (_, plain) = await read_outbound(redis)
        assert with_chart["document_mimetype"] == "image/png"
        assert await sent_document(redis, with_chart["message_id"]) == chart
        assert await sent_document(redis, plain["message_id"]) is None
    finally:
        await transport.stop()


async def test_faults_and_state(redis) -> None:
    transport = SandboxTransport(redis, "gateway")
    message = OutboundMessage(session="gateway", to=PHONE_JID, body="x", key="k")
    assert transport.state == SessionState.STOPPED
    with pytest.raises(TransientSendError):
        await transport.send(message)  # not started
    await transport.start(_noop)
    try:
        assert transport.state == SessionState.WORKING
        assert await redis.hget(state_key("gateway"), "state") == "WORKING"
        transport.fail_next(1)
        transport.fail_next(1, PermanentSendError)
        with pytest.raises(TransientSendError):
            await transport.send(message)
        with pytest.raises(PermanentSendError):
            await transport.send(message)
        with pytest.raises(PermanentSendError):
            await transport.send(OutboundMessage(session="gateway", to="nobody", body="x"))
        await transport.send(message)
        assert len(await read_outbound(redis)) == 1
    finally:
        await transport.stop()
    assert transport.state == SessionState.STOPPED
    assert await redis.hget(state_key("gateway"), "state") == "STOPPED"


async def test_stream_messages_keep_chat_order_while_chats_run_side_by_side(redis,
                                                                           engine) -> None:
    """The reader hands entries over concurrently; one chat stays in order (a slow message
    holds back only its own chat), and every entry is acknowledged once handled."""
    from bot.inbound import InboundPipeline
    from storage.identities import Identity

    seen: list[tuple[str, str]] = []
    fast_chat_done = asyncio.Event()
    slow, fast = "6281100000001@s.whatsapp.net", "6282200000002@s.whatsapp.net"

    async def handler(message: InboundMessage, identity: Identity) -> None:
        if message.text == "lambat":
            await asyncio.wait_for(fast_chat_done.wait(), timeout=5)
        seen.append((message.chat, message.text))
        if message.chat == fast and message.text == "3":
            fast_chat_done.set()

    pipeline = InboundPipeline(redis, engine, handler)
    transport = SandboxTransport(redis, "user")
    await transport.start(pipeline.receive)
    try:
        for chat, texts in ((slow, ["lambat", "2", "3"]), (fast, ["1", "2", "3"])):
            for n, text in enumerate(texts):
                await submit_inbound(redis, InboundMessage(
                    "user", f"{chat}-{n}", chat, chat.split("@")[0], text, datetime.now(UTC)))
        await eventually(lambda: len(seen) == 6, "the six messages handled", within=5)
    finally:
        await transport.stop()
    assert [t for c, t in seen if c == slow] == ["lambat", "2", "3"]
    assert [t for c, t in seen if c == fast] == ["1", "2", "3"]
    assert seen.index((fast, "3")) < seen.index((slow, "lambat"))
    assert (await redis.xpending(inbound_stream("user"), "sandbox:user"))["pending"] == 0


async def test_a_backlog_is_handled_at_most_64_at_a_time_and_all_acknowledged(redis) -> None:
    """Messages waiting in the stream are handed out in order while fewer than 64 are being
    handled; every one is handled once and acknowledged."""
    release = asyncio.Event()
    handling: set[str] = set()
    most_at_once = 0
    started: list[str] = []
    handled: list[str] = []

    async def on_message(message: InboundMessage) -> None:
        nonlocal most_at_once
        started.append(message.message_id)
        handling.add(message.message_id)
        most_at_once = max(most_at_once, len(handling))
        await release.wait()
        handling.discard(message.message_id)
        handled.append(message.message_id)

    ids = [f"B{n:03d}" for n in range(150)]
    transport = SandboxTransport(redis, "user")
    await transport.start(on_message)
    try:
        await submit_inbound(redis, *(_inbound("halo", session="user", message_id=message_id)
                                      for message_id in ids))
        await eventually(lambda: len(handling) == 64, "64 messages in hand", within=5)
        await asyncio.sleep(0.1)
        assert len(handling) == 64 and not handled  # the rest waits in the stream
        release.set()
        await eventually(lambda: len(handled) == len(ids), "every message handled", within=5)
    finally:
        await transport.stop()
    assert started == ids  # handed out in submission order (one round trip for all)
    assert sorted(handled) == ids and most_at_once == 64
    assert (await redis.xpending(inbound_stream("user"), "sandbox:user"))["pending"] == 0
