"""Job `deliver_report`: make a report a console asked for and send it to that chat.

Texts go as messages, workbooks and text files as documents, charts as images, all through
the outbox under the request's key (`key#1`, `key#2`, …), so a job run twice sends once. A
report that cannot be made (an unknown client, a directorate report for a satker) is
answered with the reason instead of silence.
"""

from __future__ import annotations

from typing import Any

import structlog

from bot.outbox import enqueue
from cicero.clock import clock
from cicero.messages import Document
from conversations.console.reports import Delivery, ReportUnavailable, produce_apart

log = structlog.get_logger(__name__)


async def deliver_report(ctx: dict[str, Any], delivery: dict[str, Any], session: str, to: str,
                         key: str) -> dict[str, Any]:
    job = ctx["cicero"]
    request = Delivery.from_json(delivery)
    try:
        produced = await produce_apart(job.engine, request, clock.now())
    except ReportUnavailable as exc:
        await enqueue(job.redis, session, to, f"⚠️ {exc}", key=f"{key}:unavailable")
        return {"sent": 0, "reason": str(exc)}
    parts = 0
    for text in produced.messages:
        parts += 1
        await enqueue(job.redis, session, to, text, key=f"{key}:{parts}")
    for file in produced.files:
        parts += 1
        await enqueue(job.redis, session, to, "", key=f"{key}:{parts}",
                      document=Document(file.filename, file.content, file.mimetype))
    log.info("report_delivered", report=request.report, client=request.client_id,
             output=request.output.value, parts=parts)
    return {"sent": parts}
