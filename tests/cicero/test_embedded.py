"""Embedded PostgreSQL and Redis: reuse per CICERO_HOME, clean stop, nothing left running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from cicero.embedded import EmbeddedServices, _pid_alive
from tests.waiting import eventually_blocking

HOLDER = """
import sys
from pathlib import Path
from cicero.embedded import EmbeddedServices
from cicero.logs import configure_logging
configure_logging("WARNING")
services = EmbeddedServices(Path(sys.argv[1]), None, None)
services.start()
print("ready", flush=True)
sys.stdin.readline()
services.stop()
"""


def _server_pids(home: Path) -> tuple[int, int]:
    postgres = int((home / "postgres" / "postmaster.pid").read_text().splitlines()[0])
    redis = int((home / "redis" / "redis.pid").read_text().strip())
    return postgres, redis


def _wait_dead(pids: tuple[int, ...], timeout: float = 15) -> bool:
    return eventually_blocking(lambda: not any(_pid_alive(pid) for pid in pids),
                               f"processes {pids} gone", within=timeout)


def _start_holder(home: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(home)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None
    for line in holder.stdout:  # log lines may come first
        if line.strip() == "ready":
            return holder
    raise AssertionError("the holder process did not start the servers")


def test_second_process_reuses_the_servers_and_the_last_one_stops_them(tmp_path: Path) -> None:
    home = tmp_path / "home"
    holder = _start_holder(home)
    pids = _server_pids(home)

    ours = EmbeddedServices(home, None, None)
    ours.start()
    assert _server_pids(home) == pids  # reused, not restarted
    ours.stop()
    assert all(_pid_alive(pid) for pid in pids)  # the holder still uses them

    holder.communicate("\n", timeout=30)
    assert holder.returncode == 0
    assert _wait_dead(pids)


def test_servers_of_a_killed_process_are_reused_then_stopped(tmp_path: Path) -> None:
    home = tmp_path / "home"
    holder = _start_holder(home)
    pids = _server_pids(home)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()

    services = EmbeddedServices(home, None, None)
    services.start()
    assert _server_pids(home) == pids
    services.stop()
    assert _wait_dead(pids)


def test_data_survives_a_restart(tmp_path: Path) -> None:
    import redis

    home = tmp_path / "home"
    with EmbeddedServices(home, None, None) as services:
        redis.Redis.from_url(services.redis_url).set("kept", "yes")
    with EmbeddedServices(home, None, None) as services:
        assert redis.Redis.from_url(services.redis_url).get("kept") == b"yes"


def test_external_urls_start_nothing(tmp_path: Path, database_url: str, redis_url: str) -> None:
    home = tmp_path / "home"
    with EmbeddedServices(home, database_url, redis_url) as services:
        assert (services.database_url, services.redis_url) == (database_url, redis_url)
        assert services.postgres is None and services.redis is None
    assert not home.exists()
