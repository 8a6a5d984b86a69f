"""The durable outbox over the embedded Redis and the sandbox transport (no mocks)."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import redis.asyncio as aioredis
from redis.exceptions import ResponseError

from bot.messages import Document, InboundMessage, OutboundMessage
from bot.outbox import (
    GROUP,
    OutboxConsumer,
    OutboxPace,
    dead_letter_key,
    enqueue,
    enqueue_many,
    stream_key,
)
from bot.sandbox import SANDBOX_OUTBOUND, SandboxTransport, read_outbound
from bot.transport import PermanentSendError, SessionState
from menus.format import WHATSAPP_TEXT_LIMIT
from storage.identifiers import InvalidPhone
from tests.server_proxy import SocketProxy
from tests.waiting import eventually

FAST = OutboxPace(per_session_interval=0, per_chat_interval=0, jitter=0, backoff_base=0.05,
                  backoff_cap=0.2)
A = "6281111111111@s.whatsapp.net"
B = "6282222222222@s.whatsapp.net"
GROUP_JID = "120363012345678901@g.us"
WORKER = Path(__file__).with_name("outbox_crash_worker.py")


async def _noop(message: InboundMessage) -> None:
    return None


@asynccontextmanager
async def _transport(redis, session: str = "operator") -> AsyncIterator[SandboxTransport]:
    transport = SandboxTransport(redis, session)
    await transport.start(_noop)
    try:
        yield transport
    finally:
        await transport.stop()


@asynccontextmanager
async def _running(consumer: OutboxConsumer) -> AsyncIterator[OutboxConsumer]:
    task = asyncio.create_task(consumer.run())
    try:
        yield consumer
    finally:
        await consumer.stop()
        await asyncio.wait_for(task, timeout=5)


async def _sent(redis, count: int, within: float = 10.0, **filters) -> list[dict]:
    async def enough() -> bool:
        return len(await read_outbound(redis, **filters)) >= count

    await eventually(enough, f"{count} messages sent", within=within)
    return [fields for _, fields in await read_outbound(redis, **filters)]


async def _pending(redis, session: str = "operator") -> int:
    return (await redis.xpending(stream_key(session), GROUP))["pending"]


async def test_enqueue_normalises_and_validates(redis) -> None:
    ids = await enqueue(redis, "operator", "0811-1111-1111", "halo", key="k")
    assert len(ids) == 1
    [(_, fields)] = await redis.xrange(stream_key("operator"))
    assert fields["to"] == A and fields["body"] == "halo" and fields["key"] == "k#1"
    await enqueue(redis, "operator", GROUP_JID.upper().replace("@G.US", "@g.us"), "grup")
    assert (await redis.xrange(stream_key("operator")))[-1][1]["to"] == GROUP_JID
    with pytest.raises(InvalidPhone):
        await enqueue(redis, "operator", "bukan nomor", "x")
    with pytest.raises(ValueError):
        await enqueue(redis, "operator", A, "  \n ")
    assert await redis.xlen(stream_key("operator")) == 2


async def test_delivers_in_order_with_pace_zero(redis) -> None:
    for n in range(20):
        await enqueue(redis, "operator", A if n % 2 else B, f"pesan {n}", key=f"m{n}")
    async with _transport(redis) as transport, _running(OutboxConsumer(redis, transport,
                                                                       pace=FAST)) as consumer:
        sent = await _sent(redis, 20)
    assert [f["text"] for f in sent] == [f"pesan {n}" for n in range(20)]
    assert consumer.stats.sent == 20
    assert await redis.xlen(stream_key("operator")) == 0 and await _pending(redis) == 0


async def test_same_key_goes_out_once(redis) -> None:
    first = await enqueue(redis, "operator", A, "Tugas hari ini", key="task:1")
    second = await enqueue(redis, "operator", "081111111111", "Tugas hari ini", key="task:1")
    assert len(first) == 1 and second == []
    async with _transport(redis) as transport, _running(OutboxConsumer(redis, transport,
                                                                       pace=FAST)) as consumer:
        await enqueue(redis, "operator", A, "sesudahnya", key="task:2")
        sent = await _sent(redis, 2)
        assert await enqueue(redis, "operator", A, "Tugas hari ini", key="task:1") == []
        await eventually(lambda: consumer.stats.sent == 2 and _stream_empty(redis),
                         "both acknowledged, the stream empty")
    assert [f["key"] for f in await _all(redis)] == ["task:1#1", "task:2#1"]
    assert sent[0]["text"] == "Tugas hari ini"


async def _all(redis) -> list[dict]:
    return [fields for _, fields in await read_outbound(redis)]


async def test_long_text_is_split_on_line_boundaries_in_order(redis) -> None:
    lines = [f"{n:04d}. BRIPDA NAMA PERSONEL KE-{n} - SAT BINMAS - sudah" for n in range(200)]
    text = "\n".join(lines)
    assert len(text) > 10_000
    ids = await enqueue(redis, "operator", A, text, key="rekap")
    assert len(ids) >= 3
    async with _transport(redis) as transport, _running(OutboxConsumer(redis, transport,
                                                                       pace=FAST)):
        sent = await _sent(redis, len(ids))
    assert [f["key"] for f in sent] == [f"rekap#{n}" for n in range(1, len(ids) + 1)]
    assert all(len(f["text"]) <= WHATSAPP_TEXT_LIMIT for f in sent)
    assert [line for f in sent for line in f["text"].split("\n")] == lines


async def test_document_travels_whole_with_its_caption(redis) -> None:
    content = bytes(range(256)) * 4096  # 1 MiB, not UTF-8
    doc = Document("rekap.xlsx", content, "application/vnd.ms-excel")
    await enqueue(redis, "operator", A, "Rekap terlampir", key="doc", document=doc)
    async with _transport(redis) as transport, _running(OutboxConsumer(redis, transport,
                                                                       pace=FAST)):
        [sent] = await _sent(redis, 1)
    assert sent["text"] == "Rekap terlampir"
    assert sent["document_filename"] == "rekap.xlsx"
    assert sent["document_bytes"] == len(content)


async def test_transient_failures_are_retried_then_delivered_once(redis) -> None:
    await enqueue(redis, "operator", A, "coba lagi", key="retry")
    async with _transport(redis) as transport:
        transport.fail_next(2)
        consumer = OutboxConsumer(redis, transport, pace=FAST)
        async with _running(consumer):
            [sent] = await _sent(redis, 1)
            await eventually(lambda: consumer.stats.sent == 1, "the send acknowledged")
    assert sent["attributes"]["attempt"] == "3"  # visible to the transport and recorded
    assert consumer.stats.retried == 2 and consumer.stats.sent == 1
    assert len(await _all(redis)) == 1
    assert await redis.hlen("outbox:operator:attempts") == 0


async def test_max_attempts_exceeded_goes_to_dead_letter_with_one_notice(redis) -> None:
    await enqueue(redis, "gateway", A, "tidak akan sampai", key="doomed")
    pace = OutboxPace(per_session_interval=0, per_chat_interval=0, jitter=0, max_attempts=3,
                      backoff_base=0.02)
    async with _transport(redis, "gateway") as transport:
        transport.fail_next(3)
        consumer = OutboxConsumer(redis, transport, pace=pace, admin_phones=["081299999999"])
        async with _running(consumer):
            # the dead letter, its acknowledgement and the notice are one MULTI
            await eventually(lambda: consumer.stats.dead == 1, "the entry dead-lettered")
    [dead] = await consumer.dead_letters()
    assert dead.to == A and dead.body == "tidak akan sampai" and dead.key == "doomed#1"
    assert dead.attributes["attempts"] == "3"
    assert "injected" in dead.attributes["reason"]
    assert await read_outbound(redis) == []
    notices = await redis.xrange(stream_key("operator"))
    assert len(notices) == 1
    notice = notices[0][1]
    assert notice["to"] == "6281299999999@s.whatsapp.net"
    assert notice["body"].startswith("⚠️ Pesan gagal terkirim ke 6281111111111 setelah 3 percobaan")
    assert await _pending(redis, "gateway") == 0


async def _xlen(redis, key: str, count: int) -> bool:
    return await redis.xlen(key) >= count


async def test_permanent_error_dead_letters_at_once(redis) -> None:
    await enqueue(redis, "gateway", A, "diblokir", key="blocked")
    await enqueue(redis, "gateway", A, "berikutnya", key="next")
    async with _transport(redis, "gateway") as transport:
        transport.fail_next(1, PermanentSendError)
        consumer = OutboxConsumer(redis, transport, pace=FAST, admin_phones=["081299999999"])
        async with _running(consumer):
            sent = await _sent(redis, 1)
    [dead] = await consumer.dead_letters()
    assert dead.key == "blocked#1" and dead.attributes["attempts"] == "1"
    assert consumer.stats.retried == 0
    assert [f["key"] for f in sent] == ["next#1"]
    assert await redis.xlen(stream_key("operator")) == 1


async def test_a_dead_notice_is_only_logged(redis) -> None:
    async with _transport(redis, "gateway") as gateway:
        gateway.fail_next(1, PermanentSendError)
        await enqueue(redis, "gateway", A, "gagal", key="g")
        first = OutboxConsumer(redis, gateway, pace=FAST, admin_phones=["081299999999"])
        async with _running(first):
            await eventually(lambda: _xlen(redis, stream_key("operator"), 1))
    async with _transport(redis, "operator") as operator:
        operator.fail_next(1, PermanentSendError)
        second = OutboxConsumer(redis, operator, pace=FAST, admin_phones=["081299999999"])
        async with _running(second):
            await eventually(lambda: second.stats.dead == 1, "the notice dead-lettered")
    assert await redis.xlen(stream_key("operator")) == 0  # no notice about the notice
    assert second.stats.dead == 1 and await read_outbound(redis) == []


class _WatchedTransport(SandboxTransport):
    """Counts how often the consumer looks at the session's state."""

    looks = 0

    @property
    def state(self) -> SessionState:
        self.looks += 1
        return super().state


