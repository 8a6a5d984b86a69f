"""A second `cicero bot` / `cicero up` on sessions another process serves refuses in one
Indonesian line and leaves them WORKING; /readyz of `cicero up` is ready only while the
sessions it serves are WORKING (real processes over the test PostgreSQL and Redis)."""

from __future__ import annotations

import asyncio
import signal
import sys
import time

import httpx

from bot.session_lease import lease_key
from bot.transport import state_key
from tests.cicero.test_up import Up
from tests.conftest import PROJECT_ROOT, run_cli

SESSIONS = ["operator", "gateway", "user"]
REFUSAL = "Gagal: sesi WhatsApp operator, gateway, user sudah dijalankan proses lain ("


async def _states(redis) -> dict[str, str | None]:
    return {s: await redis.hget(state_key(s), "state") for s in SESSIONS}


async def _until_working(redis, process: asyncio.subprocess.Process) -> None:
    deadline = time.monotonic() + 60
    while set((await _states(redis)).values()) != {"WORKING"}:
        assert process.returncode is None, await process.communicate()
        assert time.monotonic() < deadline, await _states(redis)
        await asyncio.sleep(0.2)


async def test_a_second_cicero_bot_refuses_the_sessions_of_the_first(engine, redis,
                                                                     cli_env) -> None:
    first = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cicero", "bot", env=cli_env, cwd=PROJECT_ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        await _until_working(redis, first)
        owner = await redis.get(lease_key("operator"))
        assert f"|{first.pid}|" in owner

        second = await asyncio.to_thread(run_cli, "bot", env=cli_env)

        assert second.returncode == 1, second.stdout + second.stderr
        assert REFUSAL in second.stderr
        assert f"pid {first.pid})" in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1, second.stderr
        assert "Bot berjalan" not in second.stdout
        assert await _states(redis) == dict.fromkeys(SESSIONS, "WORKING")
        assert await redis.get(lease_key("operator")) == owner
    finally:
        first.send_signal(signal.SIGINT)
        stdout, _ = await asyncio.wait_for(first.communicate(), timeout=60)
    assert "Bot berjalan" in stdout.decode()
    assert await _states(redis) == dict.fromkeys(SESSIONS, "STOPPED")
    assert await redis.get(lease_key("operator")) is None


async def test_cicero_up_is_ready_only_while_its_sessions_work_and_a_second_refuses(
        engine, redis, cli_env) -> None:
    first = Up(cli_env)
    await asyncio.to_thread(first.wait_ready)
    url = f"http://127.0.0.1:{first.port}/readyz"
    async with httpx.AsyncClient(timeout=10) as client:
        body = (await client.get(url)).json()
        assert body["whatsapp"]["required"] == SESSIONS
        assert body["whatsapp"]["sessions"] == dict.fromkeys(SESSIONS, "WORKING")

        second = await asyncio.to_thread(run_cli, "up", "--port", str(first.port + 1),
                                         env=cli_env)
        assert second.returncode == 1, second.stdout + second.stderr
        assert REFUSAL in second.stderr
        assert "Cicero berjalan" not in second.stdout
        assert (await client.get(url)).status_code == 200
        assert await _states(redis) == dict.fromkeys(SESSIONS, "WORKING")

        await redis.hset(state_key("gateway"), mapping={"state": "FAILED"})  # e.g. logged out
        waiting = await client.get(url)
        assert waiting.status_code == 503
        assert waiting.json()["checks"]["whatsapp"] == "error: not working: gateway=FAILED"
    first.interrupt()
