"""Query parameters shared by the dashboard data endpoints: their OpenAPI description and
the readers that are not already in web/requests.py."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request

from storage.attendance import ClientInfo, UnknownClient
from storage.dashboard_data import population_client
from web.errors import ApiError
from web.openapi import Param
from web.requests import query_integer

_DAY = {"type": "string", "format": "date"}

CLIENT_PARAM = Param("client_id", {"type": "string", "maxLength": 64},
                     description="Satker/direktorat; default: client utama token. "
                                 "Header X-Client-Id hanya cadangan dan tidak memperluas akses.")
CLIENT_HEADER = Param("X-Client-Id", {"type": "string", "maxLength": 64}, location="header",
                      description="Cadangan bila query client_id kosong")
PERIOD_PARAMS = [
    Param("periode", {"type": "string", "enum": ["harian", "mingguan", "bulanan", "semua"]},
          description="Default harian (hari ini, Asia/Jakarta)"),
    Param("tanggal", {"type": "string"},
          description="YYYY-MM-DD (harian/mingguan) atau YYYY-MM (bulanan)"),
    Param("tanggal_mulai", _DAY, description="Awal rentang (sama dengan start_date)"),
    Param("tanggal_selesai", _DAY, description="Akhir rentang (sama dengan end_date)"),
    Param("start_date", _DAY, description="Awal rentang"),
    Param("end_date", _DAY, description="Akhir rentang"),
]
DATA_PARAMS = [CLIENT_PARAM, CLIENT_HEADER, *PERIOD_PARAMS]

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
LIMIT_PARAM = Param("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                              "default": DEFAULT_LIMIT},
                    description="Jumlah maksimal konten")

DATA_RESPONSES = {200: "OK", 400: "Parameter tidak valid", 401: "Token tidak valid",
                  403: "client_id tidak diizinkan", 404: "Client tidak ditemukan"}


def requested_limit(request: Request, default: int = DEFAULT_LIMIT) -> int:
    """`limit` as an integer 1..MAX_LIMIT; 400 otherwise."""
    return query_integer(request, "limit", default=default, maximum=MAX_LIMIT)


async def known_client(engine: AsyncEngine, client_id: str) -> ClientInfo:
    """The client with its type; 404 when it does not exist (only admins get this far with
    an unknown id: for anyone else it is outside their scope, 403)."""
    try:
        return await population_client(engine, client_id)
    except UnknownClient:
        raise ApiError(404, "Client tidak ditemukan") from None
