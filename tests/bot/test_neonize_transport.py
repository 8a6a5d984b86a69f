"""The neonize transport above the library boundary: a fake client stands in for neonize."""

from __future__ import annotations

import asyncio
import itertools
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from types import SimpleNamespace as NS
from typing import Any

import pytest

from bot import neonize_transport
from bot.messages import Document, InboundMessage, OutboundMessage
from bot.neonize_support import (
    classify_send_error,
    inbound_from_event,
    store_location,
)
from bot.neonize_transport import NeonizeTransport, ReconnectPolicy
from bot.transport import PermanentSendError, SessionState, TransientSendError, state_key
from cicero.backoff import backoff_delay
from cicero.settings import load_settings
from tests.conftest import PROJECT_ROOT
from tests.waiting import eventually

PHONE = "6281234567890"
PHONE_JID = f"{PHONE}@s.whatsapp.net"
GROUP_JID = "120363012345678901@g.us"
OWN_JID = "6289999999999:12@s.whatsapp.net"
FAST = ReconnectPolicy(base=0.05, cap=0.4, jitter=0.0, connect_timeout=2.0)


# --- the fake client -----------------------------------------------------------------------------


class FakeClient:
    """Records what the transport asks of it; tests make it emit library events."""

    def __init__(self, store: str, session: str, events: Any) -> None:
        self.store = store
        self.session = session
        self.events = events
        self.connects: list[tuple[float, str | None]] = []
        self.disconnects = 0
        self.sent: list[tuple[str, str, Document | None]] = []
        self.fail_connects = 0  # the next N connect() calls raise
        self.on_connect: Callable[[FakeClient], Any] | None = None  # runs after a good connect
        self.send_error: Exception | None = None
        self.downloads: dict[str, bytes] = {}
        self.phones: dict[str, str] = {}
        self.images = 0  # sent as image messages (a picture in the chat), not documents
        self.paired_phones: list[str] = []
        self.logouts = 0
        self._ids = 0

    async def connect(self, jid: str | None) -> None:
        self.connects.append((time.monotonic(), jid))
        if self.fail_connects:
            self.fail_connects -= 1
            raise ConnectionError("failed to dial whatsapp web websocket")
        if self.on_connect is not None:
            asyncio.get_running_loop().create_task(self.on_connect(self))

    async def disconnect(self) -> None:
        self.disconnects += 1

    async def send_text(self, to: str, text: str) -> str:
        return self._record(to, text, None)

    async def send_document(self, to: str, document: Document, caption: str) -> str:
        return self._record(to, caption, document)

    async def send_image(self, to: str, image: Document, caption: str) -> str:
        self.images += 1
        return self._record(to, caption, image)

    def _record(self, to: str, text: str, document: Document | None) -> str:
        if self.send_error is not None:
            raise self.send_error
        self.sent.append((to, text, document))
        self._ids += 1
        return f"3EB0{self._ids:016X}"

    async def download(self, event: Any) -> bytes:
        return self.downloads[event.Info.ID]

    async def phone_for(self, lid: str) -> str | None:
        return self.phones.get(lid)

    async def pair_phone(self, phone: str) -> str:
        self.paired_phones.append(phone)
        return "ABCD-EFGH"

    async def logout(self) -> None:
        self.logouts += 1

    # events, as the library would report them
    async def emit_qr(self, code: str) -> None:
        await self.events.qr(code)

    async def emit_connected(self, jid: str | None = OWN_JID, name: str = "") -> None:
        await self.events.connected(jid, name)

    async def emit_disconnected(self) -> None:
        await self.events.disconnected("websocket closed")

    async def emit_logged_out(self) -> None:
        await self.events.logged_out("logged out (reason 401)")

    async def emit_message(self, event: Any) -> None:
        await self.events.message(event)


class Harness:
    def __init__(self) -> None:
        self.clients: list[FakeClient] = []
        self.transport: NeonizeTransport
        self.on_connect: Callable[[FakeClient], Any] | None = None  # given to each new client

    def factory(self, store: str, session: str, events: Any) -> FakeClient:
        client = FakeClient(store, session, events)
        client.on_connect = self.on_connect
        self.clients.append(client)
        return client

    @property
    def client(self) -> FakeClient:
        return self.clients[-1]


async def _noop(message: InboundMessage) -> None:
    return None


