"""The migration history is the truth: it runs both ways and the app refuses a stale schema."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from cicero.runtime import downgrade_database, upgrade_database
from storage.db import DatabaseNotMigrated, create_engine, ensure_migrated, head_revision
from tests.conftest import create_database, run_cli


async def _table_count(url: str) -> int:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            result = await connection.execute(text(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"))
            return int(result.scalar_one())
    finally:
        await engine.dispose()


async def test_upgrade_downgrade_upgrade_on_a_fresh_database(services) -> None:
    url = await _fresh_database(services, "migration_cycle")
    await asyncio.to_thread(upgrade_database, url)
    migrated = await _table_count(url)
    assert migrated >= 18
    await asyncio.to_thread(downgrade_database, url, "base")
    assert await _table_count(url) == 1  # only alembic_version is left
    await asyncio.to_thread(upgrade_database, url)
    assert await _table_count(url) == migrated


async def test_unmigrated_database_is_refused_with_the_fixing_command(services) -> None:
    url = await _fresh_database(services, "never_migrated")
    engine = create_engine(url, pool_size=1)
    try:
        with pytest.raises(DatabaseNotMigrated, match="cicero db upgrade"):
            await ensure_migrated(engine)
    finally:
        await engine.dispose()


def test_cli_refuses_an_unmigrated_database(services, cli_env, tmp_path) -> None:
    url = asyncio.run(_fresh_database(services, "cli_unmigrated"))
    env = {**cli_env, "DATABASE_URL": url}
    csv = tmp_path / "clients.csv"
    csv.write_text("client_id,nama,type\nPOLRES_A,POLRES A,org\n")
    result = run_cli("import", "clients", str(csv), env=env)
    assert result.returncode == 2
    assert "cicero db upgrade" in result.stderr
    upgrade = run_cli("db", "upgrade", env=env)
    assert upgrade.returncode == 0, upgrade.stderr
    assert head_revision() in upgrade.stdout or "head" in upgrade.stdout


async def _fresh_database(services, name: str) -> str:
    return await create_database(services, name)
