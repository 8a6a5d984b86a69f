"""The scheduled deliveries of issue 18 beyond their replays (tests/conversations/scenarios/
j0*.jsonl): a disabled job sends nothing, two real workers driven through a simulated day
send every delivery once (counted by outbox key), and a worker started after a slot makes
it up once the same day, recorded as a catch-up, never the previous day's."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from bot.outbox import stream_key
from cicero.clock import clock
from cicero.settings import load_settings
from jobs.queue import QUEUE_NAME
from jobs.runner import execute
from jobs.schedule import SCHEDULE, by_key
from jobs.scheduler import SlotScheduler
from jobs.worker import close_context, create_worker, open_context, serve, stop
from storage.job_state import set_active

JAKARTA = ZoneInfo("Asia/Jakarta")
DAY = datetime(2025, 11, 30, tzinfo=JAKARTA)  # a Sunday and the last day of the month
ADMIN = "6281200000010"
RECAPS = ("recap-evening", "recap-completeness", "recap-links", "amplify-monthly")
SESSIONS = ("operator", "gateway")

WORLD = (
    "INSERT INTO clients (client_id, name, type) VALUES ('DITBINMAS', 'DIREKTORAT BINMAS', "
    "'directorate'), ('POLRES_A', 'POLRES A', 'org')",
    "INSERT INTO client_contacts (client_id, kind, value) VALUES "
    "('DITBINMAS', 'super_admin', '6281200000022'), ('DITBINMAS', 'operator', '6281200000030'), "
    "('DITBINMAS', 'group', '120363000000000001@g.us'), "
    "('POLRES_A', 'operator', '6281200000009'), ('POLRES_A', 'group', '120363012345678901@g.us')",
    "INSERT INTO personnel (user_id, name, rank, satfung, client_id, instagram, tiktok) VALUES "
    "('1', 'BUDI', 'BRIPKA', 'SAT BINMAS', 'POLRES_A', 'budi', 'budi.tt')",
    "INSERT INTO posts (id, platform, external_id, client_id, uploaded_at) VALUES "
    "(1, 'instagram', 'DIT1', 'DITBINMAS', '2025-11-30T08:00:00+07:00'), "
    "(2, 'instagram', 'POLA1', 'POLRES_A', '2025-11-30T08:00:00+07:00')",
    "INSERT INTO link_reports (post_id, user_id, instagram_link) VALUES "
    "(2, '1', 'https://instagram.com/p/R1')",
)


@pytest.fixture
async def world(engine):
    async with engine.begin() as connection:
        for statement in WORLD:
            await connection.execute(text(statement))
    return engine


@pytest.fixture
def settings(tmp_path: Path):
    return load_settings(admin_whatsapp=ADMIN, cicero_home=tmp_path / "home",
                         backup_dir=tmp_path / "backups")


async def _deliveries(redis) -> Counter[str]:
    """Every outbox entry's key, counted."""
    keys: Counter[str] = Counter()
    for session in SESSIONS:
        for _, fields in await redis.xrange(stream_key(session)):
            keys[fields["key"]] += 1
    return keys


async def _until(check, what: str, within: float = 120.0):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if found := await check():
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"not reached within {within:.0f} s: {what}")


async def _runs(engine, job_key: str) -> list[dict]:
    async with engine.connect() as connection:
        rows = await connection.execute(text(
            "SELECT status, counts FROM job_runs WHERE job_key = :key ORDER BY id"),
            {"key": job_key})
        return [dict(row) for row in rows.mappings()]


@pytest.mark.parametrize("key", RECAPS)
async def test_a_disabled_recap_sends_nothing(key: str, world, redis, settings, database_url,
                                              redis_url) -> None:
    clock.set_now(DAY.replace(hour=23, minute=30))
    context = await open_context(settings, database_url, redis_url)
    try:
        await set_active(world, key, by_key()[key].display_name, False)
        assert (await execute(context, by_key()[key]))["status"] == "skipped"
        assert await _deliveries(redis) == Counter()
        await set_active(world, key, by_key()[key].display_name, True)
        result = await execute(context, by_key()[key])
        assert result["status"] == "success" and result["deliveries"] > 0
        assert await _deliveries(redis) != Counter()
    finally:
        await close_context(context)


