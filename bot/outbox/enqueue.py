"""Appending to a session's outbox (the door: `enqueue`, `enqueue_many`), and the encoding
of one enqueue that a script may run among its own writes (`encode_enqueue`)."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, NamedTuple

from redis.asyncio import Redis

from bot.outbox import scripts
from bot.outbox.keys import GROUP, KEY_TTL, SECRET_UNTIL, enqueued_key, stream_key, text
from cicero.clock import clock
from cicero.messages import Document
from menus.format import WHATSAPP_TEXT_LIMIT, split_message
from storage.identifiers import is_group_jid, normalize_group_jid, phone_to_jid

MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
_PIPELINE_CHUNK = 1_000  # enqueues per round trip of enqueue_many


class EncodedEnqueue(NamedTuple):
    """The keys and arguments of one enqueue, for `enqueue(keys, args)` in a script built
    with `script_with_enqueue`."""

    keys: list[str]
    args: list[Any]


@lru_cache(maxsize=65_536)
def recipient(to: str) -> str:
    """A group JID (validated) or the personal JID of a phone / personal JID."""
    return normalize_group_jid(to) if is_group_jid(to) else phone_to_jid(to)


def _parts(body: str, document: Document | None) -> list[tuple[str, Document | None]]:
    if document is None:
        texts = split_message(body)
        if not texts:
            raise ValueError("nothing to send: empty body and no document")
        return [(part, None) for part in texts]
    if len(document.content) > MAX_DOCUMENT_BYTES:
        raise ValueError(f"document {document.filename!r} exceeds {MAX_DOCUMENT_BYTES} bytes")
    if len(body) <= WHATSAPP_TEXT_LIMIT:
        return [(body.strip(), document)]  # the text is the caption
    return [(part, None) for part in split_message(body)] + [("", document)]


def encode_enqueue(session: str, to: str, body: str, key: str | None,
                   document: Document | None = None, kind: str | None = None,
                   secret_until: float | None = None) -> EncodedEnqueue:
    """One enqueue, split at WhatsApp's limit, each part deduplicated under `key#n`. Raises
    InvalidIdentifier for a bad `to` and ValueError for nothing to send or a document over
    MAX_DOCUMENT_BYTES."""
    jid = recipient(to)
    base = key if key is not None else uuid.uuid4().hex
    keys, args = [stream_key(session)], [KEY_TTL]
    for n, (part, doc) in enumerate(_parts(body, document), start=1):
        part_key = f"{base}#{n}"
        keys.append(enqueued_key(session, part_key))
        fields = ["to", jid, "body", part, "key", part_key]
        if kind:
            fields += ["kind", kind]
        if secret_until is not None:
            fields += [SECRET_UNTIL, f"{secret_until:.3f}"]
        if doc is not None:
            fields += ["doc_name", doc.filename, "doc_mime", doc.mimetype,
                       "doc_b64", base64.b64encode(doc.content).decode("ascii")]
        args.append(len(fields))
        args.extend(fields)
    return EncodedEnqueue(keys, args)


async def enqueue(redis: Redis, session: str, to: str, body: str = "", *, key: str | None = None,
                  document: Document | None = None, secret_for: float | None = None
                  ) -> list[str]:
    """Append a message to the session's outbox; return the stream ids added ([] when every
    part was already enqueued under its key). `secret_for`: the body holds a one-time secret
    valid this many seconds (business clock), see bot/outbox's docstring. Raises
    InvalidIdentifier for a bad `to` and ValueError for nothing to send or a document over
    MAX_DOCUMENT_BYTES."""
    secret_until = None if secret_for is None else clock.now().timestamp() + secret_for
    keys, args = encode_enqueue(session, to, body, key, document, secret_until=secret_until)
    return [text(i) for i in await redis.register_script(scripts.ENQUEUE)(keys, args)]


async def enqueue_many(redis: Redis, session: str,
                       messages: Iterable[tuple[str, str, str | None]]) -> list[list[str]]:
    """`enqueue` for many (to, body, key) text messages in pipelined round trips; validates
    them all before sending any. Returns the stream ids added per message."""
    calls = [encode_enqueue(session, to, body, key, None) for to, body, key in messages]
    script = redis.register_script(scripts.ENQUEUE)
    results: list[list[str]] = []
    for start in range(0, len(calls), _PIPELINE_CHUNK):
        pipe = redis.pipeline(transaction=False)
        for keys, args in calls[start:start + _PIPELINE_CHUNK]:
            await script(keys, args, client=pipe)  # staged; the pipeline loads it if needed
        results.extend([text(i) for i in reply] for reply in await pipe.execute())
    return results


async def settled(redis: Redis, session: str) -> bool:
    """Every entry of the session's outbox was handed out and acknowledged (sent or dead)."""
    if not await redis.exists(stream_key(session)):
        return True
    last = text((await redis.xinfo_stream(stream_key(session)))["last-generated-id"])
    for group in await redis.xinfo_groups(stream_key(session)):
        if text(group["name"]) == GROUP:
            return group["pending"] == 0 and text(group["last-delivered-id"]) == last
    return False
