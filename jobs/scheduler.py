"""When each scheduled job is due, in business time (the table in jobs/schedule.py, the
clock in cicero/clock.py), including the slots a worker missed while Redis was away.

The worker asks on every poll (`due`) and says which jobs it enqueued (`enqueued`). Each job
keeps the moment up to which its slots are handled; it moves on only once the job's enqueue
reached Redis, so a slot that passed while Redis was down is still due when Redis answers
again. All of a job's missed slots collapse into the latest, and only slots of the current
business day count: after an outage, a job runs once, the same day. A slot found after the
scheduler could not look for more than LATE_AFTER (polls are 0.5 s apart) was missed: its
run is a catch-up, and its run record says so.

A worker that starts late in the day (none ran at a slot) makes up, for each job with
`catch_up`, the latest slot of today before it started whose run is not recorded (`recall`):
once, as a catch-up, never for the previous day. Earlier slots, and jobs without `catch_up`,
are left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from cicero.clock import clock
from jobs.schedule import JobDefinition, runs_on

LATE_AFTER = timedelta(seconds=5)


@dataclass(frozen=True)
class Due:
    job: JobDefinition
    slot: datetime
    late: bool  # missed while the scheduler could not look: a catch-up


def slots_on(job: JobDefinition, day: date) -> list[datetime]:
    """The job's slots on a business day, as instants (none on a day it does not run)."""
    if not runs_on(job, day):
        return []
    moments = []
    for hour_minute in job.times:
        hour, minute = (int(part) for part in hour_minute.split(":"))
        moments.append(datetime.combine(day, time(hour, minute), clock.tz))
    return sorted(moments)


def current_slot(job: JobDefinition, now: datetime) -> datetime:
    """The slot a run at `now` belongs to: the latest of today's slots up to `now`, else
    the first of today (a manual run before it), else the start of the day (no slots)."""
    day = clock.business_date(now)
    slots = [datetime.combine(day, time(*map(int, t.split(":"))), clock.tz)
             for t in sorted(job.times)]
    passed = [slot for slot in slots if slot <= now]
    return passed[-1] if passed else slots[0] if slots else clock.start_of(day)


def slot_key(job: JobDefinition, now: datetime) -> str:
    """The idempotency prefix of a run's deliveries: job, business date and slot; each
    delivery adds its recipient and part, so a re-run or a second worker sends nothing new."""
    slot = current_slot(job, now)
    return f"{job.key}:{slot:%Y-%m-%d}:{slot:%H%M}"


class SlotScheduler:
    def __init__(self, jobs: Iterable[JobDefinition], start: datetime) -> None:
        self._jobs = [job for job in jobs if job.times]
        self._handled_until = {job.key: start for job in self._jobs}

    def recall(self, last_started: dict[str, datetime]) -> list[str]:
        """At start: make each catch-up job's latest slot of today before the start due
        again when no run of the job started since that slot; the jobs concerned."""
        recalled = []
        for job in self._jobs:
            start = self._handled_until[job.key]
            missed = [slot for slot in slots_on(job, clock.business_date(start))
                      if slot <= start]
            ran = last_started.get(job.key)
            if job.catch_up and missed and (ran is None or ran < missed[-1]):
                self._handled_until[job.key] = missed[-1] - timedelta(microseconds=1)
                recalled.append(job.key)
        return recalled

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
