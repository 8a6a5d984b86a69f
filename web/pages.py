"""Server-rendered admin pages: /masuk (login), /keluar (logout), /wa (web/pages_wa.py) and
/sandbox (a WhatsApp-like chat with the bot on the sandbox
transport, as one number in a personal chat or in a group) with its JSON helpers under
/sandbox/api/, which also hands out the documents and images the bot sent.

Pages accept only the `cicero_admin` cookie (httpOnly, SameSite=Strict) holding a token from
web/security.py issue_token, granted to approved dashboard accounts with role admin; the JSON
API under /api never reads cookies. POSTs that carry an Origin header must come from this
host. Failed logins count against the same rate limits as the API login (web/rate_limit.py).

The sandbox's door into the bot: this module imports `submit_inbound`, `read_outbound` and
`sent_document` of bot/sandbox.py, nothing else of bot.
"""

from __future__ import annotations

import re
import secrets
import time
import uuid
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import structlog
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.sandbox import read_outbound, sent_document, submit_inbound
from cicero.clock import clock
from cicero.messages import Document, InboundMessage
from cicero.sessions import SessionName
from demo import seed as demo
from storage import dashboard_users as accounts
from storage.identifiers import (
    InvalidIdentifier,
    normalize_group_jid,
    normalize_phone,
    phone_to_jid,
)
from storage.models import ApprovalStatus, DashboardRole
from web import page_templates as templates
from web import rate_limit
from web.auth import verified_account
from web.errors import ApiError
from web.openapi import Param, documented
from web.requests import checked_text, json_body, read_body, text_field
from web.security import TOKEN_SECONDS, Principal, issue_token, principal_of_token, revoke_token

log = structlog.get_logger(__name__)

COOKIE = "cicero_admin"
PAGES = ("/wa", "/sandbox")  # where a login may continue to
SANDBOX_HISTORY_MS = 30 * 60 * 1000  # a freshly opened chat shows the last half hour
MAX_FORM_BYTES = 8 * 1024
MAX_TEXT = 4096
_BAD_LOGIN = "Username atau password salah, atau akun ini bukan admin."
_SIGNED_OUT = "Anda telah keluar."
_CURSOR_RE = re.compile(r"\d{1,19}-\d{1,19}")  # stays below 2**64
_MESSAGE_ID_RE = re.compile(r"[0-9A-Z]{4,40}")
_TAGS = ["pages"]
_SESSIONS = (SessionName.USER, SessionName.OPERATOR, SessionName.GATEWAY)
_COOKIE_PARAM = Param(COOKIE, location="cookie",
                      description="Token sesi admin yang diberikan oleh /masuk")
DEMO_NUMBERS = [
    (demo.DEMO_UNREGISTERED_PHONE, "Belum terdaftar"),
    (demo.DEMO_OFFICER_PHONE, "Personel BRIPKA AGUS SETIAWAN"),
    (demo.DEMO_OPERATOR_PHONE, "Operator POLRES_LAMONGAN"),
    (demo.DEMO_SUPER_ADMIN_PHONE, "Super admin DITBINMAS"),
]


# --- the admin cookie -------------------------------------------------------------------------


async def cookie_principal(request: Request) -> Principal | None:
    """The admin behind the page cookie, or None. The token is checked exactly as a Bearer
    token (signature, expiry, revocation)."""
    token = request.cookies.get(COOKIE, "").strip()
    if not token or len(token) > 4096:
        return None
    try:
        principal = await principal_of_token(request, token)
    except ApiError:
        return None
    return principal if principal.role is DashboardRole.ADMIN else None


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc.lower() == request.headers.get("host", "").lower()


def _next_path(value: str | None) -> str:
    return value if value in PAGES else PAGES[0]


