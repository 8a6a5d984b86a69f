"""Benchmark of the dashboard API under load: GET /api/insta/rekap-likes (not a test).

    python bench/api.py [--home DIR] [--workers 1] [--concurrency 50] [--duration 15]
                        [--rate 500] [--gzip] [--role directorate|admin]
                        [--profile [--profile-concurrency 5]]

Seeds `cicero seed demo --scale polda` into DIR (default: a folder under /tmp kept between
runs, so the seed is paid once), creates a dashboard account (role `--role`, client DITBINMAS)
and a token exactly as login issues it, and starts the real app (web.app.create_app) under
uvicorn in its own process, logging as `cicero web` does (`--workers N`: uvicorn's
multi-process mode). The request is the directorate's daily likes recap of the last seeded
day, `GET /api/insta/rekap-likes?client_id=DITBINMAS&periode=harian&tanggal=<day>`: about
6,200 people, a 3 MB body.

1. stages: the endpoint's steps run in this process one after the other (median / p95 ms):
   where a request spends its time, without HTTP. The app caches the scope and the encoded
   (and gzipped) body per data version (web/response_cache.py), so while no transaction
   commits a request costs the token check, the snapshot read and the send; the stages
   marked "once per data version" run only when something was committed.
2. saturation: `--concurrency` clients, each on its own keep-alive connection, send the next
   request as soon as the last answer arrived (closed loop) for `--duration` s: the req/s
   ceiling; latency here is mostly queueing (Little: in flight / rate, so 50 clients at
   500 req/s wait 100 ms on average).
3. paced: requests offered at `--rate` req/s over the same connections (open loop); latency
   counts from the moment a request was due, so a late send counts too. The goal below reads
   as "serves >= 500 req/s, and at 500 req/s p95 <= 50 ms": with 50 clients in a closed loop,
   p95 <= 50 ms would need >= 1,000 req/s.
4. `--profile`: saturation again against one server process under cProfile, with
   `--profile-concurrency` clients, then the top functions by own and cumulative time.

The load generator runs in its own process: plain keep-alive sockets that read and drop the
body. httpx spends ~20 ms of CPU reading a 3 MB body, more than a cached server would; this
loader costs about what `wrk` does (~1.7 ms per 3 MB response) and, unlike wrk, can pace.
Server, PostgreSQL, Redis and loader share the machine's cores: each phase prints the CPU used
by the server, by PostgreSQL and by the loader, per request and as cores busy, so the server's
own cost can be read off. Every request has a 60 s timeout and every phase a fixed duration,
so a stalled server cannot hang the run. The server's stderr goes to DIR/bench-api-server.log.

Goal (2 cores): >= 500 req/s and p95 <= 50 ms with 50 concurrent clients.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import dataclasses
import gzip
import importlib.util
import io
import json
import os
import pstats
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))
warnings.filterwarnings("ignore")

from harness import free_port, serving, timed  # noqa: E402
from sqlalchemy import text  # noqa: E402

DIRECTORATE = "DITBINMAS"
PATH = "/api/insta/rekap-likes"
_ENV_SECRET, _ENV_DATABASE, _ENV_REDIS = ("BENCH_API_JWT_SECRET", "BENCH_API_DATABASE_URL",
                                          "BENCH_API_REDIS_URL")
_ENV_HOME = "BENCH_API_HOME"
_TICKS = os.sysconf("SC_CLK_TCK")
_REQUEST_TIMEOUT = 60  # seconds; keeps every phase bounded even when the server stalls


# --- the server process -------------------------------------------------------------------


def server_app() -> Any:
    """uvicorn's factory (`api:server_app`): the production app over the bench's services."""
    from cicero.logs import configure_logging
    from cicero.settings import load_settings
    from web.app import create_app

    configure_logging("WARNING")  # as `cicero web` (the CLI's default level)
    settings = load_settings(jwt_secret=os.environ[_ENV_SECRET],
                             cicero_home=os.environ[_ENV_HOME])
    return create_app(settings, os.environ[_ENV_DATABASE], os.environ[_ENV_REDIS])


def _serve(port: int, workers: int, profile_path: str | None) -> None:
    import uvicorn

    # uvicorn re-raises SIGTERM after its graceful shutdown; that repeat must do nothing here.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda signum, frame: None)
    options = {"host": "127.0.0.1", "port": port, "log_level": "warning", "lifespan": "on"}
    if profile_path is None:
        uvicorn.run("api:server_app", factory=True, app_dir=str(BENCH_DIR), workers=workers,
                    **options)
        return
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        uvicorn.run(server_app(), **options)
    finally:
        profiler.disable()
        profiler.dump_stats(profile_path)


@contextlib.contextmanager
def _server(env: dict[str, str], workers: int, log: Path, profile_path: str | None = None
            ) -> Iterator[tuple[str, int]]:
    """The app in its own process, its stderr appended to `log`; yields (base url, pid)."""
    port = free_port()
    command = [sys.executable, __file__, "--serve", str(port), "--workers", str(workers)]
    if profile_path:
        command += ["--profile-to", profile_path]
    with serving(command, port, env, log) as server:
        yield server


# --- CPU accounting -----------------------------------------------------------------------


def _tree_cpu(root: int | None) -> float:
    """CPU seconds of a process and its live descendants, plus those of reaped children."""
    if root is None:
        return 0.0
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            stats[int(entry.name)] = (int(fields[1]),
                                      sum(int(v) for v in fields[11:15]) / _TICKS)
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in stats.items():
        children.setdefault(parent, []).append(pid)
    total, pending = 0.0, [root]
    while pending:
        pid = pending.pop()
        if pid in stats:
            total += stats[pid][1]
            pending.extend(children.get(pid, []))
    return total


def _postmaster_pid(home: Path) -> int | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int((home / "postgres" / "postmaster.pid").read_text().split()[0])
    return None


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# --- the load generators ------------------------------------------------------------------


@dataclass(frozen=True)
class Load:
    url: str
    token: str
    target: str
    concurrency: int
    duration: float
    gzip: bool  # send Accept-Encoding: gzip, as browsers do


def _request_bytes(load: Load) -> bytes:
    lines = [f"GET {load.target} HTTP/1.1", f"Host: {load.url.removeprefix('http://')}",
             f"Authorization: Bearer {load.token}", "Content-Type: application/json"]
    lines += ["Accept-Encoding: gzip"] if load.gzip else []
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _exchange(sock: socket.socket, request: bytes, buffer: memoryview) -> tuple[int, int]:
    """One request on a keep-alive connection; the body is read and dropped. (status, bytes)"""
    loop = asyncio.get_running_loop()
    await loop.sock_sendall(sock, request)
    head = b""
    while b"\r\n\r\n" not in head:
        n = await loop.sock_recv_into(sock, buffer)
        if not n:
            raise ConnectionError("connection closed")
        head += buffer[:n]
    header, _, rest = head.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").lower().split("\r\n")
    length = next((int(line.split(":", 1)[1]) for line in lines
                   if line.startswith("content-length:")), None)
    if length is None:
        raise ConnectionError("no content-length")
    remaining = length - len(rest)
    while remaining > 0:
        n = await loop.sock_recv_into(sock, buffer)
        if not n:
            raise ConnectionError("connection closed")
        remaining -= n
    return int(lines[0].split()[1]), length


async def _socket_load(load: Load, rate: float) -> dict[str, Any]:
    """`concurrency` keep-alive connections. Closed loop when `rate` is 0, else requests due
    every 1/rate s (open loop) with latency counted from the due time."""
    loop = asyncio.get_running_loop()
    host, port = load.url.removeprefix("http://").split(":")
    request = _request_bytes(load)
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    sizes: set[int] = set()
    issued = 0
    started = time.perf_counter()
    deadline = started + load.duration

    async def connect() -> socket.socket:
        sock = socket.socket()
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            await loop.sock_connect(sock, (host, int(port)))
        except OSError:
            sock.close()
            raise
        return sock

    async def client_loop() -> None:
        nonlocal issued
        buffer = memoryview(bytearray(1 << 20))
        sock: socket.socket | None = None
        try:
            while True:
                if rate:
                    due = started + issued / rate
                    issued += 1
                    if due >= deadline or time.perf_counter() >= deadline:
                        return  # a server slower than the rate leaves the rest unsent
                    await asyncio.sleep(max(0.0, due - time.perf_counter()))
                else:
                    due = time.perf_counter()
                    if due >= deadline:
                        return
                try:
                    async with asyncio.timeout(_REQUEST_TIMEOUT):
                        sock = sock or await connect()
                        status, size = await _exchange(sock, request, buffer)
                except (OSError, TimeoutError) as exc:
                    errors[type(exc).__name__] += 1
                    if sock is not None:
                        sock.close()
                    sock = None
                    await asyncio.sleep(0.1)
                    continue
                latencies.append(time.perf_counter() - due)
                sizes.add(size)
                if status != 200:
                    errors[f"HTTP {status}"] += 1
        finally:
            if sock is not None:
                sock.close()

    await asyncio.gather(*(client_loop() for _ in range(load.concurrency)))
    return {"latencies": latencies, "elapsed": time.perf_counter() - started,
            "errors": dict(errors), "bytes": max(sizes, default=0)}


def _run_loader(load: Load, rate: float = 0) -> dict[str, Any]:
    """The socket loader in its own process."""
    spec = json.dumps({**dataclasses.asdict(load), "rate": rate})
    output = subprocess.run([sys.executable, __file__, "--load", spec], capture_output=True,
                            text=True, check=True)
    result = json.loads(output.stdout.strip().splitlines()[-1])
    result["requests"] = len(result["latencies"])
    result["percentiles"] = _percentiles([v * 1000 for v in result.pop("latencies")])
    return result


def _percentiles(samples_ms: list[float]) -> list[float]:
    if not samples_ms:
        return [0.0] * 4
    ordered = sorted(samples_ms)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]

    return [at(0.50), at(0.95), at(0.99), ordered[-1]]


# --- phases -------------------------------------------------------------------------------


def _logged_errors(log: Path) -> int:
    return log.read_text(errors="replace").count("web_unhandled_error") if log.exists() else 0


def _phase(label: str, load: Load, rate: float, server_pid: int, postmaster: int | None,
           log: Path) -> None:
    logged_before = _logged_errors(log)
    server_before, pg_before = _tree_cpu(server_pid), _tree_cpu(postmaster)
    loader_before = _children_cpu()
    result = _run_loader(load, rate)
    cpu = {"server": _tree_cpu(server_pid) - server_before,
           "postgres": _tree_cpu(postmaster) - pg_before,
           "loader": _children_cpu() - loader_before}
    done, elapsed = result["requests"], result["elapsed"]
    p50, p95, p99, worst = result["percentiles"]
    errors = ", ".join(f"{k}: {v}" for k, v in result["errors"].items()) or "none"
    size = f"; body {result['bytes'] / 1024:.0f} KiB" if result["bytes"] else ""
    print(f"\n{label}")
    print(f"  {done} requests in {elapsed:.1f} s = {done / elapsed:.0f} req/s; "
          f"errors: {errors}{size}")
    print(f"  latency ms: p50 {p50:.1f}  p95 {p95:.1f}  p99 {p99:.1f}  max {worst:.1f}")
    per_request = "  ".join(f"{name} {seconds * 1000 / max(done, 1):.2f}"
                            for name, seconds in cpu.items())
    busy = "  ".join(f"{name} {seconds / elapsed:.2f}" for name, seconds in cpu.items())
    print(f"  CPU ms per request: {per_request}")
    print(f"  cores busy:         {busy}")
    logged = _logged_errors(log) - logged_before
    if logged:
        print(f"  server logged {logged} unhandled errors: see {log}")


async def _stages(engine: Any, redis_url: str, secret: str, token: str, day: date,
                  runs: int) -> None:
    """The endpoint's steps one after the other, in this process."""
    import jwt
    import redis.asyncio as aioredis
    from starlette.responses import JSONResponse

    from cicero.clock import clock
    from storage import token_revocation
    from storage.client_scope import clients_in_scope
    from storage.db import data_snapshot
    from storage.models import Platform
    from web.data_params import known_client
    from web.recap_payloads import likes_payload
    from web.recaps import dashboard_attendance

    redis = aioredis.Redis.from_url(redis_url, decode_responses=True)
    period = clock.day(day)
    client = await known_client(engine, DIRECTORATE)
    attendance = await dashboard_attendance(engine, client, Platform.INSTAGRAM, period)
    payload = {"success": True, **likes_payload(attendance)}
    claims = jwt.decode(token, secret, algorithms=["HS256"])

    async def authenticate() -> object:
        jwt.decode(token, secret, algorithms=["HS256"])
        return await token_revocation.is_revoked(redis, claims["jti"], claims["sub"],
                                                 claims["iat_ms"])

    async def attend() -> object:
        return await dashboard_attendance(engine, client, Platform.INSTAGRAM, period)

    async def pure(function: Callable[[], object]) -> object:
        return function()

    cases = {
        "token: JWT decode + revocation check (Redis)": authenticate,
        "data version: pg_current_snapshot() read": lambda: data_snapshot(engine),
        "(once per data version) scope: clients_in_scope": lambda: clients_in_scope(
            engine, [DIRECTORATE]),
        "(once per data version) client lookup": lambda: known_client(engine, DIRECTORATE),
        "(once per data version) attendance_for": attend,
        "(once per data version) likes_payload": lambda: pure(lambda: likes_payload(attendance)),
        "(once per data version) JSON encode": lambda: pure(lambda: JSONResponse(payload)),
    }
    body = JSONResponse(payload).body
    cases["(once per data version) gzip level 6 of the body"] = lambda: pure(
        lambda: gzip.compress(body, 6))
    print(f"\nstages of one request, {runs} runs each, in this process "
          f"({len(attendance.people)} people, {len(attendance.posts)} posts, "
          f"body {len(body) / 1024:.0f} KiB):")
    print(f"  {'stage':52} {'median ms':>10} {'p95 ms':>10}")
    total = 0.0
    try:
        for label, work in cases.items():
            median, p95 = await timed(runs, work)
            total += 0 if label.startswith("(") else median
            print(f"  {label:52} {median:10.2f} {p95:10.2f}")
        print(f"  {'sum of the stages of a cached request':52} {total:10.2f}")
    finally:
        await redis.aclose()


