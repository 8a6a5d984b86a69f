"""The per-sender throttle: a number that floods the bot is answered up to the limit, told once
that it is sending too fast, then ignored until the window passes; its messages are marked
handled all the same; other numbers are answered meanwhile; groups never hear the notice."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.inbound import InboundPipeline, Receipt
from bot.messages import InboundMessage
from bot.sandbox import SandboxTransport
from bot.throttle import SenderThrottle
from cicero.clock import clock
from cicero.sandbox_bot import SandboxBot
from cicero.settings import load_settings
from menus import conversation as texts
from menus import profile as profile_texts
from tests.bot.test_inbound import GROUP, OFFICER, Recorder, _message, _org

FLOODER = "6281299990001"
CALM = "6281299990002"
NOON = datetime(2025, 12, 6, 12, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
TOO_FAST = texts.too_fast(60)


def _private(phone: str, body: str) -> InboundMessage:
    return InboundMessage("user", uuid.uuid4().hex, f"{phone}@s.whatsapp.net", phone, body,
                          clock.now())


async def _texts(bot: SandboxBot, *phones: str) -> list[list[str]]:
    """What each number was sent since the last call."""
    sent = await bot.new_outbound()
    return [[m["text"] for m in sent if m["to"] == f"{phone}@s.whatsapp.net"]
            for phone in phones]


async def test_a_flooding_number_is_told_once_and_others_are_still_answered(engine,
                                                                            redis) -> None:
    settings = load_settings(inbound_rate_limit=20, inbound_rate_window_seconds=60)
    with clock.frozen(NOON):
        async with SandboxBot(settings, engine, redis) as bot:
            transport = bot.service.transport("user")
            assert isinstance(transport, SandboxTransport)
            flood = [_private(FLOODER, "halo") for _ in range(200)]
            calm = [_private(CALM, body) for body in ("halo", "abc", "12345")]
            await asyncio.gather(*(transport.inject(m) for m in flood[:100] + calm + flood[100:]))
            await bot.settle()
            flooder, other = await _texts(bot, FLOODER, CALM)
            # one reply per message up to the limit, then the notice, then silence
            assert len(flooder) == 21 and flooder[-1] == TOO_FAST
            assert TOO_FAST not in flooder[:-1]
            assert other == [profile_texts.ASK_NRP, profile_texts.NRP_NOT_NUMERIC,
                             profile_texts.NRP_BAD_LENGTH]
            # every flooding message was marked handled: a redelivery is dropped, not answered
            pipeline = bot.service.pipeline
            assert not await pipeline.receive(flood[-1])
            assert len(await redis.keys(f"inbound:seen:user:{FLOODER}@s.whatsapp.net:*")) == 200

            # still within the window: silence
            await transport.inject(_private(FLOODER, "halo"))
            await bot.settle()
            assert await _texts(bot, FLOODER) == [[]]
            # the next window: answered again (the conversation went on meanwhile)
            with clock.frozen(NOON + timedelta(seconds=60)):
                await transport.inject(_private(FLOODER, "halo"))
                await bot.settle()
            assert await _texts(bot, FLOODER) == [[profile_texts.NRP_NOT_NUMERIC]]


async def test_in_a_group_the_sender_is_throttled_without_a_word(engine, redis) -> None:
    await _org(engine)
    recorder, told = Recorder(), []

    async def throttled(message: InboundMessage, receipt: Receipt) -> None:
        told.append(message.chat)

    pipeline = InboundPipeline(redis, engine, recorder, throttle=SenderThrottle(3, 60),
                               throttled=throttled)
    with clock.frozen(NOON):
        group = [_message(GROUP, f"g{n}", sender=OFFICER) for n in range(10)]
        private = [_message(f"{OFFICER}@s.whatsapp.net", f"p{n}") for n in range(10)]
        for message in group + private:
            assert await pipeline.receive(message)
        # each chat has its own count; nothing past the limit reached the handler
        assert [t for _, t, _ in recorder.seen] == ["g0", "g1", "g2", "p0", "p1", "p2"]
        assert told == [f"{OFFICER}@s.whatsapp.net"]  # the private chat only, once
        for message in group + private:  # all marked handled
            assert not await pipeline.receive(message)
