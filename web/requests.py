"""Reading request input safely: JSON bodies and the period query parameters."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from starlette.requests import Request

from cicero.clock import Period, clock
from web.errors import ApiError

MAX_BODY_BYTES = 64 * 1024
_ALL_TIME_START = date(2020, 1, 1)
_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH_RE = re.compile(r"\d{4}-\d{2}")


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The raw body, never more than `limit` bytes read (413 beyond)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413)
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            raise ApiError(413)
    return raw


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object; 413 when too large, 400 when not a JSON object."""
    raw = await read_body(request)
    try:
        body = json.loads(raw) if raw.strip() else {}
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ApiError(400, "Body harus berupa JSON yang valid") from None
    if not isinstance(body, dict):
        raise ApiError(400, "Body harus berupa objek JSON")
    return body


def text_field(body: dict[str, Any], name: str, *, required: bool = True,
               max_length: int = 200) -> str | None:
    """A string field, trimmed; 400 when missing (if required), not a string or too long."""
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ApiError(400, f"{name} wajib diisi")
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ApiError(400, f"{name} harus berupa teks")
    text = str(value).strip()
    if "\x00" in text:
        raise ApiError(400, f"{name} berisi karakter yang tidak diizinkan")
    if len(text) > max_length:
        raise ApiError(400, f"{name} terlalu panjang (maksimal {max_length} karakter)")
    return text


def _day(value: str, name: str) -> date:
    if not _DAY_RE.fullmatch(value):
        raise ApiError(400, f"{name} harus berformat YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(400, f"{name} bukan tanggal yang valid") from None


def requested_period(request: Request) -> Period:
    """`periode` harian / mingguan / bulanan / semua with `tanggal`, or a range given as
    `tanggal_mulai`/`tanggal_selesai` or `start_date`/`end_date` (both spellings everywhere).
    400 for anything else."""
    query = request.query_params
    periode = (query.get("periode") or "harian").strip().lower()
    start = query.get("tanggal_mulai") or query.get("start_date")
    end = query.get("tanggal_selesai") or query.get("end_date")
    if start or end:
        first = _day(start or end or "", "tanggal_mulai")
        last = _day(end or start or "", "tanggal_selesai")
        if last < first:
            raise ApiError(400, "tanggal_selesai tidak boleh sebelum tanggal_mulai")
        if (last - first).days > 366:
            raise ApiError(400, "Rentang tanggal maksimal 366 hari")
        return clock.period(first, last)
    tanggal = (query.get("tanggal") or "").strip()
    if periode == "harian":
        return clock.day(_day(tanggal, "tanggal") if tanggal else None)
    if periode == "mingguan":
        return clock.week(_day(tanggal, "tanggal") if tanggal else None)
    if periode == "bulanan":
        if not tanggal:
            return clock.month()
        if _MONTH_RE.fullmatch(tanggal):
            tanggal += "-01"
        return clock.month(_day(tanggal, "tanggal"))
    if periode == "semua":
        return clock.period(_ALL_TIME_START, clock.today())
    raise ApiError(400, "periode harus harian, mingguan, bulanan atau semua")
