"""The official Satbinmas accounts of a satker (reference dashboard_api.md §4: GET/PUT
`/api/clients/{id}/satbinmas-official`, GET `.../satbinmas-official/data`, DELETE
`.../satbinmas-official/{account_id}`).

Reading needs the satker in the caller's scope (403). Writing needs more: an admin, or a
login the satker is granted to directly (a directorate's scope over its Polres does not
let it change their accounts): a user can never write another client's account (fix §9.4).
A PUT checks the account on its platform first (a worker runs the `save_satbinmas_account`
job, jobs/satbinmas_accounts.py, and the request waits for its outcome): a missing or
private account is never stored. Each check is a paid call: at most 30 per 10 minutes per
dashboard user.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from jobs.queue import save_satbinmas_account
from menus.satbinmas import profile_url
from storage.identifiers import InvalidUsername, parse_platform_username
from storage.models import ClientType, Platform
from storage.satbinmas_accounts import (
    SatbinmasAccount,
    account,
    accounts_of,
    delete_account,
    satker,
)
from storage.satbinmas_media import client_posts
from web import rate_limit
from web.data_params import PERIOD_PARAMS
from web.errors import ApiError
from web.openapi import Param, documented
from web.requests import json_body, requested_period, text_field
from web.security import Principal, authenticate, require_client

CHECK_TIMEOUT = 25.0  # seconds a PUT waits for the worker's check
CHECKS_PER_USER = rate_limit.Limit("satbinmas-account-check", 30, 10 * 60)
_OUTCOMES = {
    "not_found": (404, "Akun tidak ditemukan di platform tersebut."),
    "private": (422, "Akun privat: akun resmi harus publik agar kontennya bisa dipantau."),
    "taken": (409, "Akun sudah terdaftar sebagai akun resmi satker lain."),
    "failed": (502, "Layanan RapidAPI sedang bermasalah. Silakan coba lagi nanti."),
    "unavailable": (503, "Pemeriksaan akun belum tersedia."),
    "timeout": (504, "Layanan RapidAPI tidak merespons tepat waktu. Silakan coba lagi."),
}


def account_json(found: SatbinmasAccount) -> dict[str, Any]:
    return {"account_id": found.id, "client_id": found.client_id, "platform": found.platform.value,
            "username": found.username, "secuid": found.sec_uid,
            "display_name": found.display_name, "profile_url": profile_url(found.platform,
                                                                          found.username),
            "bio": found.biography, "avatar_url": found.avatar_url,
            "followers": found.followers, "following": found.following,
            "post_count": found.post_count, "is_verified": found.is_verified,
            "is_private": found.is_private,
            "checked_at": found.checked_at.isoformat() if found.checked_at else None,
            "updated_at": found.updated_at.isoformat()}


def _client_id(request: Request) -> str:
    raw = request.path_params["client_id"].strip()
    if not raw or len(raw) > 64:
        raise ApiError(400, "client_id tidak valid")
    return raw.upper()


async def _readable(request: Request) -> str:
    """The path's client, in the caller's scope (403) and existing (404)."""
    principal = await authenticate(request)
    client_id = _client_id(request)
    await require_client(request, principal, client_id)
    if await satker(request.app.state.engine, client_id) is None:
        raise ApiError(404, "Client tidak ditemukan")
    return client_id


async def _writable(request: Request) -> tuple[Principal, str]:
    """The path's satker, when the caller may change its accounts."""
    principal = await authenticate(request)
    client_id = _client_id(request)
    if not principal.is_admin and client_id not in principal.client_ids:
        raise ApiError(403, "client_id tidak diizinkan")
    found = await satker(request.app.state.engine, client_id)
    if found is None:
        raise ApiError(404, "Client tidak ditemukan")
    if found.type is not ClientType.ORG:
        raise ApiError(400, "Akun resmi Satbinmas hanya untuk satker (Polres)")
    return principal, client_id


_PATH = Param("client_id", {"type": "string", "minLength": 1, "maxLength": 64}, required=True,
              location="path", description="Satker (Polres)")
_ACCOUNT = Param("account_id", {"type": "integer"}, required=True, location="path",
                 description="account_id dari daftar akun")
_READ_RESPONSES = {200: "OK", 401: "Token tidak valid", 403: "client_id tidak diizinkan",
                   404: "Client tidak ditemukan"}
_TAGS = ["satbinmas"]


@documented(summary="Akun resmi Satbinmas satker", tags=_TAGS, params=[_PATH],
            responses=_READ_RESPONSES)
async def list_accounts(request: Request) -> JSONResponse:
    client_id = await _readable(request)
    accounts = await accounts_of(request.app.state.engine, client_id)
    return JSONResponse({"success": True, "data": [account_json(a) for a in accounts]})


