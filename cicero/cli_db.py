"""`cicero db …`: migrations, backup and restore."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cicero.cli import confirm, console, fail, settings_or_exit
from cicero.runtime import downgrade_database, runtime, upgrade_database
from jobs.backup import (
    BackupError,
    default_backup_path,
    dump_database,
    restore_database,
    tables_with_rows,
)

db_app = typer.Typer(help="Migrasi, backup dan restore database.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade(revision: Annotated[str, typer.Argument(help="Revisi tujuan")] = "head") -> None:
    """Jalankan migrasi sampai REVISION (bawaan: head)."""
    with runtime(settings_or_exit()) as rt:
        upgrade_database(rt.database_url, revision)
    console.print(f"Database sudah pada revisi {revision}.")


@db_app.command("downgrade")
def downgrade(revision: Annotated[str, typer.Argument(help="Revisi tujuan, mis. base")]) -> None:
    """Mundurkan migrasi ke REVISION."""
    with runtime(settings_or_exit()) as rt:
        downgrade_database(rt.database_url, revision)
    console.print(f"Database diturunkan ke revisi {revision}.")


@db_app.command("backup")
def backup(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File tujuan")] = None,
    upload: Annotated[bool, typer.Option("--upload", help="Unggah ke Google Drive")] = False,
) -> None:
    """Buat backup database (pg_dump, format custom)."""
    settings = settings_or_exit()
    if upload and not (settings.google_service_account and settings.google_drive_folder_id):
        raise fail("--upload butuh GOOGLE_SERVICE_ACCOUNT dan GOOGLE_DRIVE_FOLDER_ID.", code=2)
    with runtime(settings) as rt:
        target = output or default_backup_path(settings)
        try:
            dump_database(rt.database_url, target)
        except BackupError as exc:
            raise fail(str(exc)) from None
    console.print(f"Backup tersimpan: {target} ({target.stat().st_size:,} byte)")
    if upload:
        from jobs.backup_upload import upload_to_drive

        try:
            file_id = upload_to_drive(settings, target)
        except Exception as exc:  # any Google or network failure; the local file stays
            raise fail(f"Unggah ke Google Drive gagal ({type(exc).__name__}): "
                       f"{str(exc).splitlines()[0][:200]}. Backup lokal tetap ada.") from None
        console.print(f"Terunggah ke Google Drive (id {file_id}).")


@db_app.command("restore")
def restore(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="File backup")],
    yes: Annotated[bool, typer.Option(
        "--yes", help="timpa database yang berisi data tanpa bertanya (untuk skrip)")] = False,
) -> None:
    """Pulihkan database dari FILE (menimpa isi yang ada; bertanya dulu bila berisi data)."""
    import asyncio

    from storage.db import create_engine

    with runtime(settings_or_exit()) as rt:
        async def filled() -> list[str]:
            engine = create_engine(rt.database_url, pool_size=1)
            try:
                return await tables_with_rows(engine)
            finally:
                await engine.dispose()

        tables = asyncio.run(filled())
        if tables and not yes:
            console.print(f"Database ini berisi data ({len(tables)} tabel berisi baris, mis. "
                          f"{', '.join(tables[:3])}); restore akan menimpa semuanya.",
                          highlight=False)
            if not confirm("Timpa dengan isi backup?"):
                raise fail("restore dibatalkan, database tidak diubah.")
        try:
            restore_database(rt.database_url, file)
        except BackupError as exc:
            raise fail(str(exc)) from None
    console.print(f"Database dipulihkan dari {file}.")
