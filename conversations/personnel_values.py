"""What a person's data field may be set to over WhatsApp: one set of checks for the
officer's own self-service (conversations/profile.py) and the operators' consoles
(conversations/console/personnel_forms.py). Each check returns the value to store or raises
InvalidValue with the reply that says what is wrong."""

from __future__ import annotations

import re

from sqlalchemy.ext.asyncio import AsyncEngine

from conversations.answers import choice, yes_no
from menus import profile as texts
from storage.identifiers import (
    InvalidIdentifier,
    InvalidUsername,
    normalize_phone,
    parse_instagram_username,
    parse_tiktok_username,
)
from storage.personnel_profile import (
    RESERVED_INSTAGRAM,
    ProfileField,
    username_owner,
    whatsapp_owner,
)

_NAME_RE = re.compile(r"[A-Za-z][A-Za-z .,'\-]*")
_COMMAND_WORDS = frozenset({"userrequest", "oprrequest", "dirrequest", "clientrequest",
                            "dashrequest"})
_USERNAME_PARSERS = {ProfileField.INSTAGRAM: parse_instagram_username,
                     ProfileField.TIKTOK: parse_tiktok_username}
USERNAME_FIELDS = frozenset(_USERNAME_PARSERS)


class InvalidValue(Exception):
    """str(exc) is the reply telling the person what is wrong."""


def free_text(field: ProfileField, value: str) -> str:
    """Name, jabatan, desa: 2–100 characters, upper-cased, never a command or a yes/no."""
    label = texts.FIELD_LABELS[field].lower()
    value = value.strip()
    if value.lower() in _COMMAND_WORDS or "#" in value:
        raise InvalidValue(texts.NOT_A_COMMAND.format(label=label))
    if yes_no(value) is not None:  # an answer to another question, never a value
        raise InvalidValue(texts.NOT_A_VALUE.format(value=value, label=label))
    if not 2 <= len(value) <= 100:
        raise InvalidValue(texts.BAD_TEXT_LENGTH.format(label=texts.FIELD_LABELS[field]))
    if field is ProfileField.NAME and not _NAME_RE.fullmatch(value):
        raise InvalidValue(texts.BAD_NAME)
    return " ".join(value.upper().split())


def listed(field: ProfileField, value: str, options: list[str]) -> str:
    """Rank or satfung: one of `options`, by its number or its name."""
    picked = choice(value, options)
    if picked is None:
        raise InvalidValue(texts.invalid_option(field, options))
    return picked


async def username(engine: AsyncEngine, field: ProfileField, value: str, *,
                   owner: str | None) -> str:
    """An Instagram/TikTok username (bare, @name or profile link) that is not the system's
    own account and not held by anyone but `owner` (the person being edited)."""
    try:
        name = _USERNAME_PARSERS[field](value)
    except InvalidUsername as exc:
        raise InvalidValue(f"❌ {exc}") from None
    if field is ProfileField.INSTAGRAM and name in RESERVED_INSTAGRAM:
        raise InvalidValue(texts.RESERVED_ACCOUNT.format(name=name))
    holder = await username_owner(engine, field, name)
    if holder is not None and holder != owner:
        raise InvalidValue(texts.username_taken(field, name))
    return name


async def whatsapp(engine: AsyncEngine, value: str, *, owner: str, editor: str) -> str:
    """A WhatsApp number for `owner`, set by `editor` (an operator): any number format, never
    the editor's own number and never a number another person already has."""
    try:
        phone = normalize_phone(value)
    except InvalidIdentifier as exc:
        raise InvalidValue(f"❌ {exc}") from None
    if phone == editor:
        raise InvalidValue(texts.WHATSAPP_OWN_NUMBER)
    holder = await whatsapp_owner(engine, phone)
    if holder is not None and holder != owner:
        raise InvalidValue(texts.whatsapp_taken(phone))
    return phone
