"""The duplicate-request guard (reference §3.6, scenario 27): an identical successful write
within five minutes is answered 429, per caller; logins, resets and claims are never
blocked; failed writes may be retried; Redis trouble lets requests through; the body reaches
the endpoint intact."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from types import SimpleNamespace

import httpx
import jwt
import pytest
import redis.asyncio as aioredis
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from cicero.settings import load_settings
from storage.models import DashboardRole
from tests.factories import insert_client, insert_person
from tests.web.conftest import (
    JWT_SECRET,
    LiveApp,
    bearer,
    dashboard_user,
    serve,
    token_for,
)
from web import dedup

DUPLICATE = {"success": False, "message": dedup.DUPLICATE_MESSAGE}


@pytest.fixture
async def guarded(engine, redis, database_url: str, redis_url: str) -> AsyncIterator[LiveApp]:
    await insert_client(engine, "POLRES_A")
    # web_settings(allow_duplicate_requests=False) would pass the keyword twice (conftest).
    settings = load_settings(jwt_secret=JWT_SECRET, allow_duplicate_requests=False)
    async for live in serve(settings, database_url, redis_url):
        yield live


def _admin(account_id: str) -> dict[str, str]:
    return bearer(token_for(account_id, "admin1", DashboardRole.ADMIN, []))


async def test_the_same_write_twice_is_429_for_the_same_caller_only(guarded, engine) -> None:
    admin1 = await dashboard_user(engine, "admin1", DashboardRole.ADMIN, [])
    admin2 = await dashboard_user(engine, "admin2", DashboardRole.ADMIN, [])
    pending = await dashboard_user(engine, "pending1", DashboardRole.OPERATOR, ["POLRES_A"],
                                   status="pending")
    path = f"/api/dashboard/users/{pending}/approve"
    assert (await guarded.client.put(path, headers=_admin(admin1))).status_code == 200
    again = await guarded.client.put(path, headers=_admin(admin1))
    assert again.status_code == 429
    assert again.json() == DUPLICATE
    # A fresh token of the same account is the same caller: keyed on `sub`, not the token.
    assert (await guarded.client.put(path, headers=_admin(admin1))).status_code == 429
    assert (await guarded.client.put(path, headers=_admin(admin2))).status_code == 200
    # Another query string or another path is another request.
    assert (await guarded.client.put(path + "?x=1", headers=_admin(admin1))).status_code == 200
    reject = f"/api/dashboard/users/{pending}/reject"
    assert (await guarded.client.put(reject, headers=_admin(admin1))).status_code == 200


async def test_failed_writes_can_be_retried_at_once(guarded, engine) -> None:
    admin1 = await dashboard_user(engine, "admin1", DashboardRole.ADMIN, [])
    path = "/api/dashboard/users/00000000-0000-0000-0000-000000000000/approve"
    for _ in range(3):
        assert (await guarded.client.put(path, headers=_admin(admin1))).status_code == 404
    for _ in range(3):
        assert (await guarded.client.put(path)).status_code == 401


async def test_login_reset_and_registration_are_never_deduplicated(guarded, engine) -> None:
    await dashboard_user(engine, "opa", DashboardRole.OPERATOR, ["POLRES_A"],
                         whatsapp="6281311110002")
    login = {"username": "opa", "password": "rahasia123"}
    for _ in range(3):
        response = await guarded.client.post("/api/auth/dashboard-login", json=login)
        assert response.status_code == 200
    reset = {"username": "opa", "contact": "081311110002"}
    for path in ("/api/password-reset/request", "/api/password-reset/request"):
        assert (await guarded.client.post(path, json=reset)).status_code == 200


async def test_allow_duplicate_requests_turns_the_guard_off(live, engine) -> None:
    admin1 = await dashboard_user(engine, "admin1", DashboardRole.ADMIN, [])
    await insert_client(engine, "POLRES_A")
    pending = await dashboard_user(engine, "pending1", DashboardRole.OPERATOR, ["POLRES_A"],
                                   status="pending")
    for _ in range(3):
        response = await live.client.put(f"/api/dashboard/users/{pending}/approve",
                                         headers=_admin(admin1))
        assert response.status_code == 200


# --- the middleware around an endpoint that echoes what it received ------------------------


async def _echo(request: Request) -> JSONResponse:
    body = await request.body()
    return JSONResponse({"length": len(body), "sha": hashlib.sha256(body).hexdigest()},
                        status_code=int(request.query_params.get("status") or 200))


def _echo_app(redis_client: aioredis.Redis, *, allow: bool = False) -> Starlette:
    app = Starlette(routes=[Route("/api/echo", _echo, methods=["POST", "PUT", "GET"])],
                    middleware=dedup.middleware)
    app.state.settings = SimpleNamespace(allow_duplicate_requests=allow)
    app.state.redis, app.state.jwt_secret = redis_client, JWT_SECRET
    return app


def _client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("10.0.0.7", 5000)),
                             base_url="http://test")


async def test_the_body_reaches_the_endpoint_intact_in_any_number_of_chunks(redis) -> None:
    payload = json.dumps({"rows": ["x" * 100] * 300}).encode()  # ~31 KiB

    async def chunks():
        for start in range(0, len(payload), 1000):
            yield payload[start:start + 1000]

    async with _client(_echo_app(redis)) as client:
        first = await client.post("/api/echo", content=chunks())
        assert first.status_code == 200
        assert first.json()["length"] == len(payload)
        assert first.json()["sha"] == hashlib.sha256(payload).hexdigest()
        assert (await client.post("/api/echo", content=payload)).status_code == 429
        assert (await client.post("/api/echo", content=payload + b" ")).status_code == 200
        # A body over the endpoint limit passes unguarded and whole.
        big = b"y" * 200_000
        for _ in range(2):
            response = await client.put("/api/echo", content=big)
            assert response.json()["length"] == len(big)
        assert (await client.get("/api/echo")).status_code == 200
        assert (await client.get("/api/echo")).status_code == 200


async def test_callers_are_told_apart_by_signed_subject_else_address(redis) -> None:
    async with _client(_echo_app(redis)) as client:
        mine = bearer(token_for("11111111-1111-1111-1111-111111111111", "a",
                                DashboardRole.ADMIN, []))
        assert (await client.post("/api/echo", content=b"{}", headers=mine)).status_code == 200
        assert (await client.post("/api/echo", content=b"{}")).status_code == 200  # by address
        assert (await client.post("/api/echo", content=b"{}")).status_code == 429
        # An unsigned token does not make a new caller: it falls back to the address.
        forged = {"Authorization": "Bearer " + jwt.encode(
            {"sub": "someone-else"}, "not-our-secret-but-long-enough-32b", algorithm="HS256")}
        assert (await client.post("/api/echo", content=b"{}", headers=forged)).status_code == 429


async def test_non_success_responses_release_the_fingerprint(redis) -> None:
    async with _client(_echo_app(redis)) as client:
        for _ in range(2):
            assert (await client.post("/api/echo?status=503", content=b"{}")).status_code == 503
        assert (await client.post("/api/echo?status=201", content=b"{}")).status_code == 201
        assert (await client.post("/api/echo?status=201", content=b"{}")).status_code == 429


async def test_redis_failure_lets_requests_through(redis) -> None:
    broken = aioredis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5)
    try:
        async with _client(_echo_app(broken)) as client:
            for _ in range(2):
                assert (await client.post("/api/echo", content=b"{}")).status_code == 200
    finally:
        await broken.aclose()


async def test_the_guard_is_off_when_duplicates_are_allowed(redis) -> None:
    async with _client(_echo_app(redis, allow=True)) as client:
        for _ in range(2):
            assert (await client.post("/api/echo", content=b"{}")).status_code == 200


@pytest.mark.parametrize(("method", "path", "expected"), [
    ("POST", "/api/users/create", True), ("PUT", "/api/users/1001", True),
    ("PATCH", "/api/x", True), ("DELETE", "/api/x", True), ("GET", "/api/users/list", False),
    ("POST", "/api/auth/dashboard-login", False), ("POST", "/api/claim/request-otp", False),
    ("POST", "/api/password-reset/request", False), ("POST", "/sandbox/send", False),
])
def test_which_requests_are_guarded(method: str, path: str, expected: bool) -> None:
    assert dedup.guarded(method, path) is expected


async def test_a_revert_within_the_window_goes_through(guarded, engine) -> None:
    """A -> B -> A: the third write is not a duplicate of the one just before it."""
    admin1 = await dashboard_user(engine, "admin1", DashboardRole.ADMIN, [])
    await insert_person(engine, "10010001", "AGUS", "POLRES_A", status=True)
    path = "/api/users/10010001"
    for name in ("BUDI", "AGUS", "BUDI", "AGUS"):
        response = await guarded.client.put(path, json={"nama": name}, headers=_admin(admin1))
        assert response.status_code == 200, response.text
        assert response.json()["data"]["nama"] == name
    again = await guarded.client.put(path, json={"nama": "AGUS"}, headers=_admin(admin1))
    assert again.status_code == 429 and again.json() == DUPLICATE


async def test_approve_reject_approve_goes_through(guarded, engine) -> None:
    admin1 = await dashboard_user(engine, "admin1", DashboardRole.ADMIN, [])
    pending = await dashboard_user(engine, "pending1", DashboardRole.OPERATOR, ["POLRES_A"],
                                   status="pending")
    for decision in ("approve", "reject", "approve"):
        response = await guarded.client.put(f"/api/dashboard/users/{pending}/{decision}",
                                            headers=_admin(admin1))
        assert response.status_code == 200, response.text
