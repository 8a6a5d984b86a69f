"""What every WhatsApp transport (neonize, sandbox) offers, and its session states."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from cicero.messages import InboundMessage, OutboundMessage
from cicero.sessions import SessionState as SessionState  # lives on the ground floor


class SendError(Exception):
    """WhatsApp did not accept a message."""


class TransientSendError(SendError):
    """Worth retrying: rate limit, timeout, connection lost, session not ready."""


class PermanentSendError(SendError):
    """Retrying cannot help: invalid recipient, file too large, blocked."""


InboundHandler = Callable[[InboundMessage], Awaitable[None]]


class Transport(Protocol):
    session: str

    @property
    def state(self) -> SessionState: ...

    async def start(self, on_message: InboundHandler) -> None: ...

    async def stop(self) -> None: ...

    async def send(self, message: OutboundMessage) -> str:
        """Deliver one message; return WhatsApp's message id. Raises SendError subclasses."""
        ...


def state_key(session: str) -> str:
    """Redis hash holding a session's state (and its QR code while pairing)."""
    return f"wa:session:{session}"
