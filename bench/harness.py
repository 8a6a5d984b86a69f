"""What the benchmark scripts share: a free port, a server in its own process, and an open
loop of timed arrivals. Imported as `harness` (a script's own folder is first on sys.path)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import httpx


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(command: Sequence[str], port: int, env: dict[str, str], log: Path, *,
            stop: signal.Signals = signal.SIGTERM, cwd: Path | None = None,
            stdout: int | IO[Any] | None = None, name: str = "the server"
            ) -> Iterator[tuple[str, int]]:
    """`command` (listening on `port`) in its own process, its stderr appended to `log`,
    until /readyz answers 200; yields (base url, pid) and stops it with `stop`."""
    with log.open("a") as stderr:
        process = subprocess.Popen(list(command), env={**os.environ, **env}, cwd=cwd,
                                   stdout=stdout, stderr=stderr)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"{name} did not start, see {log}")
            time.sleep(0.2)
        yield url, process.pid
    finally:
        process.send_signal(stop)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def fake_rapidapi_process(script: str, *args: str) -> Iterator[str]:
    """The fake RapidAPI (`script`, given its port then `args`) in its own process, as the
    real API would be; yields its URL once it answers."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", script, str(port), *args],
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(url, timeout=0.5)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait()


async def open_loop(inject: Callable[[Any], Awaitable[None]],
                    plan: Sequence[tuple[float, Any]]) -> tuple[float, list[float]]:
    """Each (offset, message) of `plan` is injected `offset` seconds after the start and its
    latency counted from then (ms), whatever is still in flight: an open loop. Each arrival is
    a timer of the event loop, which wakes for it as it would for a message from WhatsApp.
    Returns (elapsed seconds, latencies)."""
    loop = asyncio.get_running_loop()
    latencies: list[float] = []
    tasks: list[asyncio.Task[None]] = []
    all_arrived = asyncio.Event()

    async def one(message: Any, due: float) -> None:
        await inject(message)
        latencies.append((time.perf_counter() - due) * 1000)

    def arrive(message: Any, due: float) -> None:
        tasks.append(asyncio.create_task(one(message, due)))
        if len(tasks) == len(plan):
            all_arrived.set()

    started, loop_started = time.perf_counter(), loop.time()
    for offset, message in plan:
        loop.call_at(loop_started + offset, arrive, message, started + offset)
    await all_arrived.wait()
    await asyncio.gather(*tasks)
    return time.perf_counter() - started, latencies


async def timed(runs: int, work: Callable[[], Awaitable[object]]) -> tuple[float, float]:
    """(median, p95) in ms of `runs` calls of `work`, after one call that warms caches and
    the connection pool."""
    await work()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await work()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


@contextlib.asynccontextmanager
async def polda_engine(home: Path, redis_url: str | None = None) -> AsyncIterator[Any]:
    """An engine on the embedded PostgreSQL of `home`, migrated and holding the polda demo
    (seeded on first use, reused after)."""
    from cicero.embedded import EmbeddedServices
    from cicero.runtime import upgrade_database
    from demo.seed import seed_unless_seeded
    from storage.db import create_engine

    with EmbeddedServices(home, None, redis_url) as services:
        assert services.database_url
        await asyncio.to_thread(upgrade_database, services.database_url)
        engine = create_engine(services.database_url)
        try:
            print(await seed_unless_seeded(engine))
            yield engine
        finally:
            await engine.dispose()