@pytest.fixture
async def harness(redis):
    """A transport for 'operator' over a fake client; stopped after the test."""
    h = Harness()
    h.transport = NeonizeTransport(redis, "operator", store="/tmp/unused.sqlite3",
                                   client_factory=h.factory, reconnect=FAST)
    yield h
    await asyncio.wait_for(h.transport.stop(), 5)


async def _working(h: Harness, redis, on_message=_noop) -> FakeClient:
    await h.transport.start(on_message)
    await eventually(lambda: h.clients and h.client.connects)
    await h.client.emit_connected()
    assert h.transport.state == SessionState.WORKING
    return h.client


# --- stand-in neonize events -------------------------------------------------------------------


def jid(user: str, server: str = "s.whatsapp.net", device: int = 0) -> NS:
    return NS(User=user, Server=server, Device=device)


def event(message: NS, *, chat: NS | None = None, sender: NS | None = None,
          sender_alt: NS | None = None, from_me: bool = False, is_group: bool = False,
          message_id: str = "ABCD1234", timestamp: int = 1765001100) -> NS:
    source = NS(Chat=chat or jid(PHONE), Sender=sender or jid(PHONE), SenderAlt=sender_alt,
                IsFromMe=from_me, IsGroup=is_group)
    return NS(Info=NS(ID=message_id, Timestamp=timestamp, MessageSource=source), Message=message)


# --- states --------------------------------------------------------------------------------------


async def test_states_are_published_in_order_and_the_qr_only_while_pairing(harness, redis):
    key = state_key("operator")
    await harness.transport.start(_noop)
    assert (await redis.hgetall(key))["state"] == "STARTING"
    await eventually(lambda: harness.clients and harness.client.connects)
    client = harness.client
    assert client.connects[0][1] is None  # nothing paired yet: no device JID to resume

    seen = []
    for code in ("2@QR-ONE", "2@QR-TWO"):
        await client.emit_qr(code)
        fields = await redis.hgetall(key)
        seen.append((fields["state"], fields.get("qr")))
        assert harness.transport.qr == code
    await client.emit_connected()
    fields = await redis.hgetall(key)
    seen.append((fields["state"], fields.get("qr")))
    assert seen == [("SCAN_QR_CODE", "2@QR-ONE"), ("SCAN_QR_CODE", "2@QR-TWO"), ("WORKING", None)]
    assert fields["transport"] == "neonize"
    assert fields["jid"] == OWN_JID
    assert datetime.fromisoformat(fields["updated_at"]).tzinfo is not None
    assert harness.transport.qr is None

    await harness.transport.stop()
    fields = await redis.hgetall(key)
    assert fields["state"] == "STOPPED" and fields["jid"] == OWN_JID
    assert client.disconnects >= 1


async def test_a_paired_session_resumes_its_own_device(harness, redis):
    await redis.hset(state_key("operator"), mapping={"state": "STOPPED", "jid": OWN_JID})
    await harness.transport.start(_noop)
    await eventually(lambda: harness.clients and harness.client.connects)
    assert harness.client.connects[0][1] == OWN_JID


# --- inbound -------------------------------------------------------------------------------------


def test_plain_text_from_a_private_chat():
    message = inbound_from_event("operator", event(NS(conversation="userrequest")))
    assert message == InboundMessage(
        session="operator", message_id="ABCD1234", chat=PHONE_JID, sender=PHONE,
        text="userrequest", timestamp=datetime.fromtimestamp(1765001100, UTC))
    assert not message.is_group


def test_extended_text_with_a_quoted_message():
    content = NS(conversation="", extendedTextMessage=NS(
        text="ya, benar", contextInfo=NS(stanzaID="3EB0QUOTED")))
    message = inbound_from_event("operator", event(content))
    assert message is not None
    assert (message.text, message.quoted_id) == ("ya, benar", "3EB0QUOTED")


def test_a_document_carries_its_filename_bytes_and_caption():
    document = NS(fileName="personil.xlsx", mimetype="application/vnd.ms-excel",
                  caption="data baru", contextInfo=None)
    message = inbound_from_event("operator", event(NS(documentMessage=document)),
                                 document_bytes=b"PK\x03\x04")
    assert message is not None
    assert message.document == Document("personil.xlsx", b"PK\x03\x04",
                                        "application/vnd.ms-excel")
    assert message.text == "data baru"
    # documentWithCaptionMessage wraps the document one level deeper
    wrapped = NS(documentWithCaptionMessage=NS(message=NS(documentMessage=document)))
    again = inbound_from_event("operator", event(wrapped), document_bytes=b"x")
    assert again is not None and again.document.filename == "personil.xlsx"


