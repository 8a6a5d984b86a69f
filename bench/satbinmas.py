"""Benchmark of the 23:05 `official-media` job for 39 satkers against the fake RapidAPI (not a
test).

    python bench/satbinmas.py [--latency 0.05] [--rps 10] [--concurrency 6] [--faults]

39 ORG satkers each have an official Instagram and TikTok account; the fake runs in its own
process and answers after `--latency` (`--faults`: also 5% 429 with Retry-After 0.05 s and 5%
500). The job fetches both platforms side by side, stores the posts and sends both recaps
to two admins. Prints the HTTP requests per provider, the wall time and wall / ideal, where
ideal = requests / rps of the busier provider: the time the shared rate limit alone needs
(the reference instead paused 1.5 s between accounts, about a minute per platform).
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

from harness import fake_rapidapi_process  # noqa: E402
from sqlalchemy import text  # noqa: E402

from cicero.clock import clock  # noqa: E402
from cicero.embedded import EmbeddedServices  # noqa: E402
from cicero.runtime import upgrade_database  # noqa: E402
from cicero.settings import load_settings  # noqa: E402
from demo.fake_world import FakeWorld  # noqa: E402
from jobs.satbinmas_media import satbinmas_media  # noqa: E402
from jobs.worker import close_context, open_context  # noqa: E402
from menus.reports import catalog  # noqa: E402

SATKERS = 39
ADMINS = "6281200000010,6281200000011"
FAKE = """
import sys
from demo.fake_rapidapi import Faults, serve_fake_rapidapi
rate = 0.05 if sys.argv[4] == "1" else 0.0
serve_fake_rapidapi(port=int(sys.argv[1]), clients=int(sys.argv[2]), seed=7, api_key="bench",
                    faults=Faults(rate_429=rate, retry_after=0.05, rate_500=rate,
                                  latency=float(sys.argv[3]), seed=3))
"""


def _fake_process(latency: float, faults: bool) -> contextlib.AbstractContextManager[str]:
    """The fake RapidAPI in its own process, as the real API would be."""
    return fake_rapidapi_process(FAKE, str(SATKERS), str(latency), "1" if faults else "0")


async def main(latency: float, rps: float, concurrency: int, faults: bool) -> None:
    today = clock.today()
    clock.set_now(datetime.combine(today, datetime.min.time(), clock.tz).replace(hour=23,
                                                                                 minute=5))
    world = FakeWorld.generated(SATKERS, today, clock.tz, seed=7)  # the fake's accounts
    with tempfile.TemporaryDirectory() as home, \
            EmbeddedServices(Path(home), None, None) as services, \
            _fake_process(latency, faults) as fake_url:
        assert services.database_url and services.redis_url
        await asyncio.to_thread(upgrade_database, services.database_url)
        settings = load_settings(cicero_home=Path(home), rapidapi_key="bench",
                                 rapidapi_instagram_url=fake_url, rapidapi_tiktok_url=fake_url,
                                 rapidapi_instagram_rps=rps, rapidapi_tiktok_rps=rps,
                                 rapidapi_concurrency=concurrency, admin_whatsapp=ADMINS)
        job = await open_context(settings, services.database_url, services.redis_url)
        async with job.engine.begin() as connection:
            pairs = zip(sorted(world.instagram), sorted(world.tiktok), strict=True)
            for index, (instagram, tiktok) in enumerate(pairs):
                client_id = f"POLRES_{index:02d}"
                await connection.execute(text(
                    "INSERT INTO clients (client_id, name) VALUES (:id, :name)"),
                    {"id": client_id, "name": f"POLRES {index:02d}"})
                await connection.execute(text(
                    "INSERT INTO satbinmas_accounts (client_id, platform, username) VALUES "
                    "(:id, 'instagram', :ig), (:id, 'tiktok', :tt)"),
                    {"id": client_id, "ig": instagram, "tt": tiktok})
        catalog.load()  # a worker has loaded the reports long before 23:05 (15:00, 18:00 runs)
        started = time.perf_counter()
        counts = await satbinmas_media(job)
        wall = time.perf_counter() - started
        outbox = await job.redis.xlen("outbox:gateway")
        await close_context(job)
    requests = {platform: counts[platform]["api_calls"] for platform in ("instagram", "tiktok")}
    ideal = max(requests.values()) / rps
    print(f"satkers: {SATKERS}, each with an Instagram and a TikTok account; latency "
          f"{latency * 1000:.0f} ms, rate limit {rps:g}/s per provider, concurrency "
          f"{concurrency}, faults: {'5% 429 + 5% 500' if faults else 'none'}")
    for platform in ("instagram", "tiktok"):
        outcome = counts[platform]
        print(f"  {platform}: {outcome['accounts']} accounts, {outcome['api_calls']} HTTP "
              f"requests, ok {outcome['ok']}, failed "
              f"{outcome['failed'] + outcome['private'] + outcome['not_found']}")
    print(f"recap messages queued for {counts['recipients']} admins: {outbox}")
    print(f"wall: {wall:.2f} s, ideal (requests / rate of the busier provider): {ideal:.2f} s, "
          f"wall / ideal: {wall / ideal:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--rps", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--faults", action="store_true")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.latency, arguments.rps, arguments.concurrency, arguments.faults))
