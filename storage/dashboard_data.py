"""What the dashboard API reads besides attendance: a client's profile, counts for the
stats card, stored post lists and the personnel directory of a client's population.

Populations are those of spec/attendance.md (`personnel_stats.population_kind`): a
directorate's active members, or an ORG satker's own active personnel. No text is
formatted here; the web layer shapes the JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.clock import Period
from storage.attendance import POPULATION_FILTERS, ClientInfo, PopulationKind, client_info
from storage.models import ClientType, Platform
from storage.ordering import person_key
from storage.personnel_stats import population_kind
from storage.sql import fetch_all, fetch_one, fetch_value


@dataclass(frozen=True)
class ClientProfile:
    client_id: str
    name: str
    type: str
    parent_id: str | None
    status: bool
    instagram: str | None
    instagram_status: bool
    tiktok: str | None
    tiktok_secuid: str | None
    tiktok_status: bool
    amplify_status: bool

    @property
    def is_directorate(self) -> bool:
        return self.type == ClientType.DIRECTORATE


_PROFILE_SQL = """
    SELECT client_id, name, type, parent_id, status, instagram, instagram_status, tiktok,
           tiktok_secuid, tiktok_status, amplify_status
    FROM clients WHERE client_id = :client_id
"""


async def client_profile(engine: AsyncEngine, client_id: str) -> ClientProfile | None:
    row = await fetch_one(engine, _PROFILE_SQL, client_id=client_id)
    return ClientProfile(**row) if row is not None else None


async def first_directorate(engine: AsyncEngine, client_ids: Sequence[str]) -> str | None:
    """The first of `client_ids` (in the given order) that is a directorate."""
    if not client_ids:
        return None
    rows = await fetch_all(
        engine, "SELECT client_id FROM clients WHERE client_id = ANY(:ids) AND type = :type",
        ids=list(client_ids), type=ClientType.DIRECTORATE.value)
    directorates = {row["client_id"] for row in rows}
    return next((client_id for client_id in client_ids if client_id in directorates), None)


async def population_client(engine: AsyncEngine, client_id: str) -> ClientInfo:
    """The client with its type (raises storage.attendance.UnknownClient)."""
    async with engine.connect() as connection:
        return await client_info(connection, client_id)


# --- the stats card -------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientStats:
    client_id: str
    clients: int  # clients the caller may see
    users: int  # active personnel of the client's population
    instagram_posts: int
    tiktok_posts: int


async def client_stats(engine: AsyncEngine, client: ClientInfo, period: Period,
                       visible: frozenset[str] | None) -> ClientStats:
    """Counts for one client and period; `visible` None means every client (admin)."""
    population = POPULATION_FILTERS[population_kind(client)]
    params: dict[str, Any] = {"client_id": client.client_id, "since": period.since,
                              "until": period.until}
    async with engine.connect() as connection:
        users = await fetch_value(
            connection, f"SELECT count(*) FROM personnel p WHERE p.status AND {population}",
            **params)
        rows = await fetch_all(
            connection, "SELECT platform, count(*) AS posts FROM posts "
            "WHERE client_id = :client_id AND uploaded_at >= :since AND uploaded_at < :until "
            "GROUP BY platform", **params)
        posts = {row["platform"]: row["posts"] for row in rows}
        if visible is None:
            clients = await fetch_value(connection, "SELECT count(*) FROM clients")
        else:
            clients = len(visible)
    return ClientStats(client.client_id, int(clients or 0), int(users or 0),
                       int(posts.get(Platform.INSTAGRAM.value, 0)),
                       int(posts.get(Platform.TIKTOK.value, 0)))


# --- stored posts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardPost:
    """A stored post as the dashboard shows it (the ingest refreshes posts through the smaller
    `storage.ingestion.StoredPost`)."""

    id: int
    platform: str
    external_id: str
    client_id: str
    uploaded_at: datetime
    caption: str | None
    thumbnail_url: str | None
    image_url: str | None
    video_url: str | None
    images: list[str] | None
    is_video: bool
    is_carousel: bool
    like_count: int | None
    comment_count: int | None
    engagers: int  # usernames seen liking (IG) or commenting (TikTok)


_POSTS_SQL = """
    SELECT p.id, p.platform, p.external_id, p.client_id, p.uploaded_at, p.caption,
           p.thumbnail_url, p.image_url, p.video_url, p.images, p.is_video, p.is_carousel,
           p.like_count, p.comment_count,
           (SELECT count(*) FROM engagements e WHERE e.post_id = p.id) AS engagers
    FROM posts p
    WHERE p.client_id = :client_id AND p.platform = :platform
      AND p.uploaded_at >= :since AND p.uploaded_at < :until
    ORDER BY p.uploaded_at DESC, p.external_id
    LIMIT :limit
"""


async def stored_posts(engine: AsyncEngine, client_id: str, platform: Platform,
                       period: Period, limit: int) -> list[DashboardPost]:
    """The client's posts on `platform` uploaded in `period`, newest first, at most `limit`."""
    rows = await fetch_all(engine, _POSTS_SQL, client_id=client_id, platform=platform.value,
                           since=period.since, until=period.until, limit=limit)
    return [DashboardPost(**row) for row in rows]


# --- the personnel directory ----------------------------------------------------------------


@dataclass(frozen=True)
class PersonRecord:
    user_id: str
    name: str
    rank: str | None
    satfung: str | None
    jabatan: str | None
    desa: str | None
    client_id: str
    client_name: str
    whatsapp: str | None
    email: str | None
    instagram: str | None
    tiktok: str | None
    status: bool
    exception: bool
    wa_notification_opt_in: bool
    directorates: tuple[str, ...]  # directorates the person is a member of


_PERSON_COLUMNS = """
    SELECT p.user_id, p.name, p.rank, p.satfung, p.jabatan, p.desa, p.client_id,
           c.name AS client_name, p.whatsapp, p.email, p.instagram, p.tiktok, p.status,
           p.exception, p.wa_notification_opt_in,
           ARRAY(SELECT m.directorate_id FROM directorate_memberships m
                 WHERE m.user_id = p.user_id ORDER BY m.directorate_id) AS directorates
    FROM personnel p JOIN clients c ON c.client_id = p.client_id
"""


def _records(rows: Iterable[Any]) -> list[PersonRecord]:
    people = [PersonRecord(**{**row, "directorates": tuple(row["directorates"])})
              for row in rows]
    return sorted(people, key=lambda p: (*person_key(p.rank, p.name), p.user_id))


async def population_people(engine: AsyncEngine, client: ClientInfo) -> list[PersonRecord]:
    """The active personnel of the client's population, in the one list order."""
    kind: PopulationKind = population_kind(client)
    sql = f"{_PERSON_COLUMNS} WHERE p.status AND {POPULATION_FILTERS[kind]}"
    return _records(await fetch_all(engine, sql, client_id=client.client_id))


async def person_record(engine: AsyncEngine, user_id: str) -> PersonRecord | None:
    found = _records(await fetch_all(engine, f"{_PERSON_COLUMNS} WHERE p.user_id = :user_id",
                                     user_id=user_id))
    return found[0] if found else None


async def instagram_handles(engine: AsyncEngine, user_ids: Iterable[str]) -> dict[str, str | None]:
    """user_id -> Instagram username, for people a recap lists without one."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = await fetch_all(engine, "SELECT user_id, instagram FROM personnel "
                           "WHERE user_id = ANY(:ids)", ids=ids)
    return {row["user_id"]: row["instagram"] for row in rows}
