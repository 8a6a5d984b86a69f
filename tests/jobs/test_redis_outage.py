"""A Redis outage during a scheduled slot, for real: `cicero up` with its embedded Redis,
the business clock placed just before the 04:00 backup, `kill -9` of Redis for 10 s over the
slot. The worker comes back, the backup runs exactly once (recorded as caught up), /readyz is
not "ok" meanwhile, and the worker still takes new jobs afterwards."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.embedded import EmbeddedRedis, _pid_alive
from jobs.queue import enqueue_job
from tests.conftest import PROJECT_ROOT
from tests.server_proxy import free_port
from tests.waiting import eventually

JAKARTA = ZoneInfo("Asia/Jakarta")
SLOT = datetime(2025, 12, 8, 4, 0, tzinfo=JAKARTA)  # db-backup's slot
START = SLOT - timedelta(seconds=50)  # the business clock of `cicero up` starts here
OUTAGE = 10.0  # seconds Redis stays dead


async def _runs(engine: AsyncEngine) -> list[dict]:
    async with engine.connect() as connection:
        rows = await connection.execute(text(
            "SELECT status, counts, finished_at FROM job_runs WHERE job_key = 'db-backup' "
            "ORDER BY id"))
        return [dict(row) for row in rows.mappings()]


async def _until(check, what: str, within: float = 90.0):
    return await eventually(check, what, within=within, every=0.2)


@pytest.mark.slow
async def test_a_redis_kill_over_a_scheduled_slot_runs_its_job_once_when_redis_is_back(
    engine: AsyncEngine, cli_env: dict[str, str], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    env = {k: v for k, v in cli_env.items() if k != "REDIS_URL"}  # embedded Redis in `home`
    env.update(CICERO_HOME=str(home), BACKUP_DIR=str(tmp_path / "backups"))
    port = free_port()
    log = tmp_path / "up.log"
    with log.open("w") as output:
        up = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "cicero", "up", "--port", str(port), "--now",
            START.isoformat(), env=env, cwd=PROJECT_ROOT, stdout=output, stderr=output)
    restarted: EmbeddedRedis | None = None
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            async def ready() -> dict | None:
                assert up.returncode is None, log.read_text()[-3000:]
                with contextlib.suppress(httpx.TransportError):
                    response = await client.get("/readyz")
                    if response.status_code == 200:
                        return response.json()
                return None

            assert (await _until(ready, "cicero up ready"))["checks"]["worker"] == "ok"

            async def heartbeat() -> datetime | None:
                body = await ready()
                beat = body and body["worker"]["last_heartbeat"]
                return datetime.fromisoformat(beat) if beat else None

            first = await _until(heartbeat, "a heartbeat")
            assert first < SLOT - timedelta(seconds=10), "cicero up took too long to start"

            async def nine_seconds_before_the_slot() -> bool:
                # beats are 5 s apart: the first at or after SLOT - 9 s is before SLOT - 4 s
                beat = await heartbeat()
                return beat is not None and beat >= SLOT - timedelta(seconds=9)

            await _until(nine_seconds_before_the_slot, "the business clock near the slot")
            os.kill(int((home / "redis" / "redis.pid").read_text()), signal.SIGKILL)
            assert (await client.get("/readyz")).status_code == 503
            await asyncio.sleep(OUTAGE)  # the outage itself, over the 04:00 slot
            assert await _runs(engine) == []
            restarted = EmbeddedRedis(home / "redis")
            restarted.start()

            [run] = await _until(lambda: _done(engine), "the backup ran")
            assert run["status"] == "success", run
            assert run["counts"]["caught_up"] == SLOT.isoformat()
            assert run["counts"]["bytes"] > 0

            seen = await _until(heartbeat, "a heartbeat")

            async def polled_on() -> bool:  # two heartbeats (5 s apart) later
                beat = await heartbeat()
                return beat is not None and beat > seen + timedelta(seconds=6)

            await _until(polled_on, "the worker polled on after the run")
            assert len(await _runs(engine)) == 1  # once

            redis_url = f"unix://{restarted.socket}"
            assert await enqueue_job(redis_url, "db-backup") is True  # and it takes new work
            await _until(lambda: _count_done(engine, 2), "a new job after the outage")
    finally:
        up.send_signal(signal.SIGINT)
        await asyncio.wait_for(up.wait(), 60)
        if restarted is not None:
            restarted.release()
    assert up.returncode == 0, log.read_text()[-3000:]
    redis_pid = home / "redis" / "redis.pid"
    assert not redis_pid.exists() or not _pid_alive(int(redis_pid.read_text() or 0))


async def _done(engine: AsyncEngine) -> list[dict] | None:
    runs = await _runs(engine)
    return runs if runs and all(run["finished_at"] for run in runs) else None


async def _count_done(engine: AsyncEngine, count: int) -> bool:
    runs = await _runs(engine)
    return len(runs) == count and all(run["finished_at"] for run in runs)
