"""Job `import_personnel_for_chat`: a personnel file an admin attached in the client console,
imported with the same importer and summary as `cicero import personnel`, the summary sent
back to that chat."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from bot.outbox import enqueue
from jobs.context import JobContext
from menus.import_summary import import_failed, import_summary
from storage.importing import ImportFileError, import_personnel

SUFFIXES = (".csv", ".xlsx", ".xlsm")


async def import_personnel_for_chat(ctx: JobContext, filename: str, content: bytes,
                                    session: str, to: str, key: str) -> dict[str, Any]:
    suffix = Path(filename).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="cicero-import-") as folder:
        path = Path(folder) / f"personil{suffix if suffix in SUFFIXES else '.bin'}"
        path.write_bytes(content)
        try:
            summary = await import_personnel(ctx.engine, path)
        except ImportFileError as exc:
            await enqueue(ctx.redis, session, to, import_failed(filename, str(exc)),
                          key=f"{key}:failed")
            return {"status": "rejected", "reason": str(exc)}
    for index, text in enumerate(import_summary(filename, summary)):
        await enqueue(ctx.redis, session, to, text, key=f"{key}:{index}")
    return {"created": summary.created, "updated": summary.updated,
            "unchanged": summary.unchanged, "rejected": len(summary.rejected)}
