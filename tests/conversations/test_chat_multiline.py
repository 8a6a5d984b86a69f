"""Issue 21.10: `cicero chat` sends a message of several lines (the complaint template the bot
asks for) as one message, typed between two `\"\"\"` lines or pasted into a terminal (real
CLI, demo data)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time

from sqlalchemy import text

from demo.seed import DEMO_OFFICER_NRP, seed_demo
from tests.conftest import PROJECT_ROOT, run_cli

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


def _chat_in_a_terminal(env: dict[str, str], pasted: str, reply: str) -> str:
    """`cicero chat` with a terminal as its stdin: paste `pasted` at once, wait for `reply`
    on stdout, then /keluar. Returns what it printed."""
    master, slave = os.openpty()
    process = subprocess.Popen([sys.executable, "-m", "cicero", "chat", "--as", "081234560001"],
                               stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=env, cwd=PROJECT_ROOT)
    os.close(slave)
    output = bytearray()

    def collect() -> None:
        while chunk := os.read(process.stdout.fileno(), 4096):
            output.extend(chunk)

    reader = threading.Thread(target=collect, daemon=True)
    reader.start()
    try:
        os.write(master, pasted.encode())
        deadline = time.monotonic() + 60
        while reply.encode() not in output and time.monotonic() < deadline \
                and process.poll() is None:
            time.sleep(0.1)
        os.write(master, b"/keluar\n")
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    reader.join(timeout=5)
    return output.decode(errors="replace")


async def test_a_block_pasted_into_a_terminal_is_one_message(engine, cli_env) -> None:
    await seed_demo(engine)
    printed = await asyncio.to_thread(_chat_in_a_terminal, cli_env,
                                      "\n".join([*COMPLAINT, ""]), "tercatat dengan nomor")
    assert "tercatat dengan nomor *1*" in printed, printed
    async with engine.connect() as connection:
        complaints = (await connection.execute(text(
            "SELECT user_id, status FROM complaints"))).all()
    assert [tuple(row) for row in complaints] == [(DEMO_OFFICER_NRP, "open")]
