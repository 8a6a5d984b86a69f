"""Special tasks (tugas khusus, reference oprrequest 11): an Instagram post of any account
that a client's operator registers as an amplification task for that client.

The post is fetched from RapidAPI at most once in Cicero's life: when the same shortcode is
already stored (as another client's special task or as an official post) its stored data is
copied instead (`known_post`). Officers report it like any task (storage/link_reports.py);
its recaps are the khusus variants (storage/amplification.py, source SPECIAL).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from cicero.clock import Period
from storage.sql import Database, fetch_all, fetch_one, write_returning


@dataclass(frozen=True)
class SpecialPost:
    """What is kept of the fetched post."""

    shortcode: str
    uploaded_at: datetime
    owner_username: str | None = None
    caption: str | None = None
    thumbnail_url: str | None = None
    image_url: str | None = None
    video_url: str | None = None
    is_video: bool = False
    is_carousel: bool = False
    like_count: int | None = None
    comment_count: int | None = None


@dataclass(frozen=True)
class SpecialTask:
    id: int
    client_id: str
    post: SpecialPost
    registered_by: str
    registered_at: datetime


_POST_COLUMNS = ("shortcode", "uploaded_at", "owner_username", "caption", "thumbnail_url",
                 "image_url", "video_url", "is_video", "is_carousel", "like_count",
                 "comment_count")
_SELECT = ", ".join(_POST_COLUMNS)


def _task(row: Any) -> SpecialTask:
    post = SpecialPost(**{column: row[column] for column in _POST_COLUMNS})
    return SpecialTask(row["id"], row["client_id"], post, row["registered_by"],
                       row["registered_at"])


_KNOWN_SQL = f"""
    SELECT {_SELECT} FROM (
        SELECT {_SELECT}, updated_at, 0 AS preference FROM special_tasks
        WHERE shortcode = :shortcode
        UNION ALL
        SELECT external_id, uploaded_at, NULL, caption, thumbnail_url, image_url, video_url,
               is_video, is_carousel, like_count, comment_count, updated_at, 1
        FROM posts WHERE platform = 'instagram' AND external_id = :shortcode
    ) known ORDER BY preference, updated_at DESC LIMIT 1
"""


async def known_post(db: Database, shortcode: str) -> SpecialPost | None:
    """The post as Cicero already stores it (a special task of any client, or an official
    post), so it need not be fetched again."""
    row = await fetch_one(db, _KNOWN_SQL, shortcode=shortcode)
    return SpecialPost(**row) if row is not None else None


_OF_CLIENT_SQL = f"""
    SELECT id, client_id, registered_by, registered_at, {_SELECT} FROM special_tasks
    WHERE client_id = :client_id AND shortcode = :shortcode
"""


async def special_task_of(db: Database, client_id: str, shortcode: str) -> SpecialTask | None:
    row = await fetch_one(db, _OF_CLIENT_SQL, client_id=client_id, shortcode=shortcode)
    return _task(row) if row is not None else None


_INSERT_SQL = f"""
    INSERT INTO special_tasks (client_id, registered_by, registered_at, {_SELECT})
    VALUES (:client_id, :registered_by, :registered_at,
            {", ".join(f":{column}" for column in _POST_COLUMNS)})
    ON CONFLICT (client_id, shortcode) DO NOTHING
    RETURNING id, client_id, registered_by, registered_at, {_SELECT}
"""


async def register(db: Database, client_id: str, post: SpecialPost, registered_by: str,
                   now: datetime) -> tuple[SpecialTask, bool]:
    """Store the special task; (the task, True) when new, (the existing one, False) when the
    client had registered this post already."""
    rows = await write_returning(db, _INSERT_SQL, client_id=client_id,
                                 registered_by=registered_by, registered_at=now, **asdict(post))
    if rows:
        return _task(rows[0]), True
    existing = await special_task_of(db, client_id, post.shortcode)
    assert existing is not None
    return existing, False


_LIST_SQL = f"""
    SELECT id, client_id, registered_by, registered_at, {_SELECT} FROM special_tasks
    WHERE client_id = :client_id AND registered_at >= :since AND registered_at < :until
    ORDER BY registered_at DESC, shortcode
    LIMIT :limit
"""


async def special_tasks_of(db: Database, client_id: str, period: Period,
                           limit: int = 500) -> list[SpecialTask]:
    """The client's special tasks registered in `period`, newest first."""
    rows = await fetch_all(db, _LIST_SQL, client_id=client_id, since=period.since,
                           until=period.until, limit=limit)
    return [_task(row) for row in rows]
