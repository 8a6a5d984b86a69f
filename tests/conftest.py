"""One embedded PostgreSQL and Redis per test session; every test starts from empty tables.

A test that needs the database or Redis never skips: if they cannot start, it fails.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import warnings
from collections.abc import AsyncIterator, Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import redis.asyncio as aioredis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.clock import clock
from cicero.embedded import EmbeddedServices
from cicero.runtime import upgrade_database
from storage.db import create_engine
from storage.models import TABLES_IN_DEPENDENCY_ORDER

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServices]:
    home = tmp_path_factory.mktemp("home")
    embedded = EmbeddedServices(home, database_url=None, redis_url=None)
    embedded.start()
    yield embedded
    embedded.stop()


@pytest.fixture(scope="session")
def database_url(services: EmbeddedServices) -> str:
    assert services.database_url
    upgrade_database(services.database_url)
    return services.database_url


@pytest.fixture(scope="session")
def redis_url(services: EmbeddedServices) -> str:
    assert services.redis_url
    return services.redis_url


@pytest.fixture(scope="session")
async def session_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def engine(session_engine: AsyncEngine) -> AsyncIterator[AsyncEngine]:
    """The migrated test database, emptied after the test."""
    yield session_engine
    tables = ", ".join(f'"{name}"' for name in TABLES_IN_DEPENDENCY_ORDER)
    async with session_engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    await client.flushdb()
    await client.aclose()


@pytest.fixture(autouse=True)
def _real_clock() -> Iterator[None]:
    yield
    clock.set_now(None)


CLI_JWT_SECRET = "cli-test-secret-k3Qx9vTz7Lm2Wp8Rb5Nc1Hd4Gf6Js0Ya"  # passes the production check


@pytest.fixture
def cli_env(database_url: str, redis_url: str, tmp_path: Path) -> dict[str, str]:
    """Environment for running `cicero` as a subprocess against the test servers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    env.update(DATABASE_URL=database_url, REDIS_URL=redis_url, JWT_SECRET=CLI_JWT_SECRET,
               CICERO_HOME=str(tmp_path / "home"), COLUMNS="200")
    return env


def run_cli(*args: str, env: dict[str, str], cwd: Path | None = None, timeout: float = 120,
            stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `cicero` command line in a subprocess (`stdin`: what is typed)."""
    return subprocess.run([sys.executable, "-m", "cicero", *args], env=env, cwd=cwd or PROJECT_ROOT,
                          capture_output=True, text=True, timeout=timeout, input=stdin)


# --- the demo organisation, seeded once, read-only ------------------------------------------

DEMO_DAY = date(2025, 12, 6)  # a Saturday
DEMO_NOW = datetime(2025, 12, 6, 19, 5, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture(scope="session")
async def demo_engine(services: EmbeddedServices) -> AsyncIterator[AsyncEngine]:
    """A separate database holding `cicero seed demo` (small) for DEMO_DAY. Tests must not
    write to it."""
    from demo.seed import seed_demo

    url = await create_database(services, "demo")
    await asyncio.to_thread(upgrade_database, url)
    engine = create_engine(url)
    with clock.frozen(DEMO_NOW):
        await seed_demo(engine, scale="small", today=DEMO_DAY)
    yield engine
    await engine.dispose()


async def create_database(services: EmbeddedServices, name: str) -> str:
    """A new empty database on the embedded server; its URL."""
    assert services.database_url
    admin = create_engine(services.database_url, pool_size=1, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            await connection.execute(text(f"CREATE DATABASE {name}"))
    finally:
        await admin.dispose()
    base, _, query = services.database_url.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")