async def test_session_not_working_consumes_nothing(redis) -> None:
    for n in range(3):
        await enqueue(redis, "operator", A, f"tunggu {n}", key=f"w{n}")
    transport = _WatchedTransport(redis, "operator")  # not started: STOPPED
    consumer = OutboxConsumer(redis, transport, pace=FAST)
    async with _running(consumer):
        await eventually(lambda: transport.looks >= 4, "the stopped session looked at 4 times")
        assert await _pending(redis) == 0  # nothing was even read
        assert await redis.xlen(stream_key("operator")) == 3
        assert await redis.hlen("outbox:operator:attempts") == 0
        await transport.start(_noop)
        try:
            sent = await _sent(redis, 3)
        finally:
            await transport.stop()
    assert [f["text"] for f in sent] == ["tunggu 0", "tunggu 1", "tunggu 2"]
    assert consumer.stats.retried == 0


async def test_retried_message_keeps_its_chat_order_while_another_chat_flows(redis) -> None:
    for n in range(3):
        await enqueue(redis, "operator", A, f"A{n}", key=f"a{n}")
    for n in range(5):
        await enqueue(redis, "operator", B, f"B{n}", key=f"b{n}")
    pace = OutboxPace(per_session_interval=0, per_chat_interval=0.05, jitter=0,
                      backoff_base=1.0)
    async with _transport(redis) as transport:
        transport.fail_next(1)  # the first send is A0
        async with _running(OutboxConsumer(redis, transport, pace=pace)):
            sent = await _sent(redis, 8)
    texts = [f["text"] for f in sent]
    assert [t for t in texts if t.startswith("A")] == ["A0", "A1", "A2"]
    assert [t for t in texts if t.startswith("B")] == ["B0", "B1", "B2", "B3", "B4"]
    assert texts.index("B4") < texts.index("A0")  # B did not wait for A's backoff
    assert sent[texts.index("A0")]["attributes"]["attempt"] == "2"


