"""/wa: the WhatsApp sessions as an admin manages them (WAHA / Evolution API style): per
session its state, the connected number, why it is not WORKING, the pairing QR while pairing,
the outbox backlog and the dead letters (resend, discard), and the requests restart, log out
and a pairing code for a phone number (instead of the QR), carried out by the bot process that
owns the session (bot/session_admin.py). The page reloads itself every few seconds (new QR
codes, states) unless the admin is typing a number.

Same cookie, same-origin rule and layout as the other admin pages (web/pages.py). Every action
is a POST form answered with 303 back to /wa and a short notice.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from urllib.parse import urlencode

import segno
import structlog
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot import session_admin
from bot.status import session_overview
from cicero.clock import clock
from cicero.sessions import SessionState
from storage.identifiers import InvalidIdentifier, normalize_phone
from web import page_templates as templates
from web.errors import ApiError
from web.openapi import Param, documented
from web.pages import _COOKIE_PARAM, _form, _html, _same_origin, _to_login, cookie_principal

log = structlog.get_logger(__name__)

WA_REFRESH_SECONDS = 5
_TAGS = ["pages"]
_DEAD_ID_RE = re.compile(r"\d{1,19}-\d{1,19}")
_NOTICES = {
    "restart": "Permintaan mulai ulang sesi {session} dikirim ke bot.",
    "logout": "Permintaan keluar dari WhatsApp untuk sesi {session} dikirim ke bot.",
    "pair": "Kode pemasangan untuk sesi {session} diminta; kode tampil di sini sebentar lagi.",
    "resend": "Pesan dimasukkan lagi ke antrean sesi {session}.",
    "discard": "Pesan gagal dibuang dari sesi {session}.",
    "missing": "Pesan itu sudah tidak ada di daftar gagal sesi {session}.",
}
# Why a session is not WORKING, from its state and the error its transport published.
_STATE_REASONS = {
    "STOPPED": "Tidak berjalan: tidak ada proses bot yang memegang sesi ini.",
    "STARTING": "Menyambung ke WhatsApp… (bila lama: periksa jaringan server)",
    "SCAN_QR_CODE": "Belum terpasang: pindai kode QR di bawah.",
    "UNKNOWN": "Belum pernah dijalankan.",
}
_ERROR_REASONS = (
    (("logged out", "logout", "401"), "Keluar dari WhatsApp (perangkat dilepas dari HP): "
                                      "mulai ulang lalu pindai QR baru."),
    (("ban", "403", "forbidden"), "Nomor diblokir oleh WhatsApp."),
    (("replaced", "conflict", "another"), "Perangkat lain mengambil alih sesi ini."),
    (("network", "timeout", "connect", "dns"), "Tidak ada jaringan ke WhatsApp."),
)


def not_working_reason(state: str, error: str) -> str:
    """Why the session is not WORKING, in the admin's words ("" when it is)."""
    if state == SessionState.WORKING:
        return ""
    lowered = error.lower()
    for words, reason in _ERROR_REASONS:
        if any(word in lowered for word in words):
            return reason
    if state in _STATE_REASONS:
        return _STATE_REASONS[state]
    return f"Gagal: {error}" if error else "Gagal."


def _local_time(value: str) -> str:
    """An ISO timestamp shown in business time; unparseable text is shown as it is."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        return value
    return moment.astimezone(clock.tz).strftime("%d-%m-%Y %H:%M:%S")


def qr_svg(code: str) -> str:
    return segno.make_qr(code, error="l").svg_inline(scale=4, border=4, light="#fff")


async def session_views(request: Request) -> list[templates.SessionView]:
    views = []
    for session in request.app.state.settings.wa_sessions:
        overview = await session_overview(request.app.state.redis, session)
        views.append(templates.SessionView(
            overview, _local_time(overview.updated_at),
            not_working_reason(overview.state, overview.error),
            qr_svg(overview.qr) if overview.qr else "", _local_time))
    return views


@documented(summary="Sesi WhatsApp: status, nomor, antrean, pesan gagal, kode QR (HTML, admin)",
            tags=_TAGS, auth=False, params=[_COOKIE_PARAM, Param(
                "done", {"type": "string", "enum": list(_NOTICES)},
                description="Tindakan yang baru dijalankan (pemberitahuan)"),
                Param("session", {"type": "string", "maxLength": 16},
                      description="Sesi tindakan itu")],
            responses={200: "Halaman sesi", 303: "Belum masuk: ke /masuk"})
async def wa_page(request: Request) -> Response:
    if await cookie_principal(request) is None:
        return _to_login(request)
    settings = request.app.state.settings
    done, session = request.query_params.get("done", ""), request.query_params.get("session", "")
    notice = _NOTICES[done].format(session=session) \
        if done in _NOTICES and session in settings.wa_sessions else ""
    nonce = secrets.token_urlsafe(16)
    content = templates.wa_page(await session_views(request), transport=settings.wa_transport,
                                nonce=nonce, refresh_seconds=WA_REFRESH_SECONDS, notice=notice)
    return _html(content, nonce)


async def _admin_post(request: Request) -> str:
    """The session of an admin's POST from this site; ApiError otherwise."""
    if not _same_origin(request):
        raise ApiError(403, "Asal permintaan tidak diizinkan")
    if await cookie_principal(request) is None:
        raise ApiError(401, "Silakan masuk sebagai admin di /masuk")
    session = request.path_params["session"]
    if session not in request.app.state.settings.wa_sessions:
        raise ApiError(404, "Sesi tidak dikenal")
    return session


