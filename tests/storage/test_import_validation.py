"""What an import refuses, through the real `cicero import` command: the API's limits on
text, the one NRP normaliser, and values that belong to another person."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import run_cli
from tests.storage.import_files import CLIENT_HEADER, CLIENT_ROWS, write_csv

HEADER = ["user_id", "nama", "jabatan", "client_id", "email", "instagram"]


async def rows(engine: AsyncEngine, sql: str) -> list[tuple]:
    async with engine.connect() as connection:
        return [tuple(row) for row in await connection.execute(text(sql))]


def rejected_lines(stdout: str) -> dict[int, str]:
    """Line number -> its reason, from the printed 'Baris ditolak' table (rich wraps a long
    reason onto the next lines of the table)."""
    table = stdout.split("Baris ditolak", 1)[1] if "Baris ditolak" in stdout else ""
    found: dict[int, str] = {}
    line_number = None
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("│").split("│")]
        if len(cells) != 3:
            continue
        if cells[0].isdigit():
            line_number = int(cells[0])
            found[line_number] = cells[2]
        elif not cells[0] and line_number is not None:
            found[line_number] += " " + cells[2]
    return found


def import_clients(cli_env: dict[str, str], tmp_path: Path) -> None:
    done = run_cli("import", "clients", str(write_csv(tmp_path / "clients.csv", CLIENT_HEADER,
                                                      CLIENT_ROWS)), env=cli_env)
    assert done.returncode == 0, done.stdout + done.stderr


async def test_import_applies_the_apis_text_limits_and_reads_full_width_nrps(
        engine: AsyncEngine, cli_env: dict[str, str], tmp_path: Path) -> None:
    import_clients(cli_env, tmp_path)
    path = write_csv(tmp_path / "personnel.csv", HEADER, [
        ["87000001", "N" * 201, "", "POLRES_A", "", ""],                      # line 2
        ["87000002", "Budi", "J" * 5000, "POLRES_A", "", ""],                 # line 3
        ["87000003", "Citra", "", "POLRES_A", "a" * 300 + "@polri.go.id", ""],  # line 4
        ["87000004", "Dedi", "", "POLRES_A", "", "x" * 3000],                 # line 5
        ["８７０００００５", "Eko", "kanit", "POLRES_A", "", ""],               # line 6
        ["87000006", "F" * 200, "", "POLRES_A", "", ""],                      # line 7: at the limit
        ["87000007", "Gita", "", "POLRES_A", "", "@Cicero_Devs"],             # line 8
    ])
    done = run_cli("import", "personnel", str(path), env=cli_env)
    assert done.returncode == 1, done.stdout + done.stderr
    refused = rejected_lines(done.stdout)
    assert sorted(refused) == [2, 3, 4, 5, 8], done.stdout
    assert "nama terlalu panjang (maksimal 200 karakter)" in refused[2]
    assert "jabatan terlalu panjang (maksimal 200 karakter)" in refused[3]
    assert 'email tidak valid: "' + "a" * 40 + '…"' in refused[4]
    assert 'username Instagram tidak valid: "' + "x" * 40 + '…"' in refused[5]
    assert 'username Instagram "cicero_devs" milik sistem' in refused[8]  # as the API says
    assert len(done.stdout) < 5000  # a refused value is not printed back whole
    assert await rows(engine, "SELECT user_id, length(name), jabatan FROM personnel "
                              "ORDER BY user_id") == [("87000005", 3, "KANIT"),
                                                      ("87000006", 200, None)]


async def test_client_import_applies_the_same_limits(
        engine: AsyncEngine, cli_env: dict[str, str], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "clients.csv", ["client_id", "nama", "tiktok_secuid"], [
        ["POLRES_A", "P" * 201, ""],
        ["C" * 65, "Polres C", ""],
        ["POLRES_D", "Polres D", "s" * 201],
        ["POLRES_E", "Polres E", "MS4wLjABAAAA"],
    ])
    done = run_cli("import", "clients", str(path), env=cli_env)
    assert done.returncode == 1, done.stdout + done.stderr
    refused = rejected_lines(done.stdout)
    assert sorted(refused) == [2, 3, 4], done.stdout
    assert "nama terlalu panjang (maksimal 200 karakter)" in refused[2]
    assert "client_id terlalu panjang (maksimal 64 karakter)" in refused[3]
    assert "tiktok_secuid terlalu panjang (maksimal 200 karakter)" in refused[4]
    assert await rows(engine, "SELECT client_id FROM clients") == [("POLRES_E",)]


async def test_import_refuses_a_number_or_email_that_belongs_to_another_person(
        engine: AsyncEngine, cli_env: dict[str, str], tmp_path: Path) -> None:
    import_clients(cli_env, tmp_path)
    async with engine.begin() as connection:
        await connection.execute(text(
            "INSERT INTO personnel (user_id, name, client_id, whatsapp, email) VALUES "
            "('11110000', 'HARI', 'POLRES_B', '6281200002001', 'hari@polri.go.id')"))
    path = write_csv(tmp_path / "personnel.csv", ["nrp", "nama", "satker", "whatsapp", "email"], [
        ["87000001", "Andi", "POLRES_A", "0812-0000-2001", ""],       # line 2: POLRES_B's officer
        ["87000002", "Budi", "POLRES_A", "", "Hari@Polri.go.id"],      # line 3
        ["87000003", "Citra", "POLRES_A", "081234500003", "c@polri.go.id"],  # line 4
        ["87000004", "Dedi", "POLRES_A", "+62 812 3450 0003", ""],     # line 5: line 4's number
        ["87000005", "Eko", "POLRES_A", "", "C@POLRI.GO.ID"],          # line 6: line 4's e-mail
        ["11110000", "Hari", "POLRES_B", "081234500011", ""],          # line 7: his own new number
        ["87000006", "Fajar", "POLRES_A", "0812-0000-2001", ""],       # line 8: ... frees the old
    ])
    done = run_cli("import", "personnel", str(path), env=cli_env)
    assert done.returncode == 1, done.stdout + done.stderr
    refused = rejected_lines(done.stdout)
    assert sorted(refused) == [2, 3, 5, 6], done.stdout
    assert 'nomor WhatsApp "6281200002001" sudah dipakai NRP 11110000' in refused[2]
    assert 'email "hari@polri.go.id" sudah dipakai NRP 11110000' in refused[3]
    assert 'nomor WhatsApp "6281234500003" sudah dipakai NRP 87000003 (baris 4)' in refused[5]
    assert 'email "c@polri.go.id" sudah dipakai NRP 87000003 (baris 4)' in refused[6]
    assert await rows(engine, "SELECT user_id, whatsapp, email FROM personnel ORDER BY user_id"
                      ) == [("11110000", "6281234500011", "hari@polri.go.id"),
                            ("87000003", "6281234500003", "c@polri.go.id"),
                            ("87000006", "6281200002001", None)]
