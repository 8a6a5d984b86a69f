"""Writing fetched posts and engagement: the fetch rules of ingestion, in SQL.

- Posts are upserted by (platform, external id); a post owned by another client is never
  taken over (the reference flipped ownership to whoever fetched last).
- Today's stored posts that vanished from a successful fetch of that client are removed,
  but only when the fetch returned at least one of today's posts: an empty answer is
  treated as an outage, not as "everything was deleted".
- Engagement rows are only ever added or touched (`last_seen_at`), never deleted, so a
  partial fetch cannot lose data. Exception users are never written here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.clock import Period
from storage.models import ClientType, Platform
from storage.sql import execute, fetch_all, fetch_one, fetch_value, write_returning


@dataclass(frozen=True)
class FetchedPost:
    platform: str
    external_id: str
    uploaded_at: datetime
    caption: str | None = None
    thumbnail_url: str | None = None
    image_url: str | None = None
    video_url: str | None = None
    images: list[str] | None = None
    is_video: bool = False
    is_carousel: bool = False
    like_count: int | None = None
    comment_count: int | None = None


@dataclass
class PostSync:
    new: list[str] = field(default_factory=list)
    updated: int = 0
    removed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)  # owned by another client: left alone


@dataclass(frozen=True)
class FetchTarget:
    client_id: str
    name: str
    type: str
    account: str
    secuid: str | None = None


@dataclass(frozen=True)
class StoredPost:
    id: int
    external_id: str
    uploaded_at: datetime
    like_count: int = 0  # as the last fetch of the post said


_UPSERT_POST = """
    INSERT INTO posts (platform, external_id, client_id, uploaded_at, caption, thumbnail_url,
                       image_url, video_url, images, is_video, is_carousel, like_count,
                       comment_count)
    VALUES (:platform, :external_id, :client_id, :uploaded_at, :caption, :thumbnail_url,
            :image_url, :video_url, CAST(:images AS jsonb), :is_video, :is_carousel,
            :like_count, :comment_count)
    ON CONFLICT (platform, external_id) DO UPDATE SET
        caption = EXCLUDED.caption, thumbnail_url = EXCLUDED.thumbnail_url,
        image_url = EXCLUDED.image_url, video_url = EXCLUDED.video_url,
        images = EXCLUDED.images, is_video = EXCLUDED.is_video,
        is_carousel = EXCLUDED.is_carousel, like_count = EXCLUDED.like_count,
        comment_count = EXCLUDED.comment_count, uploaded_at = EXCLUDED.uploaded_at,
        updated_at = now()
    WHERE posts.client_id = EXCLUDED.client_id
    RETURNING (xmax = 0) AS inserted
