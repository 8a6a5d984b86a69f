"""`cicero account create/list`: the way to the first admin."""

from __future__ import annotations

from sqlalchemy import text

from tests.conftest import run_cli
from web.passwords import verify_password


async def test_create_an_admin_and_list_it(engine, cli_env) -> None:
    made = run_cli("account", "create", "kepala", "--role", "admin", "--password-stdin",
                   env=cli_env, stdin="rahasia-sekali\n")
    assert made.returncode == 0, made.stderr
    async with engine.connect() as connection:
        role, status, stored = (await connection.execute(text(
            "SELECT role, status, password_hash FROM dashboard_users "
            "WHERE username = 'kepala'"))).one()
    assert (role, status) == ("admin", "approved")
    assert await verify_password("rahasia-sekali", stored)
    listed = run_cli("account", "list", env=cli_env)
    assert "kepala" in listed.stdout and "approved" in listed.stdout
    again = run_cli("account", "create", "kepala", "--password-stdin", env=cli_env,
                    stdin="rahasia-sekali\n")
    assert again.returncode == 2 and "sudah dipakai" in again.stderr


async def test_refuses_bad_input(engine, cli_env) -> None:
    short = run_cli("account", "create", "baru", "--password-stdin", env=cli_env, stdin="x\n")
    assert short.returncode == 2 and "minimal 8" in short.stderr
    no_client = run_cli("account", "create", "opr", "--role", "operator", "--password-stdin",
                        env=cli_env, stdin="rahasia-sekali\n")
    assert no_client.returncode == 2 and "--client" in no_client.stderr
    unknown = run_cli("account", "create", "opr", "--role", "operator", "--client", "NOPE",
                      "--password-stdin", env=cli_env, stdin="rahasia-sekali\n")
    assert unknown.returncode == 2 and "client tidak dikenal" in unknown.stderr
