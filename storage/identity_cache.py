"""The identities the bot has resolved, and which groups it listens to, kept while PostgreSQL
says nothing changed.

Migration 0003's triggers NOTIFY `cicero_identity` with every number (or group JID) whose
person, contact or dashboard account changed, whoever changed it (chat, dashboard, CLI import,
plain SQL); 0004's with '*' when a client is switched on or off.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import asyncpg
import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.turn_batch import TurnBatch
from storage.identities import Identity, IdentityKind, is_registered_group, resolve_identities
from storage.kept_connections import driver_dsn
from storage.sql import execute

log = structlog.get_logger(__name__)

CHANNEL = "cicero_identity"
FORGET_ALL = "*"
_T = TypeVar("_T")
_PROBE = "probe:"  # a payload the cache sends itself at start to see that notifications arrive


class IdentityCache:
    """Identities by number, and whether a group JID is an active client's group, each kept
    until PostgreSQL notifies a change of that number or JID.

    Only while the listener is connected and has heard its own probe notification (a proxy
    may accept LISTEN and never deliver): otherwise every message is looked up. A number we
    do not know is never kept, since it may be registering in this very chat. A change made
    elsewhere is seen once its notification arrives (milliseconds); a lookup that raced with
    a notification is not kept. A group is kept either way: groups are registered from other
    chats, never by a message in the group itself."""

    def __init__(self, engine: AsyncEngine, admin_phones: frozenset[str] = frozenset(), *,
                 max_entries: int = 100_000, retry_seconds: float = 5.0,
                 probe_seconds: float = 5.0) -> None:
        self.engine, self.admin_phones = engine, admin_phones
        self.max_entries, self.retry_seconds = max_entries, retry_seconds
        self.probe_seconds = probe_seconds
        self.invalidations = 0  # notifications handled (and listener losses)
        self._identities: dict[str, Identity] = {}
        self._groups: dict[str, bool] = {}
        self.group_queries = 0  # group checks sent to PostgreSQL
        self._listener: asyncpg.Connection | None = None
        self._reconnect: asyncio.Task[None] | None = None
        self._closing = False
        self._given_up = False
        self._probe: tuple[str, asyncio.Future[None]] | None = None
        # the numbers asked for during one loop turn are looked up in one query
        self._lookups: TurnBatch[str, Identity] = TurnBatch(self._look_up)

    @property
    def listening(self) -> bool:
        return self._listener is not None and not self._listener.is_closed()

    async def start(self) -> None:
        """Listen, or keep trying in the background when PostgreSQL cannot be reached."""
        self._closing = False
        if not await self._listen():
            self._reconnect = asyncio.create_task(self._keep_trying(), name="identity-listener")

    async def stop(self) -> None:
        self._closing = True
        if self._reconnect is not None:
            self._reconnect.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reconnect
            self._reconnect = None
        listener, self._listener = self._listener, None
        if listener is not None and not listener.is_closed():
            await listener.close()
        self._forget_all()

    async def resolve(self, phone: str) -> Identity:
        return await self._kept_or_looked_up(
            self._identities, phone, lambda: self._lookups.ask(phone),
            keep=lambda identity: identity.primary is not IdentityKind.UNKNOWN)

    async def is_registered_group(self, jid: str) -> bool:
        """Whether `jid` is the group of an active client."""
        return await self._kept_or_looked_up(self._groups, jid,
                                             lambda: self._look_up_group(jid))

    async def _kept_or_looked_up(self, kept: dict[str, _T], key: str,
                                 look_up: Callable[[], Awaitable[_T]],
                                 keep: Callable[[_T], bool] = lambda _: True) -> _T:
        """What is kept for `key`, else looked up and kept - unless a notification came
        meanwhile or nobody listens."""
        if self.listening:
            known = kept.get(key)
            if known is not None:
                return known
        before = self.invalidations
        value = await look_up()
        if self.listening and before == self.invalidations and keep(value):
            if len(kept) >= self.max_entries:
                del kept[next(iter(kept))]  # the oldest entry
            kept[key] = value
        return value

    async def _look_up_group(self, jid: str) -> bool:
        self.group_queries += 1
        return await is_registered_group(self.engine, jid)

    @property
    def queries(self) -> int:
        """Lookups sent to PostgreSQL."""
        return self._lookups.rounds

    def __len__(self) -> int:
        return len(self._identities)

    async def _look_up(self, phones: list[str]) -> dict[str, Identity | Exception]:
        return dict(await resolve_identities(self.engine, phones, self.admin_phones))

    async def _listen(self) -> bool:
        dsn = driver_dsn(self.engine)
        listener = None
        try:
            listener = await asyncpg.connect(dsn, timeout=10)
            await listener.add_listener(CHANNEL, self._on_notification)
        except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
            log.warning("identity_listener_unavailable", error=str(exc))
            if listener is not None:
                listener.terminate()
            return False
        try:
            heard = await self._hears_itself()
        except Exception as exc:  # the database failed meanwhile: try again later
            log.warning("identity_listener_unavailable", error=str(exc))
            listener.terminate()
            return False
        if not heard:
            # e.g. a transaction-pooling proxy, which accepts LISTEN but never delivers:
            # keeping identities would keep them stale, so every number is looked up.
            log.error("identity_listener_deaf", channel=CHANNEL)
            listener.terminate()
            self._given_up = True
            return True
        listener.add_termination_listener(self._on_lost)
        self._forget_all()  # whatever changed while nobody listened
        self._listener = listener
        return True

    async def _hears_itself(self) -> bool:
        """Send a probe notification from another connection and wait for it to arrive."""
        probe = f"{_PROBE}{uuid.uuid4().hex}"
        self._probe = (probe, asyncio.get_running_loop().create_future())
        try:
            await execute(self.engine, "SELECT pg_notify(:channel, :payload)",
                          channel=CHANNEL, payload=probe)
            await asyncio.wait_for(self._probe[1], timeout=self.probe_seconds)
            return True
        except TimeoutError:
            return False
        finally:
            self._probe = None

    async def _keep_trying(self) -> None:
        while not self._closing and not self._given_up:
            if await self._listen():
                return
            await asyncio.sleep(self.retry_seconds)

    def _on_notification(self, connection: object, pid: int, channel: str, payload: str) -> None:
        if payload.startswith(_PROBE):
            if self._probe is not None and self._probe[0] == payload:
                self._probe[1].set_result(None)
            return
        self.invalidations += 1
        if payload == FORGET_ALL:
            self._identities.clear()
            self._groups.clear()
        else:
            self._identities.pop(payload, None)
            self._groups.pop(payload, None)

    def _on_lost(self, connection: object) -> None:
        self._listener = None
        self._forget_all()
        if not self._closing:
            log.warning("identity_listener_lost")
            self._reconnect = asyncio.create_task(self._keep_trying(), name="identity-listener")

    def _forget_all(self) -> None:
        self.invalidations += 1
        self._identities.clear()
        self._groups.clear()
