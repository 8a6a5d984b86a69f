"""`cicero import …` and `cicero seed …`: getting data in."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cicero.cli import console, fail, settings_or_exit
from cicero.runtime import runtime
from storage.db import create_engine, ensure_migrated

import_app = typer.Typer(help="Impor data satker dan personil dari CSV/XLSX.", no_args_is_help=True)
seed_app = typer.Typer(help="Isi database dengan data demo.", no_args_is_help=True)

FileArgument = Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".csv atau .xlsx")]


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console, transient=False)


def with_engine(database_url: str, work: Callable[..., Awaitable[object]]) -> object:
    """Run `work(engine)` on a migrated database; an unmigrated one raises DatabaseNotMigrated
    (its message names the command that fixes it, and runtime() adds the home)."""

    async def main() -> object:
        engine = create_engine(database_url)
        try:
            await ensure_migrated(engine)
            return await work(engine)
        finally:
            await engine.dispose()

    return asyncio.run(main())


def _print_summary(summary) -> None:
    if summary.resumed_rows:
        console.print(f"Impor file ini sebelumnya terhenti; {summary.resumed_rows} baris pertama "
                      "sudah tersimpan saat itu dan dihitung dalam ringkasan.")
    table = Table(title="Ringkasan impor", show_header=False)
    table.add_row("Dibuat", str(summary.created))
    table.add_row("Diperbarui", str(summary.updated))
    table.add_row("Tidak berubah", str(summary.unchanged))
    table.add_row("Ditolak", str(len(summary.rejected)))
    console.print(table)
    if summary.rejected:
        rejected = Table(title="Baris ditolak")
        rejected.add_column("Baris", justify="right")
        rejected.add_column("ID")
        rejected.add_column("Alasan")
        for row in summary.rejected:
            rejected.add_row(str(row.line), row.row_id or "-", row.reason)
        console.print(rejected)


def _run_import(kind: Literal["clients", "personnel"], file: Path,
                batch_rows: int | None = None) -> None:
    from storage import importing
    from storage.importing import ImportFileError

    importer = importing.import_clients if kind == "clients" else functools.partial(
        importing.import_personnel, batch_rows=batch_rows or importing.BATCH_ROWS)
    with runtime(settings_or_exit()) as rt, _progress() as progress:
        task = progress.add_task(f"Impor {kind}", total=None)

        def report(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        try:
            summary = with_engine(rt.database_url,
                                  lambda engine: importer(engine, file, progress=report))
        except ImportFileError as exc:
            raise fail(str(exc), code=2) from None
    _print_summary(summary)
    if summary.rejected:
        # A script (or an operator reading only the exit status) must see that not all of the
        # file went in; the summary above says which rows and why.
        raise typer.Exit(1)


@import_app.command("clients")
def import_clients(file: FileArgument) -> None:
    """Impor satker (upsert per client_id)."""
    _run_import("clients", file)


@import_app.command("personnel")
def import_personnel(
    file: FileArgument,
    batch_rows: Annotated[int | None, typer.Option(
        "--batch-rows", min=1, help="Baris per transaksi (bawaan: 1000)")] = None,
) -> None:
    """Impor personil (upsert per NRP/NIP), per kelompok baris; bila terhenti, impor file yang
    sama lagi untuk melanjutkan."""
    _run_import("personnel", file, batch_rows)


@seed_app.command("demo")
def seed_demo(
    scale: Annotated[str, typer.Option(help="small (demo) atau polda (benchmark)")] = "small",
    replace: Annotated[bool, typer.Option("--replace", help="Kosongkan database lebih dulu")]
    = False,
) -> None:
    """Isi data demo yang deterministik."""
    from demo.seed import SCALES, DatabaseNotEmpty
    from demo.seed import seed_demo as seed

    if scale not in SCALES:
        raise fail(f"--scale harus salah satu dari: {', '.join(SCALES)}", code=2)
    with runtime(settings_or_exit()) as rt, _progress() as progress:
        task = progress.add_task(f"Seed demo ({scale})", total=None)

        def report(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        started = time.perf_counter()
        try:
            summary = with_engine(rt.database_url, lambda engine: seed(
                engine, scale=scale, progress=report, replace=replace))
        except DatabaseNotEmpty as exc:
            raise fail(str(exc), code=2) from None
    console.print(f"Data demo siap dalam {time.perf_counter() - started:.1f} detik: {summary}")