def _stream_ms(entry_id: str) -> float:
    return int(entry_id.split("-")[0]) / 1000


async def test_pace_is_respected(redis) -> None:
    for n in range(4):
        await enqueue(redis, "operator", A, f"A{n}", key=f"a{n}")
        await enqueue(redis, "operator", B, f"B{n}", key=f"b{n}")
    pace = OutboxPace(per_session_interval=0.05, per_chat_interval=0.25, jitter=0.2)
    async with _transport(redis) as transport, _running(OutboxConsumer(redis, transport,
                                                                       pace=pace)):
        await _sent(redis, 8)
    rows = await read_outbound(redis)
    times = [_stream_ms(entry_id) for entry_id, _ in rows]
    assert all(b - a >= 0.035 for a, b in itertools.pairwise(times))
    for chat in (A, B):
        chat_times = [_stream_ms(i) for i, f in rows if f["to"] == chat]
        assert all(b - a >= 0.19 for a, b in itertools.pairwise(chat_times))


async def test_entries_of_a_dead_consumer_are_reclaimed(redis) -> None:
    for n in range(5):
        await enqueue(redis, "operator", A, f"yatim {n}", key=f"o{n}")
    await redis.xgroup_create(stream_key("operator"), GROUP, id="0")
    await redis.xreadgroup(GROUP, "crashed", {stream_key("operator"): ">"}, count=5)
    assert await _pending(redis) == 5  # read, never acknowledged: it died
    pace = OutboxPace(per_session_interval=0, per_chat_interval=0, jitter=0, reclaim_idle=0.3)
    async with _transport(redis) as transport:
        consumer = OutboxConsumer(redis, transport, pace=pace, consumer_name="successor")
        async with _running(consumer):
            sent = await _sent(redis, 5)
    assert [f["text"] for f in sent] == [f"yatim {n}" for n in range(5)]
    assert consumer.stats.reclaimed == 5
    assert await _pending(redis) == 0


