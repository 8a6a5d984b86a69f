"""The README's operator session: `cicero chat --as` the demo operator of POLRES LAMONGAN adds
a person, deactivates one and asks for the registration attendance (real CLI, demo data)."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from demo.seed import DEMO_OFFICER_NRP, seed_demo
from tests.conftest import run_cli

# The lines typed in README.md ("Operators and admins over WhatsApp").
TYPED = ["oprrequest", "1", "75020299", "budi santoso", "bripka", "sat binmas", "baurmin",
         "3", DEMO_OFFICER_NRP, "2", "10", "3", "0"]


async def test_the_demo_operator_adds_deactivates_and_asks_registration(engine, cli_env):
    await seed_demo(engine)
    result = await asyncio.to_thread(run_cli, "chat", "--as", "081234560002", env=cli_env,
                                     stdin="\n".join([*TYPED, ""]))
    assert result.returncode == 0, result.stderr
    for expected in ("*Menu Operator*", "Client: *POLRES LAMONGAN*",
                     "Personil baru berhasil ditambahkan", "*Nama:* BUDI SANTOSO",
                     f"({DEMO_OFFICER_NRP}) sekarang *NONAKTIF*",
                     "rekap registrasi WhatsApp personil *POLRES LAMONGAN*",
                     "Belum Registrasi", "Menu Operator ditutup"):
        assert expected in result.stdout, result.stdout
    async with engine.connect() as connection:
        added = (await connection.execute(text(
            "SELECT client_id, rank, satfung, status FROM personnel "
            "WHERE user_id = '75020299'"))).one()
        deactivated = await connection.scalar(text(
            "SELECT status FROM personnel WHERE user_id = :nrp"), {"nrp": DEMO_OFFICER_NRP})
    assert tuple(added) == ("POLRES_LAMONGAN", "BRIPKA", "SAT BINMAS", True)
    assert deactivated is False
