"""Who a WhatsApp number belongs to: admin, client operator or super admin, dashboard user,
personnel, or nobody we know. One query; a number may wear several hats.

`IdentityCache` keeps what it resolved while PostgreSQL says nothing changed (migration 0003
NOTIFYs the numbers whose rows changed, whoever changed them)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import asyncpg
import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import driver_fetch
from storage.models import ContactKind

log = structlog.get_logger(__name__)

CHANNEL = "cicero_identity"
FORGET_ALL = "*"
_PROBE = "probe:"  # a payload the cache sends itself at start to see that notifications arrive


class IdentityKind(StrEnum):
    ADMIN = "admin"
    SUPER_ADMIN = "super_admin"
    OPERATOR = "operator"
    DASHBOARD_USER = "dashboard_user"
    PERSONNEL = "personnel"
    UNKNOWN = "unknown"


_PRECEDENCE = (IdentityKind.ADMIN, IdentityKind.SUPER_ADMIN, IdentityKind.OPERATOR,
               IdentityKind.DASHBOARD_USER, IdentityKind.PERSONNEL)


@dataclass(frozen=True)
class Identity:
    phone: str
    kinds: frozenset[IdentityKind]
    operator_of: tuple[str, ...] = ()  # clients where the number is an operator
    super_admin_of: tuple[str, ...] = ()
    user_id: str | None = None  # the personnel record linked to the number
    personnel_active: bool | None = None
    dashboard_username: str | None = None

    @property
    def primary(self) -> IdentityKind:
        """The most privileged hat, for choosing a menu."""
        return next((kind for kind in _PRECEDENCE if kind in self.kinds), IdentityKind.UNKNOWN)


# Run for every inbound message, so straight on the driver connection (asyncpg placeholders):
# no BEGIN/ROLLBACK pair around a single read and no SQLAlchemy statement processing. Takes
# several numbers, so the lookups of the messages in flight share one query.
_IDENTITY_SQL = """
    SELECT value AS phone, 'contact' AS source, kind AS detail, client_id AS ref
    FROM client_contacts WHERE value = ANY($1) AND kind IN ('operator', 'super_admin')
    UNION ALL
    SELECT whatsapp, 'personnel', CASE WHEN status THEN 'active' ELSE 'inactive' END, user_id
    FROM personnel WHERE whatsapp = ANY($1)
    UNION ALL
    SELECT whatsapp, 'dashboard', status, username FROM dashboard_users
    WHERE whatsapp = ANY($1) AND status = 'approved'
"""
_GROUP_SQL = """
    SELECT 1 FROM client_contacts c JOIN clients USING (client_id)
    WHERE c.kind = 'group' AND c.value = $1 AND clients.status LIMIT 1