_PUT_BODY = {
    "type": "object", "required": ["platform", "username"], "additionalProperties": False,
    "properties": {"platform": {"type": "string", "enum": [p.value for p in Platform]},
                   "username": {"type": "string", "minLength": 1, "maxLength": 200}},
}


@documented(summary="Tambah/ubah akun resmi Satbinmas satker (diperiksa ke RapidAPI dulu)",
            tags=_TAGS, params=[_PATH], body=_PUT_BODY,
            responses={200: "Akun diperbarui", 201: "Akun ditambahkan",
                       400: "platform/username tidak valid", 401: "Token tidak valid",
                       403: "Bukan satker Anda", 404: "Client atau akun tidak ditemukan",
                       409: "Akun milik satker lain", 422: "Akun privat",
                       429: "Terlalu banyak pemeriksaan (30 per 10 menit per pengguna)",
                       502: "RapidAPI gagal", 503: "RapidAPI belum dikonfigurasi",
                       504: "RapidAPI tidak menjawab tepat waktu"})
async def save(request: Request) -> JSONResponse:
    principal, client_id = await _writable(request)
    body = await json_body(request)
    unknown = sorted(set(body) - {"platform", "username"})
    if unknown:
        raise ApiError(400, f"Field tidak dikenal: {', '.join(unknown)}")
    try:
        platform = Platform(str(text_field(body, "platform", max_length=20)).lower())
    except ValueError:
        raise ApiError(400, "platform harus instagram atau tiktok") from None
    try:
        username = parse_platform_username(platform, str(text_field(body, "username")))
    except InvalidUsername as exc:
        raise ApiError(400, str(exc)) from None
    if not request.app.state.settings.rapidapi_key:
        raise ApiError(*_OUTCOMES["unavailable"])
    redis = request.app.state.redis
    await rate_limit.consume(redis, CHECKS_PER_USER, principal.dashboard_user_id)
    result = await save_satbinmas_account(redis, client_id, platform.value, username,
                                          CHECK_TIMEOUT)
    outcome = str(result.get("outcome"))
    if outcome not in ("created", "updated"):
        raise ApiError(*_OUTCOMES.get(outcome, _OUTCOMES["failed"]))
    stored = await account(request.app.state.engine, int(result["account_id"]))
    if stored is None:  # deleted right after it was stored
        raise ApiError(404, "Akun tidak ditemukan")
    return JSONResponse({"success": True, "created": outcome == "created",
                         "data": account_json(stored)},
                        status_code=201 if outcome == "created" else 200)


@documented(summary="Hapus akun resmi Satbinmas satker", tags=_TAGS, params=[_PATH, _ACCOUNT],
            responses={200: "Dihapus", 401: "Token tidak valid", 403: "Bukan satker Anda",
                       404: "Akun tidak ditemukan"})
async def remove(request: Request) -> JSONResponse:
    _, client_id = await _writable(request)
    raw = request.path_params["account_id"]
    if not raw.isdigit() or len(raw) > 18:
        raise ApiError(404, "Akun tidak ditemukan")
    if not await delete_account(request.app.state.engine, client_id, int(raw)):
        raise ApiError(404, "Akun tidak ditemukan")
    return JSONResponse({"success": True, "data": {"account_id": int(raw)}})


@documented(summary="Konten akun resmi Satbinmas satker dalam satu periode", tags=_TAGS,
            params=[_PATH, *PERIOD_PARAMS], responses={**_READ_RESPONSES,
                                                       400: "Parameter tidak valid"})
async def data(request: Request) -> JSONResponse:
    client_id = await _readable(request)
    period = requested_period(request)
    engine = request.app.state.engine
    accounts = await accounts_of(engine, client_id)
    posts = await client_posts(engine, client_id, period)
    summary = {platform.value: {"posts": 0, "likes": 0, "comments": 0, "views": 0}
               for platform in Platform}
    for post in posts:
        totals = summary[post.platform.value]
        totals["posts"] += 1
        totals["likes"] += post.like_count or 0
        totals["comments"] += post.comment_count or 0
        totals["views"] += post.view_count or 0
    return JSONResponse({"success": True, "data": {
        "client_id": client_id,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "accounts": [account_json(a) for a in accounts],
        "summary": summary,
        "posts": [{"account_id": p.account_id, "platform": p.platform.value,
                   "username": p.username, "id": p.external_id,
                   "created_at": p.posted_at.isoformat(), "caption": p.caption,
                   "is_video": p.is_video, "like_count": p.like_count,
                   "comment_count": p.comment_count, "view_count": p.view_count}
                  for p in posts]}})


routes = [
    Route("/api/clients/{client_id}/satbinmas-official", list_accounts, methods=["GET"]),
    Route("/api/clients/{client_id}/satbinmas-official", save, methods=["PUT"]),
    Route("/api/clients/{client_id}/satbinmas-official/data", data, methods=["GET"]),
    Route("/api/clients/{client_id}/satbinmas-official/{account_id}", remove,
          methods=["DELETE"]),
]