async def test_a_live_consumer_keeps_what_it_holds(redis) -> None:
    for n in range(6):
        await enqueue(redis, "operator", A, f"pelan {n}", key=f"s{n}")
    pace = OutboxPace(per_session_interval=0, per_chat_interval=0.4, jitter=0,
                      reclaim_idle=0.8)  # held 2 s, far longer than the lease
    async with _transport(redis) as transport:
        first = OutboxConsumer(redis, transport, pace=pace, consumer_name="first")
        async with _running(first):
            await eventually(lambda: _pending_at_least(redis, 5))
            second = OutboxConsumer(redis, transport, pace=pace, consumer_name="second")
            async with _running(second):
                sent = await _sent(redis, 6)
    assert [f["text"] for f in sent] == [f"pelan {n}" for n in range(6)]
    assert second.stats.reclaimed == 0 and second.stats.sent == 0
    assert first.stats.sent == 6


async def _pending_at_least(redis, count: int) -> bool:
    try:
        return await _pending(redis) >= count
    except ResponseError:  # the consumer has not created its group yet
        return False


async def test_redelivered_entry_whose_key_was_sent_is_skipped(redis) -> None:
    await enqueue(redis, "operator", A, "sekali", key="once")
    await redis.set("outbox:operator:sent:once#1", "3EB0ABC")  # sent, ack lost
    async with _transport(redis) as transport:
        consumer = OutboxConsumer(redis, transport, pace=FAST)
        async with _running(consumer):
            await eventually(lambda: _stream_empty(redis))
    assert consumer.stats.skipped == 1 and await read_outbound(redis) == []


async def _stream_empty(redis, session: str = "operator") -> bool:
    return await redis.xlen(stream_key(session)) == 0


async def test_enqueue_many(redis) -> None:
    messages = [(f"08{n:010d}", f"pesan {n}", f"bulk{n}") for n in range(1_100)]
    results = await enqueue_many(redis, "operator", messages)
    assert len(results) == 1_100 and all(len(ids) == 1 for ids in results)
    again = await enqueue_many(redis, "operator", messages[:10])
    assert again == [[]] * 10
    assert await redis.xlen(stream_key("operator")) == 1_100


async def test_scripts_lost_by_redis_are_loaded_again(redis) -> None:
    """As after a Redis restart that kept the data but not the scripts: enqueue, enqueue_many,
    the consumer's lease heartbeat and the sandbox's recording each load theirs again."""
    await redis.script_flush()
    await enqueue(redis, "operator", A, "satu", key="f1")
    await redis.script_flush()
    await enqueue_many(redis, "operator", [(A, "dua", "f2"), (B, "tiga", "f3")])
    await redis.script_flush()
    pace = OutboxPace(per_session_interval=0, per_chat_interval=0.2, jitter=0,
                      reclaim_idle=0.3)  # A's messages are held past a heartbeat
    async with _transport(redis) as transport:
        consumer = OutboxConsumer(redis, transport, pace=pace)
        async with _running(consumer):
            sent = await _sent(redis, 3)
    assert [f["text"] for f in sent if f["to"] == A] == ["satu", "dua"]
    assert [f["text"] for f in sent if f["to"] == B] == ["tiga"]
    assert consumer.stats.sent == 3 and consumer.stats.reclaimed == 0


async def test_a_dead_letter_notice_is_queued_after_redis_lost_its_scripts(redis) -> None:
    """The notice is enqueued inside the dead letter's MULTI: its script is loaded first."""
    await enqueue(redis, "gateway", A, "diblokir", key="blocked")
    async with _transport(redis, "gateway") as transport:
        transport.fail_next(1, PermanentSendError)
        consumer = OutboxConsumer(redis, transport, pace=FAST, admin_phones=["081299999999"])
        await redis.script_flush()
        async with _running(consumer):
            await eventually(lambda: _xlen(redis, stream_key("operator"), 1))
    [(_, notice)] = await redis.xrange(stream_key("operator"))
    assert notice["to"] == "6281299999999@s.whatsapp.net" and notice["kind"] == "notice"
    assert await redis.xlen(dead_letter_key("gateway")) == 1


