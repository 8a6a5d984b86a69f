"""The RapidAPI lookups of the dashboard's analysis pages (reference §2.5 items 22-27).

Nothing here talks to RapidAPI: a lookup runs as the arq job `social_lookup` on a worker
(`jobs.queue.lookup_social`) and the request waits for its answer. Every miss is a paid call
for any username a signed-in user types (reference weakness 9), so answers are cached in
Redis (profile and info one hour, post lists ten minutes) and each dashboard user may cause
at most 30 lookups per 10 minutes; cache hits are free. A `client_id`, when given, must be
in the caller's scope (403).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from jobs.queue import lookup_social
from storage.dashboard_data import client_profile
from storage.identifiers import (
    InvalidUsername,
    parse_instagram_username,
    parse_tiktok_username,
)
from web import rate_limit
from web.data_params import CLIENT_HEADER, CLIENT_PARAM
from web.errors import ApiError
from web.openapi import Param, documented
from web.security import Principal, authenticate, requested_client_id, require_client

LOOKUP_TIMEOUT = 25.0  # seconds a request waits for the worker's answer
LOOKUPS_PER_USER = rate_limit.Limit("social-lookup", 30, 10 * 60)
DEFAULT_LIMIT, MAX_LIMIT = 10, 100
PROFILE_CACHE_SECONDS, POSTS_CACHE_SECONDS = 3600, 600
MAX_USERNAME_INPUT = 200

_FAILURES = {
    "not_found": (404, "Akun tidak ditemukan."),
    "failed": (502, "Layanan RapidAPI sedang bermasalah. Silakan coba lagi nanti."),
    "unavailable": (503, "Layanan pencarian akun belum tersedia."),
    "timeout": (504, "Layanan RapidAPI tidak merespons tepat waktu. Silakan coba lagi."),
}


@dataclass(frozen=True)
class Lookup:
    kind: str  # a job kind of jobs/social_lookup.py
    username: str  # normalised
    limit: int = 0  # 0: not a post list

    @property
    def cache_key(self) -> str:
        return f"social_lookup:{self.kind}:{self.username}:{self.limit}"

    @property
    def cache_seconds(self) -> int:
        return POSTS_CACHE_SECONDS if self.limit else PROFILE_CACHE_SECONDS


# --- reading the request ------------------------------------------------------------------------

def _username(request: Request, parse: Callable[[str], str]) -> str | None:
    """`username` normalised by `parse` (bare, @name or profile URL); None when absent."""
    raw = (request.query_params.get("username") or "").strip()
    if not raw:
        return None
    if len(raw) > MAX_USERNAME_INPUT:
        raise ApiError(400, "username terlalu panjang")
    try:
        return parse(raw)
    except InvalidUsername as exc:
        raise ApiError(400, str(exc)) from None


def _required_username(request: Request, parse: Callable[[str], str]) -> str:
    username = _username(request, parse)
    if username is None:
        raise ApiError(400, "username wajib diisi")
    return username


def _limit(request: Request) -> int:
    """`limit` clamped to 1..MAX_LIMIT (default DEFAULT_LIMIT); 400 when not an integer."""
    raw = (request.query_params.get("limit") or "").strip()
    if not raw:
        return DEFAULT_LIMIT
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "limit harus bilangan bulat") from None
    return min(max(value, 1), MAX_LIMIT)


def _client_given(request: Request) -> bool:
    return bool((request.query_params.get("client_id") or "").strip()
                or (request.headers.get("x-client-id") or "").strip())


async def _signed_in(request: Request) -> Principal:
    """The caller; a `client_id` they name must be theirs to see (403)."""
    principal = await authenticate(request)
    if _client_given(request):
        await require_client(request, principal, requested_client_id(request, principal))
    return principal


async def _client_tiktok(request: Request, principal: Principal) -> str:
    """The stored TikTok handle of the client in scope (query, header or token client)."""
    client_id = requested_client_id(request, principal)
    await require_client(request, principal, client_id)
    profile = await client_profile(request.app.state.engine, client_id)
    if profile is None:
        raise ApiError(404, "Client tidak ditemukan")
    try:
        return parse_tiktok_username(profile.tiktok or "")
    except InvalidUsername:
        raise ApiError(404, "Client belum memiliki akun TikTok yang valid") from None


# --- the lookup -----------------------------------------------------------------------------------

async def _answer(request: Request, principal: Principal, lookup: Lookup) -> JSONResponse:
    """Cached answer, else one rate-limited lookup on a worker (cached when it succeeds)."""
    if not request.app.state.settings.rapidapi_key:
        raise ApiError(*_FAILURES["unavailable"])
    redis = request.app.state.redis
    cached = await redis.get(lookup.cache_key)
    if cached is not None:
        return _success(json.loads(cached))
    await rate_limit.consume(redis, LOOKUPS_PER_USER, principal.dashboard_user_id)
    result = await lookup_social(redis, lookup.kind, lookup.username, lookup.limit,
                                 LOOKUP_TIMEOUT)
    outcome = result.get("outcome")
    if outcome != "ok":
        raise ApiError(*_FAILURES.get(str(outcome), _FAILURES["failed"]))
    await redis.set(lookup.cache_key, json.dumps(result["data"]), ex=lookup.cache_seconds)
    return _success(result["data"])


def _success(data: Any) -> JSONResponse:
    return JSONResponse({"success": True, "data": data})


# --- endpoints ------------------------------------------------------------------------------------

_TAGS = ["rapidapi"]
_USERNAME = Param("username", {"type": "string", "minLength": 1, "maxLength": MAX_USERNAME_INPUT},
                  required=True, description="Username, @username atau URL profil")
_OPTIONAL_USERNAME = Param("username", {"type": "string", "maxLength": MAX_USERNAME_INPUT},
                           description="Username, @username atau URL profil; kosong: akun "
                                       "TikTok client (client_id, header, atau client token)")
_LIMIT = Param("limit", {"type": "integer", "default": DEFAULT_LIMIT},
               description=f"Jumlah konten, dibatasi 1..{MAX_LIMIT}")
_RESPONSES = {200: "OK", 400: "username/limit tidak valid", 401: "Token tidak valid",
              403: "client_id tidak diizinkan", 404: "Akun atau client tidak ditemukan",
              429: "Terlalu banyak pencarian (30 per 10 menit per pengguna)",
              502: "RapidAPI gagal", 503: "RapidAPI belum dikonfigurasi",
              504: "RapidAPI tidak menjawab tepat waktu"}
_CLIENT = [CLIENT_PARAM, CLIENT_HEADER]


@documented(summary="Profil Instagram dari RapidAPI (cache 1 jam)", tags=_TAGS,
            params=[_USERNAME, *_CLIENT], responses=_RESPONSES)
async def instagram_profile(request: Request) -> JSONResponse:
    principal = await _signed_in(request)
    username = _required_username(request, parse_instagram_username)
    return await _answer(request, principal, Lookup("instagram-profile", username))


@documented(summary="Info mentah akun Instagram dari RapidAPI (cache 1 jam)", tags=_TAGS,
            params=[_USERNAME, *_CLIENT], responses=_RESPONSES)
async def instagram_info(request: Request) -> JSONResponse:
    principal = await _signed_in(request)
    username = _required_username(request, parse_instagram_username)
    return await _answer(request, principal, Lookup("instagram-info", username))


@documented(summary="Konten terbaru akun Instagram dari RapidAPI (cache 10 menit)", tags=_TAGS,
            params=[_USERNAME, _LIMIT, *_CLIENT], responses=_RESPONSES)
async def instagram_posts(request: Request) -> JSONResponse:
    principal = await _signed_in(request)
    username = _required_username(request, parse_instagram_username)
    lookup = Lookup("instagram-posts", username, _limit(request))
    return await _answer(request, principal, lookup)


@documented(summary="Profil TikTok dari RapidAPI (cache 1 jam)", tags=_TAGS,
            params=[_USERNAME, *_CLIENT], responses=_RESPONSES)
async def tiktok_profile(request: Request) -> JSONResponse:
    principal = await _signed_in(request)
    username = _required_username(request, parse_tiktok_username)
    return await _answer(request, principal, Lookup("tiktok-profile", username))


async def _tiktok_account(request: Request) -> tuple[Principal, str]:
    """`username` when given (the reference ignored it), else the client's own account."""
    principal = await _signed_in(request)
    username = _username(request, parse_tiktok_username)
    return principal, username or await _client_tiktok(request, principal)