"""


def _post_row(post: FetchedPost, client_id: str, platform: str) -> dict[str, object]:
    return {**post.__dict__, "platform": platform, "client_id": client_id,
            "images": json.dumps(post.images) if post.images is not None else None}


async def sync_today_posts(engine: AsyncEngine, client_id: str, platform: Platform | str,
                           fetched: list[FetchedPost], today: Period) -> PostSync:
    """Upsert the client's posts of `today` and remove the ones that vanished, in one
    transaction. Posts outside `today` are ignored (the caller may pass the raw feed)."""
    platform = Platform(platform)
    todays = [post for post in fetched if today.since <= post.uploaded_at < today.until]
    result = PostSync()
    async with engine.begin() as connection:
        for post in todays:
            rows = await write_returning(connection, _UPSERT_POST,
                                         **_post_row(post, client_id, platform.value))
            if not rows:
                result.foreign.append(post.external_id)
            elif rows[0]["inserted"]:
                result.new.append(post.external_id)
            else:
                result.updated += 1
        if todays:
            removed = await write_returning(
                connection, "DELETE FROM posts WHERE client_id = :client_id "
                "AND platform = :platform AND uploaded_at >= :since AND uploaded_at < :until "
                "AND NOT (external_id = ANY(:kept)) RETURNING external_id",
                client_id=client_id, platform=platform.value, since=today.since,
                until=today.until, kept=[post.external_id for post in todays])
            result.removed = [row["external_id"] for row in removed]
    return result


async def save_post(engine: AsyncEngine, client_id: str, post: FetchedPost) -> int | None:
    """Upsert one post of `client_id` whatever its date (a manual fetch of one video); its
    id, or None when the post belongs to another client (left alone)."""
    async with engine.begin() as connection:
        if not await write_returning(connection, _UPSERT_POST,
                                     **_post_row(post, client_id, post.platform)):
            return None
        return int(await fetch_value(
            connection, "SELECT id FROM posts WHERE platform = :platform "
            "AND external_id = :external_id", platform=post.platform,
            external_id=post.external_id))


async def stored_posts(engine: AsyncEngine, client_id: str, platform: Platform | str,
                       period: Period) -> list[StoredPost]:
    rows = await fetch_all(
        engine, "SELECT id, external_id, uploaded_at, coalesce(like_count, 0) AS like_count "
        "FROM posts WHERE client_id = :client_id "
        "AND platform = :platform AND uploaded_at >= :since AND uploaded_at < :until "
        "ORDER BY uploaded_at, external_id", client_id=client_id,
        platform=Platform(platform).value, since=period.since, until=period.until)
    return [StoredPost(**row) for row in rows]


async def stored_post(engine: AsyncEngine, post_id: int) -> tuple[Platform, StoredPost] | None:
    """A stored post by id, with its platform (None when it is gone)."""
    row = await fetch_one(
        engine, "SELECT id, external_id, uploaded_at, platform, "
        "coalesce(like_count, 0) AS like_count FROM posts WHERE id = :id", id=post_id)
    if row is None:
        return None
    return Platform(row["platform"]), StoredPost(row["id"], row["external_id"],
                                                 row["uploaded_at"], row["like_count"])


async def record_engagement(engine: AsyncEngine, post_id: int, kind: str,
                            usernames: Iterable[str]) -> int:
    """Add or touch one row per username; returns how many rows are new."""
    names = sorted({name for name in usernames if name})
    if not names:
        return 0
    rows = await write_returning(
        engine, "INSERT INTO engagements (post_id, kind, username) "
        "SELECT :post_id, :kind, unnest(CAST(:names AS text[])) "
        "ON CONFLICT (post_id, kind, username) DO UPDATE SET last_seen_at = now() "
        "RETURNING (xmax = 0) AS inserted", post_id=post_id, kind=kind, names=names)
    return sum(1 for row in rows if row["inserted"])


async def fetch_targets(engine: AsyncEngine, platform: Platform | str, *,
                        client_id: str | None = None,
                        directorates_only: bool = False) -> list[FetchTarget]:
    """Active clients with an account on `platform` whose tracking is on."""
    platform = Platform(platform)
    account, enabled = (("instagram", "instagram_status") if platform == Platform.INSTAGRAM
                        else ("tiktok", "tiktok_status"))
    conditions = [f"status AND {enabled} AND {account} IS NOT NULL AND {account} <> ''"]
    params: dict[str, Any] = {}
    if client_id:
        conditions.append("client_id = :client_id")
        params["client_id"] = client_id.upper()
    if directorates_only:
        conditions.append("type = :directorate")
        params["directorate"] = ClientType.DIRECTORATE.value
    rows = await fetch_all(
        engine, f"SELECT client_id, name, type, {account} AS account, tiktok_secuid FROM clients "
        f"WHERE {' AND '.join(conditions)} ORDER BY client_id", **params)
    return [FetchTarget(row["client_id"], row["name"], row["type"], row["account"],
                        row["tiktok_secuid"] if platform == Platform.TIKTOK else None)
            for row in rows]


async def save_secuid(engine: AsyncEngine, client_id: str, secuid: str) -> None:
    await execute(engine, "UPDATE clients SET tiktok_secuid = :secuid "
                  "WHERE client_id = :client_id", secuid=secuid, client_id=client_id)
