"""Personnel login for the app (the reference's `/api/auth/user-login`, which took NRP + the
WhatsApp number, no secret at all): the person asks for a one-time code, which is sent to
their registered WhatsApp (or e-mail), and trades it for a personnel token
(web/personnel_tokens.py) that opens only their own link reports.

No enumeration: asking for a code answers the same 202 whether or not the NRP exists, is
active or has a contact; a wrong code and an unknown NRP get the same 401. Rate limited like
the dashboard login: code requests per NRP and per IP, code checks per NRP, failures per IP.
"""

from __future__ import annotations

import secrets

import structlog
from redis.exceptions import RedisError
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.outbox import enqueue
from cicero.sessions import SessionName
from jobs.queue import enqueue_email
from menus import personnel_login as texts
from storage import one_time_codes
from storage.identifiers import InvalidIdentifier, InvalidNrp, normalize_nrp
from storage.personnel_login import LoginContact, login_contact
from web import rate_limit
from web.errors import ApiError
from web.openapi import documented
from web.personnel_tokens import (
    authenticate_personnel,
    issue_personnel_token,
    revoke_personnel_token,
)
from web.requests import json_body, text_field

log = structlog.get_logger(__name__)

SCOPE = "personnel-login"
CODE_REQUESTS_PER_NRP = rate_limit.Limit("user-login-request", 5, 15 * 60)
CODE_REQUESTS_PER_IP = rate_limit.Limit("user-login-request-ip", 30, 3600)
CODE_CHECKS_PER_NRP = rate_limit.Limit("user-login-check", 10, 15 * 60)
CHANNELS = ("whatsapp", "email")
_TAGS = ["Auth personel"]
_NRP_SCHEMA = {"type": "string", "pattern": "^[0-9]{6,18}$",
               "description": "NRP (6–12 digit) atau NIP (18 digit)"}


def _nrp(body: dict) -> str:
    try:
        return normalize_nrp(text_field(body, "nrp", max_length=40) or "")
    except InvalidNrp as exc:
        raise ApiError(400, str(exc)) from None


async def _deliver(request: Request, person: LoginContact, channel: str) -> None:
    """Issue and send a code when the person can receive one on `channel`; otherwise say
    nothing (the caller answers the same either way)."""
    redis, settings = request.app.state.redis, request.app.state.settings
    target = person.whatsapp if channel == "whatsapp" else person.email
    if not person.active or not target:
        return
    minutes = one_time_codes.OTP_TTL_SECONDS // 60
    if channel == "email" and (not settings.smtp_host or not (settings.smtp_from
                                                              or settings.smtp_user)):
        raise ApiError(503, "Pengiriman email belum dikonfigurasi di server ini. Pilih "
                            "channel whatsapp atau hubungi admin Cicero.")
    code = await one_time_codes.issue_code(redis, SCOPE, person.user_id, "")
    try:
        if channel == "whatsapp":
            body = texts.login_code_whatsapp(name=person.name, rank=person.rank, code=code,
                                             valid_minutes=minutes)
            await enqueue(redis, SessionName.USER.value, target, body,
                          key=f"user-login:{person.user_id}:{secrets.token_hex(8)}")
        else:
            mail = texts.login_code_mail(name=person.name, rank=person.rank,
                                         nrp=person.user_id, code=code, valid_minutes=minutes)
            await enqueue_email(redis, target, mail.subject, mail.body)
    except InvalidIdentifier:  # a stored number WhatsApp cannot reach: no live code
        await one_time_codes.discard_code(redis, SCOPE, person.user_id)
        log.warning("user_login_code_undeliverable", channel=channel)
    except (RedisError, OSError):
        await one_time_codes.discard_code(redis, SCOPE, person.user_id)
        raise ApiError(503, "Antrean pengiriman sedang tidak tersedia. Coba lagi beberapa saat "
                            "lagi.") from None


@documented(summary="Minta kode login personel (dikirim ke WhatsApp atau email terdaftar)",
            tags=_TAGS, auth=False,
            body={"type": "object", "required": ["nrp"], "properties": {
                "nrp": _NRP_SCHEMA,
                "channel": {"type": "string", "enum": list(CHANNELS),
                            "description": "default whatsapp"}}},
            responses={202: "Diterima (jawaban sama untuk NRP apa pun)",
                       400: "Input tidak valid", 413: "Body terlalu besar",
                       429: "Terlalu banyak permintaan",
                       503: "Email belum dikonfigurasi / antrean tidak tersedia"})
async def request_code(request: Request) -> JSONResponse:
    redis = request.app.state.redis
    await rate_limit.consume(redis, CODE_REQUESTS_PER_IP, rate_limit.client_ip(request))
    body = await json_body(request)
    nrp = _nrp(body)
    channel = (text_field(body, "channel", required=False, max_length=20) or "whatsapp").lower()
    if channel not in CHANNELS:
        raise ApiError(400, "channel harus whatsapp atau email")
    await rate_limit.consume(redis, CODE_REQUESTS_PER_NRP, nrp)
    person = await login_contact(request.app.state.engine, nrp)
    if person is not None:
        await _deliver(request, person, channel)
    return JSONResponse({"success": True, "data": {"message": texts.CODE_SENT}},
                        status_code=202)


@documented(summary="Login personel dengan kode sekali pakai", tags=_TAGS, auth=False,
            body={"type": "object", "required": ["nrp", "otp"], "properties": {
                "nrp": _NRP_SCHEMA, "otp": {"type": "string", "pattern": "^[0-9]{6}$"}}},
            responses={200: "Token personel dan data personel", 400: "Input tidak valid",
                       401: "NRP atau kode salah / kedaluwarsa", 413: "Body terlalu besar",
                       429: "Terlalu banyak percobaan"})
async def login(request: Request) -> JSONResponse:
    redis, engine = request.app.state.redis, request.app.state.engine
    # Counted before the code is checked, like every login (web/rate_limit.py).
    await rate_limit.consume(redis, rate_limit.LOGIN_ATTEMPTS_PER_IP, rate_limit.client_ip(request))
    body = await json_body(request)
    nrp = _nrp(body)
    code = text_field(body, "otp", max_length=12) or ""
    if not code.isdigit() or len(code) != one_time_codes.OTP_DIGITS:
        raise ApiError(400, "Kode login harus 6 digit angka")
    await rate_limit.consume(redis, CODE_CHECKS_PER_NRP, nrp)
    person = await login_contact(engine, nrp)
    right = await one_time_codes.consume_code(redis, SCOPE, nrp, "", code)
    if not right or person is None or not person.active:
        raise ApiError(401, texts.BAD_CODE)
    token = issue_personnel_token(request.app.state.jwt_secret, person.user_id)
    return JSONResponse({"success": True, "token": token, "user": {
        "user_id": person.user_id, "nama": person.name, "title": person.rank, "role": "user",
        "client_id": person.client_id, "nama_client": person.client_name}})


@documented(summary="Logout personel (mencabut token ini)", tags=_TAGS,
            responses={200: "Token dicabut", 401: "Token tidak valid",
                       403: "Bukan token personel"})
async def logout(request: Request) -> JSONResponse:
    principal = await authenticate_personnel(request)
    await revoke_personnel_token(request, principal)
    return JSONResponse({"success": True, "message": texts.LOGGED_OUT})


routes = [
    Route("/api/auth/user-login/request", request_code, methods=["POST"]),
    Route("/api/auth/user-login", login, methods=["POST"]),
    Route("/api/auth/user-logout", logout, methods=["POST"]),
]
