"""Issue 21.10: `cicero chat` sends a message of several lines (the complaint template the bot
asks for) typed between two `\"\"\"` lines, as one message (real CLI, demo data)."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from storage.demo import DEMO_OFFICER_NRP, seed_demo
from tests.conftest import run_cli

COMPLAINT = ["Pesan Komplain", f"NRP : {DEMO_OFFICER_NRP}", "Kendala",
             "- akun saya terkunci sejak kemarin"]


async def test_a_block_between_triple_quotes_is_one_message(engine, cli_env) -> None:
    await seed_demo(engine)
    typed = ['"""', *COMPLAINT, '"""', ""]
    result = await asyncio.to_thread(run_cli, "chat", "--as", "081234560001", env=cli_env,
                                     stdin="\n".join(typed))
    assert result.returncode == 0, result.stderr
    assert "tercatat dengan nomor *1*" in result.stdout, result.stdout
    async with engine.connect() as connection:
        complaints = (await connection.execute(text(
            "SELECT user_id, status FROM complaints"))).all()
    assert [tuple(row) for row in complaints] == [(DEMO_OFFICER_NRP, "open")]