@documented(summary="Info akun TikTok dari RapidAPI (cache 1 jam)", tags=_TAGS,
            params=[_OPTIONAL_USERNAME, *_CLIENT], responses=_RESPONSES)
async def tiktok_info(request: Request) -> JSONResponse:
    principal, username = await _tiktok_account(request)
    return await _answer(request, principal, Lookup("tiktok-info", username))


@documented(summary="Video terbaru akun TikTok dari RapidAPI (cache 10 menit)", tags=_TAGS,
            params=[_OPTIONAL_USERNAME, _LIMIT, *_CLIENT], responses=_RESPONSES)
async def tiktok_posts(request: Request) -> JSONResponse:
    principal, username = await _tiktok_account(request)
    lookup = Lookup("tiktok-posts", username, _limit(request))
    return await _answer(request, principal, lookup)


routes = [
    Route("/api/insta/rapid-profile", instagram_profile, methods=["GET"]),
    Route("/api/insta/rapid-info", instagram_info, methods=["GET"]),
    Route("/api/insta/rapid-posts", instagram_posts, methods=["GET"]),
    Route("/api/tiktok/rapid-profile", tiktok_profile, methods=["GET"]),
    Route("/api/tiktok/rapid-info", tiktok_info, methods=["GET"]),
    Route("/api/tiktok/rapid-posts", tiktok_posts, methods=["GET"]),
]
