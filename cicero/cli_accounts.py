"""`cicero account …`: dashboard accounts made by an administrator (the first admin, above
all: self-registration can never grant the admin role)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from cicero.cli import console, fail, settings_or_exit
from cicero.runtime import runtime

account_app = typer.Typer(help="Akun dashboard (admin, direktorat, operator).",
                          no_args_is_help=True)
MIN_PASSWORD = 8


def _password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Kata sandi", hide_input=True, confirmation_prompt=True)
    if len(password.strip()) < MIN_PASSWORD:
        raise fail(f"kata sandi minimal {MIN_PASSWORD} karakter", code=2)
    return password.strip()


@account_app.command("create")
def create(
    username: Annotated[str, typer.Argument(help="huruf kecil, angka, titik, garis bawah")],
    role: Annotated[str, typer.Option(help="admin, directorate atau operator")] = "admin",
    client: Annotated[list[str] | None, typer.Option(
        "--client", help="client_id yang boleh dilihat (boleh diulang)")] = None,
    whatsapp: Annotated[str | None, typer.Option(help="nomor WhatsApp pemilik akun")] = None,
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="baca kata sandi dari stdin (untuk skrip)")] = False,
) -> None:
    """Buat akun dashboard yang langsung aktif."""
    from cicero.cli_data import with_engine
    from storage.dashboard_users import (
        USERNAME_RE,
        DashboardUsernameTaken,
        NewAccount,
        client_types,
        create_approved_account,
    )
    from storage.identifiers import InvalidPhone, normalize_phone
    from storage.models import DashboardRole
    from web.passwords import hash_password

    name = username.strip().lower()
    if not USERNAME_RE.fullmatch(name):
        raise fail("username harus 3–50 karakter: huruf kecil, angka, titik, '-' atau '_'",
                   code=2)
    try:
        kind = DashboardRole(role.strip().lower())
    except ValueError:
        raise fail("--role harus admin, directorate atau operator", code=2) from None
    clients = [c.strip().upper() for c in client or [] if c.strip()]
    if kind is not DashboardRole.ADMIN and not clients:
        raise fail("akun direktorat/operator membutuhkan --client", code=2)
    try:
        phone = normalize_phone(whatsapp) if whatsapp else ""
    except InvalidPhone as exc:
        raise fail(str(exc), code=2) from None
    password = _password(password_stdin)
    with runtime(settings_or_exit()) as rt:
        async def work(engine) -> list[str]:
            unknown = sorted(set(clients) - set(await client_types(engine, clients)))
            if not unknown:
                await create_approved_account(engine, NewAccount(
                    name, await hash_password(password), kind, phone, clients))
            return unknown

        try:
            unknown = with_engine(rt.database_url, work)
        except DashboardUsernameTaken:
            raise fail(f"username {name!r} sudah dipakai", code=2) from None
        if unknown:
            raise fail(f"client tidak dikenal: {', '.join(unknown)}", code=2)
    console.print(f"Akun [bold]{name}[/] ({kind.value}) dibuat dan aktif.")


@account_app.command("list")
def list_accounts() -> None:
    """Semua akun dashboard."""
    from cicero.cli_data import with_engine
    from storage.dashboard_users import list_accounts as load

    with runtime(settings_or_exit()) as rt:
        rows = with_engine(rt.database_url, load)
    table = Table(title="Akun dashboard")
    for column in ("Username", "Peran", "Status", "Client"):
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(account_app, name="account")