def _back(done: str, session: str) -> RedirectResponse:
    return RedirectResponse("/wa?" + urlencode({"done": done, "session": session}),
                            status_code=303)


_SESSION_PARAM = Param("session", {"type": "string", "maxLength": 16}, required=True,
                       location="path", description="operator, gateway atau user")
_POST_RESPONSES = {303: "Kembali ke /wa dengan pemberitahuan", 401: "Belum masuk sebagai admin",
                   403: "Asal permintaan lain", 404: "Sesi atau tindakan tidak dikenal"}


@documented(summary="Sesi WhatsApp: minta bot memulai ulang, keluar dari WhatsApp, atau membuat "
                    "kode pemasangan untuk nomor (formulir phone=…)",
            tags=_TAGS, auth=False, responses={**_POST_RESPONSES, 400: "Nomor tidak valid"},
            params=[
                _COOKIE_PARAM, _SESSION_PARAM,
                Param("action", {"type": "string", "enum": list(session_admin.ACTIONS)},
                      required=True, location="path")])
async def session_action(request: Request) -> Response:
    session = await _admin_post(request)
    action = request.path_params["action"]
    if action not in session_admin.ACTIONS:
        raise ApiError(404, "Tindakan tidak dikenal")
    phone = ""
    if action == "pair":
        try:
            phone = normalize_phone((await _form(request)).get("phone", ""))
        except InvalidIdentifier:
            raise ApiError(400, "Nomor WhatsApp tidak valid") from None
    await session_admin.request(request.app.state.redis, session, action, phone)
    log.info("wa_session_requested", session=session, action=action)
    return _back(action, session)


@documented(summary="Sesi WhatsApp: kirim ulang atau buang pesan yang gagal terkirim",
            tags=_TAGS, auth=False, responses={**_POST_RESPONSES, 400: "id pesan tidak valid"},
            params=[_COOKIE_PARAM, _SESSION_PARAM,
                    Param("dead_id", {"type": "string", "pattern": r"^\d{1,19}-\d{1,19}$"},
                          required=True, location="path"),
                    Param("operation", {"type": "string", "enum": ["resend", "discard"]},
                          required=True, location="path")])
async def dead_letter_action(request: Request) -> Response:
    session = await _admin_post(request)
    dead_id, operation = request.path_params["dead_id"], request.path_params["operation"]
    if not _DEAD_ID_RE.fullmatch(dead_id):
        raise ApiError(400, "id pesan tidak valid")
    redis = request.app.state.redis
    if operation == "resend":
        found = await session_admin.resend_dead_letter(redis, session, dead_id)
    elif operation == "discard":
        found = await session_admin.discard_dead_letter(redis, session, dead_id)
    else:
        raise ApiError(404, "Tindakan tidak dikenal")
    log.info("wa_dead_letter", session=session, operation=operation, dead_id=dead_id,
             found=found)
    return _back(operation if found else "missing", session)


routes = [
    Route("/wa", wa_page, methods=["GET"]),
    Route("/wa/sessions/{session}/{action}", session_action, methods=["POST"]),
    Route("/wa/sessions/{session}/dead/{dead_id}/{operation}", dead_letter_action,
          methods=["POST"]),
]
