"""The WhatsApp message model (ground floor: imports nothing of ours).

Transports produce `InboundMessage`, the conversation engine reads it, the outbox hands
`OutboundMessage` to a transport, and anything sending a file through the outbox door
(`bot.outbox.enqueue`) passes a `Document`. Plain data, so the flows (below `bot/`) and the
jobs and web (beside it) use it without importing the WhatsApp edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Document:
    """A file sent or received; an image (PNG, JPEG) is shown as a picture, not a file."""

    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"

    @property
    def is_image(self) -> bool:
        return self.mimetype in ("image/png", "image/jpeg")


@dataclass(frozen=True)
class InboundMessage:
    session: str
    message_id: str
    chat: str  # where to reply: a personal JID (…@s.whatsapp.net) or a group JID (…@g.us)
    sender: str  # the author's phone digits (628…), also inside groups
    text: str
    timestamp: datetime
    quoted_id: str | None = None
    document: Document | None = None

    @property
    def is_group(self) -> bool:
        return self.chat.endswith("@g.us")


@dataclass(frozen=True)
class OutboundMessage:
    session: str
    to: str  # JID
    body: str = ""
    document: Document | None = None
    key: str = ""  # idempotency key: the same key goes out once
    attributes: dict[str, str] = field(default_factory=dict)
