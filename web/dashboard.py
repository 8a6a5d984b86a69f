"""The dashboard's overview endpoints: aggregator, stats card, client profile and stored post
lists. Every one starts with `scoped_client` (401 bad token, 403 foreign client) and reads
only stored data: nothing here calls RapidAPI."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from menus.format import post_url
from storage.dashboard_data import (
    ClientProfile,
    DashboardPost,
    client_profile,
    client_stats,
    first_directorate,
    stored_posts,
)
from storage.models import ClientType, DashboardRole, Platform
from web.data_params import (
    DATA_PARAMS,
    DATA_RESPONSES,
    LIMIT_PARAM,
    known_client,
    requested_limit,
)
from web.errors import ApiError
from web.openapi import Param, documented
from web.requests import requested_period
from web.security import Principal, scoped_client, visible_clients

AGGREGATOR_LIMIT = 10
CLIENT_TYPES = {ClientType.DIRECTORATE: "DIREKTORAT", ClientType.ORG: "ORG",
                ClientType.POLDA: "POLDA"}


# --- JSON shapes ----------------------------------------------------------------------------


def instagram_post_json(post: DashboardPost) -> dict[str, Any]:
    """Reference column names; likes fall back to the likers we have seen."""
    return {
        "shortcode": post.external_id, "client_id": post.client_id, "caption": post.caption,
        "like_count": post.like_count if post.like_count is not None else post.engagers,
        "comment_count": post.comment_count, "view_count": None,
        "thumbnail_url": post.thumbnail_url, "image_url": post.image_url,
        "images_url": post.images or [], "video_url": post.video_url,
        "is_video": post.is_video, "is_carousel": post.is_carousel,
        "created_at": post.uploaded_at.isoformat(),
        "url": post_url(post.platform, post.external_id),
    }


def tiktok_post_json(post: DashboardPost, account: str | None) -> dict[str, Any]:
    """Reference column names; comments fall back to the commenters we have seen."""
    return {
        "video_id": post.external_id, "client_id": post.client_id, "caption": post.caption,
        "like_count": post.like_count,
        "comment_count": post.comment_count if post.comment_count is not None
        else post.engagers,
        "view_count": None, "thumbnail_url": post.thumbnail_url,
        "created_at": post.uploaded_at.isoformat(),
        "url": post_url(post.platform, post.external_id, account),
    }


def _account_json(profile: ClientProfile, username: str | None) -> dict[str, Any] | None:
    """A social account as far as we know it: follower counts are not stored (null)."""
    if not username:
        return None
    return {"username": username, "client_id": profile.client_id, "nama": profile.name,
            "followers": None, "following": None}


def client_json(profile: ClientProfile, accounts: ClientProfile) -> dict[str, Any]:
    """The client record with reference names; handles and flags come from `accounts`."""
    return {
        "client_id": profile.client_id, "nama": profile.name,
        "nama_client": profile.name, "client_name": profile.name,
        "client_type": CLIENT_TYPES.get(ClientType(profile.type), profile.type.upper()),
        "client_status": profile.status, "parent_id": profile.parent_id,
        "client_insta": accounts.instagram, "client_insta_status": accounts.instagram_status,
        "client_tiktok": accounts.tiktok, "client_tiktok_status": accounts.tiktok_status,
        "client_amplify_status": accounts.amplify_status,
        "tiktok_secuid": accounts.tiktok_secuid,
    }


# --- directorate resolution (reference §3.4) ------------------------------------------------


async def accounts_for(engine: AsyncEngine, principal: Principal,
                       profile: ClientProfile) -> ClientProfile:
    """Whose social accounts to show: a directorate login looking at an ORG satker sees its
    own directorate's accounts; everyone else the requested client's."""
    if principal.role is not DashboardRole.DIRECTORATE or profile.type != ClientType.ORG:
        return profile
    ordered = [c for c in (principal.client_id, *principal.client_ids) if c]
    directorate = await first_directorate(engine, ordered)
    if directorate is None:
        return profile
    return await client_profile(engine, directorate) or profile


async def _scoped_profile(request: Request) -> tuple[Principal, ClientProfile]:
    principal, client_id = await scoped_client(request)
    profile = await client_profile(request.app.state.engine, client_id)
    if profile is None:
        raise ApiError(404, "Client tidak ditemukan")
    return principal, profile


# --- endpoints ------------------------------------------------------------------------------


@documented(summary="Profil dan konten akun resmi (data tersimpan)", tags=["dashboard"],
            params=[*DATA_PARAMS, LIMIT_PARAM], responses=DATA_RESPONSES)
async def aggregator(request: Request) -> JSONResponse:
    principal, profile = await _scoped_profile(request)
    period = requested_period(request)
    limit = requested_limit(request, AGGREGATOR_LIMIT)
    engine = request.app.state.engine
    accounts = await accounts_for(engine, principal, profile)
    instagram = await stored_posts(engine, accounts.client_id, Platform.INSTAGRAM, period, limit)
    tiktok = await stored_posts(engine, accounts.client_id, Platform.TIKTOK, period, limit)
    return JSONResponse({"success": True, "data": {
        "igProfile": _account_json(accounts, accounts.instagram),
        "igPosts": [instagram_post_json(post) for post in instagram],
        "tiktokProfile": _account_json(accounts, accounts.tiktok),
        "tiktokPosts": [tiktok_post_json(post, accounts.tiktok) for post in tiktok],
    }})


@documented(summary="Ringkasan jumlah client, personel dan konten", tags=["dashboard"],
            params=DATA_PARAMS, responses=DATA_RESPONSES)
async def dashboard_stats(request: Request) -> JSONResponse:
    principal, client_id = await scoped_client(request)
    period = requested_period(request)
    engine = request.app.state.engine
    client = await known_client(engine, client_id)
    stats = await client_stats(engine, client, period, await visible_clients(request, principal))
    return JSONResponse({"success": True, "data": {
        "client_id": stats.client_id, "clients": stats.clients, "users": stats.users,
        "igPosts": stats.instagram_posts, "ttPosts": stats.tiktok_posts}})


@documented(summary="Profil client", tags=["dashboard"],
            params=[Param("client_id", {"type": "string", "maxLength": 64}),
                    Param("X-Client-Id", {"type": "string", "maxLength": 64},
                          location="header")],
            responses=DATA_RESPONSES)
async def client_profile_endpoint(request: Request) -> JSONResponse:
    principal, profile = await _scoped_profile(request)
    accounts = await accounts_for(request.app.state.engine, principal, profile)
    return JSONResponse({"success": True, "client": client_json(profile, accounts)})


async def _posts(request: Request, platform: Platform) -> JSONResponse:
    _, client_id = await scoped_client(request)
    period = requested_period(request)
    limit = requested_limit(request)
    engine = request.app.state.engine
    client = await known_client(engine, client_id)
    posts = await stored_posts(engine, client.client_id, platform, period, limit)
    if platform is Platform.INSTAGRAM:
        data = [instagram_post_json(post) for post in posts]
    else:
        data = [tiktok_post_json(post, client.tiktok) for post in posts]
    return JSONResponse({"success": True, "data": data})


@documented(summary="Konten Instagram tersimpan dalam periode", tags=["dashboard"],
            params=[*DATA_PARAMS, LIMIT_PARAM], responses=DATA_RESPONSES)
async def instagram_posts(request: Request) -> JSONResponse:
    return await _posts(request, Platform.INSTAGRAM)


@documented(summary="Video TikTok tersimpan dalam periode", tags=["dashboard"],
            params=[*DATA_PARAMS, LIMIT_PARAM], responses=DATA_RESPONSES)
async def tiktok_posts(request: Request) -> JSONResponse:
    return await _posts(request, Platform.TIKTOK)


routes = [
    Route("/api/aggregator", aggregator, methods=["GET"]),
    Route("/api/dashboard/stats", dashboard_stats, methods=["GET"]),
    Route("/api/clients/profile", client_profile_endpoint, methods=["GET"]),
    Route("/api/insta/posts", instagram_posts, methods=["GET"]),
    Route("/api/tiktok/posts", tiktok_posts, methods=["GET"]),
]
middleware: list = []
