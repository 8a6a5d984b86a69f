"""`cicero db backup` then `cicero db restore` into a new CICERO_HOME gives identical data."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from cicero.embedded import EmbeddedServices
from storage.db import create_engine
from storage.models import TABLES_IN_DEPENDENCY_ORDER
from tests.conftest import run_cli
from tests.factories import insert_client


async def _row_counts(url: str) -> dict[str, int]:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            counts = {}
            for table in TABLES_IN_DEPENDENCY_ORDER:
                result = await connection.execute(text(f'SELECT count(*) FROM "{table}"'))
                counts[table] = int(result.scalar_one())
            return counts
    finally:
        await engine.dispose()


async def _fill(engine) -> None:
    async with engine.begin() as connection:
        await insert_client(connection, "POLDA_X", type_="polda")
        await insert_client(connection, "POLRES_A")
        await connection.execute(text(
            "INSERT INTO personnel (user_id, name, client_id, instagram) "
            "SELECT (80000000 + n)::text, 'PERSONIL ' || n, 'POLRES_A', 'user' || n "
            "FROM generate_series(1, 250) AS n"))
        await connection.execute(text(
            "INSERT INTO posts (platform, external_id, client_id, uploaded_at) "
            "VALUES ('instagram', 'C1abc', 'POLRES_A', now())"))
        await connection.execute(text(
            "INSERT INTO engagements (post_id, kind, username) "
            "SELECT 1, 'like', 'user' || n FROM generate_series(1, 200) AS n"))


async def test_backup_then_restore_into_a_new_home_keeps_every_row(
    engine, database_url: str, cli_env: dict[str, str], tmp_path: Path
) -> None:
    await _fill(engine)
    dump = tmp_path / "cicero.dump"
    backup = run_cli("db", "backup", "--output", str(dump), env=cli_env)
    assert backup.returncode == 0, backup.stderr
    assert dump.stat().st_size > 0

    new_home = tmp_path / "restored"
    embedded_env = {k: v for k, v in cli_env.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    embedded_env["CICERO_HOME"] = str(new_home)
    restore = run_cli("db", "restore", str(dump), env=embedded_env)
    assert restore.returncode == 0, restore.stderr

    with EmbeddedServices(new_home, None, None) as services:
        restored = await _row_counts(services.database_url)
    original = await _row_counts(database_url)
    assert restored == original
    assert original["personnel"] == 250 and original["engagements"] == 200


def test_backup_without_drive_settings_refuses_upload(cli_env: dict[str, str]) -> None:
    result = run_cli("db", "backup", "--upload", env=cli_env)
    assert result.returncode == 2
    assert "GOOGLE_SERVICE_ACCOUNT" in result.stderr


async def test_restore_over_data_asks_first(
    engine, database_url: str, cli_env: dict[str, str], tmp_path: Path
) -> None:
    await _fill(engine)
    dump = tmp_path / "cicero.dump"
    assert run_cli("db", "backup", "--output", str(dump), env=cli_env).returncode == 0
    async with engine.begin() as connection:
        await connection.execute(text("DELETE FROM engagements WHERE username = 'user1'"))
    before = await _row_counts(database_url)

    declined = run_cli("db", "restore", str(dump), env=cli_env, stdin="tidak\n")
    assert declined.returncode == 1
    assert "restore akan menimpa semuanya" in declined.stdout
    assert "Gagal: restore dibatalkan, database tidak diubah." in declined.stderr
    unanswered = run_cli("db", "restore", str(dump), env=cli_env, stdin="")
    assert unanswered.returncode == 1
    assert await _row_counts(database_url) == before

    forced = run_cli("db", "restore", str(dump), "--yes", env=cli_env)
    assert forced.returncode == 0, forced.stderr
    assert (await _row_counts(database_url))["engagements"] == 200
