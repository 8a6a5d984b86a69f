"""The daily premium expiry (07:00 business time, job `premium-expiry`).

- People whose access ends in WARNING_DAYS days (their `premium_until` is that day) are told
  so, once per end date (key `premium-ending:{user_id}:{date}`).
- Accesses whose last day is before today end: `premium_until` is cleared (audited) and the
  requests that granted them become `expired`; the person is told (key
  `premium-ended:{user_id}:{date}`).
Access itself never outlives `premium_until` (storage/premium.py), so a day the job does not
run costs only a late message. Sent from the operator number, where premium is decided.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.outbox import enqueue
from cicero.clock import clock
from cicero.sessions import SessionName
from jobs.context import JobContext
from menus import premium as texts
from storage.identifiers import InvalidIdentifier
from storage.premium import PremiumHolder, ending_on, expire_before


async def _tell(ctx: JobContext, holder: PremiumHolder, body: str, key: str) -> bool:
    if not holder.whatsapp:
        return False
    try:
        return bool(await enqueue(ctx.redis, SessionName.OPERATOR.value, holder.whatsapp, body,
                                  key=key))
    except InvalidIdentifier:
        return False


async def expire_premium(ctx: JobContext) -> dict[str, Any]:
    today = clock.today()
    warned = 0
    for holder in await ending_on(ctx.engine, today + timedelta(days=texts.WARNING_DAYS)):
        warned += await _tell(ctx, holder, texts.ending_soon(holder),
                              f"premium-ending:{holder.user_id}:{holder.premium_until}")
    ended = await expire_before(ctx.engine, today)
    told = 0
    for holder in ended:
        told += await _tell(ctx, holder, texts.ended(holder),
                            f"premium-ended:{holder.user_id}:{holder.premium_until}")
    return {"warned": warned, "expired": len(ended), "expired_told": told}
