"""Demo mode from every command (issue 18 item 3): with `cicero up --demo` running, `cicero
fetch` and `cicero jobs run fetch-sosmed` in another terminal use the demo's fake RapidAPI
(its address and key kept under CICERO_HOME) and change the recaps; without a running demo
and without RAPIDAPI_KEY they stop with one Indonesian line saying what to set."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import text

from cicero.demo_rapidapi import FILE
from demo.seed import seed_demo
from tests.cicero.test_up import Up
from tests.conftest import run_cli


def _without_key(cli_env: dict[str, str], home: Path) -> dict[str, str]:
    env = {k: v for k, v in cli_env.items() if not k.startswith("RAPIDAPI_")}
    env.update(CICERO_HOME=str(home), COLUMNS="400")
    return env


async def _engagements(engine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT count(*) FROM engagements"))
                    ).scalar_one())


def test_without_a_demo_or_a_key_one_line_says_what_to_set(engine, cli_env, tmp_path) -> None:
    env = _without_key(cli_env, tmp_path / "home")
    for command in (("fetch",), ("jobs", "run", "fetch-sosmed")):
        result = run_cli(*command, env=env)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
        [line] = result.stderr.strip().splitlines()
        assert "RAPIDAPI_KEY" in line and "cicero up --demo" in line, line


async def test_commands_beside_a_running_demo_use_its_fake_rapidapi(engine, cli_env,
                                                                    tmp_path) -> None:
    home = tmp_path / "home"
    env = _without_key(cli_env, home)
    await seed_demo(engine)  # `up --demo` keeps a database that has data
    before = await _engagements(engine)
    recap_before = run_cli("report", "simple-ig", "--client", "DITBINMAS", env=env)
    assert recap_before.returncode == 0, recap_before.stderr

    up = Up(env, "--demo")
    try:
        up.wait_ready()
        demo = json.loads((home / FILE).read_text())
        assert demo["url"].startswith("http://127.0.0.1:") and demo["key"]
        assert (home / FILE).stat().st_mode & 0o077 == 0
        fetched = run_cli("fetch", env=env)
        job = run_cli("jobs", "run", "fetch-sosmed", env=env)
        recap_after = run_cli("report", "simple-ig", "--client", "DITBINMAS", env=env)
    finally:
        up.interrupt()
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    assert "Ringkasan fetch" in fetched.stdout and "satker gagal 0." in fetched.stdout
    assert job.returncode == 0, job.stdout + job.stderr
    summary = job.stdout.split(": ", 1)[1]
    assert summary.startswith("berhasil (") and "failed_clients 0," in summary, summary
    assert int(re.search(r"api_calls (\d+)", summary).group(1)) > 0, summary
    assert await _engagements(engine) > before
    assert recap_after.stdout != recap_before.stdout
    assert not (home / FILE).exists()  # gone with the demo
    stale = run_cli("jobs", "run", "fetch-sosmed", env=env)
    assert stale.returncode == 2 and "RAPIDAPI_KEY" in stale.stderr
