"""Recaps and scopes are cached per data version: a repeated request is served from memory,
every committed change is seen by the next request, gzip carries the same JSON, and the scope
is still checked on every request."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from cicero.clock import clock
from tests.web.builders import DAY, NOW, auth, build_world
from web.response_cache import VersionedCache

TODAY = DAY.isoformat()
LIKES = "/api/insta/rekap-likes"
QUERY = {"client_id": "POLRES_A", "periode": "harian", "tanggal": TODAY}


@pytest.fixture
async def world(engine):
    clock.set_now(NOW)
    return await build_world(engine)


async def likes_of(live, role: str = "operator", **query: str) -> dict[str, int]:
    response = await live.client.get(LIKES, params={**QUERY, **query}, headers=auth(role))
    assert response.status_code == 200, response.text
    return {row["user_id"]: row["jumlah_like"] for row in response.json()["data"]}


async def execute(engine, sql: str, **params: object) -> None:
    async with engine.begin() as connection:
        await connection.execute(text(sql), params)


async def test_a_repeated_recap_is_the_same_and_a_committed_change_is_seen(live, world,
                                                                          engine) -> None:
    first = await likes_of(live)
    assert first == {"1001": 2, "1002": 1, "1003": 0, "1004": 2, "1005": 0}
    assert await likes_of(live) == first

    await execute(engine, "INSERT INTO engagements (post_id, kind, username) "
                          "VALUES (:post, 'like', 'eko.a')", post=world.post_ids["A_IG_1"])
    assert (await likes_of(live))["1005"] == 1

    await execute(engine, "UPDATE personnel SET status = false WHERE user_id = '1002'")
    assert "1002" not in await likes_of(live)


async def test_a_change_made_through_the_api_is_seen(live, world) -> None:
    response = await live.client.put("/api/users/1003", json={"insta": "citra.a"},
                                     headers=auth("operator"))
    assert response.status_code == 200, response.text
    response = await live.client.get(LIKES, params=QUERY, headers=auth("operator"))
    citra = next(row for row in response.json()["data"] if row["user_id"] == "1003")
    assert (citra["username"], citra["status"]) == ("citra.a", "belum")


async def test_gzip_carries_the_same_json(live, world) -> None:
    plain = await live.client.get(LIKES, params=QUERY, headers={
        **auth("operator"), "Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.headers["vary"] == "Accept-Encoding"
    for accept in ("gzip", "gzip, deflate, br", "*"):
        zipped = await live.client.get(LIKES, params=QUERY, headers={
            **auth("operator"), "Accept-Encoding": accept})
        assert zipped.headers["content-encoding"] == "gzip"
        assert zipped.json() == plain.json()  # httpx decoded the gzip
        assert zipped.num_bytes_downloaded < len(plain.content) / 3
    refused = await live.client.get(LIKES, params=QUERY, headers={
        **auth("operator"), "Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers
    assert refused.json() == plain.json()


async def test_a_cached_recap_is_not_served_outside_the_scope(live, world) -> None:
    assert (await live.client.get(LIKES, params={**QUERY, "client_id": "POLRES_B"},
                                  headers=auth("admin"))).status_code == 200
    response = await live.client.get(LIKES, params={**QUERY, "client_id": "POLRES_B"},
                                     headers=auth("operator"))
    assert response.status_code == 403
    assert response.json() == {"success": False, "message": "client_id tidak diizinkan"}


async def test_a_scope_change_is_seen_by_the_next_request(live, world, engine) -> None:
    assert await likes_of(live, "directorate")
    await execute(engine, "DELETE FROM directorate_memberships WHERE user_id = '1001'")
    response = await live.client.get(LIKES, params=QUERY, headers=auth("directorate"))
    assert response.status_code == 403


async def test_recaps_of_different_periods_and_clients_are_kept_apart(live, world) -> None:
    today = await likes_of(live)
    day_before = await likes_of(live, tanggal="2025-11-30")
    assert today != day_before
    assert await likes_of(live, "admin", client_id="POLRES_B") == {"2001": 1}
    assert await likes_of(live) == today


# --- the cache itself -------------------------------------------------------------------------


async def test_concurrent_misses_compute_once() -> None:
    cache = VersionedCache()
    calls = 0
    release = asyncio.Event()

    async def compute() -> str:
        nonlocal calls
        calls += 1
        await release.wait()
        return "value"

    waiting = [asyncio.create_task(cache.get("key", "v1", compute)) for _ in range(5)]
    await asyncio.sleep(0)
    release.set()
    assert await asyncio.gather(*waiting) == ["value"] * 5
    assert calls == 1
    assert await cache.get("key", "v1", compute) == "value" and calls == 1
    assert await cache.get("key", "v2", compute) == "value" and calls == 2


async def test_a_failure_reaches_every_waiter_and_is_not_kept() -> None:
    cache = VersionedCache()
    release = asyncio.Event()

    async def failing() -> str:
        await release.wait()
        raise RuntimeError("database down")

    waiting = [asyncio.create_task(cache.get("key", "v1", failing)) for _ in range(3)]
    await asyncio.sleep(0)
    release.set()
    results = await asyncio.gather(*waiting, return_exceptions=True)
    assert all(isinstance(result, RuntimeError) for result in results)

    async def working() -> str:
        return "fresh"

    assert await cache.get("key", "v1", working) == "fresh"


async def test_the_least_recently_used_entries_go_first_when_full() -> None:
    cache = VersionedCache(max_bytes=10)

    def value(text_: str):
        async def compute() -> str:
            return text_
        return compute

    await cache.get("a", "v", value("aaaa"), size=len)
    await cache.get("b", "v", value("bbbb"), size=len)
    await cache.get("a", "v", value("changed"), size=len)  # a hit: "a" becomes the newest
    await cache.get("c", "v", value("cccc"), size=len)  # 12 bytes: "b" goes
    assert await cache.get("a", "v", value("new"), size=len) == "aaaa"
    assert await cache.get("b", "v", value("new"), size=len) == "new"
    assert await cache.get("huge", "v", value("x" * 11), size=len) == "x" * 11
    assert await cache.get("huge", "v", value("again"), size=len) == "again"  # never kept
