"""neonize (whatsmeow) support without the library: where a session's keys live, reading a
message event into an `InboundMessage`, classifying send errors, backoff, and the client
interface the transport drives (`WhatsAppClient`, `ClientEvents`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import structlog

from bot.messages import Document, InboundMessage
from bot.transport import (
    PermanentSendError,
    SendError,
    TransientSendError,
)
from storage.identifiers import (
    InvalidIdentifier,
    is_group_jid,
    jid_to_phone,
    normalize_group_jid,
    phone_to_jid,
)

if TYPE_CHECKING:
    from cicero.settings import Settings

log = structlog.get_logger(__name__)


TRANSPORT_NAME = "neonize"
CONNECTION_FAILED = "connection failed: "  # how a disconnect reason says WhatsApp was not reached
MAX_DOCUMENT_BYTES = 100 * 1024 * 1024  # WhatsApp's limit for documents
_LOCAL_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1"})
_SKIPPED_SERVERS = frozenset({"broadcast", "newsletter"})
_PERMANENT_MARKERS = (
    "invalid jid", "invalid recipient", "unknown server", "recipient must be",
    "not on whatsapp", "forbidden", "not-acceptable", "item-not-found", "too large",
    "not a participant", "blocked",
)
_PERMANENT_CODES = re.compile(r"\b(?:error|code|status)[ :=]*(?:400|403|404|406|413)\b")


# --- pure functions ----------------------------------------------------------------------------


def is_postgres_store(store: str) -> bool:
    return store.startswith("postgres://")


def store_location(settings: Settings, session: str) -> str:
    """Where whatsmeow keeps `session`'s device keys: the PostgreSQL database of DATABASE_URL
    (plain `postgres://` form, as lib/pq wants it), else `CICERO_HOME/wa/<session>.sqlite3`."""
    if settings.database_url:
        return _lib_pq_url(settings.database_url)
    return str(settings.home / "wa" / f"{session}.sqlite3")


def _lib_pq_url(url: str) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    names = {name for name, _ in query}
    if "sslmode" not in names and "ssl" in names:  # asyncpg's spelling
        value = dict(query)["ssl"].lower()
        mode = {"true": "require", "false": "disable", "disable": "disable",
                "require": "require", "verify-ca": "verify-ca",
                "verify-full": "verify-full"}.get(value)
        query = [(n, v) for n, v in query if n != "ssl"] + ([("sslmode", mode)] if mode else [])
    names = {name for name, _ in query}
    host = (parts.hostname or "").lower()
    unix_socket = dict(query).get("host", "").startswith("/")
    if "sslmode" not in names and (host in _LOCAL_HOSTS or unix_socket):
        query.append(("sslmode", "disable"))  # lib/pq would demand TLS from a local server
    return urlunsplit(("postgres", parts.netloc, parts.path, urlencode(query), parts.fragment))


def classify_send_error(exc: BaseException) -> type[SendError]:
    """Which SendError a library or network failure of a send becomes."""
    if isinstance(exc, SendError):
        return type(exc)
    text = str(exc).lower()
    if any(marker in text for marker in _PERMANENT_MARKERS) or _PERMANENT_CODES.search(text):
        return PermanentSendError
    return TransientSendError


def event_attr(obj: Any, *path: str) -> Any:
    """Follow attribute names; None when one is missing or unset (protobuf or plain object)."""
    for name in path:
        if obj is None:
            return None
        has_field = getattr(obj, "HasField", None)
        if has_field is not None:
            try:
                if not has_field(name):
                    return None
            except ValueError:  # a scalar field: protobuf has no presence for it
                pass
        obj = getattr(obj, name, None)
    return obj


def jid_string(jid: Any) -> str | None:
    """'user[:device]@server' of a JID object (neonize proto or stand-in), None when empty."""
    user, server = event_attr(jid, "User"), event_attr(jid, "Server")
    if not user or not server:
        return None
    device = event_attr(jid, "Device")
    return f"{user}:{device}@{server}" if device else f"{user}@{server}"


def jid_server(jid: str | None) -> str:
    return jid.rpartition("@")[2].lower() if jid else ""


def sender_jid(event: Any) -> str | None:
    """The author's phone-number JID: Sender, or SenderAlt when Sender is a LID."""
    source = event_attr(event, "Info", "MessageSource")
    for jid in (jid_string(event_attr(source, field)) for field in ("Sender", "SenderAlt")):
        if jid_server(jid) in ("s.whatsapp.net", "c.us"):
            return jid
    return None


def lid_sender(event: Any) -> str | None:
    """The author's LID when no phone-number JID came with the message."""
    source = event_attr(event, "Info", "MessageSource")
    for jid in (jid_string(event_attr(source, field)) for field in ("Sender", "SenderAlt")):
        if jid_server(jid) == "lid":
            return jid
    return None


