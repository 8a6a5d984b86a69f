"""The thin adapter over neonize's asyncio client: the only code that touches the Go library.
neonize is imported inside `neonize_client_factory` / `connect`, so importing this module never
loads it. No decisions live here."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog

from bot.messages import Document
from bot.neonize_support import (
    CONNECTION_FAILED,
    ClientEvents,
    WhatsAppClient,
    is_postgres_store,
    jid_string,
    message_content,
)
from bot.transport import (
    TransientSendError,
)

if TYPE_CHECKING:
    pass

log = structlog.get_logger(__name__)



def neonize_client_factory(store: str, session: str, events: ClientEvents) -> WhatsAppClient:
    """The production client factory; imports neonize (and so loads the Go library) here."""
    import neonize.aioze.client  # noqa: F401  (fail early when the library cannot load)

    if not is_postgres_store(store):
        Path(store).parent.mkdir(parents=True, exist_ok=True)
    return NeonizeClient(store, session, events)


class NeonizeClient:
    """`WhatsAppClient` over neonize's asyncio client. Kept thin: no decisions live here."""

    def __init__(self, store: str, session: str, events: ClientEvents) -> None:
        self.store = store
        self.session = session
        self.events = events
        self._client: Any = None
        self._task: asyncio.Task[Any] | None = None
        self._closing = False

    async def connect(self, jid: str | None) -> None:
        from neonize.aioze.client import NewAClient
        from neonize.aioze.events import (
            ClientOutdatedEv,
            ConnectedEv,
            ConnectFailureEv,
            DisconnectedEv,
            LoggedOutEv,
            MessageEv,
            StreamReplacedEv,
            TemporaryBanEv,
        )

        await self.disconnect()
        self._closing = False
        if jid:
            client = NewAClient(self.store, jid=_neonize_jid(jid))
        else:  # in a shared PostgreSQL store, never take another session's device
            client = NewAClient(self.store, uuid=self.session,
                                new_device=is_postgres_store(self.store))
        events = self.events

        async def on_qr(_: Any, code: bytes) -> None:
            await events.qr(code.decode() if isinstance(code, bytes) else str(code))

        async def on_connected(c: Any, _: Any) -> None:
            me, name = None, ""
            with contextlib.suppress(Exception):
                device = await c.get_me()
                me, name = jid_string(device.JID), str(device.PushName or "")
            await events.connected(me, name)

        async def on_disconnected(_: Any, __: Any) -> None:
            await events.disconnected("disconnected")

        async def on_connect_failure(_: Any, event: Any) -> None:
            await events.disconnected(f"connect failure {event.Reason}: {event.Message}")

        async def on_logged_out(_: Any, event: Any) -> None:
            await events.logged_out(f"logged out (reason {event.Reason})")

        async def on_stream_replaced(_: Any, __: Any) -> None:
            await events.logged_out("another client took over this session")

        async def on_temporary_ban(_: Any, event: Any) -> None:
            await events.logged_out(f"temporarily banned (code {event.Code})")

        async def on_outdated(_: Any, __: Any) -> None:
            await events.logged_out("client outdated: upgrade neonize")

        async def on_message(_: Any, event: Any) -> None:
            await events.message(event)

        client.qr(on_qr)
        for event_type, handler in (
            (ConnectedEv, on_connected), (DisconnectedEv, on_disconnected),
            (ConnectFailureEv, on_connect_failure), (LoggedOutEv, on_logged_out),
            (StreamReplacedEv, on_stream_replaced), (TemporaryBanEv, on_temporary_ban),
            (ClientOutdatedEv, on_outdated), (MessageEv, on_message),
        ):
            client.event(event_type)(handler)
        self._client = client
        self._task = await client.connect()
        self._task.add_done_callback(self._ended)

    def _ended(self, task: asyncio.Task[Any]) -> None:
        """The library's connection task returned: unless we closed it, the link is gone."""
        if self._closing or task is not self._task:
            return
        reason = "connection ended"
        if not task.cancelled() and task.exception() is not None:
            reason = f"{CONNECTION_FAILED}{task.exception()}"
        task.get_loop().create_task(self.events.disconnected(reason))

    async def disconnect(self) -> None:
        self._closing = True
        client, task = self._client, self._task
        self._client = self._task = None
        if client is not None:
            with contextlib.suppress(Exception):
                await client.disconnect()
            with contextlib.suppress(Exception):
                await client.stop()
        if task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(task), 10)

    def _live(self) -> Any:
        if self._client is None:
            raise TransientSendError(f"session {self.session} has no client")
        return self._client

    async def send_text(self, to: str, text: str) -> str:
        from neonize.proto.waE2E.WAWebProtobufsE2E_pb2 import Message

        response = await self._live().send_message(_neonize_jid(to), Message(conversation=text))
        return response.ID

    async def send_document(self, to: str, document: Document, caption: str) -> str:
        client = self._live()
        built = await client.build_document_message(
            document.content, caption=caption or None, title=document.filename,
            filename=document.filename, mimetype=document.mimetype)
        response = await client.send_message(_neonize_jid(to), built)
        return response.ID

    async def send_image(self, to: str, image: Document, caption: str) -> str:
        client = self._live()
        built = await client.build_image_message(image.content, caption=caption or None)
        response = await client.send_message(_neonize_jid(to), built)
        return response.ID

    async def download(self, event: Any) -> bytes:
        return await self._live().download_any(message_content(event))

    async def phone_for(self, lid: str) -> str | None:
        return jid_string(await self._live().get_pn_from_lid(_neonize_jid(lid)))

    async def pair_phone(self, phone: str) -> str:
        return str(await self._live().PairPhone(phone, True))

    async def logout(self) -> None:
        await self._live().logout()


def _neonize_jid(jid: str) -> Any:
    from neonize.proto.Neonize_pb2 import JID

    user, _, server = jid.partition("@")
    user, _, device = user.partition(":")
    return JID(User=user, Server=server, Device=int(device or 0), RawAgent=0, Integrator=0,
               IsEmpty=False)

