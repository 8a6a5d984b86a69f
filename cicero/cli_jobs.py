"""`cicero jobs …` (schedule, toggles, last runs, run now) and `cicero worker`."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated

import typer
from rich.table import Table

from cicero.cli import NowOption, console, fail, settings_or_exit, start_clock_at
from cicero.runtime import check_migrated, runtime

jobs_app = typer.Typer(help="Jadwal job, saklar aktif/nonaktif, dan riwayat jalan.",
                       no_args_is_help=True)
KeyArgument = Annotated[str, typer.Argument(help="Kunci job (lihat: cicero jobs list)")]


def _job(key: str):
    from jobs.schedule import by_key

    job = by_key().get(key)
    if job is None:
        raise fail(f"job tidak dikenal: {key!r}. Lihat: cicero jobs list", code=2)
    return job


RESULT_LABELS = {"success": "berhasil", "failed": "gagal", "skipped": "dilewati (nonaktif)",
                 "running": "sedang berjalan"}


def counts_text(counts: dict) -> str:
    """A job's counts as `name value` pairs for a person, not JSON."""
    return ", ".join(f"{name} {value}" for name, value in counts.items()) or "-"


def result_text(result: dict) -> str:
    details = {name: value for name, value in result.items() if name != "status"}
    label = RESULT_LABELS.get(str(result.get("status")), str(result.get("status")))
    if "error" in details:
        return f"{label}: {details['error']}"
    return f"{label} ({counts_text(details)})" if details else label


@jobs_app.command("list")
def list_jobs() -> None:
    """Semua job terjadwal, saklarnya, dan hasil jalan terakhir (waktu bisnis)."""
    from cicero.cli_data import with_engine
    from cicero.clock import clock
    from jobs.schedule import SCHEDULE
    from menus.jobs_console import run_summary, schedule_words
    from storage.job_state import last_runs, toggles

    with runtime(settings_or_exit()) as rt:
        async def load(engine):
            return await toggles(engine), await last_runs(engine)

        switches, runs = with_engine(rt.database_url, load)
    # 80 columns: the key is never cut; names, schedules and results wrap.
    table = Table(title="Job Cicero", show_lines=True, padding=(0, 1), expand=False)
    table.add_column("Kunci", no_wrap=True, style="bold")
    table.add_column("Nama · jadwal", ratio=3)
    table.add_column("Aktif", no_wrap=True)
    table.add_column("Terakhir", ratio=3)
    for job in SCHEDULE:
        run = runs.get(job.key)
        last = "-" if run is None else \
            f"{run.started_at.astimezone(clock.tz):%d-%m %H:%M} {run_summary(run)}"
        table.add_row(job.key, f"{job.display_name}\n[dim]"
                      f"{schedule_words(job.times, month_end=job.month_end)}[/dim]",
                      "ya" if switches.get(job.key, True) else "tidak", last)
    console.print(table)


def _toggle(key: str, active: bool) -> None:
    from cicero.cli_data import with_engine
    from storage.job_state import set_active

    job = _job(key)
    with runtime(settings_or_exit()) as rt:
        with_engine(rt.database_url,
                    lambda engine: set_active(engine, job.key, job.display_name, active))
    console.print(f"Job {job.key} {'diaktifkan' if active else 'dinonaktifkan'}.")


@jobs_app.command("enable")
def enable(key: KeyArgument) -> None:
    """Aktifkan job."""
    _toggle(key, True)


@jobs_app.command("disable")
def disable(key: KeyArgument) -> None:
    """Nonaktifkan job (jadwalnya dilewati dan dicatat 'skipped')."""
    _toggle(key, False)


@jobs_app.command("run")
def run_now(
    key: KeyArgument,
    force: Annotated[bool, typer.Option("--force", help="Jalankan walau dinonaktifkan")] = False,
) -> None:
    """Jalankan satu job sekarang di proses ini sampai selesai."""
    from cicero.settings import require
    from jobs.runner import execute
    from jobs.worker import close_context, open_context

    job = _job(key)
    settings = settings_or_exit()
    require(settings, *job.needs)  # one line saying what to set, before anything starts
    with runtime(settings) as rt:
        check_migrated(rt.database_url)

        async def main() -> dict:
            context = await open_context(settings, rt.database_url, rt.redis_url)
            try:
                return await execute(context, job, force=force)
            finally:
                await close_context(context)

        result = asyncio.run(main())
    console.print(f"Job {job.key}: {result_text(result)}", highlight=False)
    if result.get("status") == "failed":
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(jobs_app, name="jobs")

    @app.command()
    def worker(now: NowOption = None) -> None:
        """Jalankan worker arq: ingestion, laporan terjadwal, pengingat, backup."""
        from jobs.worker import create_worker, serve

        settings = settings_or_exit()
        start_clock_at(now)

        async def work(database_url: str, redis_url: str) -> None:
            worker = create_worker(settings, database_url, redis_url, catch_up_missed=True)
            try:
                await serve(worker)  # until Ctrl-C / SIGTERM; rides out Redis going away
            finally:
                with contextlib.suppress(Exception):
                    await worker.close()

        try:
            with runtime(settings) as rt:
                check_migrated(rt.database_url)
                console.print("Worker berjalan. Tekan Ctrl-C untuk berhenti.")
                asyncio.run(work(rt.database_url, rt.redis_url))
        except KeyboardInterrupt:
            pass
