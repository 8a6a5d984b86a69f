"""Database backups: pg_dump from the bundled PostgreSQL, optionally uploaded to Drive.

A backup holds every password hash and all personnel data: its folder is 0700 and each file
0600 (pg_dump runs with umask 077; files left readable by earlier versions are fixed when the
folder is next used)."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

from cicero.clock import clock
from cicero.embedded import postgres_bin_dir
from cicero.private_files import PRIVATE_UMASK, private_directory, private_file, restrict_tree
from cicero.settings import Settings


class BackupError(RuntimeError):
    pass


def libpq_url(database_url: str) -> str:
    """The URL form pg_dump / pg_restore understand."""
    return database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


def backup_folder(settings: Settings) -> Path:
    folder = private_directory(settings.backup_dir or settings.home / "backups")
    restrict_tree(folder)
    return folder


def dump_database(database_url: str, target: Path) -> Path:
    result = subprocess.run(
        [str(postgres_bin_dir() / "pg_dump"), "--format=custom", "--no-owner",
         f"--file={target}", f"--dbname={libpq_url(database_url)}"],
        capture_output=True, text=True, umask=PRIVATE_UMASK,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump gagal: {result.stderr.strip()}")
    return private_file(target)  # also when it replaced an existing, readable file


async def tables_with_rows(engine) -> list[str]:
    """The tables of the public schema that hold at least one row (Alembic's own aside):
    what a restore would overwrite."""
    from sqlalchemy import text

    async with engine.connect() as connection:
        names = (await connection.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version' ORDER BY tablename"))).scalars().all()
        filled = []
        for name in names:
            quoted = '"' + name.replace('"', '""') + '"'
            if await connection.scalar(text(f"SELECT EXISTS (SELECT 1 FROM {quoted})")):
                filled.append(name)
        return filled


def restore_database(database_url: str, file: Path) -> None:
    result = subprocess.run(
        [str(postgres_bin_dir() / "pg_restore"), "--clean", "--if-exists", "--no-owner",
         "--single-transaction", f"--dbname={libpq_url(database_url)}", str(file)],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore gagal: {result.stderr.strip()}")


def default_backup_path(settings: Settings) -> Path:
    return backup_folder(settings) / f"cicero-{clock.now():%Y%m%d-%H%M%S}.dump"


async def backup_job(ctx) -> dict[str, int]:
    """The 04:00 job: dump, upload when Drive is configured, then drop the uploaded file."""
    from jobs.backup_upload import upload_to_drive

    settings = ctx.settings
    target = await asyncio.to_thread(dump_database, ctx.database_url,
                                     default_backup_path(settings))
    counts = {"bytes": target.stat().st_size, "uploaded": 0}
    if settings.google_service_account and settings.google_drive_folder_id:
        await asyncio.to_thread(upload_to_drive, settings, target)
        target.unlink()
        counts["uploaded"] = 1
    return counts
