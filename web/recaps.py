"""The dashboard recaps: Instagram likes, TikTok comments and link amplification of the
REQUESTED client (never a hard-coded directorate).

Attendance comes from the one engine with the `dashboard` policy (a client's own policy
override still wins), over the client's population: a directorate's members or an ORG
satker's own personnel, exactly as the WhatsApp reports count them.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from cicero.clock import Period
from storage.amplification import amplification_for
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
from web.security import scoped_client

DASHBOARD_POLICY = REPORT_POLICIES["dashboard"]


async def dashboard_attendance(engine: AsyncEngine, client: ClientInfo, platform: Platform,
                               period: Period) -> Attendance:
    population = Population(population_kind(client), client.client_id)
    return await attendance_for(engine, population, platform, period, DASHBOARD_POLICY)


async def _scoped_request(request: Request) -> tuple[ClientInfo, Period]:
    _, client_id = await scoped_client(request)
    period = requested_period(request)
    return await known_client(request.app.state.engine, client_id), period


@documented(summary="Rekap likes Instagram per personel", tags=["recaps"],
            params=DATA_PARAMS, responses=DATA_RESPONSES)
async def instagram_likes_recap(request: Request) -> JSONResponse:
    client, period = await _scoped_request(request)
    attendance = await dashboard_attendance(request.app.state.engine, client,
                                            Platform.INSTAGRAM, period)
    return JSONResponse({"success": True, **likes_payload(attendance)})


@documented(summary="Rekap komentar TikTok per personel", tags=["recaps"],
            params=DATA_PARAMS, responses=DATA_RESPONSES)
async def tiktok_comments_recap(request: Request) -> JSONResponse:
    client, period = await _scoped_request(request)
    attendance = await dashboard_attendance(request.app.state.engine, client,
                                            Platform.TIKTOK, period)
    return JSONResponse({"success": True, **comments_payload(attendance)})


@documented(summary="Rekap amplifikasi link per personel", tags=["recaps"],
            params=DATA_PARAMS, responses=DATA_RESPONSES)
async def amplify_recap(request: Request) -> JSONResponse:
    client, period = await _scoped_request(request)
    engine = request.app.state.engine
    amplification = await amplification_for(engine, client.client_id, period)
    handles = await instagram_handles(engine, (p.user_id for p in amplification.people))
    return JSONResponse({"success": True, **amplify_payload(amplification, handles)})


routes = [
    Route("/api/insta/rekap-likes", instagram_likes_recap, methods=["GET"]),
    Route("/api/tiktok/rekap-komentar", tiktok_comments_recap, methods=["GET"]),
    Route("/api/amplify/rekap", amplify_recap, methods=["GET"]),
]
middleware: list = []
