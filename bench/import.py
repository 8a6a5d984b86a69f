"""Benchmark of `cicero import personnel` on a large file (not a test).

    python bench/import.py [--rows 50000] [--batch-rows 1000]

Builds a file of `--rows` people over 40 satker (every column filled, a directorate for one
in ten), imports it into an empty embedded database, then imports a changed copy (every
rank differs) and the same copy again (nothing changes). Meanwhile a dashboard-like writer
changes one person's jabatan every 50 ms; its longest wait shows whether the import holds
back other personnel writes. Prints rows/s and the total time of each pass.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
warnings.filterwarnings("ignore")

from sqlalchemy import text  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402

from cicero.embedded import EmbeddedServices  # noqa: E402
from cicero.runtime import upgrade_database  # noqa: E402
from storage import importing  # noqa: E402
from storage.db import create_engine  # noqa: E402

SATKER = 40
HEADER = ["user_id", "nama", "pangkat", "satfung", "jabatan", "client_id", "whatsapp",
          "instagram", "tiktok", "email", "status", "directorates"]
WRITER_ID = "99999999"


def write_people(path: Path, rows: int, rank: str) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            writer.writerow([
                str(10_000_000 + i), f"Personil Nomor {i}", rank, "sat binmas", "ba sat binmas",
                f"POLRES_{i % SATKER:02d}", f"0812{i:08d}", f"@ig.user.{i}", f"tt_user_{i}",
                f"personil{i}@polri.go.id", "aktif", "DITBINMAS" if i % 10 == 0 else ""])


async def setup(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(text(
            "INSERT INTO clients (client_id, name, type) VALUES ('DITBINMAS', 'DIT', "
            "'directorate')"))
        for index in range(SATKER):
            await connection.execute(text(
                "INSERT INTO clients (client_id, name) VALUES (:id, :id)"),
                {"id": f"POLRES_{index:02d}"})
        await connection.execute(text(
            "INSERT INTO personnel (user_id, name, client_id) VALUES (:id, 'PENULIS', "
            "'POLRES_00')"), {"id": WRITER_ID})


async def dashboard_writer(engine: AsyncEngine, stop: asyncio.Event) -> list[float]:
    """Seconds each small personnel write took while the import ran."""
    waits: list[float] = []
    number = 0
    while not stop.is_set():
        number += 1
        started = time.perf_counter()
        async with engine.begin() as connection:
            await connection.execute(text(
                "UPDATE personnel SET jabatan = :j, updated_at = now() WHERE user_id = :id"),
                {"j": f"JABATAN {number}", "id": WRITER_ID})
        waits.append(time.perf_counter() - started)
        await asyncio.sleep(0.05)
    return waits


async def timed_import(engine: AsyncEngine, path: Path, rows: int, label: str,
                       batch_rows: int) -> None:
    writer_engine = create_engine(str(engine.url.render_as_string(hide_password=False)),
                                  pool_size=1)
    stop = asyncio.Event()
    writer = asyncio.create_task(dashboard_writer(writer_engine, stop))
    started = time.perf_counter()
    summary = await importing.import_personnel(engine, path, batch_rows=batch_rows)
    elapsed = time.perf_counter() - started
    stop.set()
    waits = await writer
    await writer_engine.dispose()
    print(f"{label:>10}: {rows:,} rows in {elapsed:6.1f} s = {rows / elapsed:7,.0f} rows/s  "
          f"(created {summary.created:,}, updated {summary.updated:,}, unchanged "
          f"{summary.unchanged:,}, rejected {len(summary.rejected):,}); "
          f"a dashboard write meanwhile waited at most {max(waits) * 1000:,.0f} ms "
          f"({len(waits)} writes)")


async def main(rows: int, batch_rows: int) -> None:
    with tempfile.TemporaryDirectory() as home, \
            EmbeddedServices(Path(home), None, None) as services:
        assert services.database_url
        await asyncio.to_thread(upgrade_database, services.database_url)
        engine = create_engine(services.database_url)
        try:
            await setup(engine)
            first, changed = Path(home) / "first.csv", Path(home) / "changed.csv"
            write_people(first, rows, "bripda")
            write_people(changed, rows, "briptu")
            print(f"{rows:,} rows, batches of {batch_rows:,}")
            await timed_import(engine, first, rows, "create", batch_rows)
            await timed_import(engine, changed, rows, "update", batch_rows)
            await timed_import(engine, changed, rows, "unchanged", batch_rows)
        finally:
            await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--batch-rows", type=int, default=1000)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rows, arguments.batch_rows))
