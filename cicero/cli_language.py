"""Typer's (Click's) English usage errors and help panel titles, said in Indonesian.

Typer formats errors itself in standalone mode; `cicero.cli.run` runs the app without it and
prints what `usage_error_text` makes of the exception instead: one `Gagal:` line and where to
find help."""

from __future__ import annotations

import re

import typer

try:  # typer >= 0.20 carries its own copy of Click
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - older typer on Click itself
    from click import exceptions as click_errors

UsageError = click_errors.UsageError
ClickException = click_errors.ClickException
Abort = typer.Abort
NoArgsIsHelp = getattr(click_errors, "NoArgsIsHelpError", ())

_KINDS = {"file": "file", "directory": "folder", "path": "path"}
_NUMBERS = {"integer": "bilangan bulat", "float": "angka", "boolean": "ya/tidak (true/false)",
            "UUID": "UUID"}
_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(file|directory|path) (.+) does not exist\."),
     "{kind} {1} tidak ada."),
    (re.compile(r"(file|directory|path) (.+) is a directory\."),
     "{1} adalah folder, bukan file."),
    (re.compile(r"(file|directory|path) (.+) is a file\."),
     "{1} adalah file, bukan folder."),
    (re.compile(r"(file|directory|path) (.+) is not (readable|writable)\."),
     "{kind} {1} tidak bisa dibaca atau ditulis."),
    (re.compile(r"(.+) is not a valid (integer|float|boolean|UUID)\b.*"),
     "{0} bukan {number}."),
    (re.compile(r"(.+) is not (?:one of )?(.+)\.", re.S), "{0} bukan salah satu dari {1}."),
    (re.compile(r"(.+) is not in the range (.+)\."), "{0} di luar rentang {1}."),
    (re.compile(r"Input should be a valid integer\b.*", re.S), "harus bilangan bulat."),
    (re.compile(r"Input should be a valid (?:number|float)\b.*", re.S), "harus angka."),
    (re.compile(r"Input should be a valid boolean\b.*", re.S), "harus ya/tidak (true/false)."),
    (re.compile(r"Input should be greater than or equal to (.+)"), "minimal {0}."),
    (re.compile(r"Input should be less than or equal to (.+)"), "maksimal {0}."),
    (re.compile(r"Input should be greater than (.+)"), "harus lebih dari {0}."),
    (re.compile(r"Input should be less than (.+)"), "harus kurang dari {0}."),
    (re.compile(r"Input should be (.+)"), "harus {0}."),
    (re.compile(r"No such command (.+)\."), "perintah tidak dikenal: {0}."),
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((.+)\)"), "argumen berlebih: {0}."),
    (re.compile(r"Missing command\."), "perintah belum disebut."),
    (re.compile(r"Option (.+) requires (?:an argument|\d+ arguments)\."),
     "opsi {0} butuh nilai."),
    (re.compile(r"Option (.+) does not take a value\."), "opsi {0} tidak menerima nilai."),
]


def _sentence(message: str) -> str:
    for pattern, template in _MESSAGES:
        if match := pattern.fullmatch(message.strip()):
            groups = match.groups() or ("",)
            return template.format(
                *groups, kind=_KINDS.get(groups[0], groups[0]),
                number=_NUMBERS.get(groups[-1], groups[-1]))
    return message


def _hint(error: click_errors.BadParameter) -> str:
    hint = error.param_hint
    if hint is None and error.param is not None:
        hint = error.param.get_error_hint(error.ctx) if _takes_ctx(error.param) \
            else error.param.get_error_hint()
    if isinstance(hint, list | tuple):
        return " / ".join(hint)
    return hint or ""


def _takes_ctx(param: object) -> bool:
    import inspect

    return len(inspect.signature(param.get_error_hint).parameters) >= 1


def usage_error_text(error: ClickException) -> str:
    """What went wrong, in Indonesian; the exception's own text when it is not one we know."""
    if isinstance(error, click_errors.NoSuchOption):
        text = f"opsi tidak dikenal: {error.option_name}"
        if error.possibilities:
            text += f" (mungkin: {', '.join(sorted(error.possibilities))})"
        return text
    if isinstance(error, click_errors.MissingParameter):
        return f"{_hint(error) or 'nilai'} wajib diisi."
    if isinstance(error, click_errors.BadParameter):
        hint = _hint(error)
        return f"nilai {hint} tidak valid: {_sentence(error.message)}" if hint \
            else f"nilai tidak valid: {_sentence(error.message)}"
    if isinstance(error, UsageError):
        return _sentence(error.message)
    return error.format_message()


def help_hint(error: ClickException) -> str | None:
    context = getattr(error, "ctx", None)
    if context is None:
        return None
    return f"Lihat: {context.command_path} --help"


def translate_help_panels() -> None:
    """The titles of `--help`'s panels (the descriptions are ours, already Indonesian)."""
    try:
        from typer import rich_utils
    except ImportError:  # pragma: no cover - typer without rich
        return
    rich_utils.ARGUMENTS_PANEL_TITLE = "Argumen"
    rich_utils.OPTIONS_PANEL_TITLE = "Opsi"
    rich_utils.COMMANDS_PANEL_TITLE = "Perintah"
    rich_utils.ERRORS_PANEL_TITLE = "Gagal"
    rich_utils.REQUIRED_LONG_STRING = "[wajib]"
    rich_utils.DEFAULT_STRING = "[bawaan: {}]"
    rich_utils.ENVVAR_STRING = "[variabel: {}]"
    rich_utils.ABORTED_TEXT = "Dibatalkan."
    rich_utils.RICH_HELP = "Lihat [blue]'{command_path} {help_option}'[/]."
