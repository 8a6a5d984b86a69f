"""The directorate fetch cycle (reference §1.10, §2.2) and its task broadcasts."""

from __future__ import annotations

from typing import Any

from bot.outbox import enqueue
from cicero.clock import Period, clock
from cicero.sessions import SessionName
from jobs.context import JobContext
from jobs.ingest import FetchReport, Ingestion, tiktok_post
from jobs.rapidapi import NotFound, RapidApiError, instagram_api, tiktok_api
from jobs.schedule import by_key
from jobs.scheduler import slot_key
from menus import fetch_summary as texts
from menus.fetch_summary import fetch_failed, fetch_summary
from menus.reports.base import ReportFile
from menus.task_broadcast import render_task_broadcast
from storage.broadcasts import remember_broadcast, task_broadcast
from storage.contacts import client_contacts
from storage.ingestion import StoredPost, save_post
from storage.models import ClientType, ContactKind, Platform
from storage.posts_admin import post_owner

POSTS_CUTOFF_HOUR = 17  # from 17:00 only likes and comments are refreshed


def ingestion_for(ctx: JobContext, progress=None) -> Ingestion:
    return Ingestion(ctx.engine, instagram_api(ctx.http, ctx.redis, ctx.settings),
                     tiktok_api(ctx.http, ctx.redis, ctx.settings),
                     likes_max_pages=ctx.settings.instagram_likes_max_pages, progress=progress)


async def broadcast_tasks(ctx: JobContext, client_id: str, today: Period) -> int:
    """Send today's task list to the client's groups when its post set changed since the
    last broadcast; the idempotency key comes from the post set, so it goes out once."""
    broadcast = await task_broadcast(ctx.engine, client_id, today)
    if not broadcast.changed or not broadcast.has_posts:
        return 0
    body = render_task_broadcast(broadcast)
    groups = await client_contacts(ctx.engine, client_id, ContactKind.GROUP)
    for group in groups:
        await enqueue(ctx.redis, SessionName.GATEWAY.value, group, body,
                      key=f"task:{client_id}:{broadcast.day}:{broadcast.post_set_hash}:{group}")
    await remember_broadcast(ctx.engine, broadcast)
    return len(groups)


async def fetch_scheduled(ctx: JobContext) -> dict[str, Any]:
    """Fetch every active client by its switches (Instagram / TikTok tracking on, an account
    set; posts before 17:00, engagement always), directorates and ORG satkers alike, then
    broadcast the task list to each client whose posts changed, in its own group."""
    counts, _ = await _fetch_all(ctx)
    return counts


async def _fetch_all(ctx: JobContext) -> tuple[dict[str, Any], list[str]]:
    """The scheduled fetch and broadcasts; also the directorates it covered."""
    today = clock.day()
    ingestion = ingestion_for(ctx)
    targets = await ingestion.targets([Platform.INSTAGRAM, Platform.TIKTOK])
    report: FetchReport = await ingestion.run(
        targets, today, posts=clock.now().hour < POSTS_CUTOFF_HOUR)
    fetched = sorted({target.client_id for target, _ in targets})
    broadcasts = 0
    for client_id in fetched:
        broadcasts += await broadcast_tasks(ctx, client_id, today)
    counts = report.totals()
    counts["clients"] = len(fetched)
    counts["broadcasts"] = broadcasts
    if report.failures:
        counts["failures"] = [f"{c.client_id}/{c.platform}: {c.failure}"[:300]
                              for c in report.failures]
    directorates = sorted({target.client_id for target, _ in targets
                           if target.type == ClientType.DIRECTORATE.value})
    return counts, directorates


async def render_report(ctx: JobContext, name: str, client_id: str, *,
                        period: Period | None = None, files_only: bool = False
                        ) -> tuple[list[str], list[ReportFile]]:
    """One report's messages and files (`period`: today unless given; `files_only`: only its
    workbook)."""
    from menus.reports import catalog
    from menus.reports.base import ReportRequest

    spec = catalog.get(name)
    assert spec is not None, name
    request = ReportRequest(client_id, period or clock.day(), clock.now())
    data = await spec.build(ctx.engine, request)
    if files_only:
        assert spec.workbook is not None, name
        return [], [spec.workbook(data, request)]
    rendered = spec.render(data, request)
    return rendered.messages, rendered.files


async def queue_report(ctx: JobContext, report: tuple[list[str], list[ReportFile]],
                         name: str, client_id: str, recipients: list[str], key: str, *,
                         session: str = SessionName.GATEWAY.value) -> int:
    """Queue a rendered report to every recipient. Every outbox key is
    `key:client:name:recipient:part`, so a run repeated with the same `key` sends nothing
    new."""
    from cicero.messages import Document

    messages, files = report
    for recipient in recipients:
        for index, message in enumerate(messages):
            await enqueue(ctx.redis, session, recipient, message,
                          key=f"{key}:{client_id}:{name}:{recipient}:m{index}")
        for attachment in files:
            await enqueue(ctx.redis, session, recipient,
                          key=f"{key}:{client_id}:{name}:{recipient}:{attachment.filename}",
                          document=Document(attachment.filename, attachment.content,
                                            attachment.mimetype))
    return len(recipients)


