"""The bot process: the configured WhatsApp sessions, each with its transport, inbound
pipeline and outbox consumer, over one conversation engine; plus the silence timers and a
liveness key so `cicero chat` knows a bot is already listening."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import structlog
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.conversation_turns import ConversationTurns
from bot.inbound import InboundPipeline
from bot.outbox import OutboxConsumer, OutboxPace
from bot.throttle import SenderThrottle
from bot.transport import Transport
from cicero.clock import clock
from cicero.settings import Settings
from conversations.engine import ConversationEngine
from conversations.flow import Services
from conversations.routing import default_registry
from storage.identifiers import phone_list

log = structlog.get_logger(__name__)

ALIVE_SECONDS = 10
TransportFactory = Callable[[str], Transport]


def alive_key(session: str) -> str:
    return f"bot:alive:{session}"


def admin_phones(settings: Settings) -> frozenset[str]:
    return frozenset(phone_list(settings.admin_whatsapp))


def sender_throttle(settings: Settings) -> SenderThrottle | None:
    if not settings.inbound_rate_limit:
        return None
    return SenderThrottle(settings.inbound_rate_limit, settings.inbound_rate_window_seconds,
                          clock)


def default_transport_factory(settings: Settings, redis: Redis) -> TransportFactory:
    if settings.wa_transport == "sandbox":
        from bot.sandbox import SandboxTransport

        return lambda session: SandboxTransport(redis, session)
    from bot.neonize_support import store_location
    from bot.neonize_transport import NeonizeTransport

    return lambda session: NeonizeTransport(redis, session,
                                            store=store_location(settings, session))


class BotService:
    def __init__(self, settings: Settings, engine: AsyncEngine, redis: Redis, *,
                 transport_factory: TransportFactory, pace: OutboxPace | None = None,
                 sessions: list[str] | None = None, timer_interval: float = 5.0) -> None:
        self.settings, self.redis = settings, redis
        admins = admin_phones(settings)
        self.conversations = ConversationTurns(ConversationEngine(
            Services(engine, redis, settings, clock), default_registry(),
            idle_seconds=settings.conversation_idle_seconds), redis)
        self.pipeline = InboundPipeline(redis, engine, self.conversations.handle,
                                        admin_phones=admins,
                                        preload=self.conversations.preload,
                                        batcher=self.conversations.batcher,
                                        unavailable=self.conversations.apologise,
                                        throttle=sender_throttle(settings),
                                        throttled=self.conversations.slow_down)
        pace = pace or OutboxPace(per_session_interval=settings.outbox_session_interval,
                                  per_chat_interval=settings.outbox_chat_interval)
        self.transports = [transport_factory(name) for name in sessions or settings.wa_sessions]
        self.consumers = [OutboxConsumer(redis, transport, pace=pace, admin_phones=sorted(admins))
                          for transport in self.transports]
        self.timer_interval = timer_interval
        self._tasks: list[asyncio.Task[None]] = []

    def transport(self, session: str) -> Transport:
        return next(t for t in self.transports if t.session == session)

    async def start(self) -> None:
        await self.pipeline.start()
        for transport in self.transports:
            await transport.start(self.pipeline.receive)
        self._tasks = [asyncio.create_task(consumer.run(), name=f"outbox-{consumer.session}")
                       for consumer in self.consumers]
        self._tasks.append(asyncio.create_task(self._housekeeping(), name="bot-housekeeping"))
        log.info("bot_started", sessions=[t.session for t in self.transports])

    async def stop(self) -> None:
        for consumer in self.consumers:
            await consumer.stop()
        for task in self._tasks:
            if task.get_name() == "bot-housekeeping":
                task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(task, timeout=10)  # a stuck consumer is cancelled
        for transport in self.transports:
            await transport.stop()
        await self.redis.delete(*(alive_key(t.session) for t in self.transports))
        await self.pipeline.stop()
        self._tasks = []

    async def _housekeeping(self) -> None:
        while True:
            try:
                for transport in self.transports:
                    await self.redis.set(alive_key(transport.session), "1", ex=ALIVE_SECONDS)
                await self.conversations.fire_due_timers()
            except Exception:  # keep the loop alive; the next tick retries
                log.exception("bot_housekeeping_failed")
            await asyncio.sleep(self.timer_interval)
