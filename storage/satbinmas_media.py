"""What the official Satbinmas accounts posted, and how each day's fetch of them went.

- A fetch stores the account's posts of the day with their own counters (likes, comments,
  views), replacing the counters of posts already stored; posts of that day that vanished
  from a fetch are removed, but only when the fetch returned at least one post (an empty
  answer is treated as an outage, as in storage/ingestion.py).
- Each fetch leaves its outcome for the account and business date (`satbinmas_fetches`), so
  a recap tells an account that posted nothing (passive) from one that could not be read
  (private, gone, provider failure).
- The recap of a platform and period covers every active ORG satker: active accounts (at
  least one post, most posts first), passive ones, failed ones (no post, and the last fetch
  of the period failed) and satkers without an account on that platform.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.clock import Period
from storage.models import Platform, SatbinmasFetchOutcome
from storage.sql import execute, execute_many, fetch_all


@dataclass(frozen=True)
class FetchedOfficialPost:
    external_id: str
    posted_at: datetime
    caption: str | None = None
    is_video: bool = False
    like_count: int | None = None
    comment_count: int | None = None
    view_count: int | None = None


@dataclass(frozen=True)
class SatkerActivity:
    """One satker on one platform over a period."""

    client_id: str
    name: str
    username: str | None  # None: no account registered on this platform
    posts: int = 0
    likes: int = 0
    comments: int = 0
    views: int = 0
    last_outcome: SatbinmasFetchOutcome | None = None  # of the period's last fetch

    @property
    def failure(self) -> SatbinmasFetchOutcome | None:
        """Why the account could not be read, when it has no post to show for the period."""
        if self.username is None or self.posts or self.last_outcome in (
                None, SatbinmasFetchOutcome.OK):
            return None
        return self.last_outcome


@dataclass(frozen=True)
class SatbinmasRecap:
    platform: Platform
    period: Period
    satkers: list[SatkerActivity]

    @property
    def accounts(self) -> list[SatkerActivity]:
        return [s for s in self.satkers if s.username is not None]

    @property
    def active(self) -> list[SatkerActivity]:
        """Most posts first, then most likes, comments, then by name."""
        return sorted((s for s in self.satkers if s.posts),
                      key=lambda s: (-s.posts, -s.likes, -s.comments, s.name.upper()))

    @property
    def passive(self) -> list[SatkerActivity]:
        return [s for s in self.accounts if not s.posts and s.failure is None]

    @property
    def failed(self) -> list[SatkerActivity]:
        return [s for s in self.accounts if s.failure is not None]

    @property
    def without_account(self) -> list[SatkerActivity]:
        return [s for s in self.satkers if s.username is None]

    @property
    def posts(self) -> int:
        return sum(s.posts for s in self.satkers)

    @property
    def likes(self) -> int:
        return sum(s.likes for s in self.satkers)

    @property
    def comments(self) -> int:
        return sum(s.comments for s in self.satkers)

    @property
    def views(self) -> int:
        return sum(s.views for s in self.satkers)


@dataclass(frozen=True)
class SatkerAccounts:
    """One satker's registered usernames (None: not registered)."""

    client_id: str
    name: str
    instagram: str | None
    tiktok: str | None

    @property
    def complete(self) -> bool:
        return bool(self.instagram and self.tiktok)

    @property
    def missing(self) -> bool:
        return not (self.instagram or self.tiktok)


@dataclass(frozen=True)
class AccountCoverage:
    """Clientrequest 3.4: which satkers registered both, one or none of their accounts."""

    satkers: list[SatkerAccounts]

    @property
    def complete(self) -> list[SatkerAccounts]:
        return [s for s in self.satkers if s.complete]

    @property
    def partial(self) -> list[SatkerAccounts]:
        return [s for s in self.satkers if not s.complete and not s.missing]

    @property
    def missing(self) -> list[SatkerAccounts]:
        return [s for s in self.satkers if s.missing]


@dataclass(frozen=True)
class StoredOfficialPost:
    account_id: int
    platform: Platform
    username: str
    external_id: str
    posted_at: datetime
    caption: str | None
    is_video: bool
    like_count: int | None
    comment_count: int | None
    view_count: int | None


