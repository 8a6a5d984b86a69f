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
    """Print one unwrapped line (a reason is read whole, or grepped) and the exit to raise."""
    err_console.print(f"[bold red]Gagal:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def confirm(question: str) -> bool:
    """Ask on the terminal; only `ya` (or `y`) goes on. No answer (stdin closed) is a no."""
    err_console.print(f"{question} Ketik [bold]ya[/] untuk lanjut: ", end="", highlight=False)
    try:
        answer = input()
    except EOFError:
        answer = ""
    return answer.strip().lower() in ("ya", "y")


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
    from cicero import cli_language
    from storage.db import DatabaseNotMigrated

    cli_language.translate_help_panels()
    try:
        code = app(standalone_mode=False, prog_name="cicero")
    except (ConfigError, DatabaseNotMigrated) as exc:
        err_console.print(f"[bold red]Gagal:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except cli_language.Abort:
        err_console.print("Dibatalkan.")
        sys.exit(1)
    except cli_language.ClickException as exc:
        if isinstance(exc, cli_language.NoArgsIsHelp):  # no arguments: the help is the answer
            exc.show()
            sys.exit(exc.exit_code)
        fail(cli_language.usage_error_text(exc))
        if hint := cli_language.help_hint(exc):
            err_console.print(hint, highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["NowOption", "app", "confirm", "console", "err_console", "fail", "run",
           "settings_or_exit", "start_clock_at"]
