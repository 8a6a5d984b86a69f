"""RapidAPI clients for Instagram (social-api4) and TikTok (tiktok-api23).

Typical wiring, once per process (e.g. in the worker's job context)::

    instagram = instagram_api(http, redis, settings)
    tiktok = tiktok_api(http, redis, settings)
    posts = await instagram.posts("humaspoldajatim", since=clock.start_of(clock.today()))
    likes = await instagram.likes(posts[0].shortcode)   # LikesResult; .complete
"""

from __future__ import annotations

import httpx
from redis.asyncio import Redis

from cicero.settings import Settings, require
from jobs.rapidapi.http import (
    INSTAGRAM_HOST,
    TIKTOK_HOST,
    CallStats,
    NotFound,
    PrivateAccount,
    ProviderConfig,
    RapidApiClient,
    RapidApiError,
    RateLimiter,
    instagram_config,
    tiktok_config,
)
from jobs.rapidapi.instagram import InstagramApi
from jobs.rapidapi.models import (
    CommentsResult,
    InstagramPost,
    InstagramProfile,
    LikesResult,
    Page,
    TikTokProfile,
    TikTokVideo,
)
from jobs.rapidapi.tiktok import TikTokApi


def instagram_api(http: httpx.AsyncClient, redis: Redis, settings: Settings) -> InstagramApi:
    """The Instagram client; stops with a ConfigError when RAPIDAPI_KEY is not set."""
    require(settings, "rapidapi_key")
    assert settings.rapidapi_key
    return InstagramApi(RapidApiClient(http, redis, instagram_config(settings),
                                       settings.rapidapi_key))


def tiktok_api(http: httpx.AsyncClient, redis: Redis, settings: Settings) -> TikTokApi:
    """The TikTok client; stops with a ConfigError when RAPIDAPI_KEY is not set."""
    require(settings, "rapidapi_key")
    assert settings.rapidapi_key
    return TikTokApi(RapidApiClient(http, redis, tiktok_config(settings), settings.rapidapi_key))


__all__ = [
    "INSTAGRAM_HOST",
    "TIKTOK_HOST",
    "CallStats",
    "CommentsResult",
    "InstagramApi",
    "InstagramPost",
    "InstagramProfile",
    "LikesResult",
    "NotFound",
    "Page",
    "PrivateAccount",
    "ProviderConfig",
    "RapidApiClient",
    "RapidApiError",
    "RateLimiter",
    "TikTokApi",
    "TikTokProfile",
    "TikTokVideo",
    "instagram_api",
    "instagram_config",
    "tiktok_api",
    "tiktok_config",
]