def _html(content: str, nonce: str, status: int = 200,
          headers: dict[str, str] | None = None) -> HTMLResponse:
    csp = ("default-src 'self'; img-src 'self' data:; connect-src 'self'; "
           f"script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
           "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
    return HTMLResponse(content, status_code=status, headers={
        "Content-Security-Policy": csp, "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin", "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff", **(headers or {})})


def _to_login(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/masuk?next={request.url.path}", status_code=303)


# --- login and logout -------------------------------------------------------------------------


async def _form(request: Request) -> dict[str, str]:
    raw = await read_body(request, MAX_FORM_BYTES)
    try:
        fields = parse_qs(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=20,
                          errors="strict")
    except ValueError:  # includes UnicodeDecodeError
        raise ApiError(400, "Isi formulir tidak valid") from None
    return {checked_text("Formulir", name): checked_text(name, values[0])
            for name, values in fields.items()}


async def _admin_account(request: Request, username: str, password: str
                         ) -> accounts.DashboardAccount | None:
    """The approved admin account for these credentials; None otherwise (same time)."""
    account = await verified_account(request, username, password)
    if account is None or account.role is not DashboardRole.ADMIN \
            or account.status is not ApprovalStatus.APPROVED:
        return None
    return account


@documented(summary="Halaman masuk admin", tags=_TAGS, auth=False,
            params=[Param("next", {"type": "string", "enum": list(PAGES)},
                          description="Halaman tujuan setelah masuk"),
                    Param("keluar", {"type": "string", "enum": ["1"]},
                          description="1: baru keluar, halaman menyatakannya")],
            responses={200: "Formulir masuk (HTML)", 303: "Sudah masuk: ke halaman tujuan"})
async def login_page(request: Request) -> Response:
    next_path = _next_path(request.query_params.get("next"))
    if await cookie_principal(request) is not None:
        return RedirectResponse(next_path, status_code=303)
    nonce = secrets.token_urlsafe(16)
    notice = _SIGNED_OUT if request.query_params.get("keluar") == "1" else ""
    return _html(templates.login_page(nonce=nonce, next_path=next_path, notice=notice), nonce)


_LOGIN_FORM = {"x-media-type": "application/x-www-form-urlencoded", "type": "object",
               "required": ["username", "password"], "properties": {
                   "username": {"type": "string", "maxLength": 100},
                   "password": {"type": "string", "maxLength": 200},
                   "next": {"type": "string", "enum": list(PAGES)}}}


@documented(summary="Masuk admin (formulir)", tags=_TAGS, auth=False, body=_LOGIN_FORM,
            responses={303: "Berhasil: cookie sesi dipasang", 400: "Formulir tidak valid",
                       401: "Username/password salah atau bukan admin (HTML)",
                       403: "Asal permintaan lain", 413: "Formulir terlalu besar",
                       429: "Terlalu banyak percobaan gagal (HTML)"})
async def login_submit(request: Request) -> Response:
    if not _same_origin(request):
        raise ApiError(403, "Asal permintaan tidak diizinkan")
    form = await _form(request)
    username = form.get("username", "").strip()[:100]
    password = form.get("password", "")[:200]
    next_path = _next_path(form.get("next"))
    nonce = secrets.token_urlsafe(16)
    ip = rate_limit.client_ip(request)
    try:
        account = await _admin_account(request, username, password)
    except ApiError as refused:
        return _html(templates.login_page(nonce=nonce, next_path=next_path, username=username,
                                          error=refused.message), nonce,
                     status=refused.status, headers=refused.headers)
    if account is None:
        log.info("admin_page_login_failed", ip=ip)
        return _html(templates.login_page(nonce=nonce, next_path=next_path, username=username,
                                          error=_BAD_LOGIN), nonce, status=401)
    token = issue_token(request.app.state.jwt_secret, dashboard_user_id=account.id,
                        username=account.username, role=account.role,
                        client_ids=account.client_ids, client_id=account.primary_client_id)
    await accounts.record_login(request.app.state.engine, account.id, ip, source="pages")
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(COOKIE, token, max_age=TOKEN_SECONDS, path="/", httponly=True,
                        samesite="strict", secure=request.url.scheme == "https")
    return response


@documented(summary="Keluar admin (mencabut token cookie)", tags=_TAGS, auth=False,
            params=[_COOKIE_PARAM],
            responses={303: "Ke halaman masuk", 403: "Asal permintaan lain"})
async def logout(request: Request) -> Response:
    if not _same_origin(request):
        raise ApiError(403, "Asal permintaan tidak diizinkan")
    principal = await cookie_principal(request)
    if principal is not None:
        await revoke_token(request.app.state.redis, principal)
    response = RedirectResponse("/masuk?keluar=1", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


# --- /sandbox -------------------------------------------------------------------------------


def _sandbox_only(request: Request) -> None:
    if request.app.state.settings.wa_transport != "sandbox":
        raise ApiError(404)


async def _sandbox_admin(request: Request) -> Principal:
    _sandbox_only(request)
    principal = await cookie_principal(request)
    if principal is None:
        raise ApiError(401, "Silakan masuk sebagai admin di /masuk")
    return principal


@documented(summary="Chat sandbox WhatsApp (HTML, admin, hanya WA_TRANSPORT=sandbox)",
            tags=_TAGS, auth=False, params=[_COOKIE_PARAM],
            responses={200: "Halaman chat", 303: "Belum masuk: ke /masuk",
                       404: "Transport bukan sandbox"})
async def sandbox_page(request: Request) -> Response:
    _sandbox_only(request)
    if await cookie_principal(request) is None:
        return _to_login(request)
    nonce = secrets.token_urlsafe(16)
    content = templates.sandbox_page(DEMO_NUMBERS, [s.value for s in _SESSIONS], nonce=nonce)
    return _html(content, nonce)


_SEND_BODY = {"type": "object", "required": ["phone", "text"], "properties": {
    "phone": {"type": "string", "minLength": 1, "maxLength": 32,
              "description": "Nomor pengirim, mis. 081234569999"},
    "group": {"type": "string", "maxLength": 64,
              "description": "JID grup tempat pesan dikirim (kosong: chat pribadi)"},
    "session": {"type": "string", "enum": [s.value for s in _SESSIONS], "default": "user"},
    "text": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT}}}


def _phone(value: str | None) -> str:
    try:
        return normalize_phone(value or "")
    except InvalidIdentifier:
        raise ApiError(400, "Nomor WhatsApp tidak valid") from None


def _chat(phone: str, group: str | None) -> str:
    """The chat of the page: the group when one is given, else the number's personal chat."""
    if not group:
        return phone_to_jid(phone)
    try:
        return normalize_group_jid(group)
    except InvalidIdentifier:
        raise ApiError(400, "JID grup tidak valid (contoh: 120363012345678901@g.us)") from None


@documented(summary="Sandbox: kirim pesan ke bot sebagai nomor tertentu", tags=_TAGS,
            auth=False, params=[_COOKIE_PARAM], body=_SEND_BODY,
            responses={202: "Pesan diserahkan ke bot", 400: "Data tidak valid",
                       401: "Belum masuk sebagai admin", 404: "Transport bukan sandbox",
                       403: "Asal permintaan lain", 413: "Body terlalu besar"})
async def sandbox_send(request: Request) -> JSONResponse:
    await _sandbox_admin(request)
    if not _same_origin(request):
        raise ApiError(403, "Asal permintaan tidak diizinkan")
    body = await json_body(request)
    phone = _phone(text_field(body, "phone", max_length=32))
    chat = _chat(phone, text_field(body, "group", required=False, max_length=64))
    session = text_field(body, "session", required=False, max_length=16) or "user"
    if session not in {s.value for s in _SESSIONS}:
        raise ApiError(400, "session harus user, operator atau gateway")
    raw_text = body.get("text")
    if not isinstance(raw_text, str) or not raw_text.strip():
        raise ApiError(400, "text wajib diisi")
    if len(raw_text) > MAX_TEXT:
        raise ApiError(400, f"text terlalu panjang (maksimal {MAX_TEXT} karakter)")
    message = InboundMessage(session=session, message_id="SBXW" + uuid.uuid4().hex[:16].upper(),
                             chat=chat, sender=phone, text=raw_text,
                             timestamp=clock.now())
    await submit_inbound(request.app.state.redis, message)
    return JSONResponse({"success": True, "data": {"message_id": message.message_id,
                                                   "chat": message.chat, "session": session}},
                        status_code=202)


def _message_json(entry_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    document = None
    if "document_filename" in fields:
        mimetype = str(fields.get("document_mimetype") or "application/octet-stream")
        document = {"filename": fields["document_filename"], "mimetype": mimetype,
                    "bytes": fields.get("document_bytes", 0),
                    "image": Document("", b"", mimetype).is_image,
                    "url": "/sandbox/api/document?" + urlencode(
                        {"id": fields.get("message_id", "")})}
    to = str(fields.get("to", ""))
    return {"id": entry_id, "session": fields.get("session", ""), "to": to,
            "text": fields.get("text", ""), "at": fields.get("at", ""),
            "group": to.endswith("@g.us"), "document": document}


_GROUP_PARAM = Param("group", {"type": "string", "maxLength": 64},
                     description="JID grup (tanpa: chat pribadi nomor ini)")


@documented(summary="Sandbox: balasan ke chat ini (pribadi atau grup) sejak kursor", tags=_TAGS,
            auth=False, params=[
                _COOKIE_PARAM,
                Param("phone", {"type": "string", "minLength": 1, "maxLength": 32},
                      required=True, description="Nomor chat"),
                _GROUP_PARAM,
                Param("since", {"type": "string", "pattern": r"^\d{1,19}-\d{1,19}$"},
                      description="Kursor dari balasan sebelumnya (tanpa: 30 menit terakhir)")],
            responses={200: "Pesan dan kursor berikutnya", 400: "Parameter tidak valid",
                       401: "Belum masuk sebagai admin", 404: "Transport bukan sandbox"})
async def sandbox_messages(request: Request) -> JSONResponse:
    await _sandbox_admin(request)
    chat = _chat(_phone(request.query_params.get("phone")), request.query_params.get("group"))
    since = request.query_params.get("since") or \
        f"{max(0, time.time_ns() // 1_000_000 - SANDBOX_HISTORY_MS)}-0"
    if not _CURSOR_RE.fullmatch(since):
        raise ApiError(400, "since tidak valid")
    rows = await read_outbound(request.app.state.redis, since=since)
    messages = [_message_json(entry_id, fields) for entry_id, fields in rows
                if fields.get("to") == chat]
    cursor = rows[-1][0] if rows else since
    return JSONResponse({"success": True, "data": {"messages": messages, "cursor": cursor}})


def _disposition(kind: str, filename: str) -> str:
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_"
                       for c in filename) or "file"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@documented(summary="Sandbox: dokumen atau gambar yang dikirim bot", tags=_TAGS, auth=False,
            params=[_COOKIE_PARAM,
                    Param("id", {"type": "string", "pattern": "^[0-9A-Z]{4,40}$"},
                          required=True, description="message_id pesan keluar")],
            responses={200: "Isi berkas (gambar PNG/JPEG tampil langsung, lainnya diunduh)",
                       400: "Parameter tidak valid", 401: "Belum masuk sebagai admin",
                       404: "Tidak ada berkas (atau sudah kedaluwarsa) / transport bukan sandbox"})
async def sandbox_document(request: Request) -> Response:
    await _sandbox_admin(request)
    message_id = request.query_params.get("id") or ""
    if not _MESSAGE_ID_RE.fullmatch(message_id):
        raise ApiError(400, "id tidak valid")
    document = await sent_document(request.app.state.redis, message_id)
    if document is None:
        raise ApiError(404, "Berkas tidak ada atau sudah kedaluwarsa")
    image = document.is_image  # shown as a picture; anything else is only downloaded
    return Response(document.content, media_type=document.mimetype if image
                    else "application/octet-stream", headers={
                        "Content-Disposition": _disposition("inline" if image else "attachment",
                                                            document.filename),
                        "Content-Security-Policy": "default-src 'none'; sandbox",
                        "X-Content-Type-Options": "nosniff", "Cache-Control": "private"})


routes = [
    Route("/masuk", login_page, methods=["GET"]),
    Route("/masuk", login_submit, methods=["POST"]),
    Route("/keluar", logout, methods=["POST"]),
    Route("/sandbox", sandbox_page, methods=["GET"]),
    Route("/sandbox/api/send", sandbox_send, methods=["POST"]),
    Route("/sandbox/api/messages", sandbox_messages, methods=["GET"]),
    Route("/sandbox/api/document", sandbox_document, methods=["GET"]),
]
