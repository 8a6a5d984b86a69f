"""Every scheduled job, in one table. Times are business time (TZ_BUSINESS).

The table names each job's function as "module:function", imported only when the job runs:
reading the schedule (the CLI, a console, `jobs.queue`) loads no ingestion code.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

JobFunction = Callable[[Any], Awaitable[dict[str, Any]]]
REMINDER_TIMES = ("19:05", "19:45", "20:15")  # reminder stage n starts at REMINDER_TIMES[n - 1]


@dataclass(frozen=True)
class JobDefinition:
    key: str
    display_name: str
    target: JobFunction | str  # the function, or "module:function"
    times: tuple[str, ...]  # "HH:MM"; empty = only on demand (`cicero jobs run KEY`)
    timeout_seconds: int = 1800
    days: str = "daily"  # DAILY, or MONTH_END: only on the last day of the business month
    # A slot missed because no worker ran is made up once when a worker starts the same
    # business day (jobs/scheduler.py); False for jobs whose moment has passed for good.
    catch_up: bool = True
    needs: tuple[str, ...] = ()  # settings without which it cannot run (`cicero jobs run`)

    @property
    def month_end(self) -> bool:
        return self.days == MONTH_END

    @property
    def arq_name(self) -> str:
        return f"job:{self.key}"

    @property
    def run(self) -> JobFunction:
        if not isinstance(self.target, str):
            return self.target
        module, function = self.target.split(":")
        return getattr(importlib.import_module(module), function)


DAILY, MONTH_END = "daily", "month-end"
RAPIDAPI = ("rapidapi_key",)


def is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def runs_on(job: JobDefinition, day: date) -> bool:
    return job.days != MONTH_END or is_month_end(day)


def every(minutes: int, start: str, end: str, *, skip: tuple[str, ...] = ()) -> tuple[str, ...]:
    """'HH:MM' times from start to end inclusive, every `minutes`, leaving out `skip`."""
    def to_minutes(value: str) -> int:
        hour, minute = value.split(":")
        return int(hour) * 60 + int(minute)

    times = range(to_minutes(start), to_minutes(end) + 1, minutes)
    return tuple(f"{t // 60:02d}:{t % 60:02d}" for t in times
                 if f"{t // 60:02d}:{t % 60:02d}" not in skip)


SCHEDULE: tuple[JobDefinition, ...] = (
    JobDefinition("db-backup", "Backup database harian", "jobs.backup:backup_job", ("04:00",)),
    # Every 30 minutes from 06:30 to 22:00; posts until 16:59, then only engagement.
    # 15:00 and 18:00 belong to the sequence below, which fetches and then reports.
    JobDefinition("fetch-sosmed", "Ambil konten & engagement semua satker aktif",
                  "jobs.fetch_jobs:fetch_scheduled",
                  every(30, "06:30", "22:00", skip=("15:00", "18:00")), needs=RAPIDAPI),
    JobDefinition("fetch-sequence", "Ambil data lalu kirim laphar & rekap Simple",
                  "jobs.fetch_jobs:fetch_and_report", ("15:00", "18:00"), needs=RAPIDAPI),
    JobDefinition("wa-reminder", "Pengingat WhatsApp malam", "jobs.reminders:send_reminders",
                  REMINDER_TIMES, catch_up=False),
    JobDefinition("recap-completeness", "Ringkasan & kelengkapan data ke admin dan grup",
                  "jobs.scheduled_recaps:recap_completeness", ("08:00", "12:00", "16:00")),
    JobDefinition("recap-links", "Rekap amplifikasi link satker ORG",
                  "jobs.scheduled_recaps:recap_links", ("15:05", "18:05", "21:05")),
    JobDefinition("recap-evening", "Rekap malam direktorat (+mingguan/bulanan)",
                  "jobs.scheduled_recaps:recap_evening", ("20:30",)),
    JobDefinition("amplify-monthly", "Excel amplifikasi bulanan ke operator",
                  "jobs.scheduled_recaps:amplify_monthly", ("23:00",), days=MONTH_END),
    JobDefinition("contacts-sync", "Simpan nomor personil ke Google Contacts",
                  "jobs.google_contacts:sync_contacts", ("05:00",)),
    JobDefinition("official-media", "Konten akun resmi Satbinmas + rekap ke admin",
                  "jobs.satbinmas_media:satbinmas_media", ("23:05",)),
    JobDefinition("premium-expiry", "Berakhirnya akses premium (peringatan H-3)",
                  "jobs.premium_expiry:expire_premium", ("07:00",)),
)


def by_key() -> dict[str, JobDefinition]:
    return {job.key: job for job in SCHEDULE}
