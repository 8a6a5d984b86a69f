"""A personnel import in batches (issue 13, item 9): each batch commits on its own and bumps
the population version once, so other personnel writes go on during a long import, and a
killed import continues where it stopped when the same file is imported again, with a
summary that counts every row once."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.importing import import_personnel
from tests.conftest import PROJECT_ROOT, run_cli
from tests.locks import until_blocked
from tests.storage.import_files import setup_clients, write_csv
from tests.waiting import eventually

HEADER = ["user_id", "nama", "pangkat", "client_id", "whatsapp"]
HELD = "87000015"  # stored before the import; line 17 (batch 2 of 10 rows) changes its rank


def rows_of_the_file() -> list[list[str]]:
    """30 rows (lines 2-31): line 6 has a bad number, line 24 repeats line 4's number, line 27
    names an unknown satker; line 17 updates HELD; the others are new."""
    rows = [[str(87000000 + i), f"Personil {i}", "bripda", "POLRES_A", f"0812340000{i:02d}"]
            for i in range(30)]
    rows[4][4] = "0812abc"
    rows[22][4] = rows[2][4]
    rows[25][3] = "POLRES_X"
    rows[15] = [HELD, "Personil Lama", "briptu", "POLRES_A", ""]
    return rows


async def rows(engine: AsyncEngine, sql: str) -> list[tuple]:
    async with engine.connect() as connection:
        return [tuple(row) for row in await connection.execute(text(sql))]


async def store_held_person(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(text(
            "INSERT INTO personnel (user_id, name, rank, client_id) "
            f"VALUES ('{HELD}', 'PERSONIL LAMA', 'BRIPDA', 'POLRES_A')"))


async def population_version(engine: AsyncEngine) -> int:
    return (await rows(engine, "SELECT version FROM data_versions "
                               "WHERE name = 'population'"))[0][0]


async def test_other_personnel_writes_go_on_while_an_import_is_under_way(
        engine: AsyncEngine, tmp_path: Path) -> None:
    """The import is held in its second batch (a row it updates is locked): the first batch
    is committed, and a dashboard edit of someone else does not wait for the import."""
    await setup_clients(engine, tmp_path)
    await store_held_person(engine)
    path = write_csv(tmp_path / "p.csv", HEADER, rows_of_the_file())
    async with engine.connect() as holder:
        lock = await holder.begin()
        await holder.execute(text(f"SELECT 1 FROM personnel WHERE user_id = '{HELD}' "
                                  "FOR UPDATE"))
        importing = asyncio.create_task(import_personnel(engine, path, batch_rows=10))
        await until_blocked(engine, "UPDATE personnel p SET%")
        assert await rows(engine, "SELECT count(*) FROM personnel") == [(1 + 9,)]
        async with engine.begin() as dashboard:
            await dashboard.execute(text("SET LOCAL lock_timeout = '2s'"))
            await dashboard.execute(text(
                "UPDATE personnel SET jabatan = 'KANIT' WHERE user_id = '87000001'"))
        await lock.rollback()
        summary = await importing
    assert (summary.created, summary.updated, len(summary.rejected)) == (26, 1, 3)
    assert await rows(engine, "SELECT jabatan FROM personnel WHERE user_id = '87000001'") == \
        [("KANIT",)]


async def test_the_population_version_moves_once_per_batch(
        engine: AsyncEngine, tmp_path: Path) -> None:
    await setup_clients(engine, tmp_path)
    await store_held_person(engine)
    before = await population_version(engine)
    await import_personnel(engine, write_csv(tmp_path / "p.csv", HEADER, rows_of_the_file()),
                           batch_rows=10)
    assert await population_version(engine) == before + 3
    unchanged = await import_personnel(
        engine, write_csv(tmp_path / "again.csv", HEADER, rows_of_the_file()[:20]),
        batch_rows=10)
    assert unchanged.unchanged == 19
    assert await population_version(engine) == before + 3  # nothing written, nothing bumped


async def test_a_killed_import_continues_and_counts_every_row_once(
        engine: AsyncEngine, cli_env: dict[str, str], tmp_path: Path) -> None:
    await setup_clients(engine, tmp_path)
    await store_held_person(engine)
    path = write_csv(tmp_path / "p.csv", HEADER, rows_of_the_file())
    command = ["-m", "cicero", "import", "personnel", str(path), "--batch-rows", "10"]
    async with engine.connect() as holder:
        lock = await holder.begin()
        await holder.execute(text(f"SELECT 1 FROM personnel WHERE user_id = '{HELD}' "
                                  "FOR UPDATE"))
        first = await asyncio.create_subprocess_exec(
            sys.executable, *command, env=cli_env, cwd=PROJECT_ROOT,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        try:
            await until_blocked(engine, "UPDATE personnel p SET%", seconds=60)
            first.send_signal(signal.SIGKILL)
        finally:
            await asyncio.wait_for(first.wait(), timeout=30)
        await lock.rollback()
    assert await rows(engine, "SELECT rows_done, created, finished_at IS NULL "
                              "FROM import_runs") == [(10, 9, True)]
    await until_gone(engine, "UPDATE personnel p SET%")  # its transaction ends unfinished

    done = run_cli("import", "personnel", str(path), env=cli_env)
    assert done.returncode == 1, done.stdout + done.stderr
    output = done.stdout
    assert "10 baris pertama sudah tersimpan" in output
    assert [line.split()[-2] for line in output.splitlines()
            if line.strip("│ ").startswith(("Dibuat", "Diperbarui", "Tidak berubah",
                                             "Ditolak"))] == ["26", "1", "0", "3"]
    assert 'sudah dipakai NRP 87000002 (baris 4)' in output  # a claim from before the kill
    assert await rows(engine, "SELECT count(*) FROM personnel") == [(27,)]
    assert await rows(engine, f"SELECT rank FROM personnel WHERE user_id = '{HELD}'") == \
        [("BRIPTU",)]
    assert await rows(engine, "SELECT field, count(*) FROM personnel_changes "
                              "GROUP BY field ORDER BY field") == [("created", 26), ("rank", 1)]
    assert await rows(engine, "SELECT rows_done, created, updated, unchanged, "
                              "jsonb_array_length(rejected), finished_at IS NOT NULL "
                              "FROM import_runs") == [(30, 26, 1, 0, 3, True)]


async def until_gone(engine: AsyncEngine, query_like: str, seconds: float = 30) -> None:
    async def gone() -> bool:
        return not (await rows(engine, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE "
                                       f"'{query_like}' AND state = 'active'"))[0][0]

    await eventually(gone, f"no session running {query_like!r}", within=seconds, every=0.05)
