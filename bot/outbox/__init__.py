"""Durable WhatsApp outbox: one Redis stream per session, paced, retried, sent exactly once.

The door (anything may send WhatsApp messages, documents and images): `enqueue` appends a
message (split at WhatsApp's limit) to the session's stream, `enqueue_many` many text messages
in pipelined round trips; an idempotency key makes a second enqueue of the same message a
no-op. A script that must enqueue atomically with its own writes (the turn commit,
bot/turn_writes.py) is built with `script_with_enqueue` and given `encode_enqueue`'s keys and
arguments. The `OutboxConsumer` (consumer.py) in the process owning the session sends the
stream; the transport derives WhatsApp's message id from the key, so a message re-sent after a
crash between "sent" and "acknowledged" is dropped as a duplicate.

A message holding a one-time secret (a reset link, a code) is enqueued with `secret_for`: its
entry is deleted once sent like every entry, it is dropped unsent once the secret expired
(e.g. while the session was down), and neither its dead letter nor the "recently sent" stream
keeps its body.

Modules: keys.py (Redis keys and fields: nothing outside bot/outbox and bot/status.py knows
them), scripts.py (the Lua), enqueue.py (the door), schedule.py (a consumer's entries in
memory), consumer.py (sending, retries, dead letters).
"""

from bot.outbox.consumer import NOTICE_KIND, OutboxConsumer, OutboxPace, OutboxStats
from bot.outbox.enqueue import (
    MAX_DOCUMENT_BYTES,
    EncodedEnqueue,
    encode_enqueue,
    enqueue,
    enqueue_many,
    settled,
)
from bot.outbox.keys import GROUP, KEY_TTL, dead_letter_key, stream_key
from bot.outbox.scripts import script_with_enqueue

__all__ = [
    "GROUP", "KEY_TTL", "MAX_DOCUMENT_BYTES", "NOTICE_KIND", "EncodedEnqueue", "OutboxConsumer",
    "OutboxPace", "OutboxStats", "dead_letter_key", "encode_enqueue", "enqueue", "enqueue_many",
    "script_with_enqueue", "settled", "stream_key",
]
