"""The evening WhatsApp reminder to opted-in personnel (reference §6, scenario T17).

Three runs a day, 19:05, 19:45 and 20:15 business time. The stage comes from the time of
the run: before 19:45 stage 1, before 20:15 stage 2, from 20:15 stage 3 (a manual run
takes the stage of its time, so re-running a stage is harmless).

- Recipients: active, opted-in members with a WhatsApp number of every active directorate
  that has posts today (a directorate without posts today sends nothing, not even thanks);
  one message per chat and stage, the pending lists of all its directorates merged.
- Stage 1 reaches every such chat. A later stage reaches the chats that were incomplete at
  the last stage they received (a chat never reminded today counts as due, e.g. when the
  19:05 run did not happen or the posts came later).
- A complete chat (every platform done under policy `reminder`, exception users included)
  gets the short thank-you, as the reference does; it then drops out of later stages.
- Sent from the gateway session with key `reminder:{date}:{stage}:{phone}`, and the stage
  recorded in `reminder_states` only moves forward: a re-run sends nothing twice.
"""

from __future__ import annotations

from typing import Any

from bot.outbox import enqueue
from cicero.clock import clock
from cicero.sessions import SessionName
from jobs.context import JobContext
from jobs.schedule import REMINDER_TIMES
from menus.reminders import render_reminder
from storage.reminders import is_due, record_stage, reminder_candidates, reminder_stages


def stage_at(hour_minute: str) -> int:
    """The stage of a run at 'HH:MM': the last stage whose time has come, at least 1."""
    return max(1, sum(1 for start in REMINDER_TIMES if start <= hour_minute))


async def send_reminders(ctx: JobContext) -> dict[str, Any]:
    now = clock.now()
    today = clock.day()
    stage = stage_at(f"{now:%H:%M}")
    candidates = await reminder_candidates(ctx.engine, today)
    states = await reminder_stages(ctx.engine, today.start)
    due = [r for r in candidates.reminders if is_due(states.get(r.chat_id), stage)]
    sent = 0
    for reminder in due:
        ids = await enqueue(ctx.redis, SessionName.GATEWAY.value, reminder.chat_id,
                            render_reminder(reminder, now),
                            key=f"reminder:{today.start.isoformat()}:{stage}:{reminder.chat_id}")
        sent += bool(ids)
    await record_stage(ctx.engine, today.start, stage, due)
    counts: dict[str, Any] = {"stage": stage, "recipients": len(due), "sent": sent,
                              "complete": sum(1 for r in due if r.complete)}
    if candidates.invalid_numbers:
        counts["invalid_numbers"] = candidates.invalid_numbers
    return counts