def test_a_group_message_keeps_the_group_as_chat_and_the_author_as_sender():
    message = inbound_from_event("gateway", event(
        NS(conversation="rekap"), chat=jid("120363012345678901", "g.us"),
        sender=jid(PHONE, device=7), is_group=True))
    assert message is not None
    assert (message.chat, message.sender, message.is_group) == (GROUP_JID, PHONE, True)


def test_a_lid_sender_is_read_from_sender_alt_or_the_resolved_phone():
    lid = jid("123456789012345", "lid")
    with_alt = inbound_from_event("gateway", event(
        NS(conversation="halo"), chat=jid("120363012345678901", "g.us"), sender=lid,
        sender_alt=jid(PHONE), is_group=True))
    assert with_alt is not None and with_alt.sender == PHONE
    bare = event(NS(conversation="halo"), chat=lid, sender=lid)
    assert inbound_from_event("operator", bare) is None  # no phone number: not for the bot
    resolved = inbound_from_event("operator", bare, sender_phone=PHONE_JID)
    assert resolved is not None and (resolved.chat, resolved.sender) == (PHONE_JID, PHONE)


def test_what_the_bot_ignores():
    assert inbound_from_event("operator", event(NS(conversation="x"), from_me=True)) is None
    status = event(NS(conversation="x"), chat=jid("status", "broadcast"))
    assert inbound_from_event("operator", status) is None
    assert inbound_from_event("operator", event(NS(reactionMessage=NS(text="👍")))) is None
    # a document whose download failed and that has no caption carries nothing
    assert inbound_from_event("operator", event(NS(documentMessage=NS(
        fileName="a.pdf", mimetype="application/pdf")))) is None


def test_millisecond_timestamps_are_understood():
    message = inbound_from_event("operator", event(NS(conversation="x"),
                                                   timestamp=1765001100123))
    assert message is not None
    assert message.timestamp == datetime.fromtimestamp(1765001100.123, UTC)


async def test_inbound_events_reach_the_handler_with_the_document_downloaded(harness, redis):
    received: list[InboundMessage] = []

    async def on_message(message: InboundMessage) -> None:
        received.append(message)

    client = await _working(harness, redis, on_message)
    client.downloads["DOC1"] = b"%PDF-1.4"
    lid = jid("987654321098765", "lid")
    client.phones["987654321098765@lid"] = PHONE_JID
    await client.emit_message(event(NS(documentMessage=NS(
        fileName="laporan.pdf", mimetype="application/pdf", caption="")), message_id="DOC1"))
    await client.emit_message(event(NS(conversation="menu"), chat=lid, sender=lid,
                                    message_id="LID1"))
    await client.emit_message(event(NS(conversation="mine"), from_me=True, message_id="ME1"))
    assert [m.message_id for m in received] == ["DOC1", "LID1"]
    assert received[0].document == Document("laporan.pdf", b"%PDF-1.4", "application/pdf")
    assert (received[1].chat, received[1].text) == (PHONE_JID, "menu")


async def test_a_failing_handler_does_not_break_the_transport(harness, redis):
    async def broken(message: InboundMessage) -> None:
        raise RuntimeError("handler bug")

    client = await _working(harness, redis, broken)
    await client.emit_message(event(NS(conversation="halo")))
    assert harness.transport.state == SessionState.WORKING


# --- sending -------------------------------------------------------------------------------------


async def test_text_and_documents_are_sent(harness, redis):
    client = await _working(harness, redis)
    first = await harness.transport.send(OutboundMessage("operator", PHONE_JID, "halo"))
    doc = Document("rekap.xlsx", b"PK..", "application/vnd.ms-excel")
    second = await harness.transport.send(
        OutboundMessage("operator", GROUP_JID, "rekap hari ini", document=doc))
    assert first != second and first.startswith("3EB0")
    assert client.sent == [(PHONE_JID, "halo", None), (GROUP_JID, "rekap hari ini", doc)]
    assert client.images == 0


