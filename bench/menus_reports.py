"""Benchmark of the directorate reports' files at Polda scale: workbooks, charts, all-time
rankings (not a test).

    python bench/menus_reports.py [--home DIR] [--runs 5]

Seeds `cicero seed demo --scale polda` into DIR (default: a folder under /tmp kept between
runs, so the seed is paid once), then times, as the median and p95 of `--runs` runs:

* the directorate recap workbook (`directorate-ig` / `-tiktok`, one sheet per satker) for a
  day, a week and 31 days (the monthly layout), each as build + workbook: the goal is ≤ 3 s
  for the 31 days;
* laphar-ig (narrative, two .txt files and its workbook), build + render;
* each chart alone (data built once): the satker bars of a day, the daily trend of 31 days,
  the satker ranking bars: the goal is ≤ 1 s each;
* the all-time personnel and satker rankings, build + render.

Besides wall time it prints the process CPU time of each case: on a shared machine the wall
time includes waiting for a core.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
warnings.filterwarnings("ignore")

from harness import polda_engine  # noqa: E402

from cicero.clock import Period, clock  # noqa: E402
from menus.reports import catalog  # noqa: E402
from menus.reports.base import ReportRequest  # noqa: E402
from storage.report_periods import all_time_period  # noqa: E402

DIRECTORATE = "DITBINMAS"
Work = Callable[[], Awaitable[object]]


async def _timed(runs: int, work: Work) -> tuple[float, float, float]:
    """(median wall ms, p95 wall ms, median CPU ms) after one warm-up run."""
    await work()
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        await work()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    walls.sort()
    return statistics.median(walls), walls[max(0, int(len(walls) * 0.95) - 1)], \
        statistics.median(cpus)


def _request(period: Period, *, all_time: bool = False) -> ReportRequest:
    return ReportRequest(DIRECTORATE, period, clock.now(), all_time=all_time)


def _workbook(engine, name: str, period: Period) -> Work:
    spec = catalog.load()[name]
    assert spec.workbook is not None

    async def work() -> object:
        request = _request(period)
        return spec.workbook(await spec.build(engine, request), request)

    return work


def _built(engine, name: str, period: Period) -> Work:
    spec = catalog.load()[name]

    async def work() -> object:
        return await spec.build(engine, _request(period))

    return work


def _rendered(engine, name: str, request: ReportRequest) -> Work:
    spec = catalog.load()[name]

    async def work() -> object:
        return spec.render(await spec.build(engine, request), request)

    return work


async def _chart(engine, name: str, request: ReportRequest) -> Work:
    spec = catalog.load()[name]
    assert spec.chart is not None
    data = await spec.build(engine, request)

    async def work() -> object:
        return spec.chart(data, request)

    return work


async def main(home: Path, runs: int) -> None:
    async with polda_engine(home, "redis://unused") as engine:
        today = clock.today()
        day, week = clock.day(today), clock.week(today)
        days31 = clock.period(today - timedelta(days=30), today)
        all_time = await all_time_period(engine, DIRECTORATE, today)
        cases: dict[str, Work] = {
            "Excel directorate-ig, 1 day": _workbook(engine, "directorate-ig", day),
            "Excel directorate-tiktok, week": _workbook(engine, "directorate-tiktok", week),
            "Excel directorate-ig, 31 days (goal <= 3000)": _workbook(
                engine, "directorate-ig", days31),
            "  of which the build (engine, per day)": _built(
                engine, "directorate-ig", days31),
            "laphar-ig, day (text + 2 .txt + Excel)": _rendered(
                engine, "laphar-ig", _request(day)),
            "chart: satker bars, day (goal <= 1000)": await _chart(
                engine, "directorate-ig", _request(day)),
            "chart: daily trend, 31 days (goal <= 1000)": await _chart(
                engine, "directorate-tiktok", _request(days31)),
            "chart: satker ranking bars, 31 days (goal <= 1000)": await _chart(
                engine, "ranking", _request(days31)),
            "personnel-ranking, all time": _rendered(
                engine, "personnel-ranking", _request(all_time, all_time=True)),
            "ranking (Polres), all time": _rendered(
                engine, "ranking", _request(all_time, all_time=True)),
            "kasat-attendance, day": _rendered(engine, "kasat-attendance", _request(day)),
        }
        print(f"\nPolda: {DIRECTORATE}, 31 days = {days31.start} - {days31.end}, "
              f"all time = {all_time.start} - {all_time.end}")
        print(f"\n{'case':52} {'median ms':>10} {'p95 ms':>10} {'CPU ms':>10}")
        for label, work in cases.items():
            median, p95, cpu = await _timed(runs, work)
            print(f"{label:52} {median:10.1f} {p95:10.1f} {cpu:10.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path("/tmp/cicero-bench-polda"))
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.home, arguments.runs))
