"""The migration history is the truth: it runs both ways and the app refuses a stale schema."""

from __future__ import annotations

import asyncio
import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

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


def _ours(name: str | None, kind: str, parents: dict) -> bool:
    """whatsmeow (neonize) keeps a paired session's keys in tables of its own in the same
    database (bot/neonize_support.py); they are not ours to compare."""
    return not (kind == "table" and name and name.startswith("whatsmeow_"))


async def test_models_match_the_migrated_schema(database_url: str) -> None:
    """storage/models/ and the migration history describe the same tables, columns and
    indexes, every table included (data_versions too): autogenerate finds no difference."""
    engine = create_engine(database_url, pool_size=1)
    try:
        async with engine.connect() as connection:
            diff = await connection.run_sync(lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={
                    "compare_type": True, "include_name": _ours}),
                SQLModel.metadata))
    finally:
        await engine.dispose()
    assert "data_versions" in SQLModel.metadata.tables
    assert diff == []


async def test_0005_settles_shared_numbers_and_emails_before_making_them_unique(
        services, cli_env) -> None:
    url = await _fresh_database(services, "migration_0005")
    await asyncio.to_thread(upgrade_database, url, "0004")
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(
                "INSERT INTO clients (client_id, name) "
                "VALUES ('POLRES_A', 'A'), ('POLRES_B', 'B')"))
            await connection.execute(text(
                "INSERT INTO personnel (user_id, name, client_id, whatsapp, email, updated_at) "
                "VALUES ('1001', 'A1', 'POLRES_A', '6281200000001', 'x@polri.go.id', "
                "        '2025-01-01T00:00:00Z'), "
                "       ('2001', 'B1', 'POLRES_B', '6281200000001', 'y@polri.go.id', "
                "        '2025-06-01T00:00:00Z'), "
                "       ('2002', 'B2', 'POLRES_B', '6281200000002', 'x@polri.go.id', "
                "        '2025-03-01T00:00:00Z'), "
                "       ('2003', 'B3', 'POLRES_B', '', '', '2025-03-01T00:00:00Z'), "
                "       ('2004', 'B4', 'POLRES_B', '', '', '2025-03-01T00:00:00Z')"))
        upgrade = run_cli("db", "upgrade", env={**cli_env, "DATABASE_URL": url})
        assert upgrade.returncode == 0, upgrade.stderr
        cleared = [json.loads(line) for line in upgrade.stderr.splitlines()
                   if "duplicate_contact_cleared" in line]  # JSON lines: stderr is no terminal
        assert [(event["field"], event["user_id"], event["kept_by"]) for event in cleared] == [
            ("whatsapp", "1001", "2001"), ("email", "1001", "2002")], upgrade.stderr
        async with engine.connect() as connection:
            people = (await connection.execute(text(
                "SELECT user_id, whatsapp, email FROM personnel ORDER BY user_id"))).all()
            audit = (await connection.execute(text(
                "SELECT user_id, field, old_value, new_value, changed_by "
                "FROM personnel_changes ORDER BY field"))).all()
        assert [tuple(p) for p in people] == [
            ("1001", None, None), ("2001", "6281200000001", "y@polri.go.id"),
            ("2002", "6281200000002", "x@polri.go.id"), ("2003", "", ""), ("2004", "", "")]
        assert [tuple(a) for a in audit] == [
            ("1001", "email", "x@polri.go.id", None, "migration 0005"),
            ("1001", "whatsapp", "6281200000001", None, "migration 0005")]
    finally:
        await engine.dispose()


async def _fresh_database(services, name: str) -> str:
    return await create_database(services, name)
