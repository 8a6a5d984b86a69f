"""Benchmark of `cicero seed demo --scale polda` on the embedded servers.

Creates a fresh temporary CICERO_HOME, runs the real commands there with DATABASE_URL and
REDIS_URL unset (so Cicero starts its embedded PostgreSQL and Redis):

    python -m cicero db upgrade
    python -m cicero seed demo --scale polda      <- timed

then reconnects to the same embedded PostgreSQL and prints the row count of every table and
the database size. Usage: `python bench/seed.py [--keep]` (--keep leaves the home folder).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from sqlalchemy import text

from cicero.embedded import DATABASE_NAME, EmbeddedServices
from storage.db import create_engine
from storage.models import TABLES_IN_DEPENDENCY_ORDER

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


def cicero(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    env.update(CICERO_HOME=str(home), COLUMNS="120")
    result = subprocess.run([sys.executable, "-m", "cicero", *args], env=env, cwd=home,
                            capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"`cicero {' '.join(args)}` failed ({result.returncode}):\n"
                 f"{result.stdout}\n{result.stderr}")
    return result


async def report(database_url: str) -> None:
    engine = create_engine(database_url, pool_size=1)
    try:
        async with engine.connect() as connection:
            print(f"{'table':<28}{'rows':>12}")
            for table in TABLES_IN_DEPENDENCY_ORDER:
                count = await connection.scalar(text(f'SELECT count(*) FROM "{table}"'))
                print(f"{table:<28}{count:>12,}")
            size = await connection.scalar(
                text(f"SELECT pg_size_pretty(pg_database_size('{DATABASE_NAME}'))"))
            print(f"\npg_database_size('{DATABASE_NAME}'): {size}")
    finally:
        await engine.dispose()


def main() -> None:
    keep = "--keep" in sys.argv[1:]
    home = Path(tempfile.mkdtemp(prefix="cicero-bench-seed-"))
    try:
        cicero(home, "db", "upgrade")
        started = time.perf_counter()
        seeded = cicero(home, "seed", "demo", "--scale", "polda")
        elapsed = time.perf_counter() - started
        summary = [line for line in seeded.stdout.splitlines() if "Data demo siap" in line]
        print(f"CICERO_HOME: {home}")
        print(f"seed demo --scale polda: {elapsed:.1f} s wall "
              "(including embedded server start-up)")
        if summary:
            print(summary[-1].strip())
        print()
        # Only PostgreSQL is needed: a dummy Redis URL keeps the embedded Redis down.
        with EmbeddedServices(home, database_url=None, redis_url="redis://unused") as services:
            assert services.database_url
            asyncio.run(report(services.database_url))
    finally:
        if keep:
            print(f"(kept {home})")
        else:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
