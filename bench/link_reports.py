"""Benchmark of link reporting over WhatsApp (issue 17; not a test).

    python bench/link_reports.py [--officers 1000] [--seconds 60]

Starts the embedded PostgreSQL and Redis in a temporary folder, migrates, seeds the small demo
plus `--officers` registered officers of POLRES_LAMONGAN (their tasks today: the satker's two
Instagram posts and its special task), then runs a BotService on the sandbox transport with
the business clock frozen, in the style of bench/inbound.py. The officers report within
`--seconds`, officer i starting at i * seconds / officers (open loop): half paste one message
(the task's link and two re-share links), half talk (`lapor`, the task's number two seconds
later, the links two seconds after that). Latency of a message: from when it was due until its
reply is committed to the outbox (dedup, identity, engine, database, commit). Afterwards the
outbox is drained and checked: every officer has exactly one stored report and was thanked.
Goal: all stored, p99 <= 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import warnings
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
warnings.filterwarnings("ignore")

import redis.asyncio as aioredis  # noqa: E402
from harness import open_loop  # noqa: E402

from bot.messages import InboundMessage  # noqa: E402
from bot.outbox import OutboxPace, settled  # noqa: E402
from bot.sandbox import SandboxTransport, read_outbound  # noqa: E402
from bot.service import BotService  # noqa: E402
from cicero.clock import clock  # noqa: E402
from cicero.embedded import EmbeddedServices  # noqa: E402
from cicero.logs import configure_logging  # noqa: E402
from cicero.runtime import upgrade_database  # noqa: E402
from cicero.settings import load_settings  # noqa: E402
from demo.seed import seed_demo  # noqa: E402
from storage.db import create_engine  # noqa: E402

SESSION = "user"
NOW = datetime(2025, 12, 6, 10, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
CLIENT = "POLRES_LAMONGAN"
PACE_ZERO = OutboxPace(per_session_interval=0, per_chat_interval=0, jitter=0)
THANKS = "laporan amplifikasi Anda tercatat"


def _officers(count: int) -> list[tuple[str, str]]:
    return [(f"7{n:07d}", f"62899{n:07d}") for n in range(count)]


async def _seed(engine, officers: list[tuple[str, str]]) -> str:
    """The demo, the bench officers; the shortcode of the satker's first post today."""
    with clock.frozen(NOW):
        await seed_demo(engine, scale="small", today=NOW.date())
    async with engine.begin() as connection:
        await connection.execute(text(
            "INSERT INTO personnel (user_id, name, rank, satfung, client_id, whatsapp) "
            "VALUES (:user_id, :name, 'BRIPKA', 'SAT BINMAS', :client, :phone)"),
            [{"user_id": nrp, "name": f"BENCH {nrp}", "client": CLIENT, "phone": phone}
             for nrp, phone in officers])
        await connection.execute(text("ANALYZE personnel"))
        return str(await connection.scalar(text(
            "SELECT external_id FROM posts WHERE client_id = :c AND platform = 'instagram' "
            "AND uploaded_at >= :since ORDER BY uploaded_at LIMIT 1"),
            {"c": CLIENT, "since": clock.start_of(NOW.date())}))


def _plan(officers: list[tuple[str, str]], seconds: float, task: str
          ) -> list[tuple[float, InboundMessage]]:
    """(due offset in seconds, message) for every message, in due order."""
    plan = []
    for n, (nrp, phone) in enumerate(officers):
        start = n * seconds / len(officers)
        links = (f"https://www.facebook.com/share/p/B{nrp}/?mibextid=x "
                 f"https://www.tiktok.com/@bench{nrp}/video/74{nrp}00000000001?lang=id")
        if n % 2:
            lines = [(0.0, f"lapor https://www.instagram.com/p/{task}/?igsh=b {links}")]
        else:
            lines = [(0.0, "lapor"), (2.0, "1"), (4.0, links)]
        for index, (offset, body) in enumerate(lines):
            plan.append((start + offset, InboundMessage(
                SESSION, f"bench-{nrp}-{index}", f"{phone}@s.whatsapp.net", phone, body, NOW)))
    return sorted(plan, key=lambda item: item[0])


async def _run(transport: SandboxTransport, plan: list[tuple[float, InboundMessage]]
               ) -> tuple[float, list[float]]:
    return await open_loop(transport.inject, plan)


async def _drained(redis: aioredis.Redis) -> None:
    deadline = time.monotonic() + 120
    while not await settled(redis, SESSION):
        if time.monotonic() > deadline:
            raise TimeoutError("the outbox did not drain")
        await asyncio.sleep(0.05)


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


async def main(args: argparse.Namespace, home: Path) -> None:
    with EmbeddedServices(home, None, None) as services:
        assert services.database_url and services.redis_url
        await asyncio.to_thread(upgrade_database, services.database_url)
        engine = create_engine(services.database_url)
        redis = aioredis.Redis.from_url(services.redis_url, decode_responses=True,
                                        max_connections=512)
        officers = _officers(args.officers)
        try:
            task = await _seed(engine, officers)
            settings = load_settings(database_url=services.database_url,
                                     redis_url=services.redis_url, wa_transport="sandbox")
            service = BotService(settings, engine, redis, pace=PACE_ZERO,
                                 transport_factory=lambda s: SandboxTransport(redis, s))
            consumers, service.consumers = service.consumers, []  # drained after measuring
            plan = _plan(officers, args.seconds, task)
            print(f"{args.officers:,} officers, {len(plan):,} messages in {args.seconds:.0f} s "
                  f"(half paste one message, half lapor -> number -> links)")
            with clock.frozen(NOW):
                await service.start()
                try:
                    transport = service.transport(SESSION)
                    assert isinstance(transport, SandboxTransport)
                    elapsed, latencies = await _run(transport, plan)
                    runs = [asyncio.create_task(consumer.run()) for consumer in consumers]
                    await _drained(redis)
                    for consumer in consumers:
                        await consumer.stop()
                    await asyncio.gather(*runs)
                finally:
                    await service.stop()
            async with engine.connect() as connection:
                stored = await connection.scalar(text(
                    "SELECT count(DISTINCT user_id) FROM link_reports "
                    "WHERE user_id = ANY(:ids) AND facebook_link IS NOT NULL "
                    "AND tiktok_link IS NOT NULL"), {"ids": [nrp for nrp, _ in officers]})
            replies = await read_outbound(redis, session=SESSION)
            thanked = {fields["to"] for _, fields in replies if THANKS in fields["text"]}
            bench_thanked = sum(1 for _, phone in officers
                                if f"{phone}@s.whatsapp.net" in thanked)
            load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
            print(f"elapsed {elapsed:.1f} s, {len(plan) / elapsed:.1f} msg/s offered; "
                  f"load average {load} (2 cores)")
            print(f"reply latency  p50 {_percentile(latencies, 0.5):.1f}  "
                  f"p95 {_percentile(latencies, 0.95):.1f}  "
                  f"p99 {_percentile(latencies, 0.99):.1f}  max {max(latencies):.1f} ms")
            print(f"stored: {stored:,} of {args.officers:,} officers; thanked: "
                  f"{bench_thanked:,}")
            p99 = _percentile(latencies, 0.99)
            met = stored == args.officers == bench_thanked and p99 <= 50
            print(f"goal all stored and p99 <= 50 ms: {'met' if met else 'NOT met'}")
        finally:
            await redis.aclose()
            await engine.dispose()


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=1_000)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    configure_logging("WARNING")
    with tempfile.TemporaryDirectory(prefix="cicero-bench-links-") as folder:
        asyncio.run(main(args, Path(folder)))


if __name__ == "__main__":
    run()
