"""Fetching what the official Satbinmas accounts posted today (dirrequest 37 and 39) and the
23:05 `official-media` job (reference data_and_reports.md §4.1).

Every account of a platform is fetched at once; the shared RapidAPI client bounds the real
concurrency and rate (the reference paused 1.5 s between accounts instead). One account's
failure (private, gone, provider error) is recorded as its outcome for the day and the
others go on; Instagram and TikTok run side by side and fail independently. The recaps are
built from what is stored (menus/reports/satbinmas.py), so the 23:05 recap, dirrequest 40/41
and the dashboard read the same numbers.
"""

from __future__ import annotations

import asyncio
from typing import Any

import structlog

from bot.outbox import enqueue
from cicero.clock import Period, clock
from cicero.settings import ConfigError
from conversations.console.reports import Delivery, Output
from jobs.context import JobContext
from jobs.fetch_jobs import send_report
from jobs.rapidapi import (
    InstagramApi,
    InstagramPost,
    NotFound,
    PrivateAccount,
    RapidApiError,
    TikTokApi,
    TikTokVideo,
    instagram_api,
    tiktok_api,
)
from jobs.recipients import admin_numbers
from jobs.report_delivery import deliver_report
from jobs.satbinmas_accounts import sync_tiktok_accounts
from jobs.schedule import by_key
from jobs.scheduler import slot_key
from menus import satbinmas as texts
from storage.models import Platform, SatbinmasFetchOutcome
from storage.satbinmas_accounts import SatbinmasAccount, fetch_targets
from storage.satbinmas_media import FetchedOfficialPost, record_fetch

log = structlog.get_logger(__name__)

TIKTOK_POSTS_PER_CALL = 35  # the most one /api/user/posts answer holds
RECAP_REPORTS = {Platform.INSTAGRAM: "satbinmas-ig", Platform.TIKTOK: "satbinmas-tiktok"}
CHAT_TASKS = ("instagram", "tiktok", "secuid")  # dirrequest 37, 39, 38


def _instagram_post(post: InstagramPost) -> FetchedOfficialPost:
    return FetchedOfficialPost(post.shortcode, post.taken_at, post.caption, post.is_video,
                               post.like_count, post.comment_count, post.view_count)


def _tiktok_post(video: TikTokVideo) -> FetchedOfficialPost:
    return FetchedOfficialPost(video.video_id, video.create_time, video.caption, True,
                               video.like_count, video.comment_count, video.play_count)


async def _todays_posts(api: InstagramApi | TikTokApi, account: SatbinmasAccount,
                        day: Period) -> list[FetchedOfficialPost]:
    if isinstance(api, InstagramApi):
        return [_instagram_post(post) for post in
                await api.posts(account.username, since=day.since)]
    videos = await api.posts(sec_uid=account.sec_uid, username=account.username,
                             count=TIKTOK_POSTS_PER_CALL, since=day.since)
    return [_tiktok_post(video) for video in videos]


async def fetch_account(job: JobContext, api: InstagramApi | TikTokApi,
                        account: SatbinmasAccount, day: Period) -> SatbinmasFetchOutcome:
    """One account's posts of `day`, stored with the outcome of the fetch."""
    posts: list[FetchedOfficialPost] = []
    try:
        posts = await _todays_posts(api, account, day)
        outcome = SatbinmasFetchOutcome.OK
    except PrivateAccount:
        outcome = SatbinmasFetchOutcome.PRIVATE
    except NotFound:
        outcome = SatbinmasFetchOutcome.NOT_FOUND
    except RapidApiError as exc:
        outcome = SatbinmasFetchOutcome.FAILED
        log.warning("satbinmas_fetch_failed", client=account.client_id,
                    platform=account.platform.value, error=str(exc)[:300])
    await record_fetch(job.engine, account.id, day, outcome, posts, fetched_at=clock.now())
    return outcome


async def fetch_platform(job: JobContext, platform: Platform, day: Period) -> dict[str, int]:
    """Every ORG satker's account on `platform`: counts of accounts by outcome."""
    accounts = await fetch_targets(job.engine, platform)
    api: InstagramApi | TikTokApi = (
        instagram_api(job.http, job.redis, job.settings) if platform is Platform.INSTAGRAM
        else tiktok_api(job.http, job.redis, job.settings))
    outcomes = await asyncio.gather(*(fetch_account(job, api, account, day)
                                      for account in accounts))
    counts = {"accounts": len(accounts), "api_calls": api.client.stats.requests}
    for outcome in SatbinmasFetchOutcome:
        counts[outcome.value] = sum(1 for o in outcomes if o is outcome)
    return counts


async def satbinmas_media(ctx: JobContext) -> dict[str, Any]:
    """23:05: today's Instagram and TikTok posts of every ORG satker's official accounts,
    then both recaps to the admins (ADMIN_WHATSAPP) from the gateway, once per day each
    (the outbox keys carry the date)."""
    today = clock.day()
    results = await asyncio.gather(*(fetch_platform(ctx, platform, today)
                                     for platform in RECAP_REPORTS), return_exceptions=True)
    counts: dict[str, Any] = {}
    for platform, result in zip(RECAP_REPORTS, results, strict=True):
        if isinstance(result, ConfigError | RapidApiError):
            counts[f"{platform.value}_error"] = str(result)[:300]
        elif isinstance(result, BaseException):
            raise result
        else:
            counts[platform.value] = result
    admins = admin_numbers(ctx.settings.admin_whatsapp)
    key = slot_key(by_key()["official-media"], clock.now())
    for report in RECAP_REPORTS.values():
        await send_report(ctx, report, "", admins, key)
    counts["recipients"] = len(admins)
    return counts


async def satbinmas_task_for_chat(ctx: dict[str, Any], task: str, session: str, to: str,
                                  key: str) -> dict[str, Any]:
    """Dirrequest 37 / 39 (fetch today's posts of one platform, then its recap of today) and
    38 (TikTok secUid sync), answered in the chat that asked."""
    job: JobContext = ctx["cicero"]
    try:
        if task == "secuid":
            await enqueue(job.redis, session, to, await sync_tiktok_accounts(job),
                          key=f"{key}:secuid")
            return {"task": task}
        platform = Platform(task)
        today = clock.day()
        counts = await fetch_platform(job, platform, today)
    except ConfigError:
        await enqueue(job.redis, session, to, texts.FETCH_UNAVAILABLE, key=f"{key}:failed")
        return {"task": task, "status": "unavailable"}
    delivery = Delivery(RECAP_REPORTS[platform], "", today.start, today.end, "all",
                        Output.TEXT)
    await deliver_report(ctx, delivery.as_json(), session, to, key)
    return {"task": task, **counts}
