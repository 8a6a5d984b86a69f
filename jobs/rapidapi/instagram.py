"""Instagram through RapidAPI's social-api4: posts, likers, profile and single post."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

import structlog

from jobs.rapidapi.http import URGENT, NotFound, PrivateAccount, RapidApiClient, RapidApiError
from jobs.rapidapi.models import (
    InstagramPost,
    InstagramProfile,
    LikesResult,
    MalformedItem,
    Page,
    container,
    dig,
    first,
    liker_username,
    to_bool,
    to_text,
)

log = structlog.get_logger(__name__)
T = TypeVar("T")

POSTS, LIKES, INFO, POST_INFO = "/v1/posts", "/v1/likes", "/v1/info", "/v1/post_info"


def parse_items(items: Iterable[Any], parse: Callable[[Any], T], call: str) -> list[T]:
    """Parse every item; one malformed item is logged and skipped, not the whole page."""
    parsed = []
    for item in items:
        try:
            parsed.append(parse(item))
        except MalformedItem as exc:
            log.warning("rapidapi_item_skipped", call=call, reason=str(exc))
    return parsed


def error_text(body: dict[str, Any]) -> str:
    """What an error body says (`message`, `detail`, `error`), else the body's keys."""
    said = first(body.get("message"), body.get("detail"), body.get("error"),
                 body.get("status_msg"), body.get("statusMsg"))
    return str(said) if said is not None else f"unexpected body with keys {sorted(body)[:8]}"


def next_token(token: Any, has_more: Any) -> str | None:
    """The cursor to ask for next, or None when the answer says this was the last page."""
    if has_more is not None and not to_bool(has_more):
        return None
    return to_text(token)


class InstagramApi:
    def __init__(self, client: RapidApiClient) -> None:
        self.client = client

    async def posts_page(self, username: str, token: str | None = None) -> Page[InstagramPost]:
        params: dict[str, str | int] = {"username_or_id_or_url": username}
        if token:
            params["pagination_token"] = token
        body = await self.client.get_json(POSTS, params, priority=URGENT)
        data = container(body)
        items = data.get("items")
        if not isinstance(items, list):
            raise self.client.error(POSTS, f"/v1/posts {username}: no data.items: "
                                           f"{error_text(body)}")
        if not items and to_bool(dig(data, "user", "is_private")):
            raise self.client.error(POSTS, f"/v1/posts {username}: private account",
                                    kind=PrivateAccount)
        token = first(body.get("pagination_token"), data.get("pagination_token"),
                      data.get("next_cursor"), data.get("end_cursor"))
        has_more = first(body.get("has_more"), data.get("has_more"))
        return Page(parse_items(items, InstagramPost.from_api, f"/v1/posts {username}"),
                    next_token(token, has_more))

    async def posts(self, username: str, *, max_pages: int = 5,
                    since: datetime | None = None) -> list[InstagramPost]:
        """The account's posts, newest first, following `pagination_token` up to `max_pages`.

        With `since`, paging stops at the first page holding a non-pinned post older than
        `since` and only posts taken at or after `since` are returned.
        """
        found: dict[str, InstagramPost] = {}
        token: str | None = None
        seen_tokens: set[str] = set()
        for _ in range(max_pages):
            page = await self.posts_page(username, token)
            for post in page.items:
                found.setdefault(post.shortcode, post)
            reached_since = since is not None and any(
                p.taken_at < since for p in page.items if not p.is_pinned)
            if not page.items or reached_since or page.next_cursor is None:
                break
            if page.next_cursor in seen_tokens:
                log.warning("rapidapi_cursor_repeated", call=f"/v1/posts {username}")
                break
            seen_tokens.add(page.next_cursor)
            token = page.next_cursor
        posts = sorted(found.values(), key=lambda p: p.taken_at, reverse=True)
        return [p for p in posts if since is None or p.taken_at >= since]

    async def likes_page(self, shortcode: str, cursor: str | None = None, *,
                         priority: int = 0) -> Page[str]:
        params: dict[str, str | int] = {"code_or_id_or_url": shortcode}
        if cursor:
            params["cursor"] = cursor
        body = await self.client.get_json(LIKES, params, priority=priority)
        data = container(body)
        items = data.get("items")
        if not isinstance(items, list):
            raise self.client.error(LIKES, f"/v1/likes {shortcode}: no data.items: "
                                           f"{error_text(body)}")
        names = [name for name in map(liker_username, items) if name]
        token = first(data.get("next_cursor"), data.get("end_cursor"),
                      body.get("next_cursor"), body.get("pagination_token"))
        return Page(names, next_token(token, data.get("has_more")))

    async def likes(self, shortcode: str, max_pages: int = 20, *,
                    expected: int = 0) -> LikesResult:
        """Every liker of a post (canonical usernames), following the cursor.

        `complete` is False when `max_pages` (or a repeated cursor) stopped the paging while
        the API still announced more; a failed page raises `RapidApiError` instead. `expected`
        (the post's like count) ranks each page by the likes still to come, so the longest
        chains of pages get slots first.
        """
        names: set[str] = set()
        cursor: str | None = None
        seen: set[str] = set()
        pages = 0
        complete = True
        while True:
            if pages >= max_pages:
                complete = False
                break
            page = await self.likes_page(shortcode, cursor,
                                         priority=max(1, expected - len(names)))
            pages += 1
            names.update(page.items)
            if not page.items or page.next_cursor is None:
                break
            if page.next_cursor in seen:
                log.warning("rapidapi_cursor_repeated", call=f"/v1/likes {shortcode}")
                complete = False
                break
            seen.add(page.next_cursor)
            cursor = page.next_cursor
        return LikesResult(usernames=names, pages=pages, complete=complete)

    async def info(self, username: str) -> InstagramProfile:
        body = await self.client.get_json(INFO, {"username_or_id_or_url": username}, fresh=False)
        return self._one(INFO, username, body, InstagramProfile.from_api)

    async def post_info(self, shortcode: str) -> InstagramPost:
        body = await self.client.get_json(POST_INFO, {"code_or_id_or_url": shortcode},
                                          fresh=False)
        return self._one(POST_INFO, shortcode, body, InstagramPost.from_api)

    def _one(self, path: str, key: str, body: dict[str, Any], parse: Callable[[Any], T]) -> T:
        data = body.get("data")
        if not isinstance(data, dict) or not data:
            text = error_text(body)
            kind = NotFound if "not found" in text.lower() else RapidApiError
            raise self.client.error(path, f"{path} {key}: no data: {text}", kind=kind)
        try:
            return parse(data)
        except MalformedItem as exc:
            raise self.client.error(path, f"{path} {key}: {exc}") from None
