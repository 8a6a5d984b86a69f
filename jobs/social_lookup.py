"""On-demand RapidAPI lookups for the dashboard's analysis pages (reference §2.5 items 22-27).

The web app cannot call RapidAPI itself (web reaches jobs only through jobs/queue.py), so it
enqueues `social_lookup(kind, username, limit)` and waits for the answer. The answer is a
plain JSON-able dict, `{"outcome": "ok", "data": ...}` with `data` in the reference's shape,
or `{"outcome": "not_found" | "failed" | "unavailable"}`; upstream error text never leaves
the worker's log.

Kinds: instagram-profile, instagram-info, instagram-posts, tiktok-profile, tiktok-info,
tiktok-posts. Usernames arrive already normalised by the web layer.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import Any

import structlog

from cicero.settings import ConfigError, require
from jobs.context import JobContext
from jobs.rapidapi import (
    InstagramApi,
    InstagramPost,
    InstagramProfile,
    NotFound,
    ProviderConfig,
    RapidApiClient,
    RapidApiError,
    TikTokApi,
    TikTokProfile,
    TikTokVideo,
    instagram_config,
    tiktok_config,
)
from jobs.rapidapi.models import container, dig, first, first_int

log = structlog.get_logger(__name__)

OK, NOT_FOUND, FAILED, UNAVAILABLE = "ok", "not_found", "failed", "unavailable"
INSTAGRAM_PAGE_SIZE = 12  # posts per /v1/posts page
TIKTOK_PAGE_SIZE = 35  # the most /api/user/posts returns per page


class RecordingClient(RapidApiClient):
    """A RapidApiClient that keeps every decoded body, so a lookup can hand the dashboard
    provider fields our models do not carry (bio, large avatar, share and view counts)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bodies: list[dict[str, Any]] = []

    async def get_json(self, path: str, params: dict[str, str | int], *,
                       fresh: bool = True, priority: int = 0) -> dict[str, Any]:
        body = await super().get_json(path, params, fresh=fresh, priority=priority)
        self.bodies.append(body)
        return body


def _client(context: JobContext, config: ProviderConfig) -> RecordingClient:
    require(context.settings, "rapidapi_key")
    assert context.settings.rapidapi_key
    return RecordingClient(context.http, context.redis, config, context.settings.rapidapi_key)


def _raw_items(bodies: list[dict[str, Any]], id_key: str) -> dict[str, dict[str, Any]]:
    """Every object found anywhere in `bodies` that has `id_key`, by that value (first wins)."""
    found: dict[str, dict[str, Any]] = {}

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get(id_key), str | int):
                found.setdefault(str(value[id_key]), value)
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    for body in bodies:
        walk(body)
    return found


# --- Instagram ----------------------------------------------------------------------------------

def instagram_profile_json(profile: InstagramProfile, raw: dict[str, Any]) -> dict[str, Any]:
    """The provider's profile object with the names the dashboard reads guaranteed."""
    return {**raw, "username": profile.username, "full_name": profile.full_name,
            "bio": profile.biography, "biography": profile.biography,
            "followers": profile.follower_count, "follower_count": profile.follower_count,
            "following": profile.following_count, "following_count": profile.following_count,
            "media_count": profile.media_count, "is_private": profile.is_private,
            "is_verified": profile.is_verified, "profile_pic_url": profile.profile_pic_url}


def instagram_post_json(post: InstagramPost, raw: dict[str, Any]) -> dict[str, Any]:
    """Reference item: id, created_at, type, caption, like/comment/share/view counts,
    thumbnail."""
    kind = "video" if post.is_video else "carousel" if post.is_carousel else "image"
    return {
        "id": post.shortcode, "shortcode": post.shortcode, "post_id": post.id,
        "created_at": post.taken_at.isoformat(), "type": kind, "caption": post.caption,
        "like_count": post.like_count, "comment_count": post.comment_count,
        "share_count": first_int(raw.get("reshare_count"), raw.get("share_count")),
        "view_count": first_int(raw.get("play_count"), raw.get("ig_play_count"),
                                raw.get("view_count"), raw.get("video_view_count")),
        "thumbnail": post.thumbnail_url,
    }


async def _instagram_info(context: JobContext, username: str) -> tuple[InstagramProfile,
                                                                        dict[str, Any]]:
    client = _client(context, instagram_config(context.settings))
    profile = await InstagramApi(client).info(username)
    raw = client.bodies[-1].get("data")
    return profile, raw if isinstance(raw, dict) else {}


async def instagram_profile(context: JobContext, username: str, limit: int) -> dict[str, Any]:
    return instagram_profile_json(*await _instagram_info(context, username))


async def instagram_info(context: JobContext, username: str, limit: int) -> dict[str, Any]:
    """The provider's raw info object (what the reference forwards)."""
    _, raw = await _instagram_info(context, username)
    return raw


