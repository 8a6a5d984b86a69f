"""A job whose process is killed: its run is not left `running` forever. The real
`cicero jobs run` is killed (-9) in the middle of a backup; a real worker then marks the run
failed, while a run whose process lives is left alone."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.settings import Settings
from jobs.runner import ABANDONED, LEASE_SECONDS, reap_abandoned_runs
from jobs.worker import close_context, create_worker, open_context, serve, stop
from tests.conftest import PROJECT_ROOT
from tests.waiting import eventually


async def _run(engine: AsyncEngine) -> dict | None:
    async with engine.connect() as connection:
        row = (await connection.execute(text(
            "SELECT status, error, now() - started_at AS age FROM job_runs "
            "WHERE job_key = 'db-backup'"))).mappings().one_or_none()
        return dict(row) if row else None


async def _until(check, what: str, within: float = 90.0):
    return await eventually(check, what, within=within, every=0.2)


@pytest.mark.slow
async def test_a_killed_run_is_marked_failed_by_a_worker(
    engine: AsyncEngine, redis, cli_env: dict[str, str], tmp_path: Path
) -> None:
    settings = Settings(cicero_home=tmp_path / "home", backup_dir=tmp_path / "backups")
    context = await open_context(settings, cli_env["DATABASE_URL"], cli_env["REDIS_URL"])
    blocker = await engine.connect()
    await blocker.begin()
    await blocker.execute(text("LOCK TABLE clients IN ACCESS EXCLUSIVE MODE"))  # pg_dump waits
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cicero", "jobs", "run", "db-backup", env=cli_env,
        cwd=PROJECT_ROOT, start_new_session=True, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL)
    worker = None
    try:
        async def running_a_while() -> bool:
            run = await _run(engine)
            return bool(run) and run["status"] == "running" and \
                run["age"].total_seconds() > LEASE_SECONDS + 1

        await _until(running_a_while, "the backup running for a while")
        assert await reap_abandoned_runs(context) == 0  # its process lives: left alone

        os.killpg(process.pid, signal.SIGKILL)  # `cicero jobs run` and its pg_dump
        await process.wait()
        worker = create_worker(settings, cli_env["DATABASE_URL"], cli_env["REDIS_URL"],
                               handle_signals=False)
        serving = asyncio.create_task(serve(worker))

        async def reaped() -> dict | None:
            run = await _run(engine)
            return run if run and run["status"] != "running" else None

        run = await _until(reaped, "the killed run marked")
        assert (run["status"], run["error"]) == ("failed", ABANDONED)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        await blocker.rollback()
        await blocker.close()
        if worker is not None:
            await stop(worker, serving)
        await close_context(context)