async def send_report(ctx: JobContext, name: str, client_id: str, recipients: list[str],
                      key: str, *, period: Period | None = None,
                      session: str = SessionName.GATEWAY.value, files_only: bool = False
                      ) -> int:
    """Build one report once, then queue its messages and files to every recipient
    (`queue_report`'s keys); nothing is built without recipients."""
    if not recipients:
        return 0
    report = await render_report(ctx, name, client_id, period=period, files_only=files_only)
    return await queue_report(ctx, report, name, client_id, recipients, key,
                                session=session)


async def fetch_and_report(ctx: JobContext) -> dict[str, Any]:
    """15:00 and 18:00: the fetch, then the daily engagement report (laphar) to each
    directorate's group and the Simple recaps to its super admins (reference §2.2)."""
    counts, directorates = await _fetch_all(ctx)
    key = slot_key(by_key()["fetch-sequence"], clock.now())
    sent = 0
    for client_id in directorates:
        groups = await client_contacts(ctx.engine, client_id, ContactKind.GROUP)
        supers = await client_contacts(ctx.engine, client_id, ContactKind.SUPER_ADMIN)
        sent += await send_report(ctx, "laphar", client_id, groups, key)
        for name in ("simple-ig", "simple-tiktok"):
            sent += await send_report(ctx, name, client_id, supers, key)
    counts["report_deliveries"] = sent
    return counts


async def fetch_client(ctx: JobContext, client_id: str,
                       platforms: list[str] | None = None) -> dict[str, Any]:
    """One client now, posts and engagement (operators' manual fetch)."""
    ingestion = ingestion_for(ctx)
    chosen = [Platform(p) for p in (platforms or [Platform.INSTAGRAM, Platform.TIKTOK])]
    report = await ingestion.run(await ingestion.targets(chosen, client_id=client_id),
                                 clock.day())
    counts: dict[str, Any] = report.totals()
    if report.failures:
        counts["failures"] = [f"{c.platform}: {c.failure}"[:300] for c in report.failures]
    return counts


async def fetch_client_for_chat(ctx: JobContext, client_id: str, session: str, to: str,
                                key: str, platforms: list[str] | None = None) -> dict[str, Any]:
    """A console's "ambil data sekarang": fetch the client, broadcast its task list when its
    posts changed, and tell the requester what changed (or what failed)."""
    try:
        counts = await fetch_client(ctx, client_id, platforms)
        counts["broadcasts"] = await broadcast_tasks(ctx, client_id, clock.day())
    except Exception:
        await enqueue(ctx.redis, session, to, fetch_failed(client_id), key=f"{key}:failed")
        raise
    await enqueue(ctx.redis, session, to, fetch_summary(client_id, counts), key=f"{key}:done")
    return counts


async def fetch_engagement(ctx: JobContext, post_id: int) -> dict[str, Any]:
    """Likes or comments of one stored post now."""
    from storage.ingestion import stored_post

    found = await stored_post(ctx.engine, post_id)
    if found is None:
        return {"status": "missing", "post_id": post_id}
    added, complete = await ingestion_for(ctx).fetch_engagement(*found)
    return {"engagement_added": added, "complete": complete}


async def fetch_tiktok_video_for_chat(ctx: JobContext, client_id: str, video_id: str,
                                      session: str, to: str, key: str) -> dict[str, Any]:
    """A console's "ambil satu video TikTok": the video and its comments are stored for
    `client_id` and the requester told what was found. A video of another client is never
    taken over (reference §4.2 2.2.4 took it)."""
    async def reply(text: str, suffix: str) -> None:
        await enqueue(ctx.redis, session, to, text, key=f"{key}:{suffix}")

    owner = await post_owner(ctx.engine, Platform.TIKTOK, video_id)
    if owner is not None and owner != client_id:
        await reply(texts.video_elsewhere(video_id, owner), "other")
        return {"status": "other_client", "owner": owner}
    ingestion = ingestion_for(ctx)
    assert ingestion.tiktok is not None
    try:
        video = await ingestion.tiktok.post_detail(video_id)
    except NotFound:
        await reply(texts.video_not_found(video_id), "missing")
        return {"status": "not_found"}
    except RapidApiError:
        await reply(texts.video_failed(video_id), "failed")
        raise
    post_id = await save_post(ctx.engine, client_id, tiktok_post(video))
    if post_id is None:  # taken by another client's fetch in the meantime
        owner = await post_owner(ctx.engine, Platform.TIKTOK, video_id)
        await reply(texts.video_elsewhere(video_id, owner or "-"), "other")
        return {"status": "other_client", "owner": owner}
    added, _ = await ingestion.fetch_engagement(
        Platform.TIKTOK, StoredPost(post_id, video.video_id, video.create_time,
                                    video.like_count or 0))
    await reply(texts.video_fetched(client_id, video.video_id,
                                    video.create_time.astimezone(clock.tz),
                                    video.like_count, video.comment_count, video.caption,
                                    added), "done")
    return {"status": "saved", "post_id": post_id, "engagement_added": added}
