"""PostgreSQL or Redis going away under the running app: requests are answered 503 with
Retry-After (soon, not after a long connect or a hanging read), never 500, and the app serves
again when the server is back. The servers are reached through loopback proxies that cut
every connection and then refuse, or hang, new ones (tests/server_proxy.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from storage.models import DashboardRole
from tests.factories import insert_client
from tests.server_proxy import PgProxy, SocketProxy, free_port, tcp_url
from tests.web.conftest import (
    PASSWORD,
    LiveApp,
    bearer,
    dashboard_user,
    serve,
    token_for,
    web_settings,
)

UNAVAILABLE = {"success": False,
               "message": "Layanan sedang tidak tersedia. Silakan coba lagi sebentar lagi."}
RECAP = "/api/insta/rekap-likes?client_id=POLRES_A"


@dataclass
class Outage:
    app: LiveApp
    database: PgProxy
    database_port: int
    redis: SocketProxy
    redis_port: int
    headers: dict[str, str]


@pytest.fixture
async def outage(engine, redis, redis_url: str) -> AsyncIterator[Outage]:
    await insert_client(engine, "POLRES_A")
    admin = await dashboard_user(engine, "admin1", DashboardRole.ADMIN, [])
    database, redis_proxy = PgProxy(engine), SocketProxy(redis_url.removeprefix("unix://"))
    database_port, redis_port = await database.start(free_port()), \
        await redis_proxy.start(free_port())
    try:
        async for app in serve(web_settings(), tcp_url(engine, database_port),
                               f"redis://127.0.0.1:{redis_port}/0"):
            yield Outage(app, database, database_port, redis_proxy, redis_port,
                         bearer(token_for(admin, "admin1", DashboardRole.ADMIN, [])))
    finally:
        database.stop()
        redis_proxy.stop()


def _unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.json() == UNAVAILABLE
    assert response.headers["retry-after"] == "5"


async def _login(app: LiveApp) -> httpx.Response:
    return await app.client.post("/api/auth/dashboard-login",
                                 json={"username": "admin1", "password": PASSWORD})


async def test_redis_gone_answers_503_then_the_app_serves_again(outage) -> None:
    assert (await outage.app.client.get(RECAP, headers=outage.headers)).status_code == 200
    outage.redis.stop()
    _unavailable(await outage.app.client.get(RECAP, headers=outage.headers))
    _unavailable(await outage.app.client.get("/api/users/list?client_id=POLRES_A",
                                             headers=outage.headers))
    _unavailable(await _login(outage.app))  # no login past limits that cannot be counted
    await outage.redis.start(outage.redis_port)
    assert (await outage.app.client.get(RECAP, headers=outage.headers)).status_code == 200
    assert (await _login(outage.app)).status_code == 200


async def test_postgresql_gone_answers_503_then_the_app_serves_again(outage) -> None:
    assert (await outage.app.client.get(RECAP, headers=outage.headers)).status_code == 200
    outage.database.stop()
    _unavailable(await outage.app.client.get(RECAP, headers=outage.headers))
    _unavailable(await outage.app.client.get("/api/dashboard/stats?client_id=POLRES_A",
                                             headers=outage.headers))
    _unavailable(await _login(outage.app))
    await outage.database.start(outage.database_port)
    assert (await outage.app.client.get(RECAP, headers=outage.headers)).status_code == 200


@pytest.mark.parametrize("server", ["database", "redis"])
async def test_a_hanging_server_answers_503_instead_of_hanging_the_request(outage,
                                                                          server: str) -> None:
    """Connections accepted and never answered: only short connect and read timeouts on the
    request path turn this into a 503 (the client here gives up after 30 s)."""
    assert (await outage.app.client.get(RECAP, headers=outage.headers)).status_code == 200
    proxy, port = (outage.database, outage.database_port) if server == "database" \
        else (outage.redis, outage.redis_port)
    await proxy.stall(port)
    _unavailable(await outage.app.client.get("/api/dashboard/stats?client_id=POLRES_A",
                                             headers=outage.headers))
    proxy.stop()
    await proxy.start(port)
    assert (await outage.app.client.get(RECAP, headers=outage.headers)).status_code == 200