async def test_two_workers_through_a_simulated_day_send_every_delivery_once(
        world, redis, settings, database_url, redis_url) -> None:
    for job in SCHEDULE:  # only the recaps run; the rest are recorded as skipped
        if job.key not in RECAPS:
            await set_active(world, job.key, job.display_name, False)
    clock.set_now(DAY.replace(hour=7, minute=59, second=50))
    workers = [create_worker(settings, database_url, redis_url, handle_signals=False,
                             catch_up_missed=True) for _ in range(2)]
    serving = [asyncio.create_task(serve(worker)) for worker in workers]
    slots = sorted({(t, job.key) for job in SCHEDULE if job.key in RECAPS for t in job.times})
    try:
        for hour_minute, key in slots:
            hour, minute = map(int, hour_minute.split(":"))
            before = len(await _runs(world, key))
            clock.set_now(DAY.replace(hour=hour, minute=minute, second=1))

            async def settled(key: str = key, before: int = before) -> bool:
                runs = await _runs(world, key)
                return (len(runs) > before and all(r["status"] == "success" for r in runs)
                        and not await redis.zcard(QUEUE_NAME)
                        and all(not w.scheduler.due(clock.now()) for w in workers)
                        and all(task.done() for w in workers for task in w.tasks.values()))

            await _until(settled, f"{key} at {hour_minute}")
    finally:
        for worker, task in zip(workers, serving, strict=True):
            await stop(worker, task)
    keys = await _deliveries(redis)
    assert keys and set(keys.values()) == {1}, keys.most_common(3)
    by_job = Counter(key.split(":")[0] for key in keys)
    assert set(by_job) == set(RECAPS)
    slots_sent = {tuple(key.split(":")[:3]) for key in keys}
    assert ("recap-completeness", "2025-11-30", "1200") in slots_sent
    assert ("recap-links", "2025-11-30", "2105") in slots_sent
    assert any(key.startswith("recap-evening:2025-11-30:2030:month:DITBINMAS:kasatker:")
               for key in keys)


def test_a_worker_started_late_makes_up_the_latest_slot_of_today_once() -> None:
    evening, links, reminder = (by_key()[k] for k in ("recap-evening", "recap-links",
                                                      "wa-reminder"))
    start = DAY.replace(hour=21, minute=30)
    scheduler = SlotScheduler([evening, links, reminder], start)
    # recap-links ran at 21:05 (another worker); recap-evening's 20:30 did not run;
    # wa-reminder does not catch up.
    assert scheduler.recall({"recap-links": DAY.replace(hour=21, minute=5, second=3)}) == [
        "recap-evening"]
    [due] = scheduler.due(start + timedelta(seconds=0.5))
    assert (due.job.key, due.slot.hour, due.slot.minute, due.late) == ("recap-evening", 20, 30,
                                                                       True)
    scheduler.enqueued(due.job, start + timedelta(seconds=0.5))
    scheduler.handled(start + timedelta(seconds=0.5))
    assert scheduler.due(start + timedelta(seconds=1)) == []

    # Started after midnight: yesterday's 20:30 is never made up.
    next_day = SlotScheduler([evening], DAY.replace(hour=23) + timedelta(hours=2))
    assert next_day.recall({}) == []


async def test_a_real_worker_started_after_the_slot_catches_up_and_records_it(
        world, redis, settings, database_url, redis_url) -> None:
    for job in SCHEDULE:
        if job.key != "recap-completeness":
            await set_active(world, job.key, job.display_name, False)
    clock.set_now(DAY.replace(hour=8, minute=40))
    worker = create_worker(settings, database_url, redis_url, handle_signals=False,
                           catch_up_missed=True)
    serving = asyncio.create_task(serve(worker))
    try:
        runs = await _until(lambda: _done(world, "recap-completeness"), "the catch-up run")
    finally:
        await stop(worker, serving)
    [run] = runs
    assert run["counts"]["caught_up"] == DAY.replace(hour=8).isoformat()
    assert any(key.startswith("recap-completeness:2025-11-30:0800:")
               for key in await _deliveries(redis))


async def _done(engine, key: str) -> list[dict] | None:
    runs = await _runs(engine, key)
    return runs if runs and all(r["status"] == "success" for r in runs) else None
