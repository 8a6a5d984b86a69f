"""Consumes the `operator` outbox over the sandbox transport until it is empty (crash test).

    python tests/bot/outbox_crash_worker.py REDIS_URL CONSUMER_NAME [STALL_AFTER]

With STALL_AFTER, the process freezes right after the transport accepted that many messages,
before the outbox could acknowledge the last one: the test SIGKILLs it there, so at least one
message is "sent but not acknowledged". A second run under another name must take over the
dead consumer's entries and finish the queue without sending anything twice.
"""

from __future__ import annotations

import asyncio
import sys

import redis.asyncio as aioredis

from bot.messages import InboundMessage, OutboundMessage
from bot.outbox import GROUP, OutboxConsumer, OutboxPace, stream_key
from bot.sandbox import SandboxTransport

PACE = OutboxPace(per_session_interval=0.002, per_chat_interval=0.01, jitter=0.5,
                  reclaim_idle=0.5)


class FreezingTransport(SandboxTransport):
    """The sandbox transport, frozen for good after accepting `stall_after` messages."""

    def __init__(self, redis: aioredis.Redis, session: str, stall_after: int | None) -> None:
        super().__init__(redis, session)
        self.stall_after = stall_after
        self.accepted = 0

    async def send(self, message: OutboundMessage) -> str:
        message_id = await super().send(message)
        self.accepted += 1
        if self.stall_after is not None and self.accepted >= self.stall_after:
            await asyncio.Event().wait()
        return message_id


async def _noop(message: InboundMessage) -> None:
    return None


async def main(redis_url: str, consumer_name: str, stall_after: int | None) -> None:
    redis = aioredis.Redis.from_url(redis_url, decode_responses=True)
    transport = FreezingTransport(redis, "operator", stall_after)
    await transport.start(_noop)
    consumer = OutboxConsumer(redis, transport, pace=PACE, consumer_name=consumer_name)
    task = asyncio.create_task(consumer.run())
    stream = stream_key("operator")
    while True:
        await asyncio.sleep(0.1)
        if task.done():
            task.result()
        pending = (await redis.xpending(stream, GROUP))["pending"]
        if await redis.xlen(stream) == 0 and pending == 0:
            break
    await consumer.stop()
    await task
    await transport.stop()
    await redis.aclose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else None))