# --- setup --------------------------------------------------------------------------------


async def _prepare(engine: Any, role: str) -> tuple[str, str, date]:
    """Seed if needed; the bench account (id, username) and the last seeded day."""
    from cicero.clock import clock
    from demo.seed import seed_unless_seeded
    from web.passwords import hash_password

    print(await seed_unless_seeded(engine))
    username = f"bench_api_{role}"
    async with engine.begin() as connection:
        account = await connection.scalar(text(
            "SELECT id FROM dashboard_users WHERE username = :username"), {"username": username})
        if account is None:
            account = await connection.scalar(text(
                "INSERT INTO dashboard_users (username, password_hash, role, status) "
                "VALUES (:username, :hash, :role, 'approved') RETURNING id"),
                {"username": username, "hash": await hash_password(secrets.token_hex(16)),
                 "role": role})
            await connection.execute(text(
                "INSERT INTO dashboard_user_clients (dashboard_user_id, client_id) "
                "VALUES (:id, :client_id)"), {"id": account, "client_id": DIRECTORATE})
        last_post = await connection.scalar(text(
            "SELECT max(uploaded_at) FROM posts WHERE client_id = :client_id "
            "AND platform = 'instagram'"), {"client_id": DIRECTORATE})
    if last_post is None:
        sys.exit(f"no Instagram post of {DIRECTORATE} in this home")
    return str(account), username, clock.business_date(last_post)