async def test_a_chart_is_sent_as_an_image_message(harness, redis):
    client = await _working(harness, redis)
    chart = Document("ranking.png", b"\x89PNG\r\n", "image/png")
    await harness.transport.send(OutboundMessage("operator", PHONE_JID, "Ranking", document=chart))
    assert client.images == 1 and client.sent == [(PHONE_JID, "Ranking", chart)]


async def test_send_failures_map_to_the_right_send_error(harness, redis, monkeypatch):
    message = OutboundMessage("operator", PHONE_JID, "halo")
    with pytest.raises(TransientSendError):  # not connected yet
        await harness.transport.send(message)
    client = await _working(harness, redis)

    for bad in ("bukan-jid", "123456789012345@lid", "abc@s.whatsapp.net", "123@g.us"):
        with pytest.raises(PermanentSendError):
            await harness.transport.send(OutboundMessage("operator", bad, "halo"))
    monkeypatch.setattr(neonize_transport, "MAX_DOCUMENT_BYTES", 10)
    with pytest.raises(PermanentSendError, match="bytes"):
        await harness.transport.send(OutboundMessage(
            "operator", PHONE_JID, document=Document("besar.xlsx", b"x" * 11)))

    cases = [
        (ConnectionError("websocket not connected"), TransientSendError),
        (TimeoutError("info query timed out"), TransientSendError),
        (Exception("failed to upload media: 503"), TransientSendError),
        (Exception("server returned error 403"), PermanentSendError),
        (Exception("can't send message to unknown server"), PermanentSendError),
        (Exception("file too large"), PermanentSendError),
    ]
    for error, expected in cases:
        client.send_error = error
        with pytest.raises(expected) as caught:
            await harness.transport.send(message)
        assert type(caught.value) is expected, error
        assert caught.value.__cause__ is error
    assert client.sent == []


def test_classify_send_error_keeps_our_own_errors():
    assert classify_send_error(PermanentSendError("x")) is PermanentSendError
    assert classify_send_error(OSError("network is unreachable")) is TransientSendError


# --- reconnecting --------------------------------------------------------------------------------


def test_backoff_doubles_is_capped_and_jittered():
    exact = [backoff_delay(n, base=1, cap=30, jitter=0.0) for n in range(7)]
    assert exact == [1, 2, 4, 8, 16, 30, 30]
    assert backoff_delay(3, base=1, cap=30, jitter=0.5, rand=lambda: 1.0) == 4.0
    assert backoff_delay(3, base=1, cap=30, jitter=0.5, rand=lambda: 0.0) == 8.0
    assert backoff_delay(10_000, base=1, cap=30, jitter=0.0) == 30
    delays = {backoff_delay(2, base=1, cap=30, jitter=0.5) for _ in range(50)}
    assert len(delays) > 1 and all(2.0 <= d <= 4.0 for d in delays)


async def test_reconnects_after_a_disconnect_with_growing_backoff(harness, redis):
    client = await _working(harness, redis)
    client.fail_connects = 2
    client.on_connect = lambda c: c.emit_connected()
    await client.emit_disconnected()
    assert harness.transport.state == SessionState.STARTING
    assert (await redis.hgetall(state_key("operator")))["state"] == "STARTING"
    with pytest.raises(TransientSendError):
        await harness.transport.send(OutboundMessage("operator", PHONE_JID, "halo"))

    await eventually(lambda: harness.transport.state == SessionState.WORKING)
    times = [at for at, _ in client.connects]
    assert len(times) == 4  # the first connect, two failed reconnects, one that worked
    gaps = [later - earlier for earlier, later in itertools.pairwise(times[1:])]
    # base 0.05 s, doubling, no jitter: 0.1 s before the 2nd reconnect, 0.2 s before the 3rd
    assert gaps[0] >= 0.095 and gaps[1] >= 0.195
    assert client.connects[-1][1] == OWN_JID  # the remembered device is resumed
    assert client.disconnects >= 3  # each attempt starts from a clean client
    assert (await redis.hgetall(state_key("operator")))["state"] == "WORKING"


async def test_no_reconnect_when_the_library_reconnected_by_itself(harness, redis):
    client = await _working(harness, redis)
    harness.transport.reconnect = ReconnectPolicy(base=0.3, cap=1, jitter=0, connect_timeout=1)
    await client.emit_disconnected()
    await asyncio.sleep(0)  # one loop turn: our reconnect is waiting out its 0.3 s backoff
    await client.emit_connected()
    await asyncio.sleep(0.5)  # past that backoff: a reconnect would have been made by now
    assert len(client.connects) == 1
    assert harness.transport.state == SessionState.WORKING


