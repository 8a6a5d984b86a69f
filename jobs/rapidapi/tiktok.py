"""TikTok through RapidAPI's tiktok-api23: profile, posts, commenters and single post."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog

from jobs.rapidapi.http import URGENT, NotFound, PrivateAccount, RapidApiClient, RapidApiError
from jobs.rapidapi.instagram import error_text, next_token, parse_items
from jobs.rapidapi.models import (
    CommentsResult,
    MalformedItem,
    Page,
    TikTokProfile,
    TikTokVideo,
    commenter_username,
    container,
    dig,
    first,
    to_bool,
    to_int,
)

log = structlog.get_logger(__name__)

USER_INFO, USER_POSTS = "/api/user/info", "/api/user/posts"
COMMENTS, DETAIL = "/api/post/comments", "/api/post/detail"
_NEEDS_SEC_UID = "missing required params"
_PRIVATE_ACCOUNT = 10222  # statusCode of a private account's listing

# Where the providers have been seen to put the video list: (container, key), first wins.
_VIDEO_LISTS = (("data", "itemList"), ("data", "items"), ("result", "videos"),
                ("data", "videos"), ("result", "itemList"), ("", "itemList"), ("", "items"),
                ("", "videos"))


@dataclass(frozen=True)
class CommentsPage:
    usernames: list[str]  # canonical, in page order, duplicates kept
    total: int | None
    next_cursor: int | None  # None: this was the last page


def _says_not_found(body: dict[str, Any]) -> bool:
    code = to_int(first(body.get("statusCode"), body.get("status_code")))
    return code is not None and code != 0


def _video_list(body: dict[str, Any]) -> tuple[list[Any] | None, dict[str, Any]]:
    holders = {"data": container(body, "data"), "result": container(body, "result"), "": body}
    for holder_name, key in _VIDEO_LISTS:
        holder = holders[holder_name]
        if isinstance(holder.get(key), list):
            return holder[key], holder
    return None, holders["data"]


class TikTokApi:
    def __init__(self, client: RapidApiClient) -> None:
        self.client = client

    async def user_info(self, username: str) -> TikTokProfile:
        name = username.strip().lstrip("@")
        body = await self.client.get_json(USER_INFO, {"uniqueId": name}, fresh=False)
        info = first(dig(body, "userInfo"), dig(container(body), "userInfo"))
        if not isinstance(info, dict):
            kind = NotFound if _says_not_found(body) else RapidApiError
            raise self.client.error(USER_INFO, f"{USER_INFO} {name}: no userInfo: "
                                               f"{error_text(body)}", kind=kind)
        try:
            return TikTokProfile.from_api(info)
        except MalformedItem as exc:
            raise self.client.error(USER_INFO, f"{USER_INFO} {name}: {exc}") from None

    async def posts_page(self, sec_uid: str | None, username: str | None, count: int = 35,
                         cursor: str | None = None) -> Page[TikTokVideo]:
        params: dict[str, str | int] = (
            {"secUid": sec_uid} if sec_uid else {"uniqueId": (username or "").strip().lstrip("@")})
        params.update(count=str(count), cursor=cursor or "0")
        body = await self.client.get_json(USER_POSTS, params, priority=URGENT)
        items, holder = _video_list(body)
        who = sec_uid or username
        if items is None:
            if holder is not body and holder.get("hasMore") is not None:
                items = []  # an account without videos
            else:
                code = to_int(first(body.get("statusCode"), body.get("status_code")))
                kind = (PrivateAccount if code == _PRIVATE_ACCOUNT
                        else NotFound if _says_not_found(body) else RapidApiError)
                raise self.client.error(USER_POSTS, f"{USER_POSTS} {who}: no item list: "
                                                    f"{error_text(body)}", kind=kind)
        token = first(holder.get("cursor"), holder.get("max_cursor"))
        has_more = first(holder.get("hasMore"), holder.get("has_more"))
        if has_more is None:
            token = None  # without hasMore a cursor says nothing about further pages
        return Page(parse_items(items, TikTokVideo.from_api, f"{USER_POSTS} {who}"),
                    next_token(token, has_more))

    async def posts(self, sec_uid: str | None = None, username: str | None = None,
                    count: int = 35, *, max_pages: int = 1,
                    since: datetime | None = None) -> list[TikTokVideo]:
        """The account's videos, newest first; by secUid when known, else by username.

        A username the API refuses ("missing required params") is resolved to its secUid
        through `user_info` and asked again. More than one page only with `max_pages`; with
        `since`, paging stops at the first page holding a non-pinned video older than
        `since` and only videos created at or after `since` are returned.
        """
        if not sec_uid and not username:
            raise ValueError("posts() needs a secUid or a username")
        found: dict[str, TikTokVideo] = {}
        cursor: str | None = None
        for _ in range(max_pages):
            try:
                page = await self.posts_page(sec_uid, username, count, cursor)
            except RapidApiError as exc:
                if sec_uid or not username or _NEEDS_SEC_UID not in str(exc).lower():
                    raise
                sec_uid = (await self.user_info(username)).sec_uid
                if not sec_uid:
                    raise
                log.info("rapidapi_tiktok_secuid_fallback", username=username)
                page = await self.posts_page(sec_uid, username, count, cursor)
            for video in page.items:
                found.setdefault(video.video_id, video)
            reached_since = since is not None and any(
                v.create_time < since for v in page.items if not v.is_pinned)
            if not page.items or reached_since or page.next_cursor in (None, cursor):
                break
            cursor = page.next_cursor
        videos = sorted(found.values(), key=lambda v: v.create_time, reverse=True)
        return [v for v in videos if since is None or v.create_time >= since]

    async def comments_page(self, video_id: str, cursor: int = 0,
                            count: int = 50) -> CommentsPage:
        body = await self.client.get_json(COMMENTS, {"videoId": video_id, "count": str(count),
                                                     "cursor": str(cursor)},
                                          priority=URGENT if cursor > 0 else 0)
        data = container(body)
        holder = data if "comments" in data or "total" in data else body
        comments, total = holder.get("comments"), to_int(holder.get("total"))
        if comments is None and total == 0:
            comments = []
        if not isinstance(comments, list):
            raise self.client.error(COMMENTS, f"{COMMENTS} {video_id} cursor {cursor}: "
                                              f"no comments: {error_text(body)}")
        names = [name for name in map(commenter_username, comments) if name]
        offered = to_int(holder.get("cursor"))
        after = offered if offered is not None and offered > cursor else cursor + count
        has_more = first(holder.get("has_more"), holder.get("hasMore"))
        done = (not comments or (has_more is not None and not to_bool(has_more))
                or (total is not None and after >= total))
        return CommentsPage(names, total, None if done else after)

    async def comments(self, video_id: str, *, page_size: int = 50,
                       max_pages: int = 200) -> CommentsResult:
        """Every commenter of a video (canonical usernames). The cursor is an offset, so once
        the first page has told the `total`, the remaining pages are asked for side by side
        (a post's comments no longer wait on each other); paging then goes on from the last
        page's cursor while the API still says there is more, until `has_more` is false, a
        page is empty or the cursor reaches `total`.

        `complete` is False only when `max_pages` stopped the paging early; a failed page
        raises `RapidApiError` instead.
        """
        first_page = await self.comments_page(video_id, 0, page_size)
        names, total, pages = set(first_page.usernames), first_page.total, 1
        cursor = first_page.next_cursor
        if cursor is not None and total is not None and cursor < total:
            offsets = list(range(cursor, total, page_size))[:max_pages - 1]
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(self.comments_page(video_id, offset, page_size))
                         for offset in offsets]
            for task in tasks:
                names.update(task.result().usernames)
            pages += len(tasks)
            cursor = tasks[-1].result().next_cursor
        while cursor is not None:
            if pages >= max_pages:
                return CommentsResult(names, total, complete=False, pages=pages)
            page = await self.comments_page(video_id, cursor, page_size)
            pages += 1
            names.update(page.usernames)
            total = page.total if page.total is not None else total
            cursor = page.next_cursor
        return CommentsResult(names, total, complete=True, pages=pages)

    async def post_detail(self, video_id: str) -> TikTokVideo:
        body = await self.client.get_json(DETAIL, {"videoId": video_id}, fresh=False)
        item = first(dig(body, "itemInfo", "itemStruct"),
                     dig(container(body), "itemInfo", "itemStruct"),
                     dig(body, "itemStruct"), dig(body, "itemInfo", "item"))
        if not isinstance(item, dict):
            kind = NotFound if _says_not_found(body) else RapidApiError
            raise self.client.error(DETAIL, f"{DETAIL} {video_id}: no itemInfo.itemStruct: "
                                            f"{error_text(body)}", kind=kind)
        try:
            return TikTokVideo.from_api(item)
        except MalformedItem as exc:
            raise self.client.error(DETAIL, f"{DETAIL} {video_id}: {exc}") from None
