"""How far an import of a file got (`import_runs`), so that it can be resumed.

Each batch of rows moves its run on in the batch's own transaction: after a crash the rows
written and the counts recorded are the same rows. Importing the same file again (same
SHA-256) continues an unfinished run after its last committed batch, and its summary counts
every row of the file exactly once. One process at a time imports a given file: a session
advisory lock, released when the importer ends or its connection dies.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.import_plans import ImportSummary, RejectedRow
from storage.import_rows import ImportFileError
from storage.sql import execute, fetch_one, fetch_value, write_returning


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class ImportRun:
    id: int
    rows_done: int
    summary: ImportSummary = field(default_factory=ImportSummary)

    @property
    def rejected_lines(self) -> frozenset[int]:
        return frozenset(rejected.line for rejected in self.summary.rejected)

    async def advance(self, session: AsyncSession, rows: int, batch: ImportSummary) -> None:
        """Record a batch in its own transaction (`session`): `rows` rows more are done."""
        await execute(
            session, "UPDATE import_runs SET rows_done = rows_done + :rows, "
            "created = created + :created, updated = updated + :updated, "
            "unchanged = unchanged + :unchanged, "
            "rejected = rejected || CAST(:rejected AS jsonb) WHERE id = :id",
            rows=rows, created=batch.created, updated=batch.updated, unchanged=batch.unchanged,
            id=self.id,
            rejected=json.dumps([[r.line, r.row_id, r.reason] for r in batch.rejected]))
        self.rows_done += rows
        self.summary.add(batch)


@asynccontextmanager
async def import_run(engine: AsyncEngine, kind: str, path: Path,
                     rows_total: int) -> AsyncIterator[ImportRun]:
    """The unfinished run of this file, or a new one; marked finished when the block ends
    without an error."""
    digest = file_digest(path)
    async with engine.connect() as guard:
        key = f"import:{kind}:{digest}"
        locked = await fetch_value(guard, "SELECT pg_try_advisory_lock(hashtext(:key))", key=key)
        await guard.commit()
        if not locked:
            raise ImportFileError(f"File {path.name} sedang diimpor oleh proses lain. "
                                  "Tunggu sampai selesai, lalu ulangi bila perlu.")
        try:
            run = await _resume_or_start(engine, kind, digest, rows_total)
            yield run
            await execute(engine, "UPDATE import_runs SET finished_at = now() WHERE id = :id",
                          id=run.id)
        finally:
            await fetch_value(guard, "SELECT pg_advisory_unlock(hashtext(:key))", key=key)
            await guard.commit()


async def _resume_or_start(engine: AsyncEngine, kind: str, digest: str,
                           rows_total: int) -> ImportRun:
    async with engine.begin() as connection:
        found = await fetch_one(
            connection, "SELECT id, rows_done, created, updated, unchanged, rejected "
            "FROM import_runs WHERE kind = :kind AND file_sha256 = :digest "
            "AND finished_at IS NULL ORDER BY id DESC LIMIT 1", kind=kind, digest=digest)
        if found is None:
            [started] = await write_returning(
                connection, "INSERT INTO import_runs (kind, file_sha256, rows_total) "
                "VALUES (:kind, :digest, :total) RETURNING id",
                kind=kind, digest=digest, total=rows_total)
            return ImportRun(int(started["id"]), 0)
    rejected = [RejectedRow(line, row_id, reason) for line, row_id, reason in found["rejected"]]
    return ImportRun(found["id"], found["rows_done"], ImportSummary(
        found["created"], found["updated"], found["unchanged"],
        sorted(rejected, key=lambda r: r.line), resumed_rows=found["rows_done"]))
