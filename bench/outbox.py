"""Benchmark of the WhatsApp outbox on the embedded Redis (not a test).

    python bench/outbox.py [--messages 20000] [--chats 1000]

Starts an embedded Redis in a temporary folder, then measures, for short messages to
distinct chats: the enqueue rate with sequential awaits, with `enqueue_many` (pipelined), and
with `asyncio.gather` over a connection pool; then the delivery throughput of one consumer with
pace 0 over the sandbox transport. Goal from the issue: enqueue >= 5,000 msg/s on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import warnings
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
warnings.filterwarnings("ignore")

import redis.asyncio as aioredis  # noqa: E402

from bot.messages import InboundMessage  # noqa: E402
from bot.outbox import (  # noqa: E402
    GROUP,
    OutboxConsumer,
    OutboxPace,
    enqueue,
    enqueue_many,
    stream_key,
)
from bot.sandbox import SANDBOX_OUTBOUND, SandboxTransport  # noqa: E402
from cicero.embedded import EmbeddedRedis  # noqa: E402
from cicero.logs import configure_logging  # noqa: E402

SESSION = "operator"
PACE_ZERO = OutboxPace(per_session_interval=0, per_chat_interval=0, jitter=0)


def _messages(count: int, chats: int, run: str) -> list[tuple[str, str, str | None]]:
    return [(f"0812{n % chats:08d}", f"Tugas baru #{n}: mohon like dan komentar.",
             f"{run}-{n}") for n in range(count)]


async def _timed(label: str, count: int, work: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await work()
    elapsed = time.perf_counter() - started
    rate = count / elapsed
    print(f"{label:<44} {count:>7} msgs  {elapsed:7.2f} s  {rate:>9,.0f} msg/s")
    return rate


async def _sequential(redis: aioredis.Redis, messages: list) -> None:
    for to, body, key in messages:
        await enqueue(redis, SESSION, to, body, key=key)


async def _gathered(redis: aioredis.Redis, messages: list, width: int = 200) -> None:
    for start in range(0, len(messages), width):
        await asyncio.gather(*(enqueue(redis, SESSION, to, body, key=key)
                               for to, body, key in messages[start:start + width]))


async def _noop(message: InboundMessage) -> None:
    return None


async def _deliver_all(redis: aioredis.Redis, count: int) -> None:
    transport = SandboxTransport(redis, SESSION)
    await transport.start(_noop)
    consumer = OutboxConsumer(redis, transport, pace=PACE_ZERO, consumer_name="bench")
    task = asyncio.create_task(consumer.run())
    try:
        while await redis.xlen(SANDBOX_OUTBOUND) < count:  # noqa: ASYNC110 (polls Redis)
            await asyncio.sleep(0.05)
    finally:
        await consumer.stop()
        await task
        await transport.stop()
    pending = (await redis.xpending(stream_key(SESSION), GROUP))["pending"]
    assert consumer.stats.sent == count and pending == 0, (consumer.stats, pending)


async def main(count: int, chats: int, url: str) -> None:
    redis = aioredis.Redis.from_url(url, decode_responses=True, max_connections=256)
    await redis.flushdb()
    print(f"{count:,} short messages to {chats:,} chats, session {SESSION!r}\n")
    await _timed("enqueue, sequential awaits", count,
                 lambda: _sequential(redis, _messages(count, chats, "seq")))
    await redis.flushdb()
    await _timed("enqueue_many (pipelined, 1,000 per trip)", count,
                 lambda: enqueue_many(redis, SESSION, _messages(count, chats, "many")))
    await redis.flushdb()
    await _timed("enqueue, asyncio.gather 200 at a time", count,
                 lambda: _gathered(redis, _messages(count, chats, "gather")))
    await _timed("re-enqueue of the same keys (all deduped)", count,
                 lambda: enqueue_many(redis, SESSION, _messages(count, chats, "gather")))
    await _timed("delivery: 1 consumer, pace 0, sandbox", count,
                 lambda: _deliver_all(redis, count))
    await redis.flushdb()
    await redis.aclose()


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--chats", type=int, default=1_000)
    args = parser.parse_args()
    configure_logging("WARNING")
    with tempfile.TemporaryDirectory(prefix="cicero-bench-") as folder:
        server = EmbeddedRedis(Path(folder))
        url = server.start()
        try:
            asyncio.run(main(args.messages, args.chats, url))
        finally:
            server.release()


if __name__ == "__main__":
    run()
