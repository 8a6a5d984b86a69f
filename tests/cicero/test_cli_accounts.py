"""`cicero account …`: the way to the first admin, and keeping accounts afterwards."""

from __future__ import annotations

from sqlalchemy import text

from storage.token_revocation import revoked_before_key
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
    again = run_cli("account", "create", "kepala", "--role", "admin", "--password-stdin",
                    env=cli_env, stdin="rahasia-sekali\n")
    assert again.returncode == 2 and "sudah dipakai" in again.stderr


async def test_refuses_bad_input(engine, cli_env) -> None:
    short = run_cli("account", "create", "baru", "--role", "admin", "--password-stdin",
                    env=cli_env, stdin="x\n")
    assert short.returncode == 2 and "minimal 8" in short.stderr
    no_client = run_cli("account", "create", "opr", "--role", "operator", "--password-stdin",
                        env=cli_env, stdin="rahasia-sekali\n")
    assert no_client.returncode == 2 and "--client" in no_client.stderr
    unknown = run_cli("account", "create", "opr", "--role", "operator", "--client", "NOPE",
                      "--password-stdin", env=cli_env, stdin="rahasia-sekali\n")
    assert unknown.returncode == 2 and "client tidak dikenal" in unknown.stderr


async def _account(engine, username: str) -> tuple[str, str] | None:
    async with engine.connect() as connection:
        row = (await connection.execute(text(
            "SELECT status, password_hash FROM dashboard_users WHERE username = :u"),
            {"u": username})).one_or_none()
    return tuple(row) if row else None


async def test_the_role_is_never_assumed(engine, cli_env) -> None:
    made = run_cli("account", "create", "siapa", "--password-stdin", env=cli_env,
                   stdin="rahasia-sekali\n")
    assert made.returncode == 2
    assert made.stderr.strip() == "Gagal: --role wajib diisi: admin, directorate atau operator"
    assert await _account(engine, "siapa") is None


async def test_passwd_disable_enable_delete(engine, cli_env, redis) -> None:
    made = run_cli("account", "create", "kepala", "--role", "admin", "--password-stdin",
                   env=cli_env, stdin="rahasia-sekali\n")
    assert made.returncode == 0, made.stderr

    changed = run_cli("account", "passwd", "kepala", "--password-stdin", env=cli_env,
                      stdin="sandi-baru-1234\n")
    assert changed.returncode == 0, changed.stderr
    _, stored = await _account(engine, "kepala")
    assert await verify_password("sandi-baru-1234", stored)
    assert not await verify_password("rahasia-sekali", stored)
    async with engine.connect() as connection:
        account_id = await connection.scalar(text(
            "SELECT id::text FROM dashboard_users WHERE username = 'kepala'"))
    assert await redis.get(revoked_before_key(account_id))  # its open sessions ended

    disabled = run_cli("account", "disable", "kepala", env=cli_env)
    assert disabled.returncode == 0, disabled.stderr
    assert (await _account(engine, "kepala"))[0] == "rejected"
    enabled = run_cli("account", "enable", "kepala", env=cli_env)
    assert enabled.returncode == 0, enabled.stderr
    assert (await _account(engine, "kepala"))[0] == "approved"

    unknown = run_cli("account", "disable", "tidakada", env=cli_env)
    assert unknown.returncode == 2 and "akun 'tidakada' tidak ada" in unknown.stderr

    kept = run_cli("account", "delete", "kepala", env=cli_env, stdin="tidak\n")
    assert kept.returncode == 1 and "dibatalkan" in kept.stderr
    assert await _account(engine, "kepala") is not None
    deleted = run_cli("account", "delete", "kepala", "--yes", env=cli_env)
    assert deleted.returncode == 0, deleted.stderr
    assert await _account(engine, "kepala") is None
