"""What an admin reads when the outbox gave up on a message (bot/outbox/consumer.py)."""

from __future__ import annotations

from storage.identifiers import is_group_jid


def dead_letter_notice(to: str, attempts: int, reason: str) -> str:
    target = f"grup {to}" if is_group_jid(to) else to.split("@")[0]
    return f"⚠️ Pesan gagal terkirim ke {target} setelah {attempts} percobaan: {reason}"
