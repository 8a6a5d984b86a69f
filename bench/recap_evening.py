"""Benchmark of the 20:30 evening recap job at Polda scale (issue 18; not a test).

    python bench/recap_evening.py [--home DIR] [--runs 3]

Seeds `cicero seed demo --scale polda` into DIR (default: a folder under /tmp kept between
runs) with the business clock on Sunday 31 May 2026 at 20:30, also the last day of the month:
the heaviest evening (the day's, the week's and the month's Kasat Binmas recaps and Kasatker
letters besides the Simple recaps). Then times `recap-evening` from its start to every
message enqueued in the outbox (embedded Redis, emptied before each run), for every active
directorate: the median and the slowest of `--runs` runs, the messages and documents
enqueued, and the CPU seconds this process spent (the machine may be shared).
Goal: <= 5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import warnings
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
warnings.filterwarnings("ignore")

from cicero.clock import clock  # noqa: E402
from cicero.embedded import EmbeddedServices  # noqa: E402
from cicero.runtime import upgrade_database  # noqa: E402
from cicero.settings import load_settings  # noqa: E402
from demo.seed import DatabaseNotEmpty, seed_demo  # noqa: E402
from jobs.runner import execute  # noqa: E402
from jobs.schedule import by_key  # noqa: E402
from jobs.worker import close_context, open_context  # noqa: E402
from storage.db import create_engine  # noqa: E402

EVENING = datetime(2026, 5, 31, 20, 30)  # a Sunday, the month's last day


async def _enqueued(redis) -> tuple[int, int]:
    messages = documents = 0
    for session in ("operator", "gateway", "user"):
        for _, fields in await redis.xrange(f"outbox:{session}"):
            messages += 1
            documents += "doc_name" in fields
    return messages, documents


async def main(home: Path, runs: int) -> None:
    clock.set_now(EVENING.replace(tzinfo=clock.tz))
    with EmbeddedServices(home, None, None) as services:
        assert services.database_url and services.redis_url
        await asyncio.to_thread(upgrade_database, services.database_url)
        engine = create_engine(services.database_url)
        try:
            started = time.perf_counter()
            summary = await seed_demo(engine, scale="polda")
            print(f"seeded polda in {time.perf_counter() - started:.1f} s: {summary}")
        except DatabaseNotEmpty:
            print("reusing the polda data already in this home")
        finally:
            await engine.dispose()
        settings = load_settings(cicero_home=home)
        context = await open_context(settings, services.database_url, services.redis_url)
        job = by_key()["recap-evening"]
        try:
            timings, cpu = [], time.process_time()
            for _ in range(runs):
                await context.redis.flushdb()
                started = time.perf_counter()
                result = await execute(context, job, force=True)
                timings.append(time.perf_counter() - started)
                assert result["status"] == "success", result
            cpu = (time.process_time() - cpu) / runs
            messages, documents = await _enqueued(context.redis)
        finally:
            await close_context(context)
    print(f"\nrecap-evening {EVENING:%A %Y-%m-%d %H:%M} (periods {result['periods']}), "
          f"{result['clients']} directorate(s), {result['deliveries']} report deliveries")
    print(f"outbox: {messages} entries ({documents} documents)")
    print(f"median {statistics.median(timings):.2f} s, slowest {max(timings):.2f} s "
          f"over {runs} runs; cpu {cpu:.2f} s/run")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"load average {load} (2 cores)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path("/tmp/cicero-bench-recap-evening"))
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.home, arguments.runs))
