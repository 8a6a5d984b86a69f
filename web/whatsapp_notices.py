"""WhatsApp messages queued by an endpoint after its write committed: a failure to queue is
logged, never shown to the caller (the write stands; a 5xx would invite a repeat). Sent from
the operator number, the one that talks to admins, editors and account holders."""

from __future__ import annotations

import structlog
from redis.exceptions import RedisError
from starlette.requests import Request

from bot.outbox import enqueue
from cicero.messages import Document
from cicero.sessions import SessionName
from storage.identifiers import InvalidIdentifier

log = structlog.get_logger(__name__)

SESSION = SessionName.OPERATOR.value


async def notify(request: Request, to: str, body: str, *, key: str,
                 document: Document | None = None) -> bool:
    """Queue one message (sent once per key); False when it could not be queued."""
    try:
        await enqueue(request.app.state.redis, SESSION, to, body, key=key, document=document)
    except (RedisError, InvalidIdentifier, ValueError):
        log.warning("whatsapp_notice_not_queued", key=key.split(":")[0])
        return False
    return True
