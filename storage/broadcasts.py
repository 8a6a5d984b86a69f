"""Task broadcasts: today's posts of a client and whether they changed since the last one.

The last broadcast post set is stored per client and business date, so a restart never
re-sends and never forgets (the reference kept it in process memory).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.clock import Period
from storage.attendance import ClientInfo, client_info
from storage.sql import execute, fetch_all, fetch_one


@dataclass(frozen=True)
class TaskPost:
    platform: str
    external_id: str
    uploaded_at: datetime
    engagers: int
    is_new: bool


@dataclass(frozen=True)
class TaskBroadcast:
    client: ClientInfo
    day: date
    instagram: list[TaskPost]
    tiktok: list[TaskPost]
    post_set_hash: str
    changed: bool

    @property
    def has_posts(self) -> bool:
        return bool(self.instagram or self.tiktok)


def post_set_hash(instagram: list[str], tiktok: list[str]) -> str:
    payload = "ig:" + ",".join(sorted(instagram)) + "|tt:" + ",".join(sorted(tiktok))
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


async def task_broadcast(engine: AsyncEngine, client_id: str, today: Period) -> TaskBroadcast:
    """Today's posts with their engager counts, marked new against the last broadcast."""
    async with engine.connect() as connection:
        client = await client_info(connection, client_id)
        previous = await fetch_one(
            connection, "SELECT post_set_hash, instagram_posts, tiktok_posts FROM "
            "broadcast_states WHERE client_id = :client_id AND date_key = :day",
            client_id=client.client_id, day=today.start)
        rows = await fetch_all(
            connection, "SELECT p.platform, p.external_id, p.uploaded_at, "
            "(SELECT count(*) FROM engagements e WHERE e.post_id = p.id) AS engagers "
            "FROM posts p WHERE p.client_id = :client_id AND p.uploaded_at >= :since "
            "AND p.uploaded_at < :until ORDER BY p.uploaded_at, p.external_id",
            client_id=client.client_id, since=today.since, until=today.until)
    seen = (set(previous["instagram_posts"]) | set(previous["tiktok_posts"])
            if previous else set())
    posts = [TaskPost(**row, is_new=row["external_id"] not in seen) for row in rows]
    instagram = [post for post in posts if post.platform == "instagram"]
    tiktok = [post for post in posts if post.platform == "tiktok"]
    digest = post_set_hash([p.external_id for p in instagram], [p.external_id for p in tiktok])
    changed = digest != (previous["post_set_hash"] if previous else post_set_hash([], []))
    return TaskBroadcast(client, today.start, instagram, tiktok, digest, changed)


async def remember_broadcast(engine: AsyncEngine, broadcast: TaskBroadcast) -> None:
    import json

    await execute(
        engine, "INSERT INTO broadcast_states (client_id, date_key, post_set_hash, "
        "instagram_posts, tiktok_posts) VALUES (:client_id, :day, :hash, CAST(:ig AS jsonb), "
        "CAST(:tt AS jsonb)) ON CONFLICT (client_id, date_key) DO UPDATE SET "
        "post_set_hash = EXCLUDED.post_set_hash, instagram_posts = EXCLUDED.instagram_posts,"
        " tiktok_posts = EXCLUDED.tiktok_posts, sent_at = now()",
        client_id=broadcast.client.client_id, day=broadcast.day, hash=broadcast.post_set_hash,
        ig=json.dumps([p.external_id for p in broadcast.instagram]),
        tt=json.dumps([p.external_id for p in broadcast.tiktok]))
