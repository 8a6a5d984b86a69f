"""Every scheduled job, in one table. Times are business time (TZ_BUSINESS)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from jobs.backup import backup_job

JobFunction = Callable[[Any], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class JobDefinition:
    key: str
    display_name: str
    run: JobFunction
    times: tuple[str, ...]  # "HH:MM"; empty = only on demand (`cicero jobs run KEY`)
    timeout_seconds: int = 1800

    @property
    def arq_name(self) -> str:
        return f"job:{self.key}"


def every(minutes: int, start: str, end: str, *, skip: tuple[str, ...] = ()) -> tuple[str, ...]:
    """'HH:MM' times from start to end inclusive, every `minutes`, leaving out `skip`."""
    def to_minutes(value: str) -> int:
        hour, minute = value.split(":")
        return int(hour) * 60 + int(minute)

    times = range(to_minutes(start), to_minutes(end) + 1, minutes)
    return tuple(f"{t // 60:02d}:{t % 60:02d}" for t in times
                 if f"{t // 60:02d}:{t % 60:02d}" not in skip)


SCHEDULE: tuple[JobDefinition, ...] = (
    JobDefinition("db-backup", "Backup database harian", backup_job, ("04:00",)),
)


def by_key() -> dict[str, JobDefinition]:
    return {job.key: job for job in SCHEDULE}