"""


async def _fetch(engine: AsyncEngine, sql: str, *args: object) -> list[Any]:
    async with engine.connect() as connection:
        return await driver_fetch(connection, sql, *args)


async def resolve_identity(engine: AsyncEngine, phone: str,
                           admin_phones: frozenset[str] = frozenset()) -> Identity:
    """`phone` is normalised digits (628…), as every stored number is."""
    return (await resolve_identities(engine, [phone], admin_phones))[phone]


async def resolve_identities(engine: AsyncEngine, phones: Iterable[str],
                             admin_phones: frozenset[str] = frozenset()) -> dict[str, Identity]:
    """The identity of each number, in one query."""
    phones = list(dict.fromkeys(phones))
    rows: dict[str, list[Any]] = {phone: [] for phone in phones}
    for phone, *row in await _fetch(engine, _IDENTITY_SQL, phones):
        rows[phone].append(row)
    return {phone: _identity(phone, found, admin_phones) for phone, found in rows.items()}


def _identity(phone: str, rows: list[Any], admin_phones: frozenset[str]) -> Identity:
    kinds: set[IdentityKind] = {IdentityKind.ADMIN} if phone in admin_phones else set()
    operator_of, super_admin_of = [], []
    user_id = dashboard_username = None
    active = None
    for source, detail, ref in rows:
        if source == "contact" and detail == ContactKind.OPERATOR:
            kinds.add(IdentityKind.OPERATOR)
            operator_of.append(ref)
        elif source == "contact":
            kinds.add(IdentityKind.SUPER_ADMIN)
            super_admin_of.append(ref)
        elif source == "personnel":
            kinds.add(IdentityKind.PERSONNEL)
            user_id, active = ref, detail == "active"
        else:
            kinds.add(IdentityKind.DASHBOARD_USER)
            dashboard_username = ref
    return Identity(phone, frozenset(kinds or {IdentityKind.UNKNOWN}),
                    tuple(sorted(operator_of)), tuple(sorted(super_admin_of)), user_id, active,
                    dashboard_username)


async def is_registered_group(engine: AsyncEngine, jid: str) -> bool:
    """A group JID listed as the group of an active client."""
    return bool(await _fetch(engine, _GROUP_SQL, jid))


class IdentityCache:
    """Identities by number, each kept until PostgreSQL notifies a change of that number.

    Only while the listener is connected and has heard its own probe notification (a proxy
    may accept LISTEN and never deliver): otherwise every message is looked up. A number we
    do not know is never kept, since it may be registering in this very chat. A change made
    elsewhere is seen once its notification arrives (milliseconds); a lookup that raced with
    a notification is not kept."""

    def __init__(self, engine: AsyncEngine, admin_phones: frozenset[str] = frozenset(), *,
                 max_entries: int = 100_000, retry_seconds: float = 5.0,
                 probe_seconds: float = 5.0) -> None:
        self.engine, self.admin_phones = engine, admin_phones
        self.max_entries, self.retry_seconds = max_entries, retry_seconds
        self.probe_seconds = probe_seconds
        self.invalidations = 0  # notifications handled (and listener losses)
        self.queries = 0  # lookups sent to PostgreSQL (each for the numbers of one loop turn)
        self._identities: dict[str, Identity] = {}
        self._listener: asyncpg.Connection | None = None
        self._reconnect: asyncio.Task[None] | None = None
        self._closing = False
        self._given_up = False
        self._probe: tuple[str, asyncio.Future[None]] | None = None
        self._wanted: dict[str, asyncio.Future[Identity]] | None = None
        self._lookups: set[asyncio.Task[None]] = set()

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
        if self.listening:
            known = self._identities.get(phone)
            if known is not None:
                return known
        before = self.invalidations
        identity = await self._look_up(phone)
        if (self.listening and before == self.invalidations
                and identity.primary is not IdentityKind.UNKNOWN):
            if len(self._identities) >= self.max_entries:
                del self._identities[next(iter(self._identities))]  # the oldest entry
            self._identities[phone] = identity
        return identity

    def __len__(self) -> int:
        return len(self._identities)

    def _look_up(self, phone: str) -> asyncio.Future[Identity]:
        """The lookups asked for during one turn of the event loop go out as one query."""
        if self._wanted is None:
            self._wanted = {}
            asyncio.get_running_loop().call_soon(self._send_lookups)
        if phone not in self._wanted:
            self._wanted[phone] = asyncio.get_running_loop().create_future()
        return asyncio.shield(self._wanted[phone])  # a cancelled caller spares the others

    def _send_lookups(self) -> None:
        wanted, self._wanted = self._wanted or {}, None
        task = asyncio.create_task(self._run_lookups(wanted))
        self._lookups.add(task)
        task.add_done_callback(self._lookups.discard)

    async def _run_lookups(self, wanted: dict[str, asyncio.Future[Identity]]) -> None:
        self.queries += 1
        try:
            found = await resolve_identities(self.engine, wanted, self.admin_phones)
            for phone, future in wanted.items():
                future.set_result(found[phone])
        except Exception as exc:
            for future in wanted.values():
                if not future.done():
                    future.set_exception(exc)
        finally:  # cancelled (shutdown): nobody may wait forever
            for future in wanted.values():
                if not future.done():
                    future.cancel()

    async def _listen(self) -> bool:
        dsn = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
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
        """Send a probe notification from a pooled connection and wait for it to arrive."""
        probe = f"{_PROBE}{uuid.uuid4().hex}"
        self._probe = (probe, asyncio.get_running_loop().create_future())
        try:
            async with self.engine.connect() as connection:
                await driver_fetch(connection, "SELECT pg_notify($1, $2)", CHANNEL, probe)
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
        else:
            self._identities.pop(payload, None)

    def _on_lost(self, connection: object) -> None:
        self._listener = None
        self._forget_all()
        if not self._closing:
            log.warning("identity_listener_lost")
            self._reconnect = asyncio.create_task(self._keep_trying(), name="identity-listener")

    def _forget_all(self) -> None:
        self.invalidations += 1
        self._identities.clear()
