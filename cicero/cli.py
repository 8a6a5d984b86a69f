"""The `cicero` command line (Typer). Commands stay thin: they start the runtime and call in."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from cicero.logs import configure_logging
from cicero.settings import ConfigError, get_settings

app = typer.Typer(help="Cicero: absensi engagement media sosial satker, lewat WhatsApp.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
console = Console()
err_console = Console(stderr=True)


@app.callback()
def main(
    log_level: Annotated[str, typer.Option("--log-level", help="DEBUG, INFO, WARNING")] = "WARNING",
) -> None:
    configure_logging(log_level)


def fail(message: str, code: int = 1) -> typer.Exit:
    err_console.print(f"[bold red]Gagal:[/] {message}", highlight=False)
    return typer.Exit(code)


NowOption = Annotated[str | None, typer.Option(
    "--now", help="Jam bisnis mulai dari waktu ini lalu berjalan (ISO 8601, mis. "
    "2025-12-06T14:59:30+07:00): untuk demo dan uji jadwal")]


def start_clock_at(now: str | None) -> None:
    """`--now`: the business clock starts at that moment and keeps running."""
    if now is None:
        return
    from cicero.clock import clock, parse_moment

    try:
        clock.set_now(parse_moment(now), ticking=True)
    except ValueError as exc:
        raise fail(f"--now: {exc}", code=2) from None


def settings_or_exit():
    """The settings; without RAPIDAPI_KEY, those of a `cicero up --demo` running beside."""
    from cicero.demo_rapidapi import with_running_demo

    try:
        return with_running_demo(get_settings())
    except ConfigError as exc:
        raise fail(str(exc), code=2) from None


def _register_groups() -> None:
    from cicero import (
        cli_accounts,
        cli_bot,
        cli_complaints,
        cli_data,
        cli_db,
        cli_fetch,
        cli_jobs,
        cli_penmas,
        cli_report,
        cli_serve,
        cli_wa,
    )

    app.add_typer(cli_db.db_app, name="db")
    app.add_typer(cli_data.seed_app, name="seed")
    app.add_typer(cli_data.import_app, name="import")
    cli_serve.register(app)
    cli_report.register(app)
    cli_jobs.register(app)
    cli_fetch.register(app)
    cli_bot.register(app)
    cli_wa.register(app)
    cli_accounts.register(app)
    cli_complaints.register(app)
    cli_penmas.register(app)


_register_groups()


def run() -> None:
    from storage.db import DatabaseNotMigrated

    try:
        app()
    except (ConfigError, DatabaseNotMigrated) as exc:
        err_console.print(f"[bold red]Gagal:[/] {exc}", highlight=False)
        sys.exit(2)


__all__ = ["NowOption", "app", "console", "err_console", "fail", "run", "settings_or_exit",
           "start_clock_at"]
