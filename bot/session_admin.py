"""What the /wa page does about one WhatsApp session (what it shows is read through
bot/status.py): resend or discard a dead letter, and the requests (restart, log out, a pairing
code for a phone number) that the bot process owning the session carries out.

The requests travel through the Redis list `control_key(session)`: the web process pushes, the
bot holding the session's lease (bot/session_lease.py) pops them on its housekeeping tick
(`take_requests`), so they reach the right process wherever it runs. A request not taken
within REQUEST_SECONDS (no bot serves the session) expires.
"""

from __future__ import annotations

import base64

from redis.asyncio import Redis

from bot.outbox import enqueue
from bot.outbox.keys import dead_letter_key, fields_of, text
from cicero.messages import Document

REQUEST_SECONDS = 120
ACTIONS = ("restart", "logout", "pair")


def control_key(session: str) -> str:
    return f"wa:control:{session}"


async def resend_dead_letter(redis: Redis, session: str, dead_id: str) -> bool:
    """Put a dead letter back in the outbox (under a new key, so it is sent again) and remove
    it from the dead letters; False when there is no such dead letter."""
    rows = await redis.xrange(dead_letter_key(session), min=dead_id, max=dead_id)
    if not rows:
        return False
    fields = fields_of(rows[0][1])
    document = None
    if "doc_b64" in fields:
        document = Document(fields.get("doc_name", "file"), base64.b64decode(fields["doc_b64"]),
                            fields.get("doc_mime", "application/octet-stream"))
    if fields.get("body") or document is not None:  # a secret's dead letter keeps no body
        await enqueue(redis, session, fields["to"], fields.get("body", ""),
                      key=f"resend:{session}:{dead_id}", document=document)
    await redis.xdel(dead_letter_key(session), dead_id)
    return True


async def discard_dead_letter(redis: Redis, session: str, dead_id: str) -> bool:
    return bool(await redis.xdel(dead_letter_key(session), dead_id))


async def request(redis: Redis, session: str, action: str, phone: str = "") -> None:
    """Ask the bot serving `session` to `action` it (one of ACTIONS; "pair" with the phone
    number, digits, to pair by code)."""
    if action not in ACTIONS or (action == "pair") != bool(phone):
        raise ValueError(f"bad request {action!r} {phone!r}")
    async with redis.pipeline(transaction=True) as pipe:
        pipe.rpush(control_key(session), f"{action} {phone}".strip())
        pipe.expire(control_key(session), REQUEST_SECONDS)
        await pipe.execute()


async def take_requests(redis: Redis, session: str) -> list[tuple[str, str]]:
    """The requests waiting for `session` as (action, phone), oldest first, removed from the
    list."""
    async with redis.pipeline(transaction=True) as pipe:
        pipe.lrange(control_key(session), 0, -1)
        pipe.delete(control_key(session))
        waiting, _ = await pipe.execute()
    requests = []
    for action, _, phone in (text(item).partition(" ") for item in waiting):
        if action in ACTIONS:
            requests.append((action, phone))
    return requests
