"""Job `register_special_task`: fetch an Instagram post once (through the shared RapidAPI
client and its rate limit) and store it as a client's special task; tell the chat that asked
(the operator console), or return the outcome to the web request waiting for it.

Outcomes: `created`, `exists` (the client registered it before: nothing fetched),
`not_found`, `failed` (RapidAPI trouble, logged), `unavailable` (no RAPIDAPI_KEY).
"""

from __future__ import annotations

from typing import Any

import structlog

from bot.outbox import enqueue
from cicero.clock import clock
from cicero.settings import ConfigError
from jobs.context import JobContext
from jobs.rapidapi import NotFound, RapidApiError, instagram_api
from menus import special_tasks as texts
from storage.special_tasks import (
    SpecialPost,
    SpecialTask,
    known_post,
    register,
    special_task_of,
)

log = structlog.get_logger(__name__)


async def _post(job: JobContext, shortcode: str) -> SpecialPost | str:
    """The post, from what is stored or else fetched; an outcome word when it cannot be."""
    post = await known_post(job.engine, shortcode)
    if post is not None:
        return post
    try:
        api = instagram_api(job.http, job.redis, job.settings)
    except ConfigError:
        return "unavailable"
    try:
        fetched = await api.post_info(shortcode)
    except NotFound:
        return "not_found"
    except RapidApiError as exc:
        log.warning("special_task_fetch_failed", shortcode=shortcode, error=str(exc)[:300])
        return "failed"
    return SpecialPost(
        shortcode=shortcode, uploaded_at=fetched.taken_at, owner_username=fetched.owner_username,
        caption=fetched.caption, thumbnail_url=fetched.thumbnail_url,
        image_url=fetched.image_url, video_url=fetched.video_url, is_video=fetched.is_video,
        is_carousel=fetched.is_carousel, like_count=fetched.like_count,
        comment_count=fetched.comment_count)


async def register_special(job: JobContext, client_id: str, shortcode: str,
                           registered_by: str) -> tuple[str, SpecialTask | None]:
    existing = await special_task_of(job.engine, client_id, shortcode)
    if existing is not None:
        return "exists", existing
    post = await _post(job, shortcode)
    if isinstance(post, str):
        return post, None
    task, created = await register(job.engine, client_id, post, registered_by, clock.now())
    log.info("special_task_registered", client=client_id, shortcode=shortcode, created=created)
    return ("created" if created else "exists"), task


def _reply_text(outcome: str, shortcode: str, task: SpecialTask | None,
                client_name: str) -> str:
    if task is not None:
        return (texts.created(task, client_name) if outcome == "created"
                else texts.already_registered(task, client_name))
    if outcome == "not_found":
        return texts.not_found(shortcode)
    return texts.UNAVAILABLE if outcome == "unavailable" else texts.fetch_failed(shortcode)


async def register_special_task(ctx: dict[str, Any], client_id: str, shortcode: str,
                                registered_by: str,
                                reply: dict[str, str] | None = None) -> dict[str, Any]:
    """The arq job (jobs/queue.py: register_special_task, enqueue_special_task)."""
    job: JobContext = ctx["cicero"]
    outcome, task = await register_special(job, client_id, shortcode, registered_by)
    if reply is not None:
        await enqueue(job.redis, reply["session"], reply["to"],
                      _reply_text(outcome, shortcode, task, reply["client_name"]),
                      key=f"{reply['key']}:{outcome}")
    return {"outcome": outcome, "task_id": task.id if task else None}
