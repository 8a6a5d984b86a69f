"""`cicero account …`: dashboard accounts made by an administrator (the first admin, above
all: self-registration can never grant the admin role)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from cicero.cli import confirm, console, fail, settings_or_exit
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
    role: Annotated[str | None, typer.Option(
        help="wajib: admin, directorate atau operator")] = None,
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
    if role is None:
        raise fail("--role wajib diisi: admin, directorate atau operator", code=2)
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


UsernameArgument = Annotated[str, typer.Argument(help="username akun dashboard")]


def _change_account(username: str, change) -> str:
    """Run `change(engine, account_id)` on the named account, then end its open sessions
    (its tokens stop working). Stops with one line when the account does not exist."""
    from redis.asyncio import Redis

    from cicero.cli_data import with_engine
    from storage.dashboard_users import find_by_username
    from storage.token_revocation import revoke_all_tokens

    name = username.strip().lower()
    with runtime(settings_or_exit()) as rt:
        async def work(engine) -> bool:
            account = await find_by_username(engine, name)
            if account is None:
                return False
            await change(engine, account.id)
            redis = Redis.from_url(rt.redis_url, decode_responses=True)
            try:
                await revoke_all_tokens(redis, account.id)
            finally:
                await redis.aclose()
            return True

        if not with_engine(rt.database_url, work):
            raise fail(f"akun {name!r} tidak ada", code=2)
    return name


@account_app.command("passwd")
def passwd(
    username: UsernameArgument,
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="baca kata sandi dari stdin (untuk skrip)")] = False,
) -> None:
    """Ganti kata sandi akun; semua sesi login akun itu berakhir."""
    from storage.dashboard_users import set_password
    from web.passwords import hash_password

    password = _password(password_stdin)

    async def change(engine, account_id: str) -> None:
        await set_password(engine, account_id, await hash_password(password))

    name = _change_account(username, change)
    console.print(f"Kata sandi akun [bold]{name}[/] diganti; sesi lamanya berakhir.")


@account_app.command("disable")
def disable(username: UsernameArgument) -> None:
    """Nonaktifkan akun: tidak bisa login lagi, sesi yang terbuka berakhir."""
    from storage.dashboard_users import set_status
    from storage.models import ApprovalStatus

    async def change(engine, account_id: str) -> None:
        await set_status(engine, account_id, ApprovalStatus.REJECTED)

    name = _change_account(username, change)
    console.print(f"Akun [bold]{name}[/] dinonaktifkan.")


@account_app.command("enable")
def enable(username: UsernameArgument) -> None:
    """Aktifkan kembali akun (juga menyetujui akun yang menunggu)."""
    from storage.dashboard_users import set_status
    from storage.models import ApprovalStatus

    async def change(engine, account_id: str) -> None:
        await set_status(engine, account_id, ApprovalStatus.APPROVED)

    name = _change_account(username, change)
    console.print(f"Akun [bold]{name}[/] aktif.")


@account_app.command("delete")
def delete(
    username: UsernameArgument,
    yes: Annotated[bool, typer.Option("--yes", help="tanpa konfirmasi (untuk skrip)")] = False,
) -> None:
    """Hapus akun beserta akses client-nya."""
    from storage.dashboard_users import delete_account

    name = username.strip().lower()
    if not yes and not confirm(f"Hapus akun {name}?"):
        raise fail("dibatalkan, tidak ada yang dihapus.", code=1)

    async def change(engine, account_id: str) -> None:
        await delete_account(engine, account_id)

    _change_account(name, change)
    console.print(f"Akun [bold]{name}[/] dihapus.")


def register(app: typer.Typer) -> None:
    app.add_typer(account_app, name="account")
