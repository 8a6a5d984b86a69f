"""Ingestion: fetch posts, likes and comments from RapidAPI and store them by the fetch rules.

Every API call of a run is started as soon as it can be (clients, and the engagement of
their posts, run concurrently); the RapidAPI clients bound the real concurrency and rate.
A client whose post list cannot be fetched is left untouched and named in the report; a
post whose likes or comments fail is counted and the rest go on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.clock import Period
from jobs.rapidapi import InstagramApi, RapidApiError, TikTokApi
from storage.ingestion import (
    FetchedPost,
    FetchTarget,
    StoredPost,
    fetch_targets,
    record_engagement,
    save_secuid,
    stored_posts,
    sync_today_posts,
)
from storage.models import EngagementKind, Platform

log = structlog.get_logger(__name__)
Progress = Callable[[str, str], None]  # (event, detail): "client", "post"


@dataclass
class ClientFetch:
    client_id: str
    platform: str
    posts_new: int = 0
    posts_updated: int = 0
    posts_removed: int = 0
    posts_foreign: int = 0
    posts_refreshed: int = 0
    engagement_added: int = 0
    engagement_failed: int = 0
    engagement_partial: int = 0
    failure: str | None = None
    new_posts: list[str] = field(default_factory=list)


@dataclass
class FetchReport:
    clients: list[ClientFetch]
    calls: int = 0
    retries: int = 0
    failed_calls: int = 0

    @property
    def failures(self) -> list[ClientFetch]:
        return [client for client in self.clients if client.failure]

    def totals(self) -> dict[str, int]:
        keys = ("posts_new", "posts_updated", "posts_removed", "engagement_added",
                "engagement_failed")
        totals = {key: sum(getattr(client, key) for client in self.clients) for key in keys}
        totals.update(clients=len({c.client_id for c in self.clients}),
                      failed_clients=len(self.failures), api_calls=self.calls,
                      retries=self.retries)
        return totals


def _instagram_post(post) -> FetchedPost:
    return FetchedPost(Platform.INSTAGRAM.value, post.shortcode, post.taken_at, post.caption,
                       post.thumbnail_url, post.image_url, post.video_url, post.images or None,
                       post.is_video, post.is_carousel, post.like_count, post.comment_count)


def tiktok_post(video) -> FetchedPost:
    return FetchedPost(Platform.TIKTOK.value, video.video_id, video.create_time, video.caption,
                       video.cover_url, None, None, None, True, False, video.like_count,
                       video.comment_count)


class Ingestion:
    def __init__(self, engine: AsyncEngine, instagram: InstagramApi | None,
                 tiktok: TikTokApi | None, *, likes_max_pages: int = 20,
                 progress: Progress | None = None) -> None:
        self.engine = engine
        self.instagram = instagram
        self.tiktok = tiktok
        self.likes_max_pages = likes_max_pages
        self.progress = progress or (lambda event, detail: None)

    async def targets(self, platforms: list[Platform], *, client_id: str | None = None,
                      directorates_only: bool = False) -> list[tuple[FetchTarget, Platform]]:
        found = []
        for platform in platforms:
            for target in await fetch_targets(self.engine, platform, client_id=client_id,
                                              directorates_only=directorates_only):
                found.append((target, platform))
        return found

    async def run(self, targets: list[tuple[FetchTarget, Platform]], today: Period, *,
                  posts: bool = True) -> FetchReport:
        before = self._stats()
        results = await asyncio.gather(*(self.fetch_client(target, platform, today, posts=posts)
                                         for target, platform in targets))
        after = self._stats()
        return FetchReport(list(results), *(a - b for a, b in zip(after, before, strict=True)))

    def _stats(self) -> tuple[int, int, int]:
        clients = [api.client for api in (self.instagram, self.tiktok) if api is not None]
        return (sum(c.stats.calls for c in clients), sum(c.stats.retries for c in clients),
                sum(c.stats.failures for c in clients))

    async def fetch_client(self, target: FetchTarget, platform: Platform, today: Period, *,
                           posts: bool = True) -> ClientFetch:
        """One client on one platform: today's posts (unless `posts` is off), then the
        engagement of every stored post of today."""
        result = ClientFetch(target.client_id, platform.value)
        try:
            if posts:
                fetched = await self._fetch_posts(target, platform, today)
                sync = await sync_today_posts(self.engine, target.client_id, platform, fetched,
                                              today)
                result.posts_new, result.new_posts = len(sync.new), sync.new
                result.posts_updated, result.posts_removed = sync.updated, len(sync.removed)
                result.posts_foreign = len(sync.foreign)
        except RapidApiError as exc:
            result.failure = str(exc)
            log.warning("fetch_client_failed", client=target.client_id, platform=platform.value,
                        error=str(exc))
            self.progress("client", target.client_id)
            return result
        todays = await stored_posts(self.engine, target.client_id, platform, today)
        outcomes = await asyncio.gather(*(self.fetch_engagement(platform, post)
                                          for post in todays), return_exceptions=True)
        for post, outcome in zip(todays, outcomes, strict=True):
            if isinstance(outcome, RapidApiError):
                result.engagement_failed += 1
                log.warning("fetch_engagement_failed", client=target.client_id,
                            post=post.external_id, error=str(outcome))
            elif isinstance(outcome, BaseException):
                raise outcome
            else:
                added, complete = outcome
                result.engagement_added += added
                result.posts_refreshed += 1
                result.engagement_partial += 0 if complete else 1
        self.progress("client", target.client_id)
        return result

    async def fetch_engagement(self, platform: Platform, post: StoredPost) -> tuple[int, bool]:
        """Likes (Instagram) or comments (TikTok) of one post: (rows added, complete)."""
        if platform == Platform.INSTAGRAM:
            assert self.instagram is not None
            likes = await self.instagram.likes(post.external_id, self.likes_max_pages,
                                               expected=post.like_count)
            names, complete, kind = likes.usernames, likes.complete, EngagementKind.LIKE
        else:
            assert self.tiktok is not None
            comments = await self.tiktok.comments(post.external_id)
            names, complete, kind = comments.usernames, comments.complete, EngagementKind.COMMENT
        added = await record_engagement(self.engine, post.id, kind.value, names)
        self.progress("post", post.external_id)
        return added, complete

    async def _fetch_posts(self, target: FetchTarget, platform: Platform,
                           today: Period) -> list[FetchedPost]:
        if platform == Platform.INSTAGRAM:
            assert self.instagram is not None
            return [_instagram_post(post) for post in
                    await self.instagram.posts(target.account, since=today.since)]
        assert self.tiktok is not None
        secuid = target.secuid
        if not secuid:
            secuid = (await self.tiktok.user_info(target.account)).sec_uid
            if secuid:
                await save_secuid(self.engine, target.client_id, secuid)
        videos = await self.tiktok.posts(sec_uid=secuid, username=target.account,
                                         since=today.since)
        return [tiktok_post(video) for video in videos]
