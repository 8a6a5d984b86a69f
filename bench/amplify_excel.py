"""Benchmark of the monthly amplification Excel at Polda scale (issue 17; not a test).

    python bench/amplify_excel.py [--home DIR] [--runs 5]

Seeds `cicero seed demo --scale polda` (with its link reports) into DIR (default: a folder
under /tmp kept between runs), then times build + workbook of the month's link sheet
(`amplify` report, Excel form, one row per report) over the 31 days ending today, for
DITBINMAS, whose population is the whole Polda, and for one Polres: the median and the
slowest of `--runs` runs, with the number of rows, and the CPU seconds this process spent
(the machine may be shared). Goal: <= 3 s for the Polda.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import warnings
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
warnings.filterwarnings("ignore")

from harness import polda_engine  # noqa: E402

from cicero.clock import clock  # noqa: E402
from menus.excel.amplification_workbook import amplification_workbook  # noqa: E402
from menus.reports.base import ReportRequest  # noqa: E402
from storage.amplification import amplification_for  # noqa: E402

CLIENTS = ("DITBINMAS", "POLRES_LAMONGAN")


def _month():
    """The 31 days ending today: the whole span the polda seed holds."""
    today = clock.today()
    return clock.period(today - timedelta(days=30), today)


async def _once(engine, client_id: str) -> tuple[float, float, int, int]:
    period = _month()
    started = time.perf_counter()
    data = await amplification_for(engine, client_id, period)
    built = time.perf_counter()
    file = amplification_workbook(data, ReportRequest(client_id, period, clock.now()))
    return built - started, time.perf_counter() - built, len(data.reports), len(file.content)


async def main(home: Path, runs: int) -> None:
    async with polda_engine(home) as engine:
        print(f"\n{'client':18} {'rows':>8} {'build s':>8} {'xlsx s':>8} {'total s':>8} "
              f"{'slowest':>8} {'MB':>6}")
        for client_id in CLIENTS:
            cpu = time.process_time()
            results = [await _once(engine, client_id) for _ in range(runs)]
            cpu = (time.process_time() - cpu) / runs
            totals = [build + sheet for build, sheet, _, _ in results]
            _, _, rows, size = results[len(results) // 2]
            print(f"{client_id:18} {rows:8,} {statistics.median(r[0] for r in results):8.2f}"
                  f" {statistics.median(r[1] for r in results):8.2f} "
                  f"{statistics.median(totals):8.2f} {max(totals):8.2f} "
                  f"{size / 1e6:6.2f}   cpu {cpu:.2f} s/run")
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"\nload average {load} (2 cores)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path("/tmp/cicero-bench-amplify"))
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.home, arguments.runs))
