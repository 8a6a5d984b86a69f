"""Typed results of the RapidAPI calls, parsed leniently from the field aliases the providers use.

Pure functions: `from_api(item)` takes one decoded JSON object and either returns a model or
raises `MalformedItem` when a field the model cannot do without (an id, a timestamp) is
missing. Usernames are returned in `canonical_username` form.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from storage.identifiers import canonical_username

T = TypeVar("T")

_MILLISECONDS_FROM = 100_000_000_000  # a unix timestamp above this is in ms (year > 5138 in s)


class MalformedItem(ValueError):
    """An item of a well-formed body lacks a field we cannot do without."""


# --- lenient accessors ------------------------------------------------------------------------

def dig(obj: Any, *path: str | int) -> Any:
    """`obj[p0][p1]...`, or None when any step is missing or of the wrong type."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(obj, list) or not -len(obj) <= step < len(obj):
                return None
        elif not isinstance(obj, dict):
            return None
        obj = obj[step] if isinstance(step, int) else obj.get(step)
    return obj


def first(*values: Any) -> Any:
    """The first value that is not None and not an empty string."""
    return next((v for v in values if v is not None and v != ""), None)


def to_int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    try:
        return int(float(value))
    except (TypeError, ValueError, OverflowError):
        return None


def first_int(*values: Any) -> int | None:
    return next((n for n in map(to_int, values) if n is not None), None)


def to_text(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value)
    return text if text.strip() else None