def _profile_report(path: str) -> None:
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(path, stream=out)
        stats.strip_dirs().sort_stats(order).print_stats(25)
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        print(f"\nserver profile, top 25 by {order}:")
        print("\n".join(lines[start:]).rstrip())


async def main(arguments: argparse.Namespace) -> None:
    from cicero.embedded import EmbeddedServices
    from cicero.runtime import upgrade_database
    from storage.db import create_engine
    from storage.models import DashboardRole
    from web.security import issue_token

    home: Path = arguments.home
    with EmbeddedServices(home, None, None) as services:
        assert services.database_url and services.redis_url
        await asyncio.to_thread(upgrade_database, services.database_url)
        engine = create_engine(services.database_url)
        secret = secrets.token_urlsafe(32)
        try:
            account, username, day = await _prepare(engine, arguments.role)
            token = issue_token(secret, dashboard_user_id=account, username=username,
                                role=DashboardRole(arguments.role), client_ids=[DIRECTORATE],
                                client_id=DIRECTORATE)
            target = f"{PATH}?client_id={DIRECTORATE}&periode=harian&tanggal={day}"
            print(f"request: GET {target} as a {arguments.role} account ({username})")
            await _stages(engine, services.redis_url, secret, token, day, arguments.runs)
        finally:
            await engine.dispose()
        env = {_ENV_SECRET: secret, _ENV_DATABASE: services.database_url,
               _ENV_REDIS: services.redis_url, _ENV_HOME: str(home)}
        _load_phases(arguments, env, token, target, home)


