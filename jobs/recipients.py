"""Recipient lists of scheduled deliveries: the admins of ADMIN_WHATSAPP and the client
contacts, normalised and deduplicated in order."""

from __future__ import annotations

from collections.abc import Iterable

import structlog

from storage.identifiers import phone_list

log = structlog.get_logger(__name__)


def admin_numbers(raw: list[str]) -> list[str]:
    """ADMIN_WHATSAPP as phone numbers (storage.identifiers.phone_list); an invalid entry is
    logged and left out."""
    return phone_list(raw, on_invalid=lambda value: log.warning("admin_number_invalid",
                                                                value=value))


def unique(*groups: Iterable[str]) -> list[str]:
    """Every chat once, in the order first met (a number and its `@c.us` form are one)."""
    seen: set[str] = set()
    chosen = []
    for group in groups:
        for chat in group:
            plain = chat.removesuffix("@c.us").removesuffix("@s.whatsapp.net")
            if plain not in seen:
                seen.add(plain)
                chosen.append(chat)
    return chosen
