"""The root URL: a small page saying what runs here and where to go, instead of a JSON 404."""

from __future__ import annotations

import secrets
from html import escape

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from web import page_templates as templates
from web.openapi import documented
from web.pages import _html as html_response


def landing_body(transport: str, sessions: list[str]) -> str:
    sandbox = ('<li><a href="/sandbox">/sandbox</a> — chat dengan bot sebagai nomor mana pun '
               '(transport sandbox)</li>') if transport == "sandbox" else ""
    return (
        '<div class="card"><h2>Cicero berjalan</h2>'
        '<p>Absensi engagement Instagram dan TikTok personel satker, dijalankan lewat '
        'WhatsApp, dengan API JSON untuk dashboard Cicero_Web.</p>'
        f'<p>WhatsApp: transport <b>{escape(transport)}</b>, sesi '
        f'<b>{escape(", ".join(sessions))}</b>.</p>'
        '<ul>'
        '<li><a href="/wa">/wa</a> — status sesi WhatsApp dan pairing (login admin)</li>'
        f'{sandbox}'
        '<li><a href="/openapi.json">/openapi.json</a> — daftar endpoint API</li>'
        '<li><a href="/readyz">/readyz</a> — kesiapan database, Redis, WhatsApp, worker</li>'
        '</ul>'
        '<p class="muted">Halaman admin memakai akun dashboard berperan admin '
        '(<code>cicero account create NAMA --role admin</code>).</p></div>')


@documented(summary="Halaman awal: apa yang berjalan dan tautan ke halaman admin", tags=["pages"],
            auth=False, responses={200: "Halaman awal (HTML)"})
async def landing(request: Request) -> Response:
    settings = request.app.state.settings
    nonce = secrets.token_urlsafe(16)
    return html_response(templates.page(
        "Beranda", landing_body(settings.wa_transport, settings.wa_sessions), nonce=nonce),
        nonce)


routes = [Route("/", landing, methods=["GET"])]