def to_bool(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes"}
    return bool(value)


def to_datetime(value: Any) -> datetime | None:
    """Aware UTC from unix seconds, unix milliseconds (number or numeric string) or ISO 8601."""
    if value is None or isinstance(value, bool):
        return None
    number: float | None = None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and value.strip():
        try:
            number = float(value)
        except ValueError:
            try:
                moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                return None
            return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    if number is None or number != number:  # missing or NaN
        return None
    if number > _MILLISECONDS_FROM:
        number /= 1000
    try:
        return datetime.fromtimestamp(number, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def container(body: dict[str, Any], key: str = "data") -> Any:
    """`body[key]`, decoding a JSON-in-a-string once; the body itself when the key is absent."""
    inner = body.get(key)
    if isinstance(inner, str):
        try:
            inner = json.loads(inner)
        except ValueError:
            return body
    return inner if isinstance(inner, dict) else body


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def usernames(values: Iterable[Any]) -> set[str]:
    return {name for name in map(canonical_username, values) if name}


# --- pages ------------------------------------------------------------------------------------

@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None = None  # None: this was the last page


# --- Instagram --------------------------------------------------------------------------------

def _image_of(media: Any) -> str | None:
    return to_text(first(dig(media, "image_versions", "items", 0, "url"),
                         dig(media, "image_versions2", "candidates", 0, "url"),
                         dig(media, "display_url")))


@dataclass(frozen=True)
class InstagramPost:
    shortcode: str
    id: str
    taken_at: datetime
    caption: str | None = None
    like_count: int | None = None
    comment_count: int | None = None
    view_count: int | None = None  # plays of a video
    is_video: bool = False
    is_carousel: bool = False
    thumbnail_url: str | None = None
    image_url: str | None = None
    video_url: str | None = None
    images: list[str] = field(default_factory=list)
    is_pinned: bool = False  # pinned posts come first in a profile feed whatever their age
    owner_username: str | None = None

    @classmethod
    def from_api(cls, item: Any) -> InstagramPost:
        if not isinstance(item, dict):
            raise MalformedItem(f"post item is {type(item).__name__}, not an object")
        shortcode = to_text(first(item.get("code"), item.get("shortcode")))
        taken_at = to_datetime(first(item.get("taken_at"), item.get("taken_at_timestamp")))
        if not shortcode or taken_at is None:
            raise MalformedItem("post item without code or taken_at")
        caption = item.get("caption")
        if isinstance(caption, dict):
            caption = caption.get("text")
        carousel = [m for m in item.get("carousel_media") or [] if isinstance(m, dict)]
        media_type = to_int(item.get("media_type"))
        is_video = bool(to_bool(item.get("is_video")) or media_type == 2)
        return cls(
            shortcode=shortcode,
            id=str(first(item.get("id"), item.get("pk"), "")),
            taken_at=taken_at,
            caption=to_text(first(caption, item.get("caption_text"))),
            like_count=first_int(item.get("like_count"), dig(item, "edge_liked_by", "count"),
                                 dig(item, "metrics", "like_count")),
            comment_count=first_int(item.get("comment_count"),
                                    dig(item, "edge_media_to_comment", "count"),
                                    dig(item, "metrics", "comment_count")),
            view_count=first_int(item.get("play_count"), item.get("ig_play_count"),
                                 item.get("view_count"), item.get("video_view_count"),
                                 dig(item, "metrics", "play_count")),
            is_video=is_video,
            is_carousel=len(carousel) > 1 or media_type == 8,
            thumbnail_url=to_text(first(item.get("thumbnail_url"), item.get("thumbnail_src"),
                                        item.get("display_url"), _image_of(item))),
            image_url=_image_of(item),
            video_url=to_text(first(item.get("video_url"),
                                    dig(item, "video_versions", 0, "url"))),
            images=[url for url in map(_image_of, carousel) if url],
            is_pinned=bool(to_bool(item.get("is_pinned"))),
            owner_username=canonical_username(dig(item, "user", "username")),
        )


@dataclass(frozen=True)
class InstagramProfile:
    username: str
    id: str | None = None
    full_name: str | None = None
    biography: str | None = None
    follower_count: int | None = None
    following_count: int | None = None
    media_count: int | None = None
    is_private: bool = False
    is_verified: bool = False
    profile_pic_url: str | None = None

    @property
    def active(self) -> bool:
        """The reference's rule: followers, following and posts all above zero."""
        return all((n or 0) > 0 for n in (self.follower_count, self.following_count,
                                          self.media_count))

    @classmethod
    def from_api(cls, data: Any) -> InstagramProfile:
        username = canonical_username(dig(data, "username"))
        if not username:
            raise MalformedItem("profile without username")
        return cls(
            username=username,
            id=to_text(first(data.get("id"), data.get("pk"))),
            full_name=to_text(data.get("full_name")),
            biography=to_text(data.get("biography")),
            follower_count=first_int(data.get("followers_count"), data.get("follower_count"),
                                     dig(data, "edge_followed_by", "count")),
            following_count=first_int(data.get("following_count"),
                                      dig(data, "edge_follow", "count")),
            media_count=first_int(data.get("media_count"), data.get("posts_count"),
                                  dig(data, "edge_owner_to_timeline_media", "count")),
            is_private=bool(to_bool(data.get("is_private"))),
            is_verified=bool(to_bool(data.get("is_verified"))),
            profile_pic_url=to_text(first(data.get("profile_pic_url_hd"),
                                          data.get("profile_pic_url"))),
        )


def liker_username(item: Any) -> str | None:
    """A like item is an object with `username` (or nested `user.username`) or a bare string."""
    if isinstance(item, str):
        return canonical_username(item)
    if isinstance(item, dict) and isinstance(name := item.get("username"), str):
        return canonical_username(name)  # the usual shape, without the generic lookups
    return canonical_username(first(dig(item, "username"), dig(item, "user", "username")))


# --- TikTok -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class TikTokVideo:
    video_id: str
    create_time: datetime
    caption: str | None = None
    like_count: int | None = None
    comment_count: int | None = None
    play_count: int | None = None
    cover_url: str | None = None
    author_username: str | None = None
    is_pinned: bool = False

    @classmethod
    def from_api(cls, item: Any) -> TikTokVideo:
        if not isinstance(item, dict):
            raise MalformedItem(f"video item is {type(item).__name__}, not an object")
        video_id = to_text(first(item.get("id"), item.get("video_id"), item.get("aweme_id")))
        created = to_datetime(first(item.get("createTime"), item.get("create_time"),
                                    item.get("timestamp")))
        if not video_id or created is None:
            raise MalformedItem("video item without id or createTime")

        def stat(camel: str, *snake: str) -> int | None:
            return first_int(dig(item, "stats", camel), *(item.get(s) for s in snake),
                             dig(item, "statsV2", camel))

        return cls(
            video_id=video_id,
            create_time=created,
            caption=to_text(first(item.get("desc"), item.get("caption"))),
            like_count=stat("diggCount", "digg_count", "like_count"),
            comment_count=stat("commentCount", "comment_count"),
            play_count=stat("playCount", "play_count"),
            cover_url=to_text(first(dig(item, "video", "cover"), dig(item, "video", "originCover"),
                                    item.get("cover"), item.get("cover_url"))),
            author_username=canonical_username(first(dig(item, "author", "uniqueId"),
                                                     dig(item, "author", "unique_id"))),
            is_pinned=bool(to_bool(item.get("isPinnedItem"))),
        )


@dataclass(frozen=True)
class TikTokProfile:
    username: str
    sec_uid: str | None = None
    id: str | None = None
    nickname: str | None = None
    follower_count: int | None = None
    following_count: int | None = None
    like_count: int | None = None
    video_count: int | None = None
    avatar_url: str | None = None
    verified: bool = False
    is_private: bool = False
    signature: str | None = None  # the profile's bio

    @property
    def active(self) -> bool:
        return all((n or 0) > 0 for n in (self.follower_count, self.following_count,
                                          self.video_count))

    @classmethod
    def from_api(cls, info: Any) -> TikTokProfile:
        user, stats = _object(dig(info, "user")), _object(dig(info, "stats"))
        username = canonical_username(first(user.get("uniqueId"), user.get("unique_id")))
        if not username:
            raise MalformedItem("profile without uniqueId")
        return cls(
            username=username,
            sec_uid=to_text(first(user.get("secUid"), user.get("sec_uid"))),
            id=to_text(user.get("id")),
            nickname=to_text(user.get("nickname")),
            follower_count=first_int(stats.get("followerCount"), stats.get("follower_count")),
            following_count=first_int(stats.get("followingCount"),
                                      stats.get("following_count")),
            like_count=first_int(stats.get("heart"), stats.get("heartCount")),
            video_count=first_int(stats.get("videoCount"), stats.get("video_count")),
            avatar_url=to_text(first(user.get("avatarThumb"), user.get("avatarMedium"))),
            verified=bool(to_bool(user.get("verified"))),
            is_private=bool(to_bool(first(user.get("privateAccount"), user.get("secret")))),
            signature=to_text(user.get("signature")),
        )


def commenter_username(item: Any) -> str | None:
    return canonical_username(first(dig(item, "user", "unique_id"), dig(item, "user", "uniqueId"),
                                    dig(item, "username"), dig(item, "unique_id")))


# --- results of whole fetches -----------------------------------------------------------------

@dataclass(frozen=True)
class LikesResult:
    usernames: set[str]  # canonical
    pages: int
    complete: bool  # False: the page cap stopped us while the API still had more


@dataclass(frozen=True)
class CommentsResult:
    usernames: set[str]  # canonical
    total: int | None  # the API's own count of comments (replies/hidden ones included)
    complete: bool  # False: the page cap stopped us while the API still had more
    pages: int = 0
