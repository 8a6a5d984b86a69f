"""Login rate limits under attack, on the API login and the admin pages' /masuk, through the
real app: concurrent guesses are counted before any password is checked, a stranger cannot
lock the owner out, and many sources together only slow a username down.

Source addresses are told apart as behind a reverse proxy: uvicorn takes the client address
from `X-Forwarded-For` when the connection comes from 127.0.0.1 (its trusted proxy)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator

import httpx
import pytest

from storage.models import DashboardRole
from tests.factories import insert_client
from tests.waiting import eventually
from tests.web.conftest import PASSWORD, LiveApp, dashboard_user, serve, web_settings
from web import rate_limit

WRONG = "salah-sekali"
OWNER_ADDRESS = "198.51.100.7"
PER_SOURCE = rate_limit.LOGIN_ATTEMPTS_PER_SOURCE.limit
CEILING = rate_limit.LOGIN_FAILURES_PER_USERNAME.limit


@pytest.fixture
async def app(engine, redis, database_url: str, redis_url: str) -> AsyncIterator[LiveApp]:
    await insert_client(engine, "DITBINMAS", "DIREKTORAT BINMAS", "directorate")
    await dashboard_user(engine, "admin1", DashboardRole.ADMIN, [])
    await dashboard_user(engine, "binmas1", DashboardRole.DIRECTORATE, ["DITBINMAS"])
    async for live in serve(web_settings(), database_url, redis_url):
        yield live


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


async def _login(app: LiveApp, username: str, password: str, address: str = "127.0.0.1",
                 client: httpx.AsyncClient | None = None) -> httpx.Response:
    return await (client or app.client).post(
        "/api/auth/dashboard-login", json={"username": username, "password": password},
        headers=_from(address))


async def test_300_concurrent_guesses_evaluate_at_most_the_limit(app) -> None:
    """The attack: the limit used to be read before the 30 ms password check and counted
    after it, so every one of 300 concurrent guesses was checked (and the right one got in)."""
    guesses = [f"tebakan-{n:03d}" for n in range(299)] + [PASSWORD]
    limits = httpx.Limits(max_connections=len(guesses), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=app.url, timeout=120, limits=limits) as client:
        responses = await asyncio.gather(*(_login(app, "binmas1", guess, client=client)
                                           for guess in guesses))
    statuses = Counter(response.status_code for response in responses)
    evaluated = statuses[401] + statuses[200]
    assert evaluated <= PER_SOURCE, statuses
    assert statuses[429] == len(guesses) - evaluated, statuses


async def test_a_stranger_cannot_lock_the_owner_out(app) -> None:
    for _ in range(PER_SOURCE):
        assert (await _login(app, "binmas1", WRONG, "203.0.113.5")).status_code == 401
    refused = await _login(app, "binmas1", PASSWORD, "203.0.113.5")
    assert refused.status_code == 429
    assert refused.json() == {"success": False, "message": "Terlalu banyak percobaan. Silakan "
                                                           "coba lagi dalam 15 menit."}
    assert 840 < int(refused.headers["retry-after"]) <= 900
    assert (await _login(app, "binmas1", PASSWORD, OWNER_ADDRESS)).status_code == 200


async def test_many_sources_slow_a_username_down_and_the_owners_address_passes(app) -> None:
    assert (await _login(app, "binmas1", PASSWORD, OWNER_ADDRESS)).status_code == 200
    for n in range(CEILING + 1):  # one guess each from many addresses: no source limit hit
        assert (await _login(app, "binmas1", WRONG, f"203.0.113.{n + 1}")).status_code == 401
    slowed = await _login(app, "binmas1", PASSWORD, "192.0.2.77")
    assert slowed.status_code == 429
    seconds = int(slowed.headers["retry-after"])
    assert 1 <= seconds <= rate_limit.LOGIN_SLOWDOWN_MAX_SECONDS
    assert slowed.json() == {"success": False, "message": "Terlalu banyak percobaan login "
                             f"untuk akun ini. Silakan coba lagi dalam {seconds} detik."}
    # The owner's address (a successful login before) is not slowed down.
    assert (await _login(app, "binmas1", PASSWORD, OWNER_ADDRESS)).status_code == 200
    # Slowed, not locked: once the delay has passed a new address is heard again.
    async def heard() -> tuple[httpx.Response] | None:
        answer = await _login(app, "binmas1", PASSWORD, "192.0.2.78")
        return None if answer.status_code == 429 else (answer,)

    [answer] = await eventually(heard, "a new address heard after the delay", within=30,
                                every=0.2)
    assert answer.status_code == 200, answer.text


async def test_a_successful_login_is_not_counted_as_a_failure_of_the_address(app) -> None:
    for _ in range(rate_limit.LOGIN_ATTEMPTS_PER_IP.limit + 5):
        assert (await _login(app, "admin1", PASSWORD, "198.51.100.20")).status_code == 200


async def test_concurrent_guesses_on_the_admin_page_evaluate_at_most_the_limit(app) -> None:
    limits = httpx.Limits(max_connections=60, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=app.url, timeout=120, limits=limits) as client:
        responses = await asyncio.gather(*(
            client.post("/masuk", data={"username": "admin1", "password": f"tebakan-{n}"})
            for n in range(60)))
    statuses = Counter(response.status_code for response in responses)
    assert statuses[401] <= PER_SOURCE, statuses
    assert statuses[429] == 60 - statuses[401], statuses


async def test_a_stranger_cannot_lock_the_owner_out_of_the_admin_page(app) -> None:
    for _ in range(PER_SOURCE):
        response = await app.client.post("/masuk", data={"username": "admin1",
                                                         "password": WRONG},
                                         headers=_from("203.0.113.5"))
        assert response.status_code == 401
    owner = await app.client.post("/masuk", data={"username": "admin1", "password": PASSWORD},
                                  headers=_from(OWNER_ADDRESS))
    assert owner.status_code == 303 and "cicero_admin" in owner.headers["set-cookie"]
