"""The "semua" (all time) period of a report: every post of the client, as one `Period`.

It runs from the business date of the client's first post to today (or to that first date if
it lies ahead), so it covers all posts the reports of that client count (a directorate's
reports count the directorate's own posts). Without posts it is today alone.
"""

from __future__ import annotations

from datetime import date

from cicero.clock import Period, clock
from storage.sql import Database, fetch_value

_FIRST_POST_SQL = "SELECT min(uploaded_at) FROM posts WHERE client_id = :client_id"


async def all_time_period(db: Database, client_id: str, today: date | None = None) -> Period:
    today = today or clock.today()
    first = await fetch_value(db, _FIRST_POST_SQL, client_id=client_id.upper())
    start = clock.business_date(first) if first is not None else today
    return clock.period(start, max(start, today))
