"""The WhatsApp sessions Cicero runs and the states a session is in (ground floor: imports
nothing of ours). Settings (`WA_SESSIONS`), the bot, the flows, the web pages and the CLI
all name sessions through `SessionName`."""

from __future__ import annotations

from enum import StrEnum


class SessionName(StrEnum):
    """The WhatsApp numbers Cicero runs (reference §3: main/operator, user, gateway)."""

    OPERATOR = "operator"
    GATEWAY = "gateway"
    USER = "user"


SESSION_NAMES: tuple[str, ...] = tuple(name.value for name in SessionName)


class SessionState(StrEnum):
    STOPPED = "STOPPED"
    STARTING = "STARTING"
    SCAN_QR_CODE = "SCAN_QR_CODE"
    WORKING = "WORKING"
    FAILED = "FAILED"
