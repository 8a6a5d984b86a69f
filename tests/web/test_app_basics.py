"""The app's shared behaviour: JSON errors everywhere, health, tokens."""

from __future__ import annotations


async def test_unknown_path_is_json_404(live) -> None:
    response = await live.client.get("/api/nope")
    assert response.status_code == 404
    assert response.json() == {"success": False, "message": "Endpoint tidak ditemukan"}


async def test_health(live) -> None:
    assert (await live.client.get("/healthz")).json() == {"status": "ok"}
    assert (await live.client.get("/readyz")).status_code == 200


async def test_cors_allows_only_the_configured_origin(engine, redis, database_url,
                                                      redis_url) -> None:
    from tests.web.conftest import serve, web_settings

    async for app in serve(web_settings(cors_origin="https://dashboard.example"), database_url,
                           redis_url):
        allowed = await app.client.options("/api/auth/dashboard-login", headers={
            "Origin": "https://dashboard.example", "Access-Control-Request-Method": "POST"})
        assert allowed.headers["access-control-allow-origin"] == "https://dashboard.example"
        assert allowed.headers["access-control-allow-credentials"] == "true"
        other = await app.client.options("/api/auth/dashboard-login", headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in other.headers


async def test_huge_and_malformed_bodies_are_json_4xx(live) -> None:
    huge = await live.client.post("/api/auth/dashboard-login",
                                  content=b'{"username": "' + b"a" * 200_000 + b'"}',
                                  headers={"Content-Type": "application/json"})
    assert huge.status_code == 413 and huge.json()["success"] is False
    broken = await live.client.post("/api/auth/dashboard-login", content=b"{not json",
                                    headers={"Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.json()["success"] is False
    listed = await live.client.post("/api/auth/dashboard-login", json=["a", "b"])
    assert listed.status_code == 400
    typed = await live.client.post("/api/auth/dashboard-login",
                                   json={"username": {"$ne": 1}, "password": 5})
    assert typed.status_code == 400
    sql = await live.client.post("/api/auth/dashboard-login",
                                 json={"username": "' OR 1=1 --", "password": "x' OR '1'='1"})
    assert sql.status_code == 401 and sql.json()["success"] is False


async def test_an_exhausted_connection_pool_is_a_json_503() -> None:
    """Overload (no pooled connection free in time) answers 503 with Retry-After, not 500."""
    import json

    from sqlalchemy.exc import TimeoutError as PoolTimeout
    from starlette.requests import Request

    from web.errors import exception_handlers

    request = Request({"type": "http", "method": "GET", "path": "/api/insta/rekap-likes",
                       "headers": [], "query_string": b""})
    response = await exception_handlers[PoolTimeout](request, PoolTimeout("pool exhausted"))
    assert response.status_code == 503 and response.headers["retry-after"] == "5"
    assert json.loads(response.body)["success"] is False
