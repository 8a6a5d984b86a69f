"""The dashboard recaps: Instagram likes, TikTok comments and link amplification of the
REQUESTED client (never a hard-coded directorate).

Attendance comes from the one engine with the `dashboard` policy (a client's own policy
override still wins), over the client's population: a directorate's members or an ORG
satker's own personnel, exactly as the WhatsApp reports count them. Responses are computed
once per data version (web.response_cache), after the scope check of every request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cicero.clock import Period
from storage.amplification import REGULAR, SPECIAL, TaskSource, amplification_for
from storage.attendance import (
    REPORT_POLICIES,
    Attendance,
    ClientInfo,
    Population,
    attendance_for,
)
from storage.dashboard_data import instagram_handles
from storage.models import Platform
from storage.personnel_stats import population_kind
from web.data_params import DATA_PARAMS, DATA_RESPONSES, known_client
from web.openapi import documented
from web.recap_payloads import amplify_payload, comments_payload, likes_payload
from web.requests import requested_period
from web.response_cache import cached_json
from web.security import scoped_client

DASHBOARD_POLICY = REPORT_POLICIES["dashboard"]


async def dashboard_attendance(engine: AsyncEngine, client: ClientInfo, platform: Platform,
                               period: Period) -> Attendance:
    population = Population(population_kind(client), client.client_id)
    return await attendance_for(engine, population, platform, period, DASHBOARD_POLICY)


async def _scoped_request(request: Request) -> tuple[str, Period]:
    _, client_id = await scoped_client(request)
    return client_id, requested_period(request)


async def _cached_recap(request: Request, kind: str,
                        payload: Callable[[AsyncEngine, ClientInfo, Period],
                                          Awaitable[dict[str, Any]]]) -> Response:
    """A recap for the requested client and period, computed once per data version (the
    scope is checked first, on every request)."""
    client_id, period = await _scoped_request(request)
    engine = request.app.state.engine

    async def compute() -> dict[str, Any]:
        client = await known_client(engine, client_id)
        return {"success": True, **await payload(engine, client, period)}

    return await cached_json(request, (kind, client_id, period.since, period.until), compute)


async def _likes(engine: AsyncEngine, client: ClientInfo, period: Period) -> dict[str, Any]:
    return likes_payload(await dashboard_attendance(engine, client, Platform.INSTAGRAM, period))


async def _comments(engine: AsyncEngine, client: ClientInfo, period: Period
                    ) -> dict[str, Any]:
    return comments_payload(await dashboard_attendance(engine, client, Platform.TIKTOK, period))


async def _amplification(engine: AsyncEngine, client: ClientInfo, period: Period,
                         source: TaskSource = REGULAR) -> dict[str, Any]:
    amplification = await amplification_for(engine, client.client_id, period, source)
    handles = await instagram_handles(engine, (p.user_id for p in amplification.people))
    return amplify_payload(amplification, handles)


async def _special_amplification(engine: AsyncEngine, client: ClientInfo, period: Period
                                 ) -> dict[str, Any]:
    return await _amplification(engine, client, period, SPECIAL)


@documented(summary="Rekap likes Instagram per personel", tags=["recaps"],
            params=DATA_PARAMS, responses=DATA_RESPONSES)
async def instagram_likes_recap(request: Request) -> Response:
    return await _cached_recap(request, "instagram-likes", _likes)


@documented(summary="Rekap komentar TikTok per personel", tags=["recaps"],
            params=DATA_PARAMS, responses=DATA_RESPONSES)
async def tiktok_comments_recap(request: Request) -> Response:
    return await _cached_recap(request, "tiktok-comments", _comments)


@documented(summary="Rekap amplifikasi link per personel", tags=["recaps"],
            params=DATA_PARAMS, responses=DATA_RESPONSES)
async def amplify_recap(request: Request) -> Response:
    return await _cached_recap(request, "amplification", _amplification)


@documented(summary="Rekap amplifikasi link tugas khusus per personel", tags=["recaps"],
            params=DATA_PARAMS, responses=DATA_RESPONSES)
async def special_amplify_recap(request: Request) -> Response:
    return await _cached_recap(request, "special-amplification", _special_amplification)


routes = [
    Route("/api/insta/rekap-likes", instagram_likes_recap, methods=["GET"]),
    Route("/api/tiktok/rekap-komentar", tiktok_comments_recap, methods=["GET"]),
    Route("/api/amplify/rekap", amplify_recap, methods=["GET"]),
    Route("/api/amplify-khusus/rekap", special_amplify_recap, methods=["GET"]),
]
middleware: list = []
