"""`cicero complaints list|answer|close`: the complaint inbox from the command line, the same
closing and delivery as the consoles' inbox (conversations/complaint_inbox.py)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from cicero.cli import console, fail, settings_or_exit
from cicero.runtime import runtime

complaints_app = typer.Typer(help="Kotak komplain: daftar, jawab, tutup.", no_args_is_help=True)
IdArgument = Annotated[int, typer.Argument(help="Nomor komplain (lihat: cicero complaints list)")]
ANSWERED_BY = "cli"
SIGNED = "admin Cicero"


@complaints_app.command("list")
def list_complaints(
    every: Annotated[bool, typer.Option("--all", help="juga yang sudah dijawab/ditutup")] = False,
    client: Annotated[str | None, typer.Option(help="hanya pelapor client ini")] = None,
) -> None:
    """Komplain terbuka (atau semua dengan --all), yang terlama dulu."""
    from cicero.cli_data import with_engine
    from storage.complaints import inbox

    with runtime(settings_or_exit()) as rt:
        items = with_engine(rt.database_url, lambda engine: inbox(
            engine, [client.upper()] if client else None, open_only=not every, limit=1000))
    table = Table(title="Komplain")
    for column in ("No", "Status", "Masuk", "Pelapor", "Client", "Kendala", "Dijawab oleh"):
        table.add_column(column)
    for item in items:
        reporter = f"{item.name} ({item.user_id})" if item.name else (item.user_id or "-")
        table.add_row(str(item.id), item.status.value, f"{item.created_at:%Y-%m-%d %H:%M}",
                      reporter, item.client_id or "-", "; ".join(item.issues)[:60] or "-",
                      item.answered_by or "-")
    console.print(table)
    if not items:
        console.print("Tidak ada komplain terbuka." if not every else "Belum ada komplain.")


def _resolve(complaint_id: int, response: str | None) -> None:
    from bot.outbox import enqueue
    from cicero.cli_data import with_engine
    from cicero.clock import clock
    from conversations.complaint_inbox import resolve
    from storage.complaints import find_complaint

    with runtime(settings_or_exit()) as rt:
        async def work(engine) -> str:
            from redis.asyncio import Redis

            item = await find_complaint(engine, complaint_id)
            if item is None:
                return "missing"
            outcome = await resolve(engine, item, response, answered_by=ANSWERED_BY,
                                    signed=SIGNED, at=clock.now())
            if not outcome.resolved:
                return "handled"
            if outcome.delivery is not None:
                redis = Redis.from_url(rt.redis_url, decode_responses=True)
                try:
                    await enqueue(redis, outcome.delivery.session, outcome.delivery.to,
                                  outcome.delivery.text, key=f"complaint:{complaint_id}:answer")
                finally:
                    await redis.aclose()
                return f"sent:{item.reporter_whatsapp}"
            return "closed" if response is None else "undelivered"

        result = with_engine(rt.database_url, work)
    if result == "missing":
        raise fail(f"komplain {complaint_id} tidak ada", code=2)
    if result == "handled":
        raise fail(f"komplain {complaint_id} sudah dijawab atau ditutup", code=2)
    if result.startswith("sent:"):
        console.print(f"Komplain {complaint_id} dijawab; jawaban dikirim ke {result[5:]}.")
    elif result == "undelivered":
        console.print(f"Komplain {complaint_id} dijawab; pelapor tanpa nomor WhatsApp, "
                      "sampaikan jawabannya langsung.")
    else:
        console.print(f"Komplain {complaint_id} ditutup tanpa jawaban.")


@complaints_app.command("answer")
def answer(
    complaint_id: IdArgument,
    text: Annotated[str | None, typer.Argument(help="jawaban; tanpa ini dibaca dari stdin")]
    = None,
) -> None:
    """Jawab komplain: jawaban dikirim ke WhatsApp pelapor dan komplain ditutup."""
    response = (text if text is not None else sys.stdin.read()).strip()
    if len(response) < 5:
        raise fail("jawaban terlalu pendek (minimal 5 karakter)", code=2)
    _resolve(complaint_id, response)


@complaints_app.command("close")
def close(complaint_id: IdArgument) -> None:
    """Tutup komplain tanpa jawaban."""
    _resolve(complaint_id, None)


def register(app: typer.Typer) -> None:
    app.add_typer(complaints_app, name="complaints")
