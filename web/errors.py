"""Every error the API returns is JSON `{success: false, message}` (never HTML, never a raw
exception text), mapped here in one table."""

from __future__ import annotations

from typing import Any

import asyncpg
import structlog
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from cicero.unreachable import UNREACHABLE, unreachable

log = structlog.get_logger(__name__)

_STATUS_MESSAGES = {
    400: "Permintaan tidak valid",
    401: "Token tidak valid atau sudah kedaluwarsa",
    403: "Akses ditolak",
    404: "Endpoint tidak ditemukan",
    405: "Metode tidak diizinkan",
    413: "Isi permintaan terlalu besar",
    429: "Terlalu banyak permintaan",
}


class ApiError(Exception):
    """Raise anywhere in an endpoint to answer `{success: false, message, **extra}`."""

    def __init__(self, status_code: int, message: str | None = None, /, *,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(message or _STATUS_MESSAGES.get(status_code, "Terjadi kesalahan"))
        self.status = status_code
        self.message = str(self)
        self.headers = headers
        self.extra = extra


def error_response(status_code: int, message: str, /, *, headers: dict[str, str] | None = None,
                   **extra: Any) -> JSONResponse:
    return JSONResponse({"success": False, "message": message, **extra},
                        status_code=status_code, headers=headers)


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.message, headers=exc.headers, **exc.extra)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    message = _STATUS_MESSAGES.get(exc.status_code, "Terjadi kesalahan")
    return error_response(exc.status_code, message, headers=exc.headers)


async def _busy(request: Request, exc: Exception) -> JSONResponse:
    """No database connection became free in time: overload, not a bug. 503 lets clients
    retry later."""
    log.warning("web_database_busy", path=request.url.path)
    return error_response(503, "Server sedang sibuk. Silakan coba lagi sebentar lagi.",
                          headers={"Retry-After": "5"})


# lock_not_available, query_canceled: the request engine's lock_timeout / statement_timeout
_GAVE_UP = frozenset({"55P03", "57014"})


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    """A statement that gave up waiting (storage/db.py `create_request_engine`: a long writer
    holds what the request needs) or a server out of reach: 503 lets the client retry. Any
    other database error is a bug."""
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None) or \
        getattr(exc, "sqlstate", None)
    if sqlstate in _GAVE_UP:
        log.warning("web_database_gave_up", path=request.url.path, sqlstate=sqlstate)
        return error_response(503, "Data sedang diperbarui proses lain. Silakan coba lagi "
                                   "sebentar lagi.", headers={"Retry-After": "5"})
    return await _unreachable(request, exc)


async def _unreachable(request: Request, exc: Exception) -> JSONResponse:
    """PostgreSQL or Redis is down, restarting or hanging: 503 at once, no traceback (an
    outage is not a bug, and a traceback per request would slow everything down further)."""
    if not unreachable(exc):
        return await _unexpected(request, exc)
    log.warning("web_server_unreachable", path=request.url.path, error=type(exc).__name__)
    return error_response(503, "Layanan sedang tidak tersedia. Silakan coba lagi sebentar lagi.",
                          headers={"Retry-After": "5"})


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("web_unhandled_error", path=request.url.path, method=request.method)
    return error_response(500, "Terjadi kesalahan pada server. Silakan coba lagi.")


exception_handlers = {ApiError: _api_error, HTTPException: _http_error, PoolTimeout: _busy,
                      DBAPIError: _database_error,
                      asyncpg.LockNotAvailableError: _database_error,
                      asyncpg.QueryCanceledError: _database_error,
                      **dict.fromkeys(UNREACHABLE, _unreachable), Exception: _unexpected}
