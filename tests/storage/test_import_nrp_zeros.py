"""Issue 21.2: an NRP whose leading zero Excel dropped never makes a second person."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import transaction
from storage.models import Personnel
from tests.conftest import run_cli
from tests.storage.import_files import setup_clients
from tests.storage.test_import_validation import rejected_lines


async def test_an_nrp_that_lost_its_leading_zero_is_not_a_new_person(
        engine: AsyncEngine, cli_env: dict[str, str], tmp_path: Path) -> None:
    await setup_clients(engine, tmp_path)
    async with transaction(engine) as session:
        session.add(Personnel(user_id="01055189", name="ADI", client_id="POLRES_A"))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["nrp", "nama", "satker"])
    sheet.append([1055189, "Adi", "POLRES_A"])         # line 2: a number, the zero is gone
    sheet.append([2055190, "Bima", "POLRES_A"])        # line 3: shown as 02055190
    sheet["A3"].number_format = "00000000"
    sheet.append(["03055191", "Candra", "POLRES_A"])   # line 4: typed as text
    path = tmp_path / "personil.xlsx"
    workbook.save(path)

    done = run_cli("import", "personnel", str(path), env=cli_env)
    assert done.returncode == 1, done.stdout + done.stderr
    refused = rejected_lines(done.stdout)
    assert sorted(refused) == [2], done.stdout
    assert 'NRP/NIP "1055189" sama dengan NRP 01055189 yang sudah ada' in refused[2]
    async with engine.connect() as connection:
        stored = (await connection.execute(text(
            "SELECT user_id, name FROM personnel ORDER BY user_id"))).all()
    assert [tuple(row) for row in stored] == [
        ("01055189", "ADI"), ("02055190", "BIMA"), ("03055191", "CANDRA")]
