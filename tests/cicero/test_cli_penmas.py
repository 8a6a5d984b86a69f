"""`cicero penmas role/list`: an administrator makes an editor; the app never does."""

from __future__ import annotations

from sqlalchemy import text

from storage.models import PenmasRole
from tests.conftest import run_cli
from tests.web.penmas_helpers import penmas_user


async def test_make_an_editor_and_back(engine, cli_env) -> None:
    await penmas_user(engine, "tulis1", PenmasRole.WRITER, whatsapp="6281300000001")
    made = run_cli("penmas", "role", "Tulis1", "editor", env=cli_env)
    assert made.returncode == 0, made.stderr
    assert "sekarang editor" in made.stdout
    async with engine.connect() as connection:
        role = await connection.scalar(text(
            "SELECT role FROM penmas_users WHERE username = 'tulis1'"))
    assert role == "editor"
    listed = run_cli("penmas", "list", env=cli_env)
    assert "tulis1" in listed.stdout and "editor" in listed.stdout
    back = run_cli("penmas", "role", "tulis1", "penulis", env=cli_env)
    assert back.returncode == 0, back.stderr


async def test_refuses_unknown_accounts_and_roles(engine, cli_env) -> None:
    unknown = run_cli("penmas", "role", "siapa", "editor", env=cli_env)
    assert unknown.returncode == 2 and "tidak ditemukan" in unknown.stderr
    await penmas_user(engine, "tulis1", PenmasRole.WRITER)
    bad = run_cli("penmas", "role", "tulis1", "admin", env=cli_env)
    assert bad.returncode == 2 and "editor atau penulis" in bad.stderr
