"""Benchmark of the directorate console at polda scale (not a test).

    python bench/menus.py [--runs 10] [--excel-jobs 10]

Starts the embedded PostgreSQL and Redis in a temporary folder, migrates and seeds the
`polda` demo (39 satker, ~6,300 personnel, a month of posts and engagement), then runs the
bot on the sandbox transport and an arq worker in this process and event loop, as
`cicero up` does. The Ditbinmas super admin opens `dirrequest`; timed from the option (or
the period answer) to the reply or the document sent:

1. the daily directorate recap as text (option 5): answered inside the turn;
2. the monthly directorate workbook (option 27, one sheet per satker): a job;
3. the satker ranking chart of this month (option 23, period 5): a job;
4. the inbound path while `--excel-jobs` monthly workbooks are being made: the text step
   of 1 again, timed while the worker renders them.

Goals (issue 15): text <= 100 ms p95 (also while workbooks are made), monthly Excel
<= 3 s, chart <= 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
import warnings
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
warnings.filterwarnings("ignore")

import redis.asyncio as aioredis  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bot.messages import InboundMessage  # noqa: E402
from bot.outbox import OutboxPace  # noqa: E402
from bot.sandbox import SandboxTransport, outbound_cursor, read_outbound  # noqa: E402
from bot.service import BotService  # noqa: E402
from cicero.clock import clock  # noqa: E402
from cicero.embedded import EmbeddedServices  # noqa: E402
from cicero.logs import configure_logging  # noqa: E402
from cicero.runtime import freeze_startup_heap, upgrade_database  # noqa: E402
from cicero.settings import load_settings  # noqa: E402
from demo.seed import DEMO_SUPER_ADMIN_PHONE, seed_demo  # noqa: E402
from jobs.worker import create_worker, serve, stop  # noqa: E402
from storage.db import create_engine  # noqa: E402

SESSION = "operator"
NOW = datetime(2025, 12, 6, 10, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
PACE_ZERO = OutboxPace(per_session_interval=0, per_chat_interval=0, jitter=0)
CHAT = f"{DEMO_SUPER_ADMIN_PHONE}@s.whatsapp.net"
TEXT_OPTION, MONTHLY_EXCEL, RANKING_CHART, THIS_MONTH = "5", "27", "23", "5"


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def _line(label: str, samples: list[float]) -> str:
    return (f"{label:<46} {len(samples):>4}  p50 {_percentile(samples, .5):7.1f}  "
            f"p95 {_percentile(samples, .95):7.1f}  max {max(samples):7.1f} ms")


class Chat:
    """The super admin's chat with the bot: type a line, wait for what comes back."""

    def __init__(self, transport: SandboxTransport, redis: aioredis.Redis) -> None:
        self.transport, self.redis = transport, redis

    async def say(self, body: str) -> float:
        """ms until the turn (its replies enqueued) is done."""
        began = time.perf_counter()
        await self.transport.inject(InboundMessage(
            SESSION, "BENCH" + uuid.uuid4().hex[:16], CHAT, DEMO_SUPER_ADMIN_PHONE, body,
            clock.now()))
        return (time.perf_counter() - began) * 1000

    async def document_after(self, body: str, suffix: str) -> float:
        """ms from sending `body` until a document named *suffix is sent to the chat."""
        cursor = await outbound_cursor(self.redis)
        began = time.perf_counter()
        await self.say(body)
        while True:
            for row_id, fields in await read_outbound(self.redis, since=cursor, to=CHAT):
                cursor = row_id
                if fields.get("document_filename", "").endswith(suffix):
                    return (time.perf_counter() - began) * 1000
            await asyncio.sleep(0.005)


async def _measure(chat: Chat, runs: int, excel_jobs: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {}
    await chat.say("dirrequest")
    await chat.say(TEXT_OPTION)  # warm-up: the first build of the day fills the caches
    results["1. daily directorate recap, text (goal p95 <= 100)"] = [
        await chat.say(TEXT_OPTION) for _ in range(runs)]
    results["2. monthly directorate Excel (goal <= 3000)"] = [
        await chat.document_after(MONTHLY_EXCEL, ".xlsx") for _ in range(max(3, runs // 3))]
    charts = []
    for _ in range(runs):
        await chat.say(RANKING_CHART)
        charts.append(await chat.document_after(THIS_MONTH, ".png"))
    results["3. satker ranking chart, month (goal <= 1000)"] = charts
    cursor = await outbound_cursor(chat.redis)
    for _ in range(excel_jobs):
        await chat.say(MONTHLY_EXCEL)
    during = []
    while len(during) < runs * 3:
        during.append(await chat.say(TEXT_OPTION))
        await asyncio.sleep(0.05)
    results[f"4. text while {excel_jobs} monthly Excel jobs run"] = during
    sent = 0
    while sent < excel_jobs:  # let the workbooks finish before the worker stops
        sent = sum(1 for _, fields in await read_outbound(chat.redis, since=cursor, to=CHAT)
                   if fields.get("document_filename", "").endswith(".xlsx"))
        await asyncio.sleep(0.1)
    return results


async def main(args: argparse.Namespace, home: Path) -> None:
    with EmbeddedServices(home, None, None) as services:
        assert services.database_url and services.redis_url
        await asyncio.to_thread(upgrade_database, services.database_url)
        engine = create_engine(services.database_url)
        redis = aioredis.Redis.from_url(services.redis_url, decode_responses=True)
        try:
            started = time.perf_counter()
            with clock.frozen(NOW):
                await seed_demo(engine, scale="polda", today=NOW.date())
            async with engine.begin() as connection:
                await connection.execute(text("ANALYZE"))
            print(f"seeded the polda demo in {time.perf_counter() - started:.1f} s")
            settings = load_settings(database_url=services.database_url,
                                     redis_url=services.redis_url, wa_transport="sandbox",
                                     inbound_rate_limit=0)
            service = BotService(settings, engine, redis, pace=PACE_ZERO,
                                 transport_factory=lambda s: SandboxTransport(redis, s))
            with clock.frozen(NOW):
                await service.start()
                freeze_startup_heap()  # as `cicero up` / `cicero bot` do once started
                worker = create_worker(settings, services.database_url, services.redis_url,
                                       handle_signals=False)
                worker_task = asyncio.create_task(serve(worker))
                try:
                    transport = service.transport(SESSION)
                    assert isinstance(transport, SandboxTransport)
                    results = await _measure(Chat(transport, redis), args.runs,
                                             args.excel_jobs)
                finally:
                    await stop(worker, worker_task)
                    await service.stop()
            print()
            for label, samples in results.items():
                print(_line(label, samples))
        finally:
            await redis.aclose()
            await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--excel-jobs", type=int, default=10)
    arguments = parser.parse_args()
    configure_logging("WARNING")
    with tempfile.TemporaryDirectory(prefix="cicero-bench-menus-") as folder:
        asyncio.run(main(arguments, Path(folder)))
