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
_POLL = 0.2


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
               poll: float = _POLL) -> tuple[Any, bool]:
    """Start `transport`, show every new QR code, and stop it again once the session is
    WORKING or FAILED or `within` seconds passed. Returns (final state, timed out)."""
    async def ignore(message: Any) -> None:
        return None

    shown: str | None = None
    deadline = time.monotonic() + within
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
            if time.monotonic() >= deadline:
                return state, True
            await asyncio.sleep(poll)
    finally:
        await transport.stop()


@wa_app.command("login")
def login(
    session: Annotated[str, typer.Option("--session", help="operator, gateway atau user")],
    timeout: Annotated[float, typer.Option("--timeout", help="Batas tunggu (detik)")]
    = LOGIN_TIMEOUT,
) -> None:
    """Pasangkan nomor WhatsApp ke satu sesi: QR muncul di terminal (juga di halaman /wa)."""
    from cicero.cli import console, fail, settings_or_exit

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
        state, timed_out = asyncio.run(main())
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
