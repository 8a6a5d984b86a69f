"""The bot process: the configured WhatsApp sessions, each with its transport, inbound
pipeline and outbox consumer, over one conversation engine; plus the silence timers and a
liveness key so `cicero chat` knows a bot is already listening. A session is started only
under its lease (bot/session_lease.py): when another process serves one of them, `start`
raises SessionsOwned and touches nothing. Each housekeeping tick also carries out the /wa
page's requests for its sessions (restart, log out: bot/session_admin.py) and, when a session
left WORKING since the last tick, tells the admins over another session that still works."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import structlog
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.conversation_turns import ConversationTurns
from bot.inbound import InboundPipeline
from bot.messages import SessionName
from bot.outbox import OutboxConsumer, OutboxPace, enqueue
from bot.session_admin import take_requests
from bot.session_lease import SessionLeases, lease_key
from bot.throttle import SenderThrottle
from bot.transport import SessionState, Transport, state_key
from cicero.clock import clock
from cicero.settings import Settings
from conversations.engine import ConversationEngine
from conversations.flow import Services
from conversations.routing import default_registry
from menus.wa_sessions import session_left_working
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
        self.leases = SessionLeases(redis, [t.session for t in self.transports])
        self.admin_phones = sorted(admins)
        self._last_states: dict[str, SessionState] = {}
        self.timer_interval = timer_interval
        self._tasks: list[asyncio.Task[None]] = []
        self._started = False

    def transport(self, session: str) -> Transport:
        return next(t for t in self.transports if t.session == session)

    async def start(self) -> None:
        await self.leases.acquire()  # raises SessionsOwned before anything is started
        self._started = True
        await self.pipeline.start()
        for transport in self.transports:
            await transport.start(self.pipeline.receive)
        self._last_states = {t.session: t.state for t in self.transports}
        self._tasks = [asyncio.create_task(consumer.run(), name=f"outbox-{consumer.session}")
                       for consumer in self.consumers]
        self._tasks.append(asyncio.create_task(self._housekeeping(), name="bot-housekeeping"))
        log.info("bot_started", sessions=[t.session for t in self.transports])

    async def stop(self) -> None:
        if not self._started:  # never owned the sessions: their state is not ours to write
            return
        self._started = False
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
        await self.leases.release()
        await self.pipeline.stop()
        self._tasks = []

    async def _carry_out(self, transport: Transport, action: str, phone: str) -> None:
        """A request of the /wa page (bot/session_admin.py) for one of this bot's sessions."""
        log.info("whatsapp_session_request", session=transport.session, action=action)
        if action == "restart":
            await transport.stop()
            await transport.start(self.pipeline.receive)
            return
        method = getattr(transport, "pair_phone" if action == "pair" else "logout", None)
        if method is None:
            log.warning("whatsapp_request_unsupported", session=transport.session,
                        action=action)
            return
        try:
            await (method(phone) if action == "pair" else method())
        except Exception as exc:  # e.g. a pairing code asked for while not pairing
            log.warning("whatsapp_request_failed", session=transport.session, action=action,
                        error=str(exc))

    async def _watch_states(self) -> None:
        """Tell the admins, once per fall, when a session left WORKING since the last tick."""
        states = {t.session: t.state for t in self.transports}
        fallen = [s for s, state in states.items() if state != SessionState.WORKING
                  and self._last_states.get(s) == SessionState.WORKING]
        self._last_states = states
        if not fallen:
            return
        working = await self._working_sessions(states)
        for session in fallen:
            if not working or not self.admin_phones:
                log.error("whatsapp_session_down_unreported", session=session)
                continue
            error = await self.redis.hget(state_key(session), "error") or ""
            text = session_left_working(session, states[session].value, str(error))
            stamp = clock.now().isoformat()
            for phone in self.admin_phones:
                await enqueue(self.redis, working[0], phone, text,
                              key=f"session-down:{session}:{stamp}:{phone}")

    async def _working_sessions(self, own: dict[str, SessionState]) -> list[str]:
        """Sessions that can carry a notice: this process's WORKING ones first, then those
        other processes report WORKING."""
        working = [s for s, state in own.items() if state == SessionState.WORKING]
        for name in SessionName:  # served (leased) elsewhere and WORKING there
            if name.value not in own and await self.redis.exists(lease_key(name.value)) and \
                    await self.redis.hget(state_key(name.value), "state") == SessionState.WORKING:
                working.append(name.value)
        return working

    async def _housekeeping(self) -> None:
        while True:
            try:
                if lost := await self.leases.renew():
                    log.error("whatsapp_session_lease_lost", sessions=lost)
                for transport in self.transports:
                    await self.redis.set(alive_key(transport.session), "1", ex=ALIVE_SECONDS)
                    for action, phone in await take_requests(self.redis, transport.session):
                        await self._carry_out(transport, action, phone)
                await self._watch_states()
                await self.conversations.fire_due_timers()
            except Exception:  # keep the loop alive; the next tick retries
                log.exception("bot_housekeeping_failed")
            await asyncio.sleep(self.timer_interval)
