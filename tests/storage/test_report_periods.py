"""The all-time ("semua") period: from the business date of the client's first post."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import text

from cicero.clock import clock
from storage.report_periods import all_time_period
from tests.factories import insert_client

TODAY = date(2025, 12, 6)


async def _post(engine, client_id: str, external_id: str, uploaded_at: datetime) -> None:
    async with engine.begin() as connection:
        await connection.execute(text(
            "INSERT INTO posts (platform, external_id, client_id, uploaded_at) "
            "VALUES ('instagram', :e, :c, :at)"), {"e": external_id, "c": client_id,
                                                   "at": uploaded_at})


async def test_all_time_starts_on_the_business_date_of_the_first_post(engine) -> None:
    await insert_client(engine, "DIT_X", type_="directorate")
    await insert_client(engine, "OTHER", "O")
    assert await all_time_period(engine, "dit_x", TODAY) == clock.day(TODAY)
    # 17:30 UTC on 30 November is 00:30 on 1 December in Jakarta.
    await _post(engine, "DIT_X", "first", datetime(2025, 11, 30, 17, 30, tzinfo=UTC))
    await _post(engine, "DIT_X", "later", datetime(2025, 12, 5, 3, 0, tzinfo=UTC))
    await _post(engine, "OTHER", "older", datetime(2025, 10, 1, 3, 0, tzinfo=UTC))
    period = await all_time_period(engine, "DIT_X", TODAY)
    assert (period.start, period.end) == (date(2025, 12, 1), TODAY)
    assert period.since == datetime(2025, 11, 30, 17, 0, tzinfo=UTC)
    assert period == clock.period(date(2025, 12, 1), TODAY)
