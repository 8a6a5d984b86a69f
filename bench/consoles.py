"""Benchmark of the operator consoles at polda scale (not a test).

    python bench/consoles.py [--rounds 3] [--concurrency 1,8] [--lines 200]

Starts the embedded PostgreSQL and Redis in a temporary folder, migrates and seeds the
`polda` demo (39 satker, ~6,300 personnel, a month of posts and engagement), then runs a
BotService on the sandbox transport with the business clock frozen. Latency is one
`pipeline.receive(message)`, i.e. from the operator's choice to the reply enqueued in the
outbox: dedup, identity, the sender's grants and client (re-read at every step), the
console's step and its database work, and the commit.

1. console steps: the operator of every satker (and the Ditbinmas super admin for the
   directorate) runs the same script: open oprrequest, look a person up (option, NRP),
   change a person's status and back (option, NRP, choice), the link recap of today, the
   registration attendance of people not registered (option, mode), the amplification
   attendance (option, mode), close. Printed per kind of step and overall (p50/p95/p99),
   with 1 and with N operators typing at once.
2. bulk deactivation: an admin sends a `Permohonan Penghapusan Data Personil` template of
   `--lines` people (across satker); the time from the message to the summary enqueued.

Goals (issue 16): a console step p95 <= 50 ms at polda scale; 200 lines <= 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import sys
import tempfile
import time
import uuid
import warnings
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
warnings.filterwarnings("ignore")

import redis.asyncio as aioredis  # noqa: E402

from bot.messages import InboundMessage  # noqa: E402
from bot.outbox import OutboxPace  # noqa: E402
from bot.sandbox import SandboxTransport  # noqa: E402
from bot.service import BotService  # noqa: E402
from cicero.clock import clock  # noqa: E402
from cicero.embedded import EmbeddedServices  # noqa: E402
from cicero.logs import configure_logging  # noqa: E402
from cicero.runtime import freeze_startup_heap, upgrade_database  # noqa: E402
from cicero.settings import load_settings  # noqa: E402
from demo.seed import DEMO_SUPER_ADMIN_PHONE, seed_demo  # noqa: E402
from storage.db import create_engine  # noqa: E402

SESSION = "operator"
NOW = datetime(2025, 12, 6, 10, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
PACE_ZERO = OutboxPace(per_session_interval=0, per_chat_interval=0, jitter=0)
ADMIN = "6289900000001"
# (kind of step, what is typed); {nrp} is a person of the operator's client
SCRIPT = (("open", "oprrequest"), ("menu choice", "4"), ("nrp answer", "{nrp}"),
          ("menu choice", "3"), ("nrp answer", "{nrp}"), ("choice answer", "2"),
          ("menu choice", "3"), ("nrp answer", "{nrp}"), ("choice answer", "1"),
          ("report (link recap)", "6"), ("menu choice", "10"),
          ("report (registration)", "3"), ("menu choice", "9"),
          ("report (amplification)", "1"), ("close", "0"))


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def _line(label: str, samples: list[float]) -> str:
    return (f"{label:<28} {len(samples):>5}  p50 {_percentile(samples, .5):6.1f}  "
            f"p95 {_percentile(samples, .95):6.1f}  p99 {_percentile(samples, .99):6.1f}  "
            f"max {max(samples):6.1f} ms")


async def _operators(engine) -> list[tuple[str, str, str]]:
    """(phone, client, an active NRP of that client) for every satker's operator, and the
    Ditbinmas super admin for the directorate."""
    async with engine.connect() as connection:
        rows = (await connection.execute(text("""
            SELECT c.value, c.client_id,
                   (SELECT min(p.user_id) FROM personnel p WHERE p.client_id = c.client_id
                    AND p.status) AS nrp
            FROM client_contacts c WHERE c.kind = 'operator' ORDER BY c.client_id"""))).all()
    found = [(phone, client, nrp) for phone, client, nrp in rows if nrp]
    async with engine.connect() as connection:
        nrp = await connection.scalar(text(
            "SELECT min(user_id) FROM personnel WHERE client_id = 'DITBINMAS' AND status"))
    return [*found, (DEMO_SUPER_ADMIN_PHONE, "DITBINMAS", nrp)]


def _message(phone: str, body: str) -> InboundMessage:
    return InboundMessage(SESSION, "BENCH" + uuid.uuid4().hex[:16], f"{phone}@s.whatsapp.net",
                          phone, body, clock.now())


async def _console_round(transport: SandboxTransport,
                         operators: list[tuple[str, str, str]], concurrency: int
                         ) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = defaultdict(list)
    room = asyncio.Semaphore(concurrency)

    async def operator(phone: str, nrp: str) -> None:
        async with room:
            for kind, body in SCRIPT:
                began = time.perf_counter()
                await transport.inject(_message(phone, body.format(nrp=nrp)))
                samples[kind].append((time.perf_counter() - began) * 1000)

    await asyncio.gather(*(operator(phone, nrp) for phone, _, nrp in operators))
    return samples


async def _bulk(transport: SandboxTransport, engine, lines: int) -> float:
    async with engine.connect() as connection:
        people = (await connection.execute(text(
            "SELECT user_id, name FROM personnel WHERE status AND client_id <> 'DITBINMAS' "
            "ORDER BY md5(user_id) LIMIT :n"), {"n": lines})).all()
    template = "\n".join(["Permohonan Penghapusan Data Personil", *(
        f"{n}. {name} – {user_id} – mutasi" for n, (user_id, name) in enumerate(people, 1))])
    began = time.perf_counter()
    await transport.inject(_message(ADMIN, template))
    elapsed = time.perf_counter() - began
    async with engine.connect() as connection:
        done = await connection.scalar(text(
            "SELECT count(*) FROM personnel WHERE NOT status AND user_id = ANY(:ids)"),
            {"ids": [user_id for user_id, _ in people]})
    assert done == len(people), (done, len(people))
    return elapsed


async def main(args: argparse.Namespace, home: Path) -> None:
    with EmbeddedServices(home, None, None) as services:
        assert services.database_url and services.redis_url
        await asyncio.to_thread(upgrade_database, services.database_url)
        engine = create_engine(services.database_url)
        redis = aioredis.Redis.from_url(services.redis_url, decode_responses=True,
                                        max_connections=256)
        try:
            started = time.perf_counter()
            with clock.frozen(NOW):
                await seed_demo(engine, scale="polda", today=NOW.date())
            async with engine.begin() as connection:
                await connection.execute(text("ANALYZE"))
            print(f"seeded the polda demo in {time.perf_counter() - started:.1f} s")
            operators = await _operators(engine)
            settings = load_settings(database_url=services.database_url,
                                     redis_url=services.redis_url, wa_transport="sandbox",
                                     admin_whatsapp=ADMIN)
            service = BotService(settings, engine, redis, pace=PACE_ZERO,
                                 transport_factory=lambda s: SandboxTransport(redis, s))
            with clock.frozen(NOW):
                await service.start()
                try:
                    transport = service.transport(SESSION)
                    assert isinstance(transport, SandboxTransport)
                    await _console_round(transport, operators, 8)  # warm-up, not measured
                    freeze_startup_heap()
                    print(f"{len(operators)} operators x {len(SCRIPT)} console steps, "
                          f"{args.rounds} rounds per concurrency\n")
                    worst = 0.0
                    for concurrency in args.concurrency:
                        samples: dict[str, list[float]] = defaultdict(list)
                        for _ in range(args.rounds):
                            for kind, values in (await _console_round(
                                    transport, operators, concurrency)).items():
                                samples[kind].extend(values)
                        every = [value for values in samples.values() for value in values]
                        print(f"-- {concurrency} operator(s) typing at once")
                        for kind in dict.fromkeys(kind for kind, _ in SCRIPT):
                            print(_line(kind, samples[kind]))
                        print(_line("all steps", every) + "\n")
                        worst = max(worst, _percentile(every, 0.95))
                    if args.profile:
                        profiler = cProfile.Profile()
                        profiler.enable()
                        await _console_round(transport, operators, 1)
                        profiler.disable()
                        out = io.StringIO()
                        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
                        print(out.getvalue())
                    bulk = await _bulk(transport, engine, args.lines)
                    print(f"bulk deactivation, {args.lines} lines: {bulk * 1000:.0f} ms "
                          "(message -> summary enqueued)\n")
                finally:
                    await service.stop()
            met = worst <= 50 and bulk <= 2
            print(f"goal console step p95 <= 50 ms and {args.lines} lines <= 2 s: "
                  f"{'met' if met else 'NOT met'} (worst p95 {worst:.1f} ms, bulk "
                  f"{bulk:.2f} s)")
        finally:
            await redis.aclose()
            await engine.dispose()


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=lambda v: [int(n) for n in v.split(",")],
                        default=[1, 8], help="operators typing at once, e.g. 1,8")
    parser.add_argument("--lines", type=int, default=200, help="lines of the bulk template")
    parser.add_argument("--profile", action="store_true",
                        help="one more round of single steps under cProfile (top 40)")
    args = parser.parse_args()
    configure_logging("WARNING")
    with tempfile.TemporaryDirectory(prefix="cicero-bench-consoles-") as folder:
        asyncio.run(main(args, Path(folder)))


if __name__ == "__main__":
    run()
