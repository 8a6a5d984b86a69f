"""Penmas logins over HTTP: registration (always a writer, `penulis`), login with username and
password, logout.

Differences from the reference, on purpose: the role cannot be chosen at registration (an
editor is made by an administrator: `cicero penmas role USERNAME editor`); passwords are
hashed like dashboard accounts' (web/passwords.py); one 401 message for unknown user and
wrong password; registrations and logins are rate limited; the token is a Penmas token that
no dashboard route accepts (web/penmas_security.py).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from storage import penmas_accounts as accounts
from storage.identifiers import InvalidIdentifier, normalize_phone
from storage.models import PenmasRole
from web import rate_limit
from web.auth import ACCOUNT_FIELDS, LOGIN_BODY, account_password, account_username
from web.errors import ApiError
from web.openapi import documented
from web.passwords import hash_password, verify_password
from web.penmas_security import authenticate_penmas, issue_penmas_token, revoke_penmas_token
from web.requests import json_body, text_field

_TAGS = ["Penmas"]
_BAD_CREDENTIALS = "Username atau password salah"
# Every attempt counts (a success too): generous for people, tight for a guessing script.
LOGINS_PER_USERNAME = rate_limit.Limit("penmas-login-user", 10, 15 * 60)
LOGINS_PER_IP = rate_limit.Limit("penmas-login-ip", 30, 15 * 60)


def account_json(account: accounts.PenmasAccount) -> dict[str, Any]:
    return {"user_id": account.id, "username": account.username, "role": account.role.value,
            "nama": account.name, "whatsapp": account.whatsapp}


_REGISTER_BODY = {"type": "object", "required": ["username", "password", "whatsapp"],
                  "properties": {
                      **ACCOUNT_FIELDS,
                      "nama": {"type": "string", "maxLength": 100},
                      "role": {"type": "string", "enum": [PenmasRole.WRITER.value],
                               "description": "selalu penulis; editor diberikan oleh admin"}}}


@documented(summary="Daftar akun Penmas (selalu sebagai penulis)", tags=_TAGS, auth=False,
            body=_REGISTER_BODY,
            responses={201: "Akun penulis dibuat", 400: "Data tidak valid / username dipakai",
                       413: "Body terlalu besar", 429: "Terlalu banyak pendaftaran"})
async def register(request: Request) -> JSONResponse:
    await rate_limit.consume(request.app.state.redis, rate_limit.REGISTRATIONS_PER_IP,
                             rate_limit.client_ip(request))
    body = await json_body(request)
    username, password = account_username(body), account_password(body)
    role = text_field(body, "role", required=False, max_length=50)
    if role is not None and role.lower() != PenmasRole.WRITER.value:
        raise ApiError(400, "role tidak dapat dipilih saat pendaftaran: akun baru selalu "
                            "penulis, peran editor diberikan oleh admin")
    try:
        whatsapp = normalize_phone(text_field(body, "whatsapp", max_length=64) or "")
    except InvalidIdentifier as exc:
        raise ApiError(400, f"whatsapp: {exc}") from None
    name = text_field(body, "nama", required=False, max_length=100)
    try:
        account = await accounts.create_writer(request.app.state.engine, username,
                                               await hash_password(password), name, whatsapp)
    except accounts.PenmasUsernameTaken:
        raise ApiError(400, "username sudah dipakai") from None
    return JSONResponse({"success": True, "user_id": account.id, "role": account.role.value},
                        status_code=201)




@documented(summary="Login Penmas (token Penmas, hanya untuk rute editorial)", tags=_TAGS,
            auth=False, body=LOGIN_BODY,
            responses={200: "Token dan data akun", 400: "Data tidak lengkap",
                       401: "Username atau password salah", 413: "Body terlalu besar",
                       429: "Terlalu banyak percobaan"})
async def login(request: Request) -> JSONResponse:
    body = await json_body(request)
    username = text_field(body, "username", max_length=100) or ""
    password = text_field(body, "password", max_length=200) or ""
    redis = request.app.state.redis
    await rate_limit.consume(redis, LOGINS_PER_IP, rate_limit.client_ip(request))
    await rate_limit.consume(redis, LOGINS_PER_USERNAME, username)
    account = await accounts.find_by_username(request.app.state.engine, username)
    if not await verify_password(password, account.password_hash if account else None) \
            or account is None:
        raise ApiError(401, _BAD_CREDENTIALS)
    token = issue_penmas_token(request.app.state.jwt_secret, account)
    return JSONResponse({"success": True, "token": token, "user": account_json(account)})


@documented(summary="Logout Penmas (mencabut token ini)", tags=_TAGS,
            responses={200: "Token dicabut", 401: "Token Penmas tidak valid"})
async def logout(request: Request) -> JSONResponse:
    principal = await authenticate_penmas(request)
    await revoke_penmas_token(request, principal)
    return JSONResponse({"success": True, "message": "Anda telah logout"})


routes = [
    Route("/api/auth/penmas-register", register, methods=["POST"]),
    Route("/api/auth/penmas-login", login, methods=["POST"]),
    Route("/api/auth/penmas-logout", logout, methods=["POST"]),
]
