"""Benchmark of one ingestion run over 40 clients against the fake RapidAPI (not a test).

    python bench/ingest.py [--latency 0.05] [--concurrency 6]

The fake runs in its own process, injects 5% 429 (Retry-After 0.05 s) and 5% 500 and
answers after `--latency`.
Prints API calls, retries, wall time and wall / ideal, where ideal = calls / concurrency *
latency per provider (the two providers run side by side, so the slower one is the ideal),
and per provider how busy its concurrency slots were and how long each request held one:
wall / ideal = (time held per request / latency) / share of slots busy.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
import time
import warnings
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
warnings.filterwarnings("ignore")

import httpx  # noqa: E402
from harness import fake_rapidapi_process  # noqa: E402
from redis.asyncio import Redis  # noqa: E402
from sqlalchemy import text  # noqa: E402

from cicero.clock import clock  # noqa: E402
from cicero.embedded import EmbeddedServices  # noqa: E402
from cicero.runtime import upgrade_database  # noqa: E402
from demo.fake_rapidapi import Faults  # noqa: E402
from demo.fake_world import FakeWorld  # noqa: E402
from jobs.ingest import Ingestion  # noqa: E402
from jobs.rapidapi import InstagramApi, TikTokApi  # noqa: E402
from jobs.rapidapi.http import (  # noqa: E402
    INSTAGRAM_HOST,
    TIKTOK_HOST,
    ProviderConfig,
    RapidApiClient,
)
from storage.db import create_engine  # noqa: E402
from storage.models import Platform  # noqa: E402

CLIENTS = 40
FAKE = """
import sys
from demo.fake_rapidapi import Faults, serve_fake_rapidapi
serve_fake_rapidapi(port=int(sys.argv[1]), clients=int(sys.argv[2]), seed=7, api_key="bench",
                    faults=Faults(rate_429=0.05, retry_after=0.05, rate_500=0.05,
                                  latency=float(sys.argv[3]), seed=3))
"""


def _fake_process(faults: Faults) -> contextlib.AbstractContextManager[str]:
    """The fake RapidAPI in its own process, as the real API would be."""
    return fake_rapidapi_process(FAKE, str(CLIENTS), str(faults.latency))


async def main(latency: float, concurrency: int) -> None:
    today = clock.today()
    afternoon = datetime.combine(today, datetime.min.time(), clock.tz).replace(hour=16)
    clock.set_now(afternoon)
    world = FakeWorld.generated(CLIENTS, today, clock.tz, seed=7)  # same accounts as the fake
    faults = Faults(rate_429=0.05, retry_after=0.05, rate_500=0.05, latency=latency, seed=3)
    with tempfile.TemporaryDirectory() as home, \
            EmbeddedServices(Path(home), None, None) as services, \
            _fake_process(faults) as fake_url:
        assert services.database_url and services.redis_url
        await asyncio.to_thread(upgrade_database, services.database_url)
        engine = create_engine(services.database_url)
        redis = Redis.from_url(services.redis_url)
        async with engine.begin() as connection:
            for index, (ig, tt) in enumerate(zip(sorted(world.instagram), sorted(world.tiktok),
                                                 strict=True)):
                await connection.execute(text(
                    "INSERT INTO clients (client_id, name, instagram, tiktok) "
                    "VALUES (:id, :id, :ig, :tt)"), {"id": f"SATKER_{index:02d}", "ig": ig,
                                                      "tt": tt})
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=100)) as http:
            def client(name: str, host: str) -> RapidApiClient:
                return RapidApiClient(http, redis, ProviderConfig(
                    name=name, base_url=fake_url, host=host, requests_per_second=1000,
                    concurrency=concurrency, max_attempts=10, backoff_base=0.05), "bench")

            ingestion = Ingestion(engine, InstagramApi(client("instagram", INSTAGRAM_HOST)),
                                  TikTokApi(client("tiktok", TIKTOK_HOST)), likes_max_pages=100)
            targets = await ingestion.targets([Platform.INSTAGRAM, Platform.TIKTOK])
            apis = {"instagram": ingestion.instagram.client, "tiktok": ingestion.tiktok.client}
            busy_before = {name: api.slots.busy_seconds for name, api in apis.items()}
            started = time.perf_counter()
            report = await ingestion.run(targets, clock.day())
            wall = time.perf_counter() - started
            busy = {name: api.slots.busy_seconds - busy_before[name]
                    for name, api in apis.items()}
        api = {"instagram": ingestion.instagram.client.stats,
               "tiktok": ingestion.tiktok.client.stats}
        per_provider = {name: stats.requests for name, stats in api.items()}
        ideal = max(requests / concurrency * latency for requests in per_provider.values())
        print(f"clients: {CLIENTS} on each platform, concurrency {concurrency} per provider, "
              f"latency {latency * 1000:.0f} ms, faults 5% 429 + 5% 500")
        print(f"API calls: {report.calls}, HTTP requests per provider: {per_provider}, "
              f"retries: {report.retries}, failed clients: {len(report.failures)}")
        print(f"engagement rows added: {report.totals()['engagement_added']}")
        print(f"wall: {wall:.2f} s, ideal: {ideal:.2f} s, wall / ideal: {wall / ideal:.2f}")
        for name, seconds in busy.items():
            print(f"  {name}: slots busy {seconds / (concurrency * wall):.0%} of the wall time, "
                  f"{seconds / per_provider[name] * 1000:.1f} ms held per HTTP request "
                  f"(latency {latency * 1000:.0f} ms)")
        await redis.aclose()
        await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=6)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.latency, arguments.concurrency))