def message_content(event: Any) -> Any:
    message = event_attr(event, "Message")
    wrapped = event_attr(message, "documentWithCaptionMessage", "message")
    return wrapped if wrapped is not None else message


def document_of(event: Any) -> Any | None:
    """The documentMessage of an event, None when it carries no document."""
    document = event_attr(message_content(event), "documentMessage")
    if document is None:
        return None
    if not (event_attr(document, "fileName") or event_attr(document, "mimetype")
            or event_attr(document, "directPath") or event_attr(document, "URL")):
        return None
    return document


def _timestamp(value: Any) -> datetime:
    try:
        seconds = float(value or 0)
    except (TypeError, ValueError):
        seconds = 0.0
    if seconds <= 0:
        return datetime.now(UTC)
    if seconds > 1e11:  # milliseconds
        seconds /= 1000.0
    return datetime.fromtimestamp(seconds, UTC)


def inbound_from_event(session: str, event: Any, *, document_bytes: bytes | None = None,
                       sender_phone: str | None = None) -> InboundMessage | None:
    """A neonize `Message` event as an `InboundMessage`; None for what the bot ignores (own
    messages, status broadcasts, newsletters, reactions and other non-text content, senders
    without a phone number). Reads attributes only: Info.ID / .Timestamp /
    .MessageSource.{Chat,Sender,SenderAlt,IsFromMe,IsGroup} and Message.{conversation,
    extendedTextMessage, documentMessage, documentWithCaptionMessage, imageMessage}.
    `document_bytes` is the downloaded document; `sender_phone` a phone number or JID found
    for a LID sender."""
    info = event_attr(event, "Info")
    source = event_attr(info, "MessageSource")
    message_id = event_attr(info, "ID")
    chat = jid_string(event_attr(source, "Chat"))
    if not message_id or not chat or event_attr(source, "IsFromMe"):
        return None
    if jid_server(chat) in _SKIPPED_SERVERS:
        return None
    try:
        sender = jid_to_phone(sender_phone or sender_jid(event) or "")
    except InvalidIdentifier:
        log.info("neonize_inbound_without_phone", session=session, message_id=message_id)
        return None
    group = is_group_jid(chat) or bool(event_attr(source, "IsGroup"))
    try:
        chat = normalize_group_jid(chat) if group else phone_to_jid(sender)
    except InvalidIdentifier:
        log.info("neonize_inbound_bad_chat", session=session, chat=chat, message_id=message_id)
        return None

    content = message_content(event)
    extended = event_attr(content, "extendedTextMessage")
    document = document_of(event)
    image = event_attr(content, "imageMessage")
    text = (event_attr(content, "conversation") or event_attr(extended, "text")
            or event_attr(document, "caption") or event_attr(image, "caption") or "")
    quoted_id = None
    for part in (extended, document, image):
        quoted_id = quoted_id or event_attr(part, "contextInfo", "stanzaID") or None
    attachment = None
    if document is not None and document_bytes is not None:
        filename = event_attr(document, "fileName") or event_attr(document, "title") or "file"
        attachment = Document(filename, document_bytes,
                              event_attr(document, "mimetype") or "application/octet-stream")
    if not text and attachment is None:
        return None
    return InboundMessage(session=session, message_id=str(message_id), chat=chat,
                          sender=sender, text=str(text),
                          timestamp=_timestamp(event_attr(info, "Timestamp")),
                          quoted_id=quoted_id, document=attachment)


# --- the client boundary -----------------------------------------------------------------------


class ClientEvents(Protocol):
    """What a client reports to its transport. Every method is awaited on the event loop."""

    async def qr(self, code: str) -> None: ...

    async def connected(self, jid: str | None, name: str = "") -> None:
        """Paired and online as `jid`, the account's WhatsApp name `name` ("" unknown)."""
        ...

    async def disconnected(self, reason: str) -> None: ...

    async def logged_out(self, reason: str) -> None: ...

    async def message(self, event: Any) -> None: ...


class WhatsAppClient(Protocol):
    async def connect(self, jid: str | None) -> None:
        """Start connecting (to the device `jid` when known); progress arrives as events."""
        ...

    async def disconnect(self) -> None:
        """Drop the connection and release the library client. Idempotent."""
        ...

    async def send_text(self, to: str, text: str) -> str: ...

    async def send_document(self, to: str, document: Document, caption: str) -> str: ...

    async def download(self, event: Any) -> bytes: ...

    async def phone_for(self, lid: str) -> str | None:
        """The phone-number JID behind a LID, None when unknown."""
        ...

    async def pair_phone(self, phone: str) -> str:
        """While waiting for a QR scan: the code to type on the phone `phone` (WhatsApp ›
        Linked devices › Link with phone number) instead of scanning."""
        ...

    async def logout(self) -> None:
        """Unlink this device from the account; a new pairing is needed afterwards."""
        ...


ClientFactory = Callable[[str, str, ClientEvents], WhatsAppClient]


# --- the transport -----------------------------------------------------------------------------


