"""Reading request input safely: the one set of rules for what a body, a query and a path may
hold, JSON bodies, and the period query parameters.

Every text that reaches an endpoint (JSON strings and keys, form fields, query values, the
path) is refused with 400 when it holds NUL, a lone surrogate or, percent-encoded, invalid
UTF-8: PostgreSQL cannot store NUL and nothing can encode a lone surrogate, so such input
used to end in a 500 deep inside. JSON is also bounded in depth, in the number of arrays and
objects and in integer length, so parsing never recurses, allocates or converts without limit.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from cicero.clock import Period, clock
from web.errors import ApiError, error_response

MAX_BODY_BYTES = 64 * 1024
MAX_JSON_DEPTH = 32
MAX_JSON_CONTAINERS = 256  # arrays and objects in one body; ours hold one or two
MAX_INTEGER_DIGITS = 20
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2099, 12, 31)  # any period asked for
_ALL_TIME_START = date(2020, 1, 1)
_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH_RE = re.compile(r"\d{4}-\d{2}")
_FORBIDDEN_CHARACTERS = re.compile("[\x00\ud800-\udfff]")
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")
_TOO_MANY_OPENINGS = re.compile(rb"[\[{]{%d}" % (MAX_JSON_DEPTH + 1))
_BAD_TARGET = "Alamat permintaan berisi karakter yang tidak diizinkan"


def _bad_characters(name: str) -> ApiError:
    return ApiError(400, f"{name} berisi karakter yang tidak diizinkan")


def checked_text(name: str, value: str) -> str:
    """`value` unchanged; 400 naming `name` when it holds NUL or a lone surrogate."""
    if _FORBIDDEN_CHARACTERS.search(value):
        raise _bad_characters(name)
    return value


def _percent_decoded(name: str, raw: bytes) -> str:
    """Percent-encoded bytes as checked text; 400 naming `name` for invalid UTF-8."""
    try:
        return checked_text(name, unquote_to_bytes(raw).decode("utf-8"))
    except UnicodeDecodeError:
        raise _bad_characters(name) from None


# --- paths and queries ------------------------------------------------------------------------


def check_target(scope: Scope) -> None:
    """400 for a path or query string holding what no endpoint may read."""
    try:
        _percent_decoded("path", scope.get("raw_path") or scope["path"].encode("utf-8"))
    except ApiError:
        raise ApiError(400, _BAD_TARGET) from None
    for pair in (scope.get("query_string") or b"").split(b"&"):
        raw_name, _, raw_value = pair.replace(b"+", b" ").partition(b"=")
        try:
            name = _percent_decoded("Parameter", raw_name)[:64]
        except ApiError:
            raise ApiError(400, _BAD_TARGET) from None
        _percent_decoded(name or "Parameter", raw_value)


class RequestTargetGuard:
    """Applies `check_target` to every HTTP request before routing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            try:
                check_target(scope)
            except ApiError as refused:
                await error_response(refused.status, refused.message)(scope, receive, send)
                return
        await self.app(scope, receive, send)


middleware = [Middleware(RequestTargetGuard)]


# --- bodies -----------------------------------------------------------------------------------


def _integer(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise ApiError(400, f"Angka dalam body terlalu panjang (maksimal {MAX_INTEGER_DIGITS} "
                            "digit)")
    return int(digits)


def _too_deep() -> ApiError:
    return ApiError(400, f"Body JSON terlalu bertingkat (maksimal {MAX_JSON_DEPTH} tingkat)")


def _brackets_outside_strings(raw: bytes) -> bytes:
    parts = raw.replace(b"\\\\", b"").replace(b'\\"', b"").split(b'"')
    return b"".join(parts[::2]).translate(None, _NOT_BRACKETS)


def _refuse_costly_structure(raw: bytes) -> None:
    """400 for more than MAX_JSON_CONTAINERS arrays and objects, or a run of openings deeper
    than MAX_JSON_DEPTH, counted on the text: a parser builds every container before it can
    refuse the document, and 30,000 of them per request made the garbage collector stall the
    whole process for ~200 ms at a time. Past this, parsing cannot hit the recursion limit."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_JSON_CONTAINERS:
        return
    brackets = _brackets_outside_strings(raw)
    if _TOO_MANY_OPENINGS.search(brackets):
        raise _too_deep()
    if brackets.count(b"[") + brackets.count(b"{") > MAX_JSON_CONTAINERS:
        raise ApiError(400, "Body JSON berisi terlalu banyak objek atau daftar (maksimal "
                            f"{MAX_JSON_CONTAINERS})")


def _check_json(document: Any) -> None:
    """Depth and characters of a parsed document, walked without recursion. A bad value or
    key is named by the top-level field that holds it."""
    pending: list[tuple[Any, int, str]] = [(document, 0, "Body")]
    while pending:
        value, depth, name = pending.pop()
        if isinstance(value, str):
            checked_text(name, value)
            continue
        if depth == MAX_JSON_DEPTH and isinstance(value, dict | list):
            raise _too_deep()
        if isinstance(value, dict):
            for key, child in value.items():
                checked_text(name, key)
                pending.append((child, depth + 1, key[:64] if depth == 0 else name))
        elif isinstance(value, list):
            pending.extend((child, depth + 1, name) for child in value)


def parse_json(raw: bytes) -> Any:
    """A JSON document within the rules above; 400 otherwise."""
    _refuse_costly_structure(raw)
    try:
        document = json.loads(raw, parse_int=_integer)
    except RecursionError:  # cannot happen past _refuse_costly_structure; never a traceback
        raise _too_deep() from None
    except ValueError:  # includes JSONDecodeError and UnicodeDecodeError
        raise ApiError(400, "Body harus berupa JSON yang valid") from None
    _check_json(document)
    return document


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The raw body, never more than `limit` bytes read (413 beyond)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isascii() and declared.isdigit() \
            and (len(declared) > 18 or int(declared) > limit):
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
    body = parse_json(raw) if raw.strip() else {}
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
    if len(text) > max_length:
        raise ApiError(400, f"{name} terlalu panjang (maksimal {max_length} karakter)")
    return text


def query_integer(request: Request, name: str, *, default: int, maximum: int,
                  minimum: int = 1) -> int:
    """Query parameter `name` as a whole number minimum..maximum (default when absent); 400
    naming it otherwise (also for a number too long to read)."""
    raw = (request.query_params.get(name) or "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(maximum)) \
            or not minimum <= int(raw) <= maximum:
        raise ApiError(400, f"{name} harus bilangan bulat {minimum}..{maximum}")
    return int(raw)


def _day(value: str, name: str) -> date:
    if not _DAY_RE.fullmatch(value):
        raise ApiError(400, f"{name} harus berformat YYYY-MM-DD")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ApiError(400, f"{name} bukan tanggal yang valid") from None
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ApiError(400, f"{name} harus antara {EARLIEST_DAY} dan {LATEST_DAY}")
    return day


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