async def instagram_posts(context: JobContext, username: str, limit: int) -> list[dict[str, Any]]:
    client = _client(context, instagram_config(context.settings))
    posts = await InstagramApi(client).posts(
        username, max_pages=math.ceil(limit / INSTAGRAM_PAGE_SIZE))
    raw = _raw_items(client.bodies, "code")
    return [instagram_post_json(post, raw.get(post.shortcode, {})) for post in posts[:limit]]


# --- TikTok -------------------------------------------------------------------------------------

def tiktok_profile_json(profile: TikTokProfile, body: dict[str, Any]) -> dict[str, Any]:
    """`userInfo.{user, stats}` as the provider sends it (the dashboard reads uniqueId,
    signature, avatarLarger, followerCount, followingCount, heart, videoCount) plus flat
    names."""
    info = first(dig(body, "userInfo"), dig(container(body), "userInfo"))
    info = info if isinstance(info, dict) else {}
    user = {"signature": None, "avatarLarger": profile.avatar_url, **(info.get("user") or {}),
            "uniqueId": profile.username}
    stats = {**(info.get("stats") or {}), "followerCount": profile.follower_count,
             "followingCount": profile.following_count, "heart": profile.like_count,
             "videoCount": profile.video_count}
    return {"userInfo": {**info, "user": user, "stats": stats},
            "username": profile.username, "nickname": profile.nickname,
            "secUid": profile.sec_uid, "followers": profile.follower_count,
            "following": profile.following_count, "likes": profile.like_count,
            "videos": profile.video_count, "avatar": profile.avatar_url}


def tiktok_video_json(video: TikTokVideo, raw: dict[str, Any]) -> dict[str, Any]:
    """The names the dashboard maps: id, desc, createTime (epoch s), stats.*Count."""
    shares = first_int(dig(raw, "stats", "shareCount"), raw.get("share_count"),
                       dig(raw, "statsV2", "shareCount"))
    return {
        "id": video.video_id, "video_id": video.video_id,
        "desc": video.caption, "caption": video.caption,
        "createTime": int(video.create_time.timestamp()),
        "created_at": video.create_time.isoformat(),
        "like_count": video.like_count, "comment_count": video.comment_count,
        "share_count": shares, "play_count": video.play_count, "view_count": video.play_count,
        "cover": video.cover_url,
        "stats": {"diggCount": video.like_count, "commentCount": video.comment_count,
                  "shareCount": shares, "playCount": video.play_count},
    }


async def tiktok_profile(context: JobContext, username: str, limit: int) -> dict[str, Any]:
    client = _client(context, tiktok_config(context.settings))
    profile = await TikTokApi(client).user_info(username)
    return tiktok_profile_json(profile, client.bodies[-1])


async def tiktok_posts(context: JobContext, username: str, limit: int) -> list[dict[str, Any]]:
    """The account is resolved first (an unknown account is NotFound, and its secUid makes
    the listing reliable), then `limit` videos are listed, newest first."""
    client = _client(context, tiktok_config(context.settings))
    api = TikTokApi(client)
    profile = await api.user_info(username)
    videos = await api.posts(sec_uid=profile.sec_uid, username=profile.username,
                             count=min(limit, TIKTOK_PAGE_SIZE),
                             max_pages=math.ceil(limit / TIKTOK_PAGE_SIZE))
    raw = _raw_items(client.bodies, "id")
    return [tiktok_video_json(video, raw.get(video.video_id, {})) for video in videos[:limit]]


LOOKUPS: dict[str, Callable[[JobContext, str, int], Awaitable[Any]]] = {
    "instagram-profile": instagram_profile,
    "instagram-info": instagram_info,
    "instagram-posts": instagram_posts,
    "tiktok-profile": tiktok_profile,
    "tiktok-info": tiktok_profile,  # the same provider call; the reference answers alike
    "tiktok-posts": tiktok_posts,
}


async def lookup(context: JobContext, kind: str, username: str, limit: int) -> dict[str, Any]:
    """One lookup; RapidAPI failures become outcomes, never exceptions or upstream text."""
    run = LOOKUPS.get(kind)
    if run is None:
        raise ValueError(f"unknown social lookup kind {kind!r}")
    try:
        data = await run(context, username, limit)
    except NotFound:
        return {"outcome": NOT_FOUND}
    except RapidApiError as exc:
        log.warning("social_lookup_failed", kind=kind, username=username, error=str(exc)[:300])
        return {"outcome": FAILED}
    except ConfigError:
        return {"outcome": UNAVAILABLE}
    return {"outcome": OK, "data": data}


async def social_lookup(ctx: dict[str, Any], kind: str, username: str,
                        limit: int) -> dict[str, Any]:
    """The arq job (see jobs/queue.lookup_social)."""
    return await lookup(ctx["cicero"], kind, username, limit)
