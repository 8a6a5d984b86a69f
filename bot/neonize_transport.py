"""WhatsApp through neonize (the whatsmeow Go library over ctypes): one client per session.

Three layers, so everything above the Go library is tested without it:

- `bot.neonize_support`: pure functions (`store_location`, `inbound_from_event`,
  `classify_send_error`) and the client interface (backoff: cicero/backoff.py);
- here, `NeonizeTransport`, the `bot.transport.Transport`: publishes every state change to the
  Redis hash `state_key(session)` (fields state, transport, updated_at; `qr` while pairing
  and `pair_phone` / `pair_code` once a code was asked for, `jid` and `name` once paired,
  `error` when FAILED), converts inbound events, maps send failures to
  `TransientSendError` / `PermanentSendError`, reconnects with capped, jittered exponential
  backoff, and gives up (FAILED) once WhatsApp logged the device out;
- `bot.neonize_client`: the thin adapter over `neonize.aioze.client.NewAClient`; neonize is
  imported there only, so importing this module never loads the Go library. Tests inject
  their own client factory.

whatsmeow's store: a PostgreSQL URL (`postgres://…`, lib/pq) or a sqlite file path. Sessions
sharing one PostgreSQL database are told apart by the device JID remembered in the state hash;
a session without one pairs a new device instead of taking the database's first one.
WhatsApp's message id cannot be chosen through neonize 0.5.2, so `send` returns the id
WhatsApp assigned; de-duplication of re-sends rests on the outbox's "sent" markers.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.messages import OutboundMessage
from bot.neonize_client import neonize_client_factory
from bot.neonize_support import (
    CONNECTION_FAILED,
    MAX_DOCUMENT_BYTES,
    TRANSPORT_NAME,
    ClientFactory,
    WhatsAppClient,
    classify_send_error,
    document_of,
    event_attr,
    inbound_from_event,
    jid_server,
    lid_sender,
    sender_jid,
)
from bot.transport import (
    InboundHandler,
    PermanentSendError,
    SendError,
    SessionState,
    TransientSendError,
    state_key,
)
from cicero.backoff import backoff_delay
from storage.identifiers import (
    InvalidIdentifier,
    is_group_jid,
    normalize_group_jid,
    phone_to_jid,
)

if TYPE_CHECKING:
    pass

log = structlog.get_logger(__name__)



@dataclass(frozen=True)
class ReconnectPolicy:
    base: float = 2.0  # seconds before the first reconnect; doubles per failed attempt
    cap: float = 120.0
    jitter: float = 0.5  # up to this share of a delay is taken off at random
    connect_timeout: float = 60.0  # an attempt with no sign of life (QR, connected) has failed


class _Events:
    """The transport's `ClientEvents`, kept off the transport's public surface."""

    def __init__(self, transport: NeonizeTransport) -> None:
        self._transport = transport

    async def qr(self, code: str) -> None:
        await self._transport._on_qr(code)

    async def connected(self, jid: str | None, name: str = "") -> None:
        await self._transport._on_connected(jid, name)

    async def disconnected(self, reason: str) -> None:
        await self._transport._on_disconnected(reason)

    async def logged_out(self, reason: str) -> None:
        await self._transport._on_logged_out(reason)

    async def message(self, event: Any) -> None:
        await self._transport._on_message_event(event)


class NeonizeTransport:
    """Implements bot.transport.Transport over one neonize client."""

    def __init__(self, redis: Redis, session: str, *, store: str,
                 client_factory: ClientFactory | None = None,
                 reconnect: ReconnectPolicy | None = None,
                 rand: Callable[[], float] = random.random) -> None:
        self.redis = redis
        self.session = session
        self.store = store
        self.reconnect = reconnect or ReconnectPolicy()
        self._factory = client_factory or neonize_client_factory
        self._rand = rand
        self._state = SessionState.STOPPED
        self._qr: str | None = None
        self._connect_error: str | None = None
        self._pair: tuple[str, str] | None = None  # (phone, code) asked for while pairing
        self._client: WhatsAppClient | None = None
        self._on_message: InboundHandler | None = None
        self._keeper: asyncio.Task[None] | None = None
        self._attempt = 0
        self._stopping = False
        self._lock = asyncio.Lock()
        self._changed = asyncio.Event()  # any connection event since it was cleared
        self._settled = asyncio.Event()  # WORKING, FAILED or stopping: no reconnect needed
        self._log = log.bind(session=session)

    @property
    def state(self) -> SessionState:
        return self._state

    @property
    def qr(self) -> str | None:
        """The QR code to scan while pairing (SCAN_QR_CODE), else None."""
        return self._qr

    @property
    def connect_error(self) -> str | None:
        """Why the last attempt to reach WhatsApp failed (the library's words: no network,
        DNS, a proxy...), until WhatsApp answers again (a QR code or connected)."""
        return self._connect_error

    async def start(self, on_message: InboundHandler) -> None:
        """Begin connecting and return; the state moves on as WhatsApp answers."""
        if self._keeper is not None and not self._keeper.done():
            return
        self._on_message = on_message
        self._stopping = False
        self._attempt = 0
        self._settled.clear()
        await self._set_state(SessionState.STARTING)
        self._client = self._factory(self.store, self.session, _Events(self))
        self._keeper = asyncio.create_task(self._keep_connected(first=True),
                                           name=f"neonize-{self.session}")

    async def stop(self) -> None:
        self._stopping = True
        self._settled.set()
        await self._cancel_keeper()
        if self._client is not None:
            await self._disconnect_client()
            self._client = None
        if self._state != SessionState.FAILED:  # a logged-out session stays FAILED
            await self._set_state(SessionState.STOPPED)

    async def send(self, message: OutboundMessage) -> str:
        if self._state != SessionState.WORKING or self._client is None:
            raise TransientSendError(f"session {self.session} is {self._state}")
        to = _recipient(message.to)
        if message.document is not None and len(message.document.content) > MAX_DOCUMENT_BYTES:
            raise PermanentSendError(
                f"document {message.document.filename!r} is {len(message.document.content)} "
                f"bytes, more than WhatsApp's {MAX_DOCUMENT_BYTES}")
        try:
            if message.document is not None and message.document.is_image:
                return await self._client.send_image(to, message.document, message.body)
            if message.document is not None:
                return await self._client.send_document(to, message.document, message.body)
            return await self._client.send_text(to, message.body)
        except SendError:
            raise
        except Exception as exc:
            error = classify_send_error(exc)
            raise error(f"{type(exc).__name__}: {exc}") from exc

    async def pair_phone(self, phone: str) -> str:
        """Ask for a pairing code for `phone` (digits) while waiting for a QR scan; it is
        published in the state hash (`pair_code`, `pair_phone`) until the session connects."""
        if self._state != SessionState.SCAN_QR_CODE or self._client is None:
            raise RuntimeError(f"session {self.session} is {self._state}, not pairing")
        code = await self._client.pair_phone(phone)
        self._pair = (phone, code)
        await self._set_state(SessionState.SCAN_QR_CODE, qr=self._qr or "", pair=self._pair)
        self._log.info("neonize_pair_code", phone=phone)
        return code

    async def logout(self) -> None:
        """Unlink the device from the account (as from the phone): FAILED until restarted,
        which then pairs a new device."""
        if self._client is not None and self._state == SessionState.WORKING:
            try:
                await self._client.logout()
            except Exception as exc:
                self._log.warning("neonize_logout_failed", error=str(exc))
        await self._on_logged_out("logged out from /wa")

    # --- events ------------------------------------------------------------------------------

    async def _on_qr(self, code: str) -> None:
        if self._stopping:
            return
        self._qr = code
        self._connect_error = None
        await self._set_state(SessionState.SCAN_QR_CODE, qr=code, pair=self._pair)
        self._changed.set()

    async def _on_connected(self, jid: str | None, name: str = "") -> None:
        if self._stopping:
            return
        self._qr, self._pair = None, None
        self._connect_error = None
        self._attempt = 0
        await self._set_state(SessionState.WORKING, jid=jid, name=name)
        self._settled.set()
        self._changed.set()
        self._log.info("neonize_connected", jid=jid)

    async def _on_disconnected(self, reason: str) -> None:
        if self._stopping or self._state == SessionState.FAILED:
            return
        self._log.warning("neonize_disconnected", reason=reason)
        if reason.startswith(CONNECTION_FAILED):
            self._connect_error = reason
        self._settled.clear()
        if self._state != SessionState.STARTING:
            await self._set_state(SessionState.STARTING)
        self._changed.set()
        if self._keeper is None or self._keeper.done():
            self._keeper = asyncio.create_task(self._keep_connected(first=False),
                                               name=f"neonize-{self.session}")

    async def _on_logged_out(self, reason: str) -> None:
        if self._stopping:
            return
        self._log.error("neonize_logged_out", reason=reason)
        self._qr, self._pair = None, None
        await self._set_state(SessionState.FAILED, error=reason or "logged out", forget_jid=True)
        self._settled.set()
        self._changed.set()
        if self._keeper is not asyncio.current_task():
            await self._cancel_keeper()
        if self._client is not None:
            await self._disconnect_client()

    async def _on_message_event(self, event: Any) -> None:
        handler, client = self._on_message, self._client
        if handler is None or client is None:
            return
        message_id = event_attr(event, "Info", "ID")
        try:
            document_bytes = None
            if document_of(event) is not None:
                try:
                    document_bytes = await client.download(event)
                except Exception as exc:
                    self._log.warning("neonize_download_failed", message_id=message_id,
                                      error=str(exc))
            phone = None
            if sender_jid(event) is None and (lid := lid_sender(event)):
                with contextlib.suppress(Exception):
                    phone = await client.phone_for(lid)
            message = inbound_from_event(self.session, event, document_bytes=document_bytes,
                                         sender_phone=phone)
            if message is not None:
                await handler(message)
        except Exception:
            self._log.exception("neonize_inbound_failed", message_id=message_id)

    # --- connecting --------------------------------------------------------------------------

    async def _keep_connected(self, *, first: bool) -> None:
        """Connect, and after a failure or a lost connection try again with backoff until the
        session is WORKING (or pairing), FAILED or stopped."""
        policy = self.reconnect
        if not first and await self._pause(self._next_delay()):
            return
        while not self._stopping and self._state != SessionState.FAILED:
            try:
                if not first:
                    await self._disconnect_client()
                jid = await self._remembered_jid()
                self._changed.clear()
                assert self._client is not None
                await self._client.connect(jid)
            except Exception as exc:
                self._connect_error = f"{CONNECTION_FAILED}{exc}"
                self._log.warning("neonize_connect_failed", attempt=self._attempt, error=str(exc))
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), policy.connect_timeout)
                if self._state in (SessionState.WORKING, SessionState.SCAN_QR_CODE,
                                   SessionState.FAILED) or self._stopping:
                    return
                self._log.warning("neonize_connect_no_progress", attempt=self._attempt)
            first = False
            if await self._pause(self._next_delay()):
                return

    def _next_delay(self) -> float:
        policy = self.reconnect
        delay = backoff_delay(self._attempt, base=policy.base, cap=policy.cap,
                              jitter=policy.jitter, rand=self._rand)
        self._attempt += 1
        self._log.info("neonize_reconnect_in", seconds=round(delay, 2), attempt=self._attempt)
        return delay

    async def _pause(self, seconds: float) -> bool:
        """Sleep; True when the session settled meanwhile (WORKING, FAILED or stopping)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._settled.wait(), seconds)
        return self._settled.is_set()

    async def _cancel_keeper(self) -> None:
        keeper, self._keeper = self._keeper, None
        if keeper is not None and keeper is not asyncio.current_task():
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper

    async def _disconnect_client(self) -> None:
        if self._client is None:
            return
        try:
            await asyncio.wait_for(self._client.disconnect(), 15)
        except Exception as exc:
            self._log.warning("neonize_disconnect_failed", error=str(exc))

    async def _remembered_jid(self) -> str | None:
        value = await self.redis.hget(state_key(self.session), "jid")
        if isinstance(value, bytes):
            value = value.decode()
        return value or None

    async def _set_state(self, state: SessionState, *, qr: str | None = None,
                         jid: str | None = None, error: str | None = None,
                         forget_jid: bool = False, pair: tuple[str, str] | None = None,
                         name: str = "") -> None:
        async with self._lock:
            self._state = state
            fields = {"state": state.value, "transport": TRANSPORT_NAME,
                      "updated_at": datetime.now(UTC).isoformat()}
            if qr is not None:
                fields["qr"] = qr
            if jid:
                fields["jid"] = jid
            if name:
                fields["name"] = name
            if error is not None:
                fields["error"] = error
            if pair is not None:
                fields["pair_phone"], fields["pair_code"] = pair
            gone = [name for name, keep in (("qr", qr is not None), ("error", error is not None),
                                            ("jid", not forget_jid), ("name", not forget_jid),
                                            ("pair_phone", pair is not None),
                                            ("pair_code", pair is not None)) if not keep]
            key = state_key(self.session)
            try:  # the state in memory is the truth; publishing it is best effort
                async with self.redis.pipeline(transaction=True) as pipe:
                    pipe.hset(key, mapping=fields)
                    if gone:
                        pipe.hdel(key, *gone)
                    await pipe.execute()
            except RedisError as exc:
                self._log.warning("neonize_state_not_published", state=state.value,
                                  error=str(exc))


def _recipient(to: str) -> str:
    """The JID to send to, normalised; PermanentSendError when it cannot be one."""
    try:
        if is_group_jid(to):
            return normalize_group_jid(to)
        if jid_server(to) not in ("s.whatsapp.net", "c.us"):
            raise PermanentSendError(f"invalid recipient {to!r}")
        return phone_to_jid(to)
    except InvalidIdentifier as exc:
        raise PermanentSendError(f"invalid recipient {to!r}: {exc}") from exc


# --- the neonize adapter (the only code that touches the library) --------------------------------
