"""The personnel fields the dashboard may send, their validation, and the person JSON.

Request keys are checked against an allow-list and mapped to columns here; anything else is
a 400 naming the key. Usernames, phones and NRPs go through storage/identifiers.py, the one
normaliser.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from storage.dashboard_data import PersonRecord
from storage.identifiers import (
    InvalidIdentifier,
    normalize_email,
    normalize_nrp,
    normalize_phone,
    parse_instagram_username,
    parse_tiktok_username,
)
from storage.personnel_profile import RESERVED_INSTAGRAM
from storage.text_limits import MAX_CLIENT_ID, MAX_TEXT, TextTooLong, tidy_text
from web.errors import ApiError

# JSON key (reference name) -> personnel column
FIELD_COLUMNS: dict[str, str] = {
    "nama": "name", "title": "rank", "divisi": "satfung", "jabatan": "jabatan", "desa": "desa",
    "insta": "instagram", "tiktok": "tiktok", "whatsapp": "whatsapp", "email": "email",
    "status": "status", "client_id": "client_id",
}
UPDATE_KEYS = frozenset({*FIELD_COLUMNS, "user_id"})
CREATE_KEYS = frozenset({"user_id", "client_id", "nama", "title", "divisi", "jabatan", "desa",
                         "insta", "tiktok", "whatsapp", "email"})
_UPPER_TEXT = frozenset({"nama", "title", "divisi", "jabatan", "desa"})

_NULLABLE = {"type": ["string", "null"], "maxLength": MAX_TEXT}  # null clears the field
FIELD_SCHEMAS: dict[str, dict[str, Any]] = {
    "nama": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
    "title": _NULLABLE, "divisi": _NULLABLE, "jabatan": _NULLABLE, "desa": _NULLABLE,
    "insta": {**_NULLABLE, "description": "username, @username atau link profil"},
    "tiktok": {**_NULLABLE, "description": "username, @username atau link profil"},
    "whatsapp": {**_NULLABLE, "description": "nomor HP, mis. 081234567890"},
    "email": {**_NULLABLE, "format": "email"},
    "status": {"type": "boolean"},
    "client_id": {"type": "string", "minLength": 1, "maxLength": MAX_CLIENT_ID},
    "user_id": {"type": "string", "pattern": "^[0-9]{6,18}$", "description": "NRP/NIP"},
}


def reject_unknown_keys(body: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        names = ", ".join(name[:64] for name in unknown)
        raise ApiError(400, f"Field tidak dikenal: {names}", fields=[n[:64] for n in unknown])


def _text(key: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"{key} harus berupa teks")
    try:
        return tidy_text(value) or None
    except TextTooLong as exc:
        raise ApiError(400, f"{key} terlalu panjang (maksimal {exc.limit} karakter)") from None


def _identifier(parse: Callable[[str], str]) -> Callable[[str], str]:
    def checked(raw: str) -> str:
        try:
            return parse(raw)
        except InvalidIdentifier as exc:
            raise ApiError(400, str(exc)) from None

    return checked


def _instagram(raw: str) -> str:
    name = _identifier(parse_instagram_username)(raw)
    if name in RESERVED_INSTAGRAM:
        raise ApiError(400, "Username Instagram itu milik sistem dan tidak bisa dipakai.")
    return name


def _email(raw: str) -> str:
    try:
        return normalize_email(raw)
    except InvalidIdentifier:
        raise ApiError(400, "email tidak valid") from None


_PARSERS: dict[str, Callable[[str], str]] = {
    "insta": _instagram, "tiktok": _identifier(parse_tiktok_username),
    "whatsapp": _identifier(normalize_phone), "email": _email,
}


def parse_nrp(key: str, value: Any) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ApiError(400, f"{key} harus berupa teks angka NRP/NIP")
    try:
        return normalize_nrp(str(value))
    except InvalidIdentifier as exc:
        raise ApiError(400, str(exc)) from None


def existing_nrp(value: Any) -> str:
    """The lookup form of an NRP that may already be stored, whatever its length: the
    normalised NRP, else its digits without spaces, dots and dashes. No digits: 400."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ApiError(400, "NRP/NIP harus berupa angka")
    text = str(value).strip()
    try:
        return normalize_nrp(text)
    except InvalidIdentifier:
        digits = "".join(text.replace(".", " ").replace("-", " ").split())
    if not digits.isdigit() or not digits.isascii() or len(digits) > 18:
        raise ApiError(400, "NRP/NIP harus berupa angka")
    return digits


def field_value(key: str, value: Any) -> Any:
    """One allowed field, validated and normalised; None clears an optional field."""
    if key == "status":
        if not isinstance(value, bool):
            raise ApiError(400, "status harus true atau false")
        return value
    if key == "client_id":
        text = _text(key, value)
        if not text or len(text) > MAX_CLIENT_ID:
            raise ApiError(400, "client_id tidak valid")
        return text.upper()
    text = _text(key, value)
    if key == "nama" and not text:
        raise ApiError(400, "nama wajib diisi")
    if text is None:
        return None
    if key in _UPPER_TEXT:
        return text.upper()
    return _PARSERS[key](text)


def column_values(body: dict[str, Any]) -> dict[str, Any]:
    """Allowed fields of `body` (except user_id) as column -> normalised value."""
    return {FIELD_COLUMNS[key]: field_value(key, value) for key, value in body.items()
            if key in FIELD_COLUMNS}


def person_json(person: PersonRecord) -> dict[str, Any]:
    """A person with the reference's keys; `role` names the directorates they belong to."""
    return {
        "user_id": person.user_id, "nama": person.name, "title": person.rank,
        "divisi": person.satfung, "jabatan": person.jabatan, "desa": person.desa,
        "insta": person.instagram, "tiktok": person.tiktok, "status": person.status,
        "client_id": person.client_id, "nama_client": person.client_name,
        "client_name": person.client_name, "whatsapp": person.whatsapp, "email": person.email,
        "exception": person.exception,
        "wa_notification_opt_in": person.wa_notification_opt_in,
        "directorates": list(person.directorates),
        "role": ",".join(d.lower() for d in person.directorates) or "user",
    }
