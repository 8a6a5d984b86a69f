"""`cicero wa status` (every session's state) and `cicero wa login --session NAME` (pairing)."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from cicero.runtime import runtime
from cicero.sessions import SESSION_NAMES, SessionState

if TYPE_CHECKING:
    from bot.status import SessionInfo

# `cicero.cli` is imported inside the commands: it registers this module's group while it is
# itself being imported, so this module must load without it (tests import it directly).
wa_app = typer.Typer(help="Sesi WhatsApp: status dan pemasangan (scan QR).", no_args_is_help=True)
SESSIONS = SESSION_NAMES
LOGIN_TIMEOUT = 300.0
NETWORK_GRACE = 5.0  # seconds of failed attempts to reach WhatsApp before login gives up
_POLL = 0.2
# What the library says when WhatsApp cannot be reached, and what it means, first match wins.
_NETWORK_CAUSES = (
    ("proxyconnect", "proxy (HTTPS_PROXY/HTTP_PROXY) tidak dapat dihubungi"),
    ("no such host", "nama server WhatsApp tidak dapat ditemukan (DNS): komputer ini tampaknya "
                     "tidak tersambung ke internet"),
    ("lookup ", "nama server WhatsApp tidak dapat ditemukan (DNS): komputer ini tampaknya "
                "tidak tersambung ke internet"),
    ("network is unreachable", "jaringan tidak terjangkau: komputer ini tidak tersambung ke "
                               "internet"),
    ("connection refused", "koneksi ditolak"),
    ("timeout", "waktu koneksi habis: jaringan lambat atau diblokir firewall"),
    ("certificate", "sertifikat TLS ditolak: periksa jam komputer atau proxy yang "
                    "memeriksa HTTPS"),
)


class WhatsAppUnreachable(Exception):
    """Login gave up: WhatsApp could not be reached (`args[0]`: the library's reason)."""


def unreachable_text(session: str, error: str) -> str:
    """Why `cicero wa login` could not reach WhatsApp, in one Indonesian line."""
    lowered = error.lower()
    cause = next((meaning for needle, meaning in _NETWORK_CAUSES if needle in lowered),
                 "koneksi gagal")
    return (f"sesi {session} tidak dapat menghubungi server WhatsApp (web.whatsapp.com): "
            f"{cause}. Periksa koneksi internet, lalu jalankan lagi `cicero wa login`. "
            f"(Rincian: {error})")


async def read_states(redis_url: str) -> dict[str, SessionInfo]:
    """Each known session's published state (bot/status.py)."""
    import redis.asyncio as aioredis

    from bot.status import session_info

    client = aioredis.Redis.from_url(redis_url)
    try:
        return {session: await session_info(client, session) for session in SESSIONS}
    finally:
        await client.aclose()


def _phone(jid: str | None) -> str:
    from storage.identifiers import InvalidIdentifier, jid_to_phone

    if not jid:
        return "-"
    try:
        return jid_to_phone(jid)
    except InvalidIdentifier:
        return jid


@wa_app.command("status")
def status() -> None:
    """Status setiap sesi WhatsApp: STOPPED, STARTING, SCAN_QR_CODE, WORKING, FAILED."""
    from bot.status import UNKNOWN_STATE
    from cicero.cli import console, settings_or_exit

    with runtime(settings_or_exit()) as rt:
        states = asyncio.run(read_states(rt.redis_url))
    table = Table(title="Sesi WhatsApp")
    for column in ("Sesi", "Status", "Transport", "Nomor", "Diperbarui", "Keterangan"):
        table.add_column(column)
    for session, info in states.items():
        state = "STOPPED" if info.state == UNKNOWN_STATE else info.state
        table.add_row(session, state, info.transport or "-", _phone(info.jid),
                      info.updated_at or "-", info.error or ("scan QR di /wa" if info.qr else ""))
    console.print(table)


def draw_qr(code: str) -> None:
    """The QR code in the terminal, with how to scan it."""
    import segno

    from cicero.cli import console

    console.print("\nBuka WhatsApp di HP > Perangkat tertaut > Tautkan perangkat, lalu pindai "
                  "kode QR ini (kode berganti setiap ±20 detik):", highlight=False)
    sys.stdout.flush()
    segno.make_qr(code).terminal(out=sys.stdout, compact=True)
    sys.stdout.flush()


async def pair(transport: Any, *, within: float, show_qr: Callable[[str], None],
               poll: float = _POLL, network_grace: float = NETWORK_GRACE) -> tuple[Any, bool]:
    """Start `transport`, show every new QR code, and stop it again once the session is
    WORKING or FAILED or `within` seconds passed. Returns (final state, timed out). Raises
    WhatsAppUnreachable when, `network_grace` seconds after the start, WhatsApp was never
    reached and the last attempt failed (no network, DNS, a proxy)."""
    async def ignore(message: Any) -> None:
        return None

    shown: str | None = None
    started = time.monotonic()
    deadline = started + within
    await transport.start(ignore)
    try:
        while True:
            state = transport.state
            if state in (SessionState.WORKING, SessionState.FAILED):
                return state, False
            qr = transport.qr
            if qr and qr != shown:
                shown = qr
                show_qr(qr)
            error = transport.connect_error
            if shown is None and error and time.monotonic() - started >= network_grace:
                raise WhatsAppUnreachable(error)
            if time.monotonic() >= deadline:
                return state, True
            await asyncio.sleep(poll)
    finally:
        await transport.stop()


def _default(ctx: typer.Context, name: str) -> bool:
    """The root option `name` (e.g. --log-level) was left at its default."""
    source = ctx.find_root().get_parameter_source(name)
    return source is None or source.name == "DEFAULT"


@wa_app.command("login")
def login(
    ctx: typer.Context,
    session: Annotated[str, typer.Option("--session", help="operator, gateway atau user")],
    timeout: Annotated[float, typer.Option("--timeout", help="Batas tunggu (detik)")]
    = LOGIN_TIMEOUT,
) -> None:
    """Pasangkan nomor WhatsApp ke satu sesi: QR muncul di terminal (juga di halaman /wa)."""
    from cicero.cli import console, fail, settings_or_exit
    from cicero.logs import configure_logging

    if session not in SESSIONS:
        raise fail(f"sesi tidak dikenal: {session!r}. Pilihan: {', '.join(SESSIONS)}.", code=2)
    settings = settings_or_exit()
    if settings.wa_transport == "sandbox" and "wa_transport" in settings.model_fields_set:
        console.print("WA_TRANSPORT=sandbox: transport sandbox tidak memakai WhatsApp sungguhan, "
                      "jadi tidak perlu dipasangkan (scan QR). Untuk memasangkan nomor asli, "
                      "jalankan dengan WA_TRANSPORT=neonize.", highlight=False)
        return
    from bot.neonize_support import store_location
    from bot.neonize_transport import NeonizeTransport

    if _default(ctx, "log_level"):  # retries are chatter here: the outcome is said below
        configure_logging("ERROR")
    with runtime(settings) as rt:
        async def main() -> tuple[SessionState, bool]:
            import redis.asyncio as aioredis

            redis = aioredis.Redis.from_url(rt.redis_url)
            try:
                transport = NeonizeTransport(redis, session,
                                             store=store_location(settings, session))
                return await pair(transport, within=timeout, show_qr=draw_qr)
            finally:
                await redis.aclose()

        console.print(f"Menyambungkan sesi {session} ke WhatsApp…", highlight=False)
        try:
            state, timed_out = asyncio.run(main())
        except WhatsAppUnreachable as exc:
            raise fail(unreachable_text(session, str(exc))) from None
    if state == SessionState.WORKING:
        console.print(f"Sesi {session} tersambung (WORKING). Jalankan `cicero bot` atau "
                      "`cicero up` dengan WA_TRANSPORT=neonize.", highlight=False)
        return
    if timed_out:
        raise fail(f"waktu habis ({timeout:.0f} detik) sebelum sesi {session} tersambung "
                   f"(status terakhir {state}). Coba lagi.")
    raise fail(f"sesi {session} gagal ({state}): WhatsApp menolak atau mengeluarkan perangkat "
               "ini. Jalankan lagi `cicero wa login` untuk memasangkan ulang.")


def register(app: typer.Typer) -> None:
    app.add_typer(wa_app, name="wa")
