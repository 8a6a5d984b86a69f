"""The job framework: toggles, recorded runs, single flight, cron entries, a real arq worker."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from cicero.settings import Settings
from jobs.queue import UnknownJob, enqueue_job
from jobs.runner import execute
from jobs.schedule import SCHEDULE, JobDefinition, by_key, every
from jobs.worker import _cron_jobs, close_context, create_worker, open_context
from storage.job_state import last_runs, set_active
from tests.conftest import run_cli


@pytest.fixture
async def context(engine, database_url: str, redis_url: str, tmp_path: Path):
    settings = Settings(cicero_home=tmp_path / "home", backup_dir=tmp_path / "backups")
    ctx = await open_context(settings, database_url, redis_url)
    yield ctx
    await close_context(ctx)


async def _ok(ctx) -> dict:
    return {"posts": 3}


async def _boom(ctx) -> dict:
    raise RuntimeError("RapidAPI mati")


async def test_a_run_is_recorded_with_its_counts(context) -> None:
    result = await execute(context, JobDefinition("demo-ok", "Demo", _ok, ()))
    assert result == {"status": "success", "posts": 3}
    run = (await last_runs(context.engine))["demo-ok"]
    assert (run.status, run.counts, run.error) == ("success", {"posts": 3}, None)
    assert run.finished_at is not None and run.finished_at >= run.started_at


async def test_a_failed_job_is_recorded_and_never_raises(context) -> None:
    result = await execute(context, JobDefinition("demo-boom", "Demo", _boom, ()))
    assert result["status"] == "failed"
    run = (await last_runs(context.engine))["demo-boom"]
    assert run.status == "failed" and "RapidAPI mati" in (run.error or "")


async def test_a_disabled_job_is_skipped_unless_forced(context) -> None:
    job = JobDefinition("demo-ok", "Demo", _ok, ())
    await set_active(context.engine, job.key, job.display_name, False)
    assert (await execute(context, job))["status"] == "skipped"
    assert (await last_runs(context.engine))["demo-ok"].status == "skipped"
    assert (await execute(context, job, force=True))["status"] == "success"


def test_schedule_times_become_cron_entries_per_minute() -> None:
    assert every(30, "06:30", "08:00") == ("06:30", "07:00", "07:30", "08:00")
    assert every(30, "14:00", "16:00", skip=("15:00",)) == ("14:00", "14:30", "15:30", "16:00")
    entries = {entry.name: entry for entry in _cron_jobs()}
    backup = entries["job:db-backup@00"]
    assert (backup.hour, backup.minute, backup.job_id) == ({4}, 0, "job:db-backup")
    assert len({job.key for job in SCHEDULE}) == len(SCHEDULE)


async def test_single_flight_and_a_real_worker_runs_the_backup(context, redis_url: str) -> None:
    assert await enqueue_job(redis_url, "db-backup") is True
    assert await enqueue_job(redis_url, "db-backup") is False  # already queued: not twice
    worker = create_worker(context.settings, context.database_url, redis_url,
                           handle_signals=False, burst=True)
    await worker.async_run()
    await worker.close()
    run = (await last_runs(context.engine))["db-backup"]
    assert run.status == "success" and run.counts["bytes"] > 0
    assert list((context.settings.backup_dir).glob("cicero-*.dump"))
    async with context.engine.connect() as connection:
        runs = await connection.execute(text("SELECT count(*) FROM job_runs"))
        assert runs.scalar_one() == 1
    assert await enqueue_job(redis_url, "db-backup") is True  # free again once finished


async def test_unknown_job_is_refused(redis_url: str) -> None:
    with pytest.raises(UnknownJob):
        await enqueue_job(redis_url, "no-such-job")
    assert "db-backup" in by_key()


def test_cli_toggles_and_lists_jobs(engine, cli_env: dict[str, str]) -> None:
    disabled = run_cli("jobs", "disable", "db-backup", env=cli_env)
    assert disabled.returncode == 0, disabled.stderr
    skipped = run_cli("jobs", "run", "db-backup", env=cli_env)
    assert skipped.returncode == 0 and '"skipped"' in skipped.stdout
    listing = run_cli("jobs", "list", env=cli_env)
    assert listing.returncode == 0
    row = next(line for line in listing.stdout.splitlines() if "db-backup" in line)
    assert "tidak" in row and "skipped" in row
    assert run_cli("jobs", "enable", "db-backup", env=cli_env).returncode == 0
    unknown = run_cli("jobs", "run", "nope", env=cli_env)
    assert unknown.returncode == 2 and "tidak dikenal" in unknown.stderr
