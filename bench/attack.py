"""Load test of two attacks from issue 13 against a running `cicero web` (not a test).

    python bench/attack.py [--home DIR] [--guesses 300] [--connections 4] [--seconds 10]

Starts embedded PostgreSQL and Redis under DIR (default: a fresh temporary folder), migrates,
creates one approved admin account, and starts the real command line `cicero web` in its own
process in production mode (DATABASE_URL, REDIS_URL and a generated JWT_SECRET set, as a
deployment runs it). Then:

1. `--guesses` concurrent logins for that account from one address, each on its own
   connection, all wrong but one (the right password, in the middle of the batch): how many
   passwords the server evaluated (every answer but 429) against the limit, and whether the
   right guess got in.
2. `--connections` connections sending `[` x 30,000 as a login body back to back for
   `--seconds` s (each used to end in a RecursionError, a 500 and a traceback), from a
   separate process; meanwhile this process asks GET /healthz every 10 ms on its own
   connection: p50 / p99 / max latency, against the same probe without the attack first,
   and with the same connections sending a one-byte invalid body (`{`) as a control: the
   closed loop keeps one server process busy whatever the body, so the control shows how
   much of the latency is the deep JSON itself. The server's CPU per attacking request is
   read from /proc.

Goal (issue 13): at most the limit evaluated, the right guess refused; /healthz p99 <= 50 ms
under the deep-JSON attack. Server, PostgreSQL, Redis, the attacker and the probe share the
machine's cores, so the load average (printed) moves the tail latencies. The server's stderr
goes to DIR/attack-server.log.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))
warnings.filterwarnings("ignore")

import httpx  # noqa: E402
from harness import free_port, serving  # noqa: E402
from sqlalchemy import text  # noqa: E402

USERNAME, PASSWORD = "admin", "rahasia-yang-benar-123"
DEEP_JSON = b"[" * 30_000
CONTROL_BODY = b"{"
_TICKS = os.sysconf("SC_CLK_TCK")
PROBE_INTERVAL = 0.01


async def _prepare(database_url: str) -> None:
    from storage.dashboard_users import NewAccount, create_approved_account
    from storage.db import create_engine
    from storage.models import DashboardRole
    from web.passwords import hash_password

    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:  # an admin logs in onto the first client
            await connection.execute(text(
                "INSERT INTO clients (client_id, name, type) VALUES ('POLRES_A', 'A', 'org')"))
        await create_approved_account(engine, NewAccount(
            USERNAME, await hash_password(PASSWORD), DashboardRole.ADMIN, "", []))
    finally:
        await engine.dispose()


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


@contextlib.contextmanager
def _cicero_web(env: dict[str, str], log: Path) -> Iterator[tuple[str, int]]:
    """`cicero web` in its own process; yields its base URL and pid."""
    port = free_port()
    with serving([sys.executable, "-m", "cicero", "web", "--port", str(port)], port, env, log,
                 stop=signal.SIGINT, cwd=BENCH_DIR.parent, stdout=subprocess.DEVNULL,
                 name="cicero web") as server:
        yield server


# --- 1. concurrent guesses --------------------------------------------------------------------


async def _guesses(url: str, count: int) -> None:
    from web.rate_limit import LOGIN_ATTEMPTS_PER_SOURCE

    right = count // 2
    passwords = [PASSWORD if n == right else f"tebakan-{n:04d}" for n in range(count)]
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        started = time.perf_counter()
        responses = await asyncio.gather(*(
            client.post("/api/auth/dashboard-login",
                        json={"username": USERNAME, "password": password})
            for password in passwords))
        elapsed = time.perf_counter() - started
    statuses = Counter(response.status_code for response in responses)
    evaluated = sum(n for status, n in statuses.items() if status != 429)
    print(f"1. {count} concurrent logins from one address in {elapsed:.2f} s: "
          f"{dict(sorted(statuses.items()))}")
    print(f"   passwords evaluated: {evaluated} (limit {LOGIN_ATTEMPTS_PER_SOURCE.limit} per "
          f"username and address); the right guess (#{right + 1}) "
          f"{'GOT IN' if responses[right].status_code == 200 else 'was not evaluated'} "
          f"({responses[right].status_code})")


# --- 2. deep JSON beside /healthz -------------------------------------------------------------


def _attack(url: str, connections: int, seconds: float, body: bytes) -> None:
    """Child process: `connections` threads posting `body` as a login back to back; prints a
    JSON object {status: count} when the time is up."""
    host, port = url.removeprefix("http://").split(":")
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def sender() -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        while time.monotonic() < stop_at:
            try:
                connection.request("POST", "/api/auth/dashboard-login", body=body,
                                   headers={"Content-Type": "application/json"})
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
                status = 0
            with lock:
                statuses[status] += 1
        connection.close()

    threads = [threading.Thread(target=sender) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps(statuses))


def _probe(url: str, seconds: float) -> list[float]:
    """/healthz latencies (ms) on one keep-alive connection, one request every 10 ms."""
    latencies = []
    with httpx.Client(base_url=url, timeout=30) as client:
        stop_at = time.monotonic() + seconds
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            assert client.get("/healthz").status_code == 200
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(PROBE_INTERVAL)
    return latencies


def _summary(latencies: list[float]) -> str:
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return (f"p50 {statistics.median(latencies):.1f} ms, p99 {cuts[98]:.1f} ms, "
            f"max {max(latencies):.1f} ms ({len(latencies)} requests)")


def _under_attack(url: str, pid: int, connections: int, seconds: float, body: bytes,
                  label: str) -> None:
    attacker = subprocess.Popen([sys.executable, __file__, "--attack", url, "--connections",
                                 str(connections), "--seconds", str(seconds),
                                 "--body", body.decode()], stdout=subprocess.PIPE, text=True)
    cpu = _cpu_seconds(pid)
    latencies = _probe(url, seconds)
    output, _ = attacker.communicate(timeout=seconds + 60)
    cpu = _cpu_seconds(pid) - cpu
    statuses = {int(k): v for k, v in json.loads(output).items()}
    sent = sum(statuses.values())
    print(f"   with {connections} connections sending {label}: {_summary(latencies)}")
    print(f"      answers {dict(sorted(statuses.items()))}, {sent / seconds:.0f} req/s, "
          f"server CPU {cpu * 1000 / max(sent, 1):.2f} ms per request")


def _deep_json(url: str, pid: int, connections: int, seconds: float) -> None:
    print(f"2. /healthz alone for {seconds:.0f} s: {_summary(_probe(url, seconds))}")
    _under_attack(url, pid, connections, seconds, DEEP_JSON, "deep JSON ([ x 30,000)")
    _under_attack(url, pid, connections, seconds, CONTROL_BODY, "'{' (control)")


def main(arguments: argparse.Namespace) -> None:
    from cicero.embedded import EmbeddedServices
    from cicero.runtime import upgrade_database

    home = arguments.home or Path(tempfile.mkdtemp(prefix="cicero-attack-"))
    with EmbeddedServices(home, None, None) as services:
        assert services.database_url and services.redis_url
        upgrade_database(services.database_url)
        asyncio.run(_prepare(services.database_url))
        env = {"DATABASE_URL": services.database_url, "REDIS_URL": services.redis_url,
               "JWT_SECRET": secrets.token_urlsafe(48), "CICERO_HOME": str(home)}
        log = home / "attack-server.log"
        print(f"cicero web in production mode over embedded servers in {home}; "
              f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}")
        with _cicero_web(env, log) as (url, pid):
            asyncio.run(_guesses(url, arguments.guesses))
            _deep_json(url, pid, arguments.connections, arguments.seconds)
        tracebacks = log.read_text().count("Traceback")
        print(f"server log: {log.stat().st_size} bytes, {tracebacks} traceback(s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path)
    parser.add_argument("--guesses", type=int, default=300)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--attack", help=argparse.SUPPRESS)
    parser.add_argument("--body", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.attack:
        _attack(arguments.attack, arguments.connections, arguments.seconds,
                arguments.body.encode())
    else:
        main(arguments)
