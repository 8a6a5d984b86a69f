"""`cicero fetch` (one ingestion run now) and `cicero dev fake-rapidapi`."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from cicero.cli import console, fail, settings_or_exit
from cicero.runtime import check_migrated, runtime

dev_app = typer.Typer(help="Alat pengembangan.", no_args_is_help=True)


def _summary(report) -> None:
    table = Table(title="Ringkasan fetch")
    for column in ("Satker", "Platform", "Baru", "Diperbarui", "Dihapus", "Engagement +",
                   "Gagal"):
        table.add_column(column, justify="right" if column not in ("Satker", "Platform",
                                                                     "Gagal") else "left")
    for client in sorted(report.clients, key=lambda c: (c.client_id, c.platform)):
        problem = client.failure or (f"{client.engagement_failed} konten gagal"
                                     if client.engagement_failed else "")
        table.add_row(client.client_id, client.platform, str(client.posts_new),
                      str(client.posts_updated), str(client.posts_removed),
                      str(client.engagement_added), problem[:80])
    console.print(table)
    totals = report.totals()
    console.print(
        f"Konten baru {totals['posts_new']}, diperbarui {totals['posts_updated']}, dihapus "
        f"{totals['posts_removed']}; engagement baru {totals['engagement_added']}; panggilan "
        f"API {report.calls}, ulang {report.retries}, gagal {report.failed_calls}; satker "
        f"gagal {totals['failed_clients']}.", highlight=False)
    for client in report.failures:  # the table cuts reasons short; here they are whole
        console.print(f"Gagal {client.client_id} ({client.platform}): {client.failure}",
                      highlight=False, markup=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(dev_app, name="dev")

    @app.command()
    def fetch(
        client: Annotated[str | None, typer.Option("--client", help="Satu client_id saja")]
        = None,
        platform: Annotated[list[str] | None, typer.Option(
            "--platform", help="instagram dan/atau tiktok (bawaan: keduanya)")] = None,
    ) -> None:
        """Ambil konten hari ini beserta likes/komentar sekarang, lalu tampilkan ringkasan."""
        from cicero.clock import clock
        from jobs.fetch_jobs import ingestion_for
        from jobs.worker import close_context, open_context
        from storage.models import Platform

        try:
            platforms = [Platform(p.lower()) for p in (platform or ["instagram", "tiktok"])]
        except ValueError:
            raise fail("--platform harus instagram atau tiktok.", code=2) from None
        settings = settings_or_exit()
        with runtime(settings) as rt:
            check_migrated(rt.database_url)

            async def main():
                context = await open_context(settings, rt.database_url, rt.redis_url)
                try:
                    with Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                  TextColumn("{task.completed} selesai"), TimeElapsedColumn(),
                                  console=console) as progress:
                        clients = progress.add_task("Satker", total=None)
                        posts = progress.add_task("Konten (likes/komentar)", total=None)
                        tasks = {"client": clients, "post": posts}
                        ingestion = ingestion_for(
                            context, lambda event, _: progress.advance(tasks[event]))
                        targets = await ingestion.targets(platforms, client_id=client)
                        if not targets:
                            raise fail("tidak ada satker aktif dengan akun untuk diambil"
                                       + (f": {client}" if client else "."), code=2)
                        progress.update(clients, total=len(targets))
                        return await ingestion.run(targets, clock.day())
                finally:
                    await close_context(context)

            report = asyncio.run(main())
        _summary(report)
        if report.failures:
            raise typer.Exit(1)

    @dev_app.command("fake-rapidapi")
    def fake_rapidapi(
        port: Annotated[int, typer.Option(help="Port")] = 8765,
        clients: Annotated[int, typer.Option(help="Jumlah akun palsu")] = 40,
        rate_429: Annotated[float, typer.Option(help="Peluang jawaban 429")] = 0.0,
        rate_500: Annotated[float, typer.Option(help="Peluang jawaban 500")] = 0.0,
        latency: Annotated[float, typer.Option(help="Jeda tiap jawaban (detik)")] = 0.0,
    ) -> None:
        """Jalankan server RapidAPI palsu (Instagram + TikTok) di mesin ini."""
        from demo.fake_rapidapi import Faults, serve_fake_rapidapi

        console.print(f"RapidAPI palsu di http://127.0.0.1:{port} — set RAPIDAPI_INSTAGRAM_URL "
                      f"dan RAPIDAPI_TIKTOK_URL ke alamat ini.")
        serve_fake_rapidapi(port=port, clients=clients,
                            faults=Faults(rate_429=rate_429, rate_500=rate_500, latency=latency))
