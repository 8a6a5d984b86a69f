"""The scheduled recaps of data_and_reports.md §4.2, each to recipients from client contact
rows (and ADMIN_WHATSAPP), each delivery keyed by (job, business date, slot, recipient) so a
re-run or a second worker sends nothing twice:

- `recap-evening` 20:30: per active directorate, the Simple IG/TikTok recaps and the Kasat
  Binmas IG/TikTok recaps of the day to its super admins, the Kasatker letter to its
  operators; on Sundays also the week's Kasat Binmas recaps and letter, on the last day of
  the month also the month's (business calendar);
- `recap-completeness` 08:00 / 12:00 / 16:00: the executive summary and data completeness of
  each active directorate to the admins and the directorate's group;
- `recap-links` 15:05 / 18:05 / 21:05: the day's amplification recap of each active ORG
  satker with amplification on, to the admins, its operators, super admins and group;
- `amplify-monthly` 23:00 on the month's last day: the month's amplification workbook of
  each active client with amplification on, as a document to its operators.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from typing import Any

import structlog

from cicero.clock import Period, clock
from cicero.sessions import SessionName
from jobs.context import JobContext
from jobs.fetch_jobs import queue_report, render_report, send_report
from jobs.recipients import admin_numbers, unique
from jobs.schedule import by_key, is_month_end
from jobs.scheduler import slot_key
from storage.models import ClientType, ContactKind
from storage.scheduled_recipients import active_directorates, amplifying_clients, contact_book

log = structlog.get_logger(__name__)

OPERATOR_SESSION = SessionName.OPERATOR.value  # the reference's "main client"


@contextlib.contextmanager
def _per_client(job: str, client_id: str, failures: list[str]) -> Iterator[None]:
    """One client's failure is recorded and logged; the other clients still get theirs."""
    try:
        yield
    except Exception as exc:
        failures.append(f"{client_id}: {type(exc).__name__}: {exc}"[:300])
        log.warning("scheduled_recap_failed", job=job, client=client_id, error=repr(exc))


def _counts(clients: list[str], sent: int, failures: list[str], **extra: Any) -> dict[str, Any]:
    counts: dict[str, Any] = {"clients": len(clients), "deliveries": sent, **extra}
    if failures:
        counts["failures"] = failures
    return counts


def _key(job: str) -> str:
    return slot_key(by_key()[job], clock.now())


def evening_periods(today: Period) -> list[tuple[str, Period]]:
    """The day, plus the week on a Sunday and the month on its last day."""
    periods = [("day", today)]
    if today.start.weekday() == 6:
        periods.append(("week", clock.week(today.start)))
    if is_month_end(today.start):
        periods.append(("month", clock.month(today.start)))
    return periods


async def recap_evening(ctx: JobContext) -> dict[str, Any]:
    key, today = _key("recap-evening"), clock.day()
    clients = await active_directorates(ctx.engine)
    book = await contact_book(ctx.engine, clients)
    periods = evening_periods(today)
    sent, failures = 0, []
    for client_id in clients:
        supers = unique(book[client_id][ContactKind.SUPER_ADMIN])
        operators = unique(book[client_id][ContactKind.OPERATOR])
        plan = [(name, supers, key, None) for name in ("simple-ig", "simple-tiktok")]
        for label, period in periods:
            plan += [(name, supers, f"{key}:{label}", period)
                     for name in ("kasat-ig", "kasat-tiktok")]
            plan.append(("kasatker", operators, f"{key}:{label}", period))
        plan = [entry for entry in plan if entry[1]]
        with _per_client("recap-evening", client_id, failures):
            # built side by side (each on its own connection), sent in the plan's order
            reports = await asyncio.gather(*(render_report(ctx, name, client_id, period=period)
                                             for name, _, _, period in plan))
            for (name, recipients, prefix, _), report in zip(plan, reports, strict=True):
                sent += await queue_report(ctx, report, name, client_id, recipients, prefix)
    return _counts(clients, sent, failures, periods=[label for label, _ in periods])


async def recap_completeness(ctx: JobContext) -> dict[str, Any]:
    key = _key("recap-completeness")
    clients = await active_directorates(ctx.engine)
    book = await contact_book(ctx.engine, clients)
    admins = admin_numbers(ctx.settings.admin_whatsapp)
    sent, failures = 0, []
    for client_id in clients:
        recipients = unique(admins, book[client_id][ContactKind.GROUP])
        with _per_client("recap-completeness", client_id, failures):
            for name in ("completeness-summary", "completeness"):
                sent += await send_report(ctx, name, client_id, recipients, key,
                                          session=OPERATOR_SESSION)
    return _counts(clients, sent, failures)


async def recap_links(ctx: JobContext) -> dict[str, Any]:
    key = _key("recap-links")
    clients = await amplifying_clients(ctx.engine, ClientType.ORG)
    book = await contact_book(ctx.engine, clients)
    admins = admin_numbers(ctx.settings.admin_whatsapp)
    sent, failures = 0, []
    for client_id in clients:
        contacts = book[client_id]
        recipients = unique(admins, contacts[ContactKind.OPERATOR],
                            contacts[ContactKind.SUPER_ADMIN], contacts[ContactKind.GROUP])
        with _per_client("recap-links", client_id, failures):
            sent += await send_report(ctx, "amplify", client_id, recipients, key,
                                      session=OPERATOR_SESSION)
    return _counts(clients, sent, failures)


async def amplify_monthly(ctx: JobContext) -> dict[str, Any]:
    today = clock.day()
    if not is_month_end(today.start):
        return {"deliveries": 0, "reason": "bukan hari terakhir bulan"}
    key = _key("amplify-monthly")
    clients = await amplifying_clients(ctx.engine)
    book = await contact_book(ctx.engine, clients)
    month = clock.month(today.start)
    sent, failures = 0, []
    for client_id in clients:
        operators = unique(book[client_id][ContactKind.OPERATOR])
        with _per_client("amplify-monthly", client_id, failures):
            sent += await send_report(ctx, "amplify", client_id, operators, key, period=month,
                                      session=OPERATOR_SESSION, files_only=True)
    return _counts(clients, sent, failures)
