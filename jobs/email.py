"""Sending one plain-text e-mail over SMTP (aiosmtplib), as the arq job `send_email`.

Settings: SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASS, SMTP_FROM (SMTP_USER when unset).
Transport security by port: 465 is implicit TLS; 587 (submission) requires STARTTLS, so
credentials never cross in clear; any other port upgrades with STARTTLS only when the server
offers it (a plain relay on localhost/port 25 keeps working). AUTH is used only when
SMTP_USER is set.

Transient failures (connection, timeout, 4xx) are retried by arq with a growing delay;
permanent refusals (5xx) are logged and not retried. The body is never logged: it may hold
a one-time code.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import aiosmtplib
import structlog
from arq.worker import Retry

from cicero.settings import Settings

log = structlog.get_logger(__name__)

MAX_TRIES = 3
RETRY_DELAY_SECONDS = 20
SMTP_TIMEOUT_SECONDS = 30


class MailNotConfigured(RuntimeError):
    """SMTP_HOST or a sender address (SMTP_FROM / SMTP_USER) is missing."""


def sender(settings: Settings) -> str | None:
    return settings.smtp_from or settings.smtp_user


def smtp_options(settings: Settings) -> dict[str, Any]:
    """Connection keywords for `aiosmtplib.send`."""
    if not settings.smtp_host or not sender(settings):
        raise MailNotConfigured("SMTP_HOST dan SMTP_FROM (atau SMTP_USER) wajib diisi")
    port = settings.smtp_port
    options: dict[str, Any] = {
        "hostname": settings.smtp_host, "port": port, "timeout": SMTP_TIMEOUT_SECONDS,
        "use_tls": port == 465, "start_tls": None if port not in (465, 587) else port == 587,
    }
    if settings.smtp_user:
        options.update(username=settings.smtp_user, password=settings.smtp_pass or "")
    return options


def compose(settings: Settings, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    from_address = sender(settings) or ""
    message["From"], message["To"], message["Subject"] = from_address, to, subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=from_address.rpartition("@")[2] or None)
    message.set_content(body)
    return message


def _permanent(exc: Exception) -> bool:
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return all(refusal.code >= 500 for refusal in exc.recipients)
    code = getattr(exc, "code", None)
    return isinstance(code, int) and code >= 500


async def send_email(ctx: dict[str, Any], to: str, subject: str, body: str) -> dict[str, Any]:
    """arq job: deliver one message; {"status": "sent" | "refused" | "failed"}."""
    settings: Settings = ctx["cicero"].settings
    attempt = int(ctx.get("job_try") or 1)
    try:
        await aiosmtplib.send(compose(settings, to, subject, body), **smtp_options(settings))
    except MailNotConfigured as exc:
        log.error("email_not_configured", error=str(exc))
        return {"status": "failed"}
    except (aiosmtplib.SMTPException, OSError) as exc:
        if _permanent(exc):
            log.warning("email_refused", error=type(exc).__name__, attempt=attempt)
            return {"status": "refused"}
        if attempt < MAX_TRIES:
            log.warning("email_retry", error=type(exc).__name__, attempt=attempt)
            raise Retry(defer=RETRY_DELAY_SECONDS * attempt) from exc
        log.error("email_failed", error=type(exc).__name__, attempt=attempt)
        return {"status": "failed"}
    log.info("email_sent", attempt=attempt)
    return {"status": "sent"}