async def test_a_connect_that_shows_no_sign_of_life_is_retried(harness, redis):
    harness.transport.reconnect = ReconnectPolicy(base=0.05, cap=0.1, jitter=0,
                                                  connect_timeout=0.1)
    await harness.transport.start(_noop)
    await eventually(lambda: harness.clients and len(harness.client.connects) >= 3)
    assert harness.transport.state == SessionState.STARTING


async def test_logout_fails_the_session_for_good(harness, redis):
    client = await _working(harness, redis)
    await client.emit_logged_out()
    fields = await redis.hgetall(state_key("operator"))
    assert fields["state"] == "FAILED"
    assert "logged out" in fields["error"]
    assert "jid" not in fields  # the device is gone: the next login pairs anew
    assert client.disconnects >= 1
    with pytest.raises(TransientSendError):
        await harness.transport.send(OutboundMessage("operator", PHONE_JID, "halo"))
    await client.emit_disconnected()  # late events change nothing
    await asyncio.sleep(0.3)
    assert len(client.connects) == 1
    await harness.transport.stop()
    assert (await redis.hgetall(state_key("operator")))["state"] == "FAILED"


async def test_a_pairing_code_is_published_while_pairing_and_kept_across_new_qr_codes(
        harness, redis):
    key = state_key("operator")
    await harness.transport.start(_noop)
    await eventually(lambda: harness.clients and harness.client.connects)
    client = harness.client
    with pytest.raises(RuntimeError):  # not waiting for a scan yet
        await harness.transport.pair_phone("6281234567890")
    await client.emit_qr("2@QR-ONE")
    assert await harness.transport.pair_phone("6281234567890") == "ABCD-EFGH"
    assert client.paired_phones == ["6281234567890"]
    await client.emit_qr("2@QR-TWO")
    fields = await redis.hgetall(key)
    assert (fields["state"], fields["qr"], fields["pair_phone"], fields["pair_code"]) == (
        "SCAN_QR_CODE", "2@QR-TWO", "6281234567890", "ABCD-EFGH")
    await client.emit_connected()
    fields = await redis.hgetall(key)
    assert fields["state"] == "WORKING"
    assert "pair_code" not in fields and "pair_phone" not in fields


async def test_logging_out_from_the_page_unlinks_the_device(harness, redis):
    client = await _working(harness, redis)
    await harness.transport.logout()
    assert client.logouts == 1
    fields = await redis.hgetall(state_key("operator"))
    assert (fields["state"], fields["error"]) == ("FAILED", "logged out from /wa")
    assert "jid" not in fields


# --- the store and the library boundary --------------------------------------------------------


def test_store_location(tmp_path):
    embedded = load_settings(database_url=None, cicero_home=tmp_path)
    assert store_location(embedded, "gateway") == str(tmp_path.resolve() / "wa/gateway.sqlite3")

    def store(url: str) -> str:
        return store_location(load_settings(database_url=url, cicero_home=tmp_path), "operator")

    assert store("postgresql+asyncpg://cicero:rahasia@db.example.id:5432/cicero") == \
        "postgres://cicero:rahasia@db.example.id:5432/cicero"
    assert store("postgresql://cicero@db.example.id/cicero?sslmode=verify-full") == \
        "postgres://cicero@db.example.id/cicero?sslmode=verify-full"
    assert store("postgresql+asyncpg://cicero@db.example.id/cicero?ssl=require") == \
        "postgres://cicero@db.example.id/cicero?sslmode=require"
    # lib/pq wants TLS unless told otherwise; a server on this machine rarely has it
    assert store("postgres://cicero@localhost:5432/cicero") == \
        "postgres://cicero@localhost:5432/cicero?sslmode=disable"
    assert store("postgresql://postgres@/cicero?host=/tmp/pg") == \
        "postgres://postgres@/cicero?host=%2Ftmp%2Fpg&sslmode=disable"


def test_importing_the_module_does_not_load_neonize():
    code = ("import sys, bot.neonize_transport\n"
            "assert not [m for m in sys.modules if m.startswith('neonize')], 'neonize loaded'")
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
