"""The job framework: toggles, recorded runs, single flight, cron entries, a real arq worker."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from cicero.settings import Settings
from jobs.queue import UnknownJob, enqueue_job
from jobs.runner import execute
from jobs.schedule import SCHEDULE, JobDefinition, by_key, every
from jobs.scheduler import SlotScheduler, slots_on
from jobs.worker import close_context, create_worker, open_context
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


def test_schedule_times_are_business_slots_and_a_missed_slot_is_due_once_the_same_day(
) -> None:
    assert every(30, "06:30", "08:00") == ("06:30", "07:00", "07:30", "08:00")
    assert every(30, "14:00", "16:00", skip=("15:00",)) == ("14:00", "14:30", "15:30", "16:00")
    assert len({job.key for job in SCHEDULE}) == len(SCHEDULE)
    jakarta = ZoneInfo("Asia/Jakarta")
    backup, fetch = by_key()["db-backup"], by_key()["fetch-sosmed"]
    assert slots_on(backup, date(2025, 12, 6)) == [datetime(2025, 12, 6, 4, 0, tzinfo=jakarta)]

    start = datetime(2025, 12, 6, 3, 59, 59, 800_000, tzinfo=jakarta)
    scheduler = SlotScheduler([backup, fetch], start)
    assert scheduler.due(start) == []
    on_time = datetime(2025, 12, 6, 4, 0, 0, 300_000, tzinfo=jakarta)  # the next poll
    [due] = scheduler.due(on_time)
    assert (due.job.key, due.slot.hour, due.late) == ("db-backup", 4, False)
    scheduler.enqueued(due.job, on_time)
    scheduler.handled(on_time)
    assert scheduler.due(on_time + timedelta(seconds=1)) == []

    # Redis away from 06:25 to 07:40: nothing enqueued meanwhile, then the latest slot once
    scheduler.handled(datetime(2025, 12, 6, 6, 25, tzinfo=jakarta))
    back = datetime(2025, 12, 6, 7, 40, 3, tzinfo=jakarta)
    [due] = scheduler.due(back)
    assert (due.job.key, due.slot.strftime("%H:%M"), due.late) == ("fetch-sosmed", "07:30", True)
    scheduler.enqueued(due.job, back)
    assert scheduler.due(back) == []

    # away overnight: yesterday's slots are not caught up, today's latest is
    scheduler.handled(datetime(2025, 12, 6, 21, 50, tzinfo=jakarta))
    morning = datetime(2025, 12, 7, 4, 10, tzinfo=jakarta)
    assert [(d.job.key, d.slot.day, d.slot.hour) for d in scheduler.due(morning)] == [
        ("db-backup", 7, 4)]


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
    assert skipped.returncode == 0
    assert skipped.stdout.strip() == "Job db-backup: dilewati (nonaktif)"
    listing = run_cli("jobs", "list", env={**cli_env, "COLUMNS": "80"})
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, listing.stdout
    for job in SCHEDULE:  # every key whole, at the start of its row
        assert any(line.startswith(f"│ {job.key} ") for line in lines), (job.key, listing.stdout)
    row = next(line for line in lines if "db-backup" in line)
    assert "tidak" in row and "dilewati" in row
    schedules = " ".join(line.split("│")[2].strip() for line in lines if line.startswith("│"))
    assert "tiap 30 menit 06:30–22:00 (kecuali 15:00, 18:00)" in schedules
    assert "hari terakhir tiap bulan pukul 23:00" in schedules
    assert run_cli("jobs", "enable", "db-backup", env=cli_env).returncode == 0
    unknown = run_cli("jobs", "run", "nope", env=cli_env)
    assert unknown.returncode == 2 and "tidak dikenal" in unknown.stderr
