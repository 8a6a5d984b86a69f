"""One post managed by an admin: removed with its engagement and link reports, only when it
belongs to the client the admin is working on (reference §4.2 2.2.5, S22)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import Platform
from storage.sql import execute, fetch_one

_FIND_SQL = """
    SELECT p.id, p.client_id,
           (SELECT count(*) FROM engagements e WHERE e.post_id = p.id) AS engagements,
           (SELECT count(*) FROM link_reports r WHERE r.post_id = p.id) AS link_reports
    FROM posts p WHERE p.platform = :platform AND p.external_id = :external_id
    FOR UPDATE OF p
"""


class RemoveOutcome(StrEnum):
    REMOVED = "removed"
    NOT_FOUND = "not_found"
    OTHER_CLIENT = "other_client"


@dataclass(frozen=True)
class Removal:
    outcome: RemoveOutcome
    owner: str | None = None  # the client the post belongs to
    engagements: int = 0
    link_reports: int = 0


async def post_owner(engine: AsyncEngine, platform: Platform, external_id: str) -> str | None:
    row = await fetch_one(engine, "SELECT client_id FROM posts WHERE platform = :platform "
                                  "AND external_id = :external_id",
                          platform=platform.value, external_id=external_id)
    return row["client_id"] if row else None


async def remove_post(engine: AsyncEngine, platform: Platform, external_id: str,
                      client_id: str) -> Removal:
    """Delete the post (its engagement and link reports go with it, by foreign key) when it
    is `client_id`'s."""
    async with engine.begin() as connection:
        row = await fetch_one(connection, _FIND_SQL, platform=platform.value,
                              external_id=external_id)
        if row is None:
            return Removal(RemoveOutcome.NOT_FOUND)
        if row["client_id"] != client_id:
            return Removal(RemoveOutcome.OTHER_CLIENT, row["client_id"])
        await execute(connection, "DELETE FROM posts WHERE id = :id", id=row["id"])
    return Removal(RemoveOutcome.REMOVED, client_id, row["engagements"], row["link_reports"])
