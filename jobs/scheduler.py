"""When each scheduled job is due, in business time (the table in jobs/schedule.py, the
clock in cicero/clock.py), including the slots a worker missed while Redis was away.

The worker asks on every poll (`due`) and says which jobs it enqueued (`enqueued`). Each job
keeps the moment up to which its slots are handled; it moves on only once the job's enqueue
reached Redis, so a slot that passed while Redis was down is still due when Redis answers
again. All of a job's missed slots collapse into the latest, and only slots of the current
business day count: after an outage, a job runs once, the same day. A slot found after the
scheduler could not look for more than LATE_AFTER (polls are 0.5 s apart) was missed: its
run is a catch-up, and its run record says so.

Nothing is due for slots before the worker started: a worker that was not running did not
miss them (a slot's run is already recorded, or belongs to another worker).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from cicero.clock import clock
from jobs.schedule import JobDefinition

LATE_AFTER = timedelta(seconds=5)


@dataclass(frozen=True)
class Due:
    job: JobDefinition
    slot: datetime
    late: bool  # missed while the scheduler could not look: a catch-up


def slots_on(job: JobDefinition, day: date) -> list[datetime]:
    """The job's slots on a business day, as instants."""
    moments = []
    for hour_minute in job.times:
        hour, minute = (int(part) for part in hour_minute.split(":"))
        moments.append(datetime.combine(day, time(hour, minute), clock.tz))
    return sorted(moments)


class SlotScheduler:
    def __init__(self, jobs: Iterable[JobDefinition], start: datetime) -> None:
        self._jobs = [job for job in jobs if job.times]
        self._handled_until = {job.key: start for job in self._jobs}

    def due(self, now: datetime) -> list[Due]:
        """The latest slot of each job in (handled until, now], today only."""
        today = clock.business_date(now)
        found = []
        for job in self._jobs:
            handled = self._handled_until[job.key]
            since = max(handled, clock.start_of(today) - timedelta(seconds=1))
            slots = [slot for slot in slots_on(job, today) if since < slot <= now]
            if slots:
                found.append(Due(job, slots[-1], now - handled > LATE_AFTER))
        return found

    def enqueued(self, job: JobDefinition, now: datetime) -> None:
        self._handled_until[job.key] = now

    def handled(self, now: datetime) -> None:
        """Every job's slots up to `now` are handled (nothing was due, or all was enqueued)."""
        for key in self._handled_until:
            self._handled_until[key] = max(self._handled_until[key], now)