async def test_a_redis_outage_holds_sending_back_and_loses_or_repeats_nothing(
        redis, redis_url) -> None:
    """Redis goes away while the consumer sends (its connections cut), and comes back."""
    proxy = SocketProxy(redis_url.removeprefix("unix://"))
    port = await proxy.start()
    through_proxy = aioredis.Redis(host="127.0.0.1", port=port, decode_responses=True)
    for n in range(12):
        await enqueue(redis, "operator", A if n % 2 else B, f"pesan {n}", key=f"r{n}")
    pace = OutboxPace(per_session_interval=0.05, per_chat_interval=0, jitter=0,
                      backoff_base=0.05, backoff_cap=0.2)
    try:
        async with _transport(through_proxy) as transport, _running(
                OutboxConsumer(through_proxy, transport, pace=pace)):
            await _sent(redis, 3)
            proxy.stop()
            await asyncio.sleep(0.5)
            await proxy.start(port)
            sent = await _sent(redis, 12, within=20)
    finally:
        proxy.stop()
        await through_proxy.aclose()
    assert sorted(f["text"] for f in sent) == sorted(f"pesan {n}" for n in range(12))
    for chat in (A, B):
        texts = [f["text"] for f in sent if f["to"] == chat]
        assert texts == sorted(texts, key=lambda t: int(t.split()[1]))  # each chat in order
    assert await _pending(redis) == 0


async def test_sent_but_unacknowledged_entry_is_not_recorded_twice(redis) -> None:
    """A crash between 'the transport accepted' and the XACK: the entry comes back, is sent
    again under the same key, and the transport drops it as a repeated message id."""
    await enqueue(redis, "operator", A, "sekali saja", key="doubt")
    async with _transport(redis) as transport:
        [(_, fields)] = await redis.xrange(stream_key("operator"))
        first = await transport.send(OutboundMessage(session="operator", to=A, body="sekali saja",
                                                     key=fields["key"]))
        consumer = OutboxConsumer(redis, transport, pace=FAST)
        async with _running(consumer):
            await eventually(lambda: _stream_empty(redis))
    [recorded] = await _all(redis)
    assert recorded["message_id"] == first
    assert consumer.stats.sent == 1 and await _pending(redis) == 0


@pytest.mark.slow
async def test_sigkill_with_1000_queued_delivers_each_exactly_once(redis, redis_url) -> None:
    keys = [f"crash-{n}" for n in range(1_000)]
    await enqueue_many(redis, "operator",
                       [(f"0812{n % 50:08d}", f"pesan {n}", key) for n, key in enumerate(keys)])

    def start(*args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, str(WORKER), redis_url, *args],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    worker = start("worker-a", "300")  # freezes after WhatsApp accepted message 300
    try:
        await eventually(lambda: _xlen(redis, SANDBOX_OUTBOUND, 300), within=60)
        await eventually(lambda: _pending_at_least(redis, 2), "more entries held by the worker")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        recorded = await redis.xlen(SANDBOX_OUTBOUND)
        acknowledged = 1_000 - await redis.xlen(stream_key("operator"))
        assert recorded == 300
        assert recorded - acknowledged == 1  # sent, never acknowledged: the hard case
        assert await _pending(redis) > 1  # it died holding more unacknowledged entries
        worker = start("worker-b")
        _, stderr = await asyncio.to_thread(worker.communicate, timeout=120)
        assert worker.returncode == 0, stderr.decode()[-2000:]
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    recorded_keys = Counter(fields["key"] for fields in await _all(redis))
    assert recorded_keys == Counter({f"{key}#1": 1 for key in keys})
    assert await _pending(redis) == 0
    assert await redis.xlen(stream_key("operator")) == 0


async def test_works_with_a_bytes_client_and_survives_a_malformed_entry(redis_url) -> None:
    """arq's pool does not decode responses; a corrupt entry must not jam the queue."""
    raw = aioredis.Redis.from_url(redis_url)
    try:
        await raw.xadd(stream_key("user"), {"to": A, "body": "rusak", "key": "bad#1",
                                            "doc_b64": "%%% not base64 %%%"})
        await enqueue(raw, "user", A, "utuh", key="good",
                      document=Document("a.bin", b"\xff\x00\xfe", "application/octet-stream"))
        pace = OutboxPace(per_session_interval=0, per_chat_interval=0, jitter=0,
                          max_attempts=2, backoff_base=0.02)
        transport = SandboxTransport(raw, "user")
        await transport.start(_noop)
        consumer = OutboxConsumer(raw, transport, pace=pace)
        try:
            async with _running(consumer):
                await eventually(lambda: _stream_empty(raw, "user"))
        finally:
            await transport.stop()
        [(_, sent)] = await read_outbound(raw, session="user")
        assert sent["key"] == "good#1" and sent["document_bytes"] == 3
        [dead] = await consumer.dead_letters()
        assert dead.key == "bad#1" and dead.attributes["attempts"] == "2"
    finally:
        await raw.flushdb()
        await raw.aclose()
