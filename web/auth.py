"""Dashboard accounts over HTTP: login, logout, self-registration (approved by an admin over
WhatsApp or here), and password reset by a one-time link sent to the account's WhatsApp.

Differences from the reference, on purpose: one 401 message for unknown user and wrong
password, one 400 message for unknown user and wrong number on reset; registration never
grants admin; failed logins, registrations and reset requests are rate limited; the reset
token is stored hashed and never forwarded to admins; logout and reset revoke tokens on
every endpoint.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import structlog
from redis.exceptions import RedisError
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.outbox import enqueue
from cicero.clock import clock
from menus import dashboard_accounts as texts
from storage import dashboard_users as accounts
from storage.dashboard_users import DashboardAccount, DashboardUsernameTaken, NewAccount
from storage.identifiers import InvalidIdentifier, normalize_phone, phone_list
from storage.models import ApprovalStatus, ClientType, DashboardRole
from storage.token_revocation import revoke_all_tokens
from web import rate_limit
from web.errors import ApiError
from web.openapi import Param, documented
from web.passwords import hash_password, verify_password
from web.requests import json_body, text_field
from web.security import authenticate, issue_token, revoke_token

log = structlog.get_logger(__name__)

SESSION = "operator"  # the WhatsApp number that talks to admins and dashboard users
MIN_PASSWORD = 8
MAX_PASSWORD = 128
_BAD_CREDENTIALS = "Username atau password salah"
_RESET_MISMATCH = "Username atau nomor WhatsApp tidak sesuai dengan data akun"
_TAGS = ["Auth"]


def role_label(account: DashboardAccount) -> str:
    """The role the dashboard reads: admin, a directorate (e.g. "ditbinmas"), or operator."""
    if account.role is DashboardRole.ADMIN:
        return "admin"
    if account.role is DashboardRole.DIRECTORATE and account.directorate_id:
        return account.directorate_id.lower()
    return DashboardRole.OPERATOR.value


def account_json(account: DashboardAccount) -> dict[str, Any]:
    return {"dashboard_user_id": account.id, "username": account.username,
            "role": role_label(account), "status": account.status is ApprovalStatus.APPROVED,
            "approval_status": account.status.value, "user_id": account.user_id,
            "whatsapp": account.whatsapp, "client_ids": account.client_ids}


async def _notify(request: Request, to: str, body: str, key: str) -> None:
    """Queue one WhatsApp message; a failure is logged, never shown to the caller."""
    try:
        await enqueue(request.app.state.redis, SESSION, to, body, key=key)
    except (RedisError, InvalidIdentifier, ValueError):
        log.warning("dashboard_whatsapp_not_queued", key=key.split(":")[0])


def account_username(body: dict[str, Any]) -> str:
    """The username of a new account (dashboard or Penmas): lower-cased, 3-50 characters."""
    username = (text_field(body, "username", max_length=50) or "").lower()
    if not accounts.USERNAME_RE.fullmatch(username):
        raise ApiError(400, "username harus 3-50 karakter: huruf, angka, titik (.), garis "
                            "bawah (_) atau tanda hubung (-)")
    return username


def account_password(body: dict[str, Any], name: str = "password") -> str:
    password = text_field(body, name, max_length=MAX_PASSWORD)
    assert password is not None
    if len(password) < MIN_PASSWORD:
        raise ApiError(400, f"Password minimal {MIN_PASSWORD} karakter")
    return password


# --- login and logout -----------------------------------------------------------------------


async def verified_account(request: Request, username: str, password: str
                           ) -> DashboardAccount | None:
    """The account these credentials open, else None (unknown username or wrong password,
    in the same time). The attempt passes the login limits first (web/rate_limit.py, 429),
    so no password is checked beyond them; the API login and /masuk both come here."""
    engine, ip = request.app.state.engine, rate_limit.client_ip(request)
    account = await accounts.find_by_username(engine, username) if username else None
    # Asked for unknown usernames too, so the answer takes as long whether one exists or not.
    known = await accounts.logged_in_from(engine, account.id if account else "", ip)
    attempt = await rate_limit.login_attempt(request.app.state.redis, username, ip,
                                             known_source=known)
    if not await verify_password(password, account.password_hash if account else None) \
            or account is None:
        return None
    await attempt.succeeded()
    return account


LOGIN_BODY = {"type": "object", "required": ["username", "password"], "properties": {
    "username": {"type": "string", "minLength": 1, "maxLength": 100},
    "password": {"type": "string", "minLength": 1, "maxLength": 200}}}


@documented(summary="Login dashboard", tags=_TAGS, auth=False, body=LOGIN_BODY,
            responses={200: "Token dan data pengguna", 400: "Data tidak lengkap",
                       401: "Username atau password salah",
                       403: "Akun belum disetujui / ditolak / tanpa client",
                       413: "Body terlalu besar", 429: "Terlalu banyak percobaan gagal"})
async def login(request: Request) -> JSONResponse:
    body = await json_body(request)
    username = text_field(body, "username", max_length=100) or ""
    password = text_field(body, "password", max_length=200) or ""
    engine, ip = request.app.state.engine, rate_limit.client_ip(request)
    account = await verified_account(request, username, password)
    if account is None:
        raise ApiError(401, _BAD_CREDENTIALS)
    if account.status is ApprovalStatus.PENDING:
        raise ApiError(403, "Akun Anda belum disetujui admin")
    if account.status is ApprovalStatus.REJECTED:
        raise ApiError(403, "Akun Anda ditolak. Hubungi admin.")
    client_id = account.primary_client_id
    if client_id is None and account.role is DashboardRole.ADMIN:
        client_id = await accounts.first_client_id(engine)
    if client_id is None:
        raise ApiError(403, "Akun Anda belum terhubung dengan client mana pun. Hubungi admin.")
    token = issue_token(request.app.state.jwt_secret, dashboard_user_id=account.id,
                        username=account.username, role=account.role,
                        client_ids=account.client_ids, client_id=client_id)
    await accounts.record_login(engine, account.id, ip)
    return JSONResponse({"success": True, "token": token, "user": {
        "dashboard_user_id": account.id, "user_id": account.user_id,
        "role": role_label(account), "role_id": account.role.value,
        "client_ids": account.client_ids, "client_id": client_id}})


@documented(summary="Logout (mencabut token ini)", tags=_TAGS,
            responses={200: "Token dicabut", 401: "Token tidak valid"})
async def logout(request: Request) -> JSONResponse:
    principal = await authenticate(request)
    await revoke_token(request.app.state.redis, principal)
    return JSONResponse({"success": True, "message": "Anda telah logout"})


# --- registration ---------------------------------------------------------------------------

# What every account registration takes (dashboard here, Penmas in web/penmas_auth.py).
ACCOUNT_FIELDS = {
    "username": {"type": "string", "pattern": "^[A-Za-z0-9._-]{3,50}$"},
    "password": {"type": "string", "minLength": MIN_PASSWORD, "maxLength": MAX_PASSWORD},
    "whatsapp": {"type": "string", "minLength": 1, "maxLength": 64},
}
_REGISTER_BODY = {"type": "object", "required": ["username", "password", "whatsapp"],
                  "properties": {
                      **ACCOUNT_FIELDS,
                      "role": {"type": "string", "maxLength": 50,
                               "description": "operator, atau nama direktorat (mis. ditbinmas)"},
                      "role_id": {"type": "string", "maxLength": 50},
                      "client_id": {"type": "string", "maxLength": 64},
                      "client_ids": {"type": "array", "maxItems": 20,
                                     "items": {"type": "string", "maxLength": 64}}}}


def _requested_clients(body: dict[str, Any]) -> list[str]:
    ids = [text_field(body, "client_id", required=False, max_length=64)]
    extra = body.get("client_ids")
    if extra is not None:
        if not isinstance(extra, list) or len(extra) > 20 \
                or not all(isinstance(item, str) for item in extra):
            raise ApiError(400, "client_ids harus berupa daftar client_id")
        ids += [item.strip()[:64] for item in extra]
    return list(dict.fromkeys(i.upper() for i in ids if i))


async def _requested_role(request: Request, body: dict[str, Any]
                          ) -> tuple[DashboardRole, list[str]]:
    """The role and clients asked for. Never admin; an operator needs a client; a
    directorate is named by its client id (lower-case, e.g. "ditbinmas")."""
    role = (text_field(body, "role", required=False, max_length=50)
            or text_field(body, "role_id", required=False, max_length=50) or "operator").lower()
    clients = _requested_clients(body)
    if role == DashboardRole.ADMIN.value:
        raise ApiError(400, "Peran admin tidak dapat dipilih saat pendaftaran")
    directorate = [] if role == DashboardRole.OPERATOR.value else [role.upper()]
    known = await accounts.client_types(request.app.state.engine, directorate + clients)
    if directorate and known.get(directorate[0]) is not ClientType.DIRECTORATE:
        raise ApiError(400, f"Peran {role} tidak dikenal")
    if not directorate and not clients:
        raise ApiError(400, "client_id wajib diisi untuk peran operator")
    unknown = [client for client in clients if client not in known]
    if unknown:
        raise ApiError(400, f"client_id tidak dikenal: {', '.join(unknown)}")
    if directorate:
        return DashboardRole.DIRECTORATE, list(dict.fromkeys(directorate + clients))
    return DashboardRole.OPERATOR, clients


@documented(summary="Daftar akun dashboard (menunggu persetujuan admin)", tags=_TAGS,
            auth=False, body=_REGISTER_BODY,
            responses={201: "Akun dibuat, status menunggu persetujuan",
                       400: "Data tidak valid / username sudah dipakai",
                       413: "Body terlalu besar", 429: "Terlalu banyak pendaftaran"})
async def register(request: Request) -> JSONResponse:
    redis, engine = request.app.state.redis, request.app.state.engine
    await rate_limit.consume(redis, rate_limit.REGISTRATIONS_PER_IP,
                             rate_limit.client_ip(request))
    body = await json_body(request)
    username = account_username(body)
    password = account_password(body)
    try:
        whatsapp = normalize_phone(text_field(body, "whatsapp", max_length=64) or "")
    except InvalidIdentifier as exc:
        raise ApiError(400, str(exc)) from None
    role, client_ids = await _requested_role(request, body)
    if await accounts.username_taken(engine, username):
        raise ApiError(400, "Username sudah dipakai")
    new = NewAccount(username, await hash_password(password), role, whatsapp, client_ids)
    try:
        account_id = await accounts.create_account(engine, new)
    except DashboardUsernameTaken:
        raise ApiError(400, "Username sudah dipakai") from None
    label = client_ids[0].lower() if role is DashboardRole.DIRECTORATE else role.value
    announcement = texts.registration_request(username, account_id, label, whatsapp, client_ids)
    for admin in phone_list(request.app.state.settings.admin_whatsapp):
        await _notify(request, admin, announcement, f"dashboard-registration:{account_id}:{admin}")
    await _notify(request, whatsapp, texts.registration_received(username),
                  f"dashboard-registration:{account_id}:ack")
    return JSONResponse({"success": True, "dashboard_user_id": account_id, "status": False},
                        status_code=201)


# --- password reset -------------------------------------------------------------------------

_RESET_REQUEST_BODY = {"type": "object", "required": ["username", "contact"], "properties": {
    "username": {"type": "string", "minLength": 1, "maxLength": 100},
    "contact": {"type": "string", "minLength": 1, "maxLength": 64,
                "description": "nomor WhatsApp yang terdaftar pada akun"}}}
_RESET_CONFIRM_BODY = {"type": "object", "required": ["token", "password"], "properties": {
    "token": {"type": "string", "minLength": 1, "maxLength": 200},
    "password": {"type": "string", "minLength": MIN_PASSWORD, "maxLength": MAX_PASSWORD},
    "confirmPassword": {"type": "string", "maxLength": MAX_PASSWORD},
    "password_confirmation": {"type": "string", "maxLength": MAX_PASSWORD}}}


def _reset_message(request: Request, username: str, token: str) -> str:
    settings = request.app.state.settings
    minutes = settings.dashboard_reset_token_expiry_minutes
    base = settings.dashboard_password_reset_url or (
        settings.dashboard_url.rstrip("/") + "/reset-password" if settings.dashboard_url
        else None)
    if base is None:
        return texts.password_reset_token(username, token, minutes)
    separator = "&" if "?" in base else "?"
    return texts.password_reset_link(username, f"{base}{separator}token={token}", minutes)


@documented(summary="Minta tautan reset password (dikirim ke WhatsApp akun)", tags=_TAGS,
            auth=False, body=_RESET_REQUEST_BODY,
            responses={200: "Tautan dikirim", 400: "Data tidak valid atau tidak sesuai",
                       413: "Body terlalu besar", 429: "Terlalu banyak permintaan"})
async def reset_request(request: Request) -> JSONResponse:
    redis, engine = request.app.state.redis, request.app.state.engine
    await rate_limit.consume(redis, rate_limit.RESET_REQUESTS_PER_IP,
                             rate_limit.client_ip(request))
    body = await json_body(request)
    username = text_field(body, "username", max_length=100) or ""
    contact = text_field(body, "contact", max_length=64) or ""
    try:
        phone = normalize_phone(contact)
    except InvalidIdentifier as exc:
        raise ApiError(400, str(exc)) from None
    account = await accounts.find_by_username(engine, username)
    if account is None or account.whatsapp != phone:
        raise ApiError(400, _RESET_MISMATCH)
    token, now = secrets.token_urlsafe(32), clock.now()
    minutes = request.app.state.settings.dashboard_reset_token_expiry_minutes
    await accounts.store_reset_token(engine, account.id, phone, token,
                                     now + timedelta(minutes=minutes), now)
    await enqueue(redis, SESSION, phone, _reset_message(request, account.username, token),
                  key=f"dashboard-reset:{secrets.token_hex(8)}", secret_for=minutes * 60)
    return JSONResponse({"success": True,
                         "message": "Tautan reset password telah dikirim ke WhatsApp Anda"})


@documented(summary="Setel password baru dengan token reset", tags=_TAGS, auth=False,
            body=_RESET_CONFIRM_BODY,
            responses={200: "Password diganti, semua sesi lama dicabut",
                       400: "Data tidak valid / token tidak berlaku", 413: "Body terlalu besar"})
async def reset_confirm(request: Request) -> JSONResponse:
    body = await json_body(request)
    token = text_field(body, "token", max_length=200) or ""
    password = text_field(body, "password", max_length=MAX_PASSWORD) or ""
    confirmations = [text_field(body, name, required=False, max_length=MAX_PASSWORD)
                     for name in ("confirmPassword", "password_confirmation")]
    given = [value for value in confirmations if value is not None]
    if not given:
        raise ApiError(400, "confirmPassword wajib diisi")
    if any(value != password for value in given):
        raise ApiError(400, "Konfirmasi password tidak sama")
    account_password(body)
    account_id = await accounts.consume_reset_token(
        request.app.state.engine, token, await hash_password(password), clock.now())
    if account_id is None:
        raise ApiError(400, "Token reset tidak valid, sudah dipakai, atau sudah kedaluwarsa")
    await revoke_all_tokens(request.app.state.redis, account_id)
    return JSONResponse({"success": True, "message": "Password berhasil diganti. Silakan login "
                                                     "dengan password baru."})


# --- approval by an admin -------------------------------------------------------------------

_ACCOUNT_ID = Param("id", {"type": "string", "format": "uuid"}, required=True,
                    description="dashboard_user_id", location="path")


async def _decide(request: Request, status: ApprovalStatus) -> JSONResponse:
    principal = await authenticate(request)
    if not principal.is_admin:
        raise ApiError(403, "Hanya admin yang dapat menyetujui atau menolak akun dashboard")
    changed = await accounts.set_status(request.app.state.engine, request.path_params["id"],
                                        status)
    if changed is None:
        raise ApiError(404, "Akun dashboard tidak ditemukan")
    previous, account = changed
    if status is ApprovalStatus.REJECTED:
        await revoke_all_tokens(request.app.state.redis, account.id)
    if previous is not status and account.whatsapp:
        settings = request.app.state.settings
        message = (texts.account_approved(account.username, settings.dashboard_url)
                   if status is ApprovalStatus.APPROVED
                   else texts.account_rejected(account.username))
        await _notify(request, account.whatsapp, message,
                      f"dashboard-decision:{account.id}:{status.value}:{secrets.token_hex(4)}")
    return JSONResponse({"success": True, "data": account_json(account)})


@documented(summary="Setujui akun dashboard (admin)", tags=_TAGS, params=[_ACCOUNT_ID],
            responses={200: "Akun disetujui", 401: "Token tidak valid",
                       403: "Bukan admin", 404: "Akun tidak ditemukan"})
async def approve(request: Request) -> JSONResponse:
    return await _decide(request, ApprovalStatus.APPROVED)


@documented(summary="Tolak akun dashboard (admin); semua sesinya dicabut", tags=_TAGS,
            params=[_ACCOUNT_ID],
            responses={200: "Akun ditolak", 401: "Token tidak valid",
                       403: "Bukan admin", 404: "Akun tidak ditemukan"})
async def reject(request: Request) -> JSONResponse:
    return await _decide(request, ApprovalStatus.REJECTED)


# --- routing table --------------------------------------------------------------------------


routes = [
    Route("/api/auth/dashboard-login", login, methods=["POST"]),
    Route("/api/auth/dashboard-register", register, methods=["POST"]),
    Route("/api/auth/logout", logout, methods=["POST"]),
    Route("/api/auth/dashboard-password-reset/request", reset_request, methods=["POST"]),
    Route("/api/auth/dashboard-password-reset/confirm", reset_confirm, methods=["POST"]),
    # The reference's aliases of the reset endpoints.
    Route("/api/auth/password-reset/request", reset_request, methods=["POST"]),
    Route("/api/auth/password-reset/confirm", reset_confirm, methods=["POST"]),
    Route("/api/password-reset/request", reset_request, methods=["POST"]),
    Route("/api/password-reset/confirm", reset_confirm, methods=["POST"]),
    Route("/api/dashboard/users/{id}/approve", approve, methods=["PUT"]),
    Route("/api/dashboard/users/{id}/reject", reject, methods=["PUT"]),
]
