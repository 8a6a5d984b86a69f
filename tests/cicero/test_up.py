"""`cicero up`: serving quickly from an empty folder, reusing data, stopping cleanly."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import text

from cicero.embedded import EmbeddedServices, _pid_alive
from storage.db import create_engine
from tests.conftest import PROJECT_ROOT
from tests.waiting import eventually_blocking

STARTUP_BUDGET_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Up:
    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.port = _free_port()
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cicero", "up", "--port", str(self.port), *args],
            env=env, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )

    def wait_ready(self) -> float:
        url = f"http://127.0.0.1:{self.port}/readyz"

        def ready_or_exited() -> bool:
            if self.process.poll() is not None:
                return True
            try:
                return httpx.get(url, timeout=1).status_code == 200
            except httpx.TransportError:
                return False

        try:
            eventually_blocking(ready_or_exited, "cicero up serving", every=0.2,
                                within=STARTUP_BUDGET_SECONDS - (time.monotonic() - self.started))
        except AssertionError:
            self.process.kill()
            raise AssertionError(f"not serving within {STARTUP_BUDGET_SECONDS}s: "
                                 f"{self.process.communicate()}") from None
        if self.process.poll() is not None:
            raise AssertionError(f"cicero up exited: {self.process.communicate()}")
        return time.monotonic() - self.started

    def interrupt(self) -> str:
        self.process.send_signal(signal.SIGINT)
        stdout, stderr = self.process.communicate(timeout=30)
        assert self.process.returncode == 0, stderr
        assert "Traceback" not in stderr, stderr  # a clean stop, not a crash on the way out
        assert "Cicero berhenti." in stdout
        return stdout


def _embedded_env(cli_env: dict[str, str], home: Path) -> dict[str, str]:
    env = {k: v for k, v in cli_env.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["CICERO_HOME"] = str(home)
    return env


async def _client_count(home: Path) -> int:
    with EmbeddedServices(home, None, None) as services:
        engine = create_engine(services.database_url, pool_size=1)
        try:
            async with engine.connect() as connection:
                return int((await connection.execute(text("SELECT count(*) FROM clients")))
                           .scalar_one())
        finally:
            await engine.dispose()


async def test_up_demo_serves_from_an_empty_folder_and_reuses_its_data(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    home = tmp_path / "empty" / "home"
    env = _embedded_env(cli_env, home)

    first = Up(env, "--demo")
    first.wait_ready()
    base = f"http://127.0.0.1:{first.port}"
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        login = await client.post("/masuk", data={"username": "admin", "password": "admin12345"})
        assert login.status_code == 303 and "cicero_admin" in login.headers["set-cookie"]
        page = await client.get("/sandbox")
        assert page.status_code == 200 and "sandbox" in page.text.lower()
    clients = await _client_count(home)
    assert clients >= 5
    pids = (int((home / "postgres" / "postmaster.pid").read_text().split()[0]),
            int((home / "redis" / "redis.pid").read_text()))
    output = first.interrupt()
    assert str(home) in output
    assert "data demo diisi" in output
    assert not any(_pid_alive(pid) for pid in pids), "embedded servers left running"

    second = Up(env, "--demo")
    second.wait_ready()
    assert "data yang ada dipakai lagi" in second.interrupt()
    assert await _client_count(home) == clients


def test_up_with_external_urls_starts_nothing_embedded(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    up = Up(cli_env)
    up.wait_ready()
    output = up.interrupt()
    assert "eksternal" in output
    home = Path(cli_env["CICERO_HOME"])
    assert not (home / "postgres").exists() and not (home / "redis").exists()
