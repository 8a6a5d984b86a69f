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
    """Semua job terjadwal, saklarnya, dan hasil jalan terakhir."""
    from cicero.cli_data import with_engine
    from jobs.schedule import SCHEDULE
    from storage.job_state import last_runs, toggles

    with runtime(settings_or_exit()) as rt:
        async def load(engine):
            return await toggles(engine), await last_runs(engine)

        switches, runs = with_engine(rt.database_url, load)
    table = Table(title="Job Cicero")
    for column in ("Kunci", "Nama", "Jadwal", "Aktif", "Terakhir", "Status", "Hasil"):
        table.add_column(column)
    for job in SCHEDULE:
        run = runs.get(job.key)
        schedule = ", ".join(job.times) if len(job.times) <= 4 else \
            f"{len(job.times)}x: {job.times[0]}–{job.times[-1]}"
        table.add_row(
            job.key, job.display_name, schedule or "manual",
            "ya" if switches.get(job.key, True) else "tidak",
            f"{run.started_at:%Y-%m-%d %H:%M}" if run else "-",
            run.status if run else "-",
            (run.error or counts_text(run.counts or {}))[:60] if run else "-",
        )
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
    from jobs.runner import execute
    from jobs.worker import close_context, open_context

    job = _job(key)
    settings = settings_or_exit()
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
            worker = create_worker(settings, database_url, redis_url)
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
