"""Benchmark of the attendance engine and its reports at Polda scale (not a test).

    python bench/attendance.py [--home DIR] [--runs 15]

Seeds `cicero seed demo --scale polda` into DIR (default: a folder under /tmp kept between
runs, so the seed is paid once), then times, as the median and p95 of `--runs` runs:
the directorate daily recap, the Simple list, the monthly Excel matrix, and the engagement
ranking for a month, each as build + render. It prints the monthly/daily ratio and the
EXPLAIN ANALYZE of the main attendance query for a month.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import warnings
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
warnings.filterwarnings("ignore")

from harness import polda_engine, timed  # noqa: E402

from cicero.clock import clock  # noqa: E402
from menus.reports import catalog  # noqa: E402
from menus.reports.base import ReportRequest  # noqa: E402
from storage.attendance import (  # noqa: E402
    _COUNTS_SQL,
    _POSTS_SQL,
    ALL,
    ENGAGEMENT_KIND,
    Population,
    PopulationKind,
    _people_sql,
    attendance_for,
)
from storage.db import driver_fetch  # noqa: E402
from storage.models import Platform  # noqa: E402

DIRECTORATE = "DITBINMAS"


def _report(engine, name: str, period) -> Callable[[], Awaitable[object]]:
    spec = catalog.load()[name]
    request = ReportRequest(DIRECTORATE, period, clock.now())

    async def work() -> object:
        data = await spec.build(engine, request)
        return spec.render(data, request)

    return work


def _monthly_excel(engine, period) -> Callable[[], Awaitable[object]]:
    from menus.excel.attendance_workbooks import attendance_workbook

    request = ReportRequest(DIRECTORATE, period, clock.now())

    async def work() -> object:
        attendance = await attendance_for(
            engine, Population(PopulationKind.DIRECTORATE, DIRECTORATE), Platform.INSTAGRAM,
            period, ALL, per_day=True)
        return attendance_workbook(attendance, request)

    return work


async def main(home: Path, runs: int) -> None:
    async with polda_engine(home) as engine:
        day, month = clock.day(), clock.month()
        cases = {
            "directorate daily recap (directorate-ig, day)": _report(engine,
                                                                     "directorate-ig", day),
            "Simple list (simple-ig, day)": _report(engine, "simple-ig", day),
            "directorate recap for a month (directorate-ig, month)": _report(
                engine, "directorate-ig", month),
            "monthly Excel matrix (IG, per day)": _monthly_excel(engine, month),
            "engagement ranking for a month (ranking)": _report(engine, "ranking", month),
        }
        results = {}
        print(f"\n{'case':58} {'median ms':>10} {'p95 ms':>10}")
        for label, work in cases.items():
            median, p95 = await timed(runs, work)
            results[label] = median
            print(f"{label:58} {median:10.1f} {p95:10.1f}")
        daily = results["directorate daily recap (directorate-ig, day)"]
        monthly = results["directorate recap for a month (directorate-ig, month)"]
        print(f"\nmonthly / daily cost (same report): {monthly / daily:.2f}x")
        await _explain(engine, month)


async def _explain(engine, period) -> None:
    """EXPLAIN ANALYZE of the two queries an attendance call waits on for a month."""
    params = {"client_id": DIRECTORATE, "posts_of": DIRECTORATE, "platform": "instagram",
              "kind": ENGAGEMENT_KIND[Platform.INSTAGRAM].value, "since": period.since,
              "until": period.until}
    async with engine.connect() as connection:
        posts = (await connection.execute(text(_POSTS_SQL), params)).all()
        params["post_ids"] = [row.id for row in posts]
        days = [clock.business_date(row.uploaded_at) for row in posts]
        counts = _COUNTS_SQL.format(day_set="", day_column="CAST(NULL AS date)")
        counts_plan = await driver_fetch(connection, f"EXPLAIN (ANALYZE, BUFFERS) {counts}",
                                         params["post_ids"], days, params["kind"])
        people = _people_sql(PopulationKind.DIRECTORATE, Platform.INSTAGRAM)
        people_plan = (await connection.execute(
            text(f"EXPLAIN (ANALYZE, BUFFERS) {people}"), params)).all()
        for label, plan in (("engagement counts", counts_plan), ("population", people_plan)):
            print(f"\nEXPLAIN ANALYZE, {label}, DITBINMAS Instagram, {len(posts)} posts "
                  f"({period.start} - {period.end}):")
            for line in plan:
                print("  " + line[0])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path("/tmp/cicero-bench-polda"))
    parser.add_argument("--runs", type=int, default=15)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.home, arguments.runs))
