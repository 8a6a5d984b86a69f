"""The outbox's Redis keys and entry fields: only bot/outbox (and its read-only view,
bot/status.py) knows them."""

from __future__ import annotations

from typing import Any

GROUP = "outbox"  # the consumer group every process reading a session's stream joins
KEY_TTL = 7 * 24 * 3600  # enqueue dedup and "sent" markers live this long (seconds)
SECRET_UNTIL = "secret_until"  # entry field: epoch seconds after which the body is worthless
RECENT_MAXLEN = 100  # messages kept in a session's "recently sent" stream


def stream_key(session: str) -> str:
    return f"outbox:{session}"


def dead_letter_key(session: str) -> str:
    return f"outbox:{session}:dead"


def recent_key(session: str) -> str:
    """A capped stream of the messages the session sent last (bot/status.py reads it)."""
    return f"outbox:{session}:recent"


def enqueued_key(session: str, key: str) -> str:
    return f"outbox:{session}:enqueued:{key}"


def sent_key(session: str, key: str) -> str:
    return f"outbox:{session}:sent:{key}"


def attempts_key(session: str) -> str:
    return f"outbox:{session}:attempts"


def text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def fields_of(raw: Any) -> dict[str, str]:
    return {text(k): text(v) for k, v in (raw or {}).items()}
