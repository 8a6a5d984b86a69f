"""The business clock: the one place that knows "now", "today" and periods.

Ground floor: imports nothing of ours. Every "today" in Cicero is the business
date in `TZ_BUSINESS` (Asia/Jakarta by default). SQL filters use the half-open
ranges computed here, never `::date` casts.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True)
class Period:
    """Business days `start..end` inclusive, and the instants `[since, until)` they cover."""

    start: date
    end: date
    since: datetime
    until: datetime

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def _zone_from_environment() -> str:
    """TZ_BUSINESS when it names a zone; a bad value is reported by the settings, not here."""
    name = os.environ.get("TZ_BUSINESS") or "Asia/Jakarta"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "Asia/Jakarta"
    return name


class BusinessClock:
    def __init__(self, tz_name: str | None = None) -> None:
        self.tz = ZoneInfo(tz_name or _zone_from_environment())
        self._fixed: datetime | None = None
        self._offset = timedelta(0)

    def configure(self, tz_name: str) -> None:
        self.tz = ZoneInfo(tz_name)

    def now(self) -> datetime:
        if self._fixed is not None:
            return self._fixed.astimezone(self.tz)
        return datetime.now(self.tz) + self._offset

    def today(self) -> date:
        return self.now().date()

    def set_now(self, moment: datetime | None, *, ticking: bool = False) -> None:
        """Move the clock (tests, `sandbox replay`). `None` returns to real time.

        A ticking clock keeps running from `moment`; a fixed one stays there.
        """
        self._fixed, self._offset = None, timedelta(0)
        if moment is None:
            return
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.tz)
        if ticking:
            self._offset = moment - datetime.now(self.tz)
        else:
            self._fixed = moment

    @contextmanager
    def frozen(self, moment: datetime) -> Iterator[BusinessClock]:
        saved = (self._fixed, self._offset)
        self.set_now(moment)
        try:
            yield self
        finally:
            self._fixed, self._offset = saved

    def start_of(self, day: date) -> datetime:
        return datetime.combine(day, time.min, self.tz)

    def period(self, start: date, end: date) -> Period:
        if end < start:
            raise ValueError("period end is before its start")
        return Period(start, end, self.start_of(start), self.start_of(end + timedelta(days=1)))

    def day(self, day: date | None = None) -> Period:
        day = day or self.today()
        return self.period(day, day)

    def week(self, day: date | None = None) -> Period:
        """The Monday-to-Sunday week holding `day`."""
        day = day or self.today()
        monday = day - timedelta(days=day.weekday())
        return self.period(monday, monday + timedelta(days=6))

    def month(self, day: date | None = None) -> Period:
        day = day or self.today()
        first = day.replace(day=1)
        next_first = (first + timedelta(days=32)).replace(day=1)
        return self.period(first, next_first - timedelta(days=1))

    def business_date(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()


clock = BusinessClock()


def parse_moment(value: str) -> datetime:
    """An ISO 8601 moment; without an offset it is business time. The ValueError's text is
    for the command line."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"waktu tidak valid: {value!r} (contoh: 2025-12-06T19:05:00+07:00)") \
            from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=clock.tz)