def _load_phases(arguments: argparse.Namespace, env: dict[str, str], token: str,
                 target: str, home: Path) -> None:
    postmaster = _postmaster_pid(home)
    log = home / "bench-api-server.log"
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    print(f"\nserver: uvicorn, {arguments.workers} worker process(es), {http}, {loop} loop; "
          f"loader in its own process; {os.cpu_count()} cores shared by server, "
          f"PostgreSQL, Redis and loader; load average before: {os.getloadavg()[0]:.2f}")
    with _server(env, arguments.workers, log) as (url, pid):
        load = Load(url, token, target, arguments.concurrency, arguments.duration, arguments.gzip)
        _run_loader(dataclasses.replace(load, duration=2))  # warm up every worker process
        _phase(f"saturation: {load.concurrency} clients, closed loop, {load.duration:.0f} s",
               load, 0, pid, postmaster, log)
        if arguments.rate:
            _phase(f"paced: {arguments.rate:.0f} req/s offered over {load.concurrency} "
                   f"connections, open loop, {load.duration:.0f} s", load, arguments.rate, pid,
                   postmaster, log)
    if arguments.profile:
        with tempfile.TemporaryDirectory() as folder:
            path = str(Path(folder) / "server.prof")
            with _server(env, 1, log, path) as (url, pid):
                load = Load(url, token, target, arguments.profile_concurrency,
                            arguments.duration, arguments.gzip)
                _phase(f"profiled saturation (1 process under cProfile, slower): "
                       f"{load.concurrency} clients, {load.duration:.0f} s", load, 0, pid,
                       postmaster, log)
            _profile_report(path)
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path("/tmp/cicero-bench-api"))
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--rate", type=float, default=500, help="paced phase; 0 skips it")
    parser.add_argument("--runs", type=int, default=30, help="runs per stage")
    parser.add_argument("--gzip", action="store_true", help="send Accept-Encoding: gzip")
    parser.add_argument("--role", choices=["directorate", "admin"], default="directorate")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--profile-concurrency", type=int, default=5)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", help=argparse.SUPPRESS)
    parser.add_argument("--load", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve:
        _serve(arguments.serve, arguments.workers, arguments.profile_to)
    elif arguments.load:
        spec = json.loads(arguments.load)
        rate = spec.pop("rate")
        print(json.dumps(asyncio.run(_socket_load(Load(**spec), rate))))
    else:
        asyncio.run(main(arguments))
