"""The business clock: today and periods in Asia/Jakarta, whatever the host's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cicero.clock import BusinessClock, clock

JAKARTA = ZoneInfo("Asia/Jakarta")


def test_today_follows_jakarta_not_utc() -> None:
    business = BusinessClock("Asia/Jakarta")
    # 17:30 UTC on 5 Dec is 00:30 on 6 Dec in Jakarta.
    business.set_now(datetime(2025, 12, 5, 17, 30, tzinfo=UTC))
    assert business.today() == date(2025, 12, 6)
    business.set_now(datetime(2025, 12, 5, 16, 59, 59, tzinfo=UTC))
    assert business.today() == date(2025, 12, 5)


def test_day_is_half_open_midnight_to_midnight_in_jakarta() -> None:
    period = BusinessClock("Asia/Jakarta").day(date(2025, 12, 6))
    assert period.since == datetime(2025, 12, 6, tzinfo=JAKARTA)
    assert period.until == datetime(2025, 12, 7, tzinfo=JAKARTA)
    assert period.since.astimezone(UTC) == datetime(2025, 12, 5, 17, tzinfo=UTC)


def test_week_starts_on_monday_and_month_is_calendar() -> None:
    business = BusinessClock("Asia/Jakarta")
    week = business.week(date(2025, 12, 6))  # a Saturday
    assert (week.start, week.end) == (date(2025, 12, 1), date(2025, 12, 7))
    assert len(week.days) == 7
    february = business.month(date(2024, 2, 10))
    assert (february.start, february.end) == (date(2024, 2, 1), date(2024, 2, 29))
    december = business.month(date(2025, 12, 31))
    assert december.until == datetime(2026, 1, 1, tzinfo=JAKARTA)


def test_frozen_clock_restores_and_ticking_clock_moves() -> None:
    moment = datetime(2025, 12, 6, 19, 5, tzinfo=JAKARTA)
    with clock.frozen(moment):
        assert clock.now() == moment
    assert clock.now() != moment
    clock.set_now(moment, ticking=True)
    assert timedelta(0) <= clock.now() - moment < timedelta(seconds=5)


def test_naive_moment_is_read_in_the_business_zone() -> None:
    business = BusinessClock("Asia/Jakarta")
    business.set_now(datetime(2025, 12, 6, 23, 59))
    assert business.now().utcoffset() == timedelta(hours=7)


def test_reversed_period_is_refused() -> None:
    with pytest.raises(ValueError):
        BusinessClock().period(date(2025, 12, 7), date(2025, 12, 6))


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                    timezones=st.just(UTC)))
def test_every_instant_falls_in_exactly_its_business_day(moment: datetime) -> None:
    business = BusinessClock("Asia/Jakarta")
    day = business.business_date(moment)
    period = business.day(day)
    assert period.since <= moment < period.until
    assert not business.day(day + timedelta(days=1)).since <= moment
