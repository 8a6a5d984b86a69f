"""`cicero penmas …`: the Penmas logins. Writers register themselves in the app; an
administrator makes an editor here (the app never lets anyone choose the role)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from cicero.cli import console, fail, settings_or_exit
from cicero.runtime import runtime

penmas_app = typer.Typer(help="Akun aplikasi Penmas (penulis dan editor).",
                         no_args_is_help=True)


@penmas_app.command("role")
def set_role(
    username: Annotated[str, typer.Argument(help="username akun Penmas")],
    role: Annotated[str, typer.Argument(help="editor atau penulis")],
) -> None:
    """Jadikan akun Penmas editor, atau kembalikan menjadi penulis."""
    from cicero.cli_data import with_engine
    from storage.models import PenmasRole
    from storage.penmas_accounts import set_role as store

    try:
        kind = PenmasRole(role.strip().lower())
    except ValueError:
        raise fail("peran harus editor atau penulis", code=2) from None
    name = username.strip().lower()
    with runtime(settings_or_exit()) as rt:
        changed = with_engine(rt.database_url, lambda engine: store(engine, name, kind))
    if not changed:
        raise fail(f"akun Penmas {name!r} tidak ditemukan", code=2)
    console.print(f"Akun Penmas [bold]{name}[/] sekarang {kind.value}.")


@penmas_app.command("list")
def list_accounts() -> None:
    """Semua akun Penmas."""
    from cicero.cli_data import with_engine
    from storage.penmas_accounts import list_accounts as load

    with runtime(settings_or_exit()) as rt:
        accounts = with_engine(rt.database_url, load)
    table = Table(title="Akun Penmas")
    for column in ("Username", "Peran", "Nama", "WhatsApp"):
        table.add_column(column)
    for account in accounts:  # type: ignore[attr-defined]
        table.add_row(account.username, account.role.value, account.name or "-",
                      account.whatsapp or "-")
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(penmas_app, name="penmas")