_UPSERT_POST = """
    INSERT INTO satbinmas_posts (account_id, external_id, posted_at, caption, is_video,
                                 like_count, comment_count, view_count, fetched_at)
    VALUES (:account_id, :external_id, :posted_at, :caption, :is_video, :like_count,
            :comment_count, :view_count, :fetched_at)
    ON CONFLICT (account_id, external_id) DO UPDATE SET
        posted_at = EXCLUDED.posted_at, caption = EXCLUDED.caption,
        is_video = EXCLUDED.is_video, like_count = EXCLUDED.like_count,
        comment_count = EXCLUDED.comment_count, view_count = EXCLUDED.view_count,
        fetched_at = EXCLUDED.fetched_at
"""
_REMOVE_VANISHED = """
    DELETE FROM satbinmas_posts
    WHERE account_id = :account_id AND posted_at >= :since AND posted_at < :until
      AND NOT (external_id = ANY(:kept))
"""
_RECORD_OUTCOME = """
    INSERT INTO satbinmas_fetches (account_id, date_key, outcome, posts, fetched_at)
    VALUES (:account_id, :day, :outcome, :posts, :fetched_at)
    ON CONFLICT (account_id, date_key) DO UPDATE SET
        outcome = EXCLUDED.outcome, posts = EXCLUDED.posts, fetched_at = EXCLUDED.fetched_at
"""
_RECAP = """
    WITH satkers AS (
        SELECT client_id, name FROM clients
        WHERE status AND type = 'org' AND (CAST(:only AS text) IS NULL OR client_id = :only)
    ), accounts AS (
        SELECT id, client_id, username FROM satbinmas_accounts WHERE platform = :platform
    ), activity AS (
        SELECT p.account_id, count(*) AS posts, coalesce(sum(p.like_count), 0) AS likes,
               coalesce(sum(p.comment_count), 0) AS comments,
               coalesce(sum(p.view_count), 0) AS views
        FROM satbinmas_posts p JOIN accounts a ON a.id = p.account_id
        WHERE p.posted_at >= :since AND p.posted_at < :until
        GROUP BY p.account_id
    ), last_fetch AS (
        SELECT DISTINCT ON (f.account_id) f.account_id, f.outcome
        FROM satbinmas_fetches f JOIN accounts a ON a.id = f.account_id
        WHERE f.date_key BETWEEN :start AND :end
        ORDER BY f.account_id, f.date_key DESC
    )
    SELECT s.client_id, s.name, a.username, coalesce(v.posts, 0) AS posts,
           coalesce(v.likes, 0) AS likes, coalesce(v.comments, 0) AS comments,
           coalesce(v.views, 0) AS views, l.outcome AS last_outcome
    FROM satkers s
    LEFT JOIN accounts a ON a.client_id = s.client_id
    LEFT JOIN activity v ON v.account_id = a.id
    LEFT JOIN last_fetch l ON l.account_id = a.id
    ORDER BY s.name, s.client_id
"""
_COVERAGE = """
    SELECT c.client_id, c.name,
           max(a.username) FILTER (WHERE a.platform = 'instagram') AS instagram,
           max(a.username) FILTER (WHERE a.platform = 'tiktok') AS tiktok
    FROM clients c LEFT JOIN satbinmas_accounts a USING (client_id)
    WHERE c.status AND c.type = 'org'
    GROUP BY c.client_id, c.name
    ORDER BY c.name, c.client_id
"""
_CLIENT_POSTS = """
    SELECT p.account_id, a.platform, a.username, p.external_id, p.posted_at, p.caption,
           p.is_video, p.like_count, p.comment_count, p.view_count
    FROM satbinmas_posts p JOIN satbinmas_accounts a ON a.id = p.account_id
    WHERE a.client_id = :client_id AND p.posted_at >= :since AND p.posted_at < :until
    ORDER BY p.posted_at DESC, p.external_id
"""


async def record_fetch(engine: AsyncEngine, account_id: int, day: Period,
                       outcome: SatbinmasFetchOutcome,
                       posts: Sequence[FetchedOfficialPost] = (), *,
                       fetched_at: datetime) -> None:
    """Store one account's fetch of business day `day`: its posts of that day (when it
    succeeded) and the outcome, in one transaction."""
    todays = [post for post in posts if day.since <= post.posted_at < day.until]
    async with engine.begin() as connection:
        await execute_many(connection, _UPSERT_POST, [
            {"account_id": account_id, "external_id": post.external_id,
             "posted_at": post.posted_at, "caption": post.caption, "is_video": post.is_video,
             "like_count": post.like_count, "comment_count": post.comment_count,
             "view_count": post.view_count, "fetched_at": fetched_at} for post in todays])
        if todays:
            await execute(connection, _REMOVE_VANISHED, account_id=account_id, since=day.since,
                          until=day.until, kept=[post.external_id for post in todays])
        await execute(connection, _RECORD_OUTCOME, account_id=account_id, day=day.start,
                      outcome=outcome.value, posts=len(todays), fetched_at=fetched_at)


async def satbinmas_recap(engine: AsyncEngine, platform: Platform, period: Period,
                          only: str | None = None) -> SatbinmasRecap:
    """Every active ORG satker on `platform` over `period` (only satker `only` when given)."""
    rows = await fetch_all(engine, _RECAP, platform=platform.value, since=period.since,
                           until=period.until, start=period.start, end=period.end, only=only)
    satkers = [SatkerActivity(
        row["client_id"], row["name"], row["username"], int(row["posts"]), int(row["likes"]),
        int(row["comments"]), int(row["views"]),
        SatbinmasFetchOutcome(row["last_outcome"]) if row["last_outcome"] else None)
        for row in rows]
    return SatbinmasRecap(platform, period, satkers)


async def account_coverage(engine: AsyncEngine) -> AccountCoverage:
    rows = await fetch_all(engine, _COVERAGE)
    return AccountCoverage([SatkerAccounts(**row) for row in rows])


async def client_posts(engine: AsyncEngine, client_id: str,
                       period: Period) -> list[StoredOfficialPost]:
    """The posts of the satker's official accounts in the period, newest first."""
    rows = await fetch_all(engine, _CLIENT_POSTS, client_id=client_id, since=period.since,
                           until=period.until)
    return [StoredOfficialPost(**{**row, "platform": Platform(row["platform"])}) for row in rows]
