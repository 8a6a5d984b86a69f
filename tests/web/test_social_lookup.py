"""The RapidAPI lookup endpoints (reference §2.5 items 22-27, §7 scenario 19): the real app over
HTTP, a real arq worker running the `social_lookup` job beside it, and the fake RapidAPI server
on loopback, whose request counts show what reached the paid API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

import web.social_lookup
from demo.fake_rapidapi import FakeRapidApi, FakeServer, create_fake_app
from demo.fake_world import FakeWorld
from storage.models import DashboardRole
from tests.factories import insert_client, insert_person
from tests.waiting import eventually
from tests.web.conftest import (
    LiveApp,
    bearer,
    dashboard_user,
    running_worker,
    serve,
    token_for,
    web_settings,
)

KEY = "lookup-test-key"
JAKARTA = ZoneInfo("Asia/Jakarta")
START = datetime(2025, 12, 1, 8, 0, tzinfo=JAKARTA)
ENDPOINTS = ["/api/insta/rapid-profile", "/api/insta/rapid-info", "/api/insta/rapid-posts",
             "/api/tiktok/rapid-profile", "/api/tiktok/rapid-info", "/api/tiktok/rapid-posts"]
IG_POST_KEYS = {"id", "shortcode", "post_id", "created_at", "type", "caption", "like_count",
                "comment_count", "share_count", "view_count", "thumbnail"}
TT_VIDEO_KEYS = {"id", "video_id", "desc", "caption", "createTime", "created_at", "like_count",
                 "comment_count", "share_count", "play_count", "view_count", "cover", "stats"}


def _world() -> FakeWorld:
    world = FakeWorld()
    world.add_instagram_account("polres_a", follower_count=2500, following_count=75)
    for day in range(15):  # more than one page of 12
        post = world.add_ig_post("polres_a", START + timedelta(days=day),
                                 shortcode=f"POST{day:02d}", media_type=2 if day == 14 else 1)
        world.add_likers(post.shortcode, *(f"fan{n}" for n in range(day)))
    for day in range(5):
        world.add_video("polres_a_tt", START + timedelta(days=day), video_id=f"7{day:018d}",
                        commenters=[f"viewer{n}" for n in range(day * 5)], play_count=100 * day)
    world.add_video("polres_b_tt", START, video_id="7999999999999999999")
    return world


@dataclass
class Rig:
    app: LiveApp
    fake: FakeRapidApi
    world: FakeWorld
    operator: dict[str, str]  # headers of an operator of POLRES_A
    admin: dict[str, str]

    def upstream_calls(self) -> int:
        return sum(self.fake.counts.values())


@pytest.fixture
def fake_rapidapi() -> Iterator[tuple[FakeRapidApi, FakeWorld, str]]:
    world = _world()
    app = create_fake_app(world, api_key=KEY)
    server = FakeServer(app)
    url = server.start()
    yield app.state.fake, world, url
    server.stop()


@pytest.fixture
async def people(engine) -> tuple[dict[str, str], dict[str, str]]:
    async with engine.begin() as connection:
        await insert_client(connection, "POLRES_A", instagram="polres_a", tiktok="@Polres_A_TT")
        await insert_client(connection, "POLRES_B", tiktok="polres_b_tt")
        await insert_client(connection, "POLRES_C")
    operator = await dashboard_user(engine, "opA", DashboardRole.OPERATOR, ["POLRES_A"])
    admin = await dashboard_user(engine, "admin1", DashboardRole.ADMIN, [])
    async with engine.begin() as connection:  # the lookups are premium (web/premium_access.py)
        await insert_person(connection, "9001", "OPERATOR A", "POLRES_A",
                            premium_until=date(2099, 12, 31))
        await connection.execute(text("UPDATE dashboard_users SET user_id = '9001' "
                                      "WHERE id = :id"), {"id": operator})
    return (bearer(token_for(operator, "opA", DashboardRole.OPERATOR, ["POLRES_A"])),
            bearer(token_for(admin, "admin1", DashboardRole.ADMIN, [])))


def _settings(url: str, **overrides: object):
    return web_settings(rapidapi_key=KEY, rapidapi_instagram_url=url, rapidapi_tiktok_url=url,
                        rapidapi_instagram_rps=1000, rapidapi_tiktok_rps=1000, **overrides)


@pytest.fixture
async def rig(people, redis, fake_rapidapi, database_url: str, redis_url: str
              ) -> AsyncIterator[Rig]:
    fake, world, url = fake_rapidapi
    settings = _settings(url)
    async with running_worker(settings, database_url, redis_url):
        async for app in serve(settings, database_url, redis_url):
            yield Rig(app, fake, world, *people)


# --- scenario 19 and input checks ----------------------------------------------------------------

async def test_scenario_19_missing_or_bad_usernames_are_400(rig: Rig) -> None:
    client, headers = rig.app.client, rig.operator
    missing = await client.get("/api/insta/rapid-profile", headers=headers)
    assert missing.status_code == 400
    assert missing.json() == {"success": False, "message": "username wajib diisi"}
    for path in ("/api/insta/rapid-info", "/api/insta/rapid-posts", "/api/tiktok/rapid-profile"):
        response = await client.get(path, headers=headers, params={"username": " "})
        assert (response.status_code, response.json()["message"]) == (400,
                                                                       "username wajib diisi")
    bad = await client.get("/api/tiktok/rapid-profile", headers=headers,
                           params={"username": "bad name!"})
    assert bad.status_code == 400
    assert bad.json() == {"success": False, "message":
                          "Username TikTok tidak valid. Hanya boleh huruf a-z, angka 0-9, titik "
                          "(.) dan garis bawah (_), maksimal 24 karakter."}
    for path in ENDPOINTS:
        response = await client.get(path, headers=headers, params={"username": "bad name!"})
        assert response.status_code == 400, path
        assert response.json()["success"] is False
    post_link = await client.get("/api/insta/rapid-profile", headers=headers,
                                 params={"username": "https://www.instagram.com/p/POST01/"})
    assert post_link.status_code == 400
    not_a_number = await client.get("/api/insta/rapid-posts", headers=headers,
                                    params={"username": "polres_a", "limit": "sepuluh"})
    assert not_a_number.json() == {"success": False, "message": "limit harus bilangan bulat"}
    assert rig.upstream_calls() == 0


async def test_every_endpoint_needs_a_valid_token(rig: Rig) -> None:
    for path in ENDPOINTS:
        anonymous = await rig.app.client.get(path, params={"username": "polres_a"})
        garbage = await rig.app.client.get(path, params={"username": "polres_a"},
                                           headers=bearer("garbage"))
        assert (anonymous.status_code, garbage.status_code) == (401, 401), path
        assert anonymous.json()["success"] is False
    assert rig.upstream_calls() == 0


async def test_without_premium_every_lookup_is_403_before_any_call(rig: Rig, engine) -> None:
    plain = await dashboard_user(engine, "opA2", DashboardRole.OPERATOR, ["POLRES_A"])
    headers = bearer(token_for(plain, "opA2", DashboardRole.OPERATOR, ["POLRES_A"]))
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE personnel SET premium_until = '2020-01-01' "
                                      "WHERE user_id = '9001'"))
    for who in (headers, rig.operator):  # never premium / premium ended
        for path in ENDPOINTS:
            response = await rig.app.client.get(path, headers=who,
                                                params={"username": "polres_a"})
            assert response.status_code == 403, path
            assert "khusus pengguna premium" in response.json()["message"]
    assert rig.upstream_calls() == 0


async def test_a_foreign_client_id_is_403_before_any_lookup(rig: Rig) -> None:
    for path in ENDPOINTS:
        response = await rig.app.client.get(path, headers=rig.operator,
                                            params={"username": "polres_a",
                                                    "client_id": "POLRES_B"})
        assert response.status_code == 403, path
        assert response.json() == {"success": False, "message": "client_id tidak diizinkan"}
    header = await rig.app.client.get("/api/tiktok/rapid-info",
                                      headers={**rig.operator, "X-Client-Id": "POLRES_B"})
    assert header.status_code == 403
    assert rig.upstream_calls() == 0


# --- happy paths with the keys the dashboard reads -----------------------------------------------

async def test_instagram_profile_info_and_posts(rig: Rig) -> None:
    client, headers = rig.app.client, rig.operator
    profile = await client.get("/api/insta/rapid-profile", headers=headers,
                               params={"username": "@Polres_A", "client_id": "POLRES_A"})
    assert profile.status_code == 200, profile.text
    body = profile.json()
    assert body["success"] is True
    data = body["data"]
    assert (data["username"], data["followers"], data["follower_count"]) == ("polres_a", 2500,
                                                                             2500)
    assert (data["following"], data["following_count"]) == (75, 75)
    assert data["bio"] == data["biography"] == "Akun resmi"
    assert data["media_count"] == 15

    info = await client.get("/api/insta/rapid-info", headers=headers,
                            params={"username": "https://instagram.com/polres_a"})
    assert info.status_code == 200
    raw = info.json()["data"]
    assert (raw["username"], raw["follower_count"], raw["full_name"]) == ("polres_a", 2500,
                                                                          "Polres A")
    assert "followers" not in raw  # the provider's own object, as the reference forwards it

    posts = await client.get("/api/insta/rapid-posts", headers=headers,
                             params={"username": "polres_a", "limit": "13"})
    assert posts.status_code == 200
    items = posts.json()["data"]
    assert [item["id"] for item in items] == [f"POST{day:02d}" for day in range(14, 1, -1)]
    assert all(set(item) == IG_POST_KEYS for item in items)
    newest = items[0]
    assert (newest["type"], newest["like_count"], newest["comment_count"]) == ("video", 14, 0)
    assert datetime.fromisoformat(newest["created_at"]) == START + timedelta(days=14)
    assert newest["thumbnail"] == "https://fake.cdninstagram.com/POST14.jpg"
    assert items[1]["type"] == "image"
    assert rig.fake.counts == {"/v1/info": 2, "/v1/posts": 2}  # 13 posts: two pages of 12


async def test_instagram_posts_limit_is_clamped_to_1_and_100(rig: Rig) -> None:
    client, headers = rig.app.client, rig.operator
    one = await client.get("/api/insta/rapid-posts", headers=headers,
                           params={"username": "polres_a", "limit": "-5"})
    assert [item["id"] for item in one.json()["data"]] == ["POST14"]
    default = await client.get("/api/insta/rapid-posts", headers=headers,
                               params={"username": "polres_a"})
    assert len(default.json()["data"]) == 10
    many = await client.get("/api/insta/rapid-posts", headers=headers,
                            params={"username": "polres_a", "limit": "1000"})
    assert len(many.json()["data"]) == 15  # everything the account has, asked as 100


async def test_tiktok_profile_and_info(rig: Rig) -> None:
    client = rig.app.client
    profile = await client.get("/api/tiktok/rapid-profile", headers=rig.operator,
                               params={"username": "https://www.tiktok.com/@polres_a_tt"})
    assert profile.status_code == 200, profile.text
    data = profile.json()["data"]
    user, stats = data["userInfo"]["user"], data["userInfo"]["stats"]
    assert user["uniqueId"] == "polres_a_tt"
    assert {"signature", "avatarLarger"} <= set(user)
    assert stats["followerCount"] == 5005 and stats["followingCount"] == 42
    assert (stats["heart"], stats["videoCount"]) == (90_000, 5)
    assert (data["username"], data["followers"]) == ("polres_a_tt", 5005)

    own = await client.get("/api/tiktok/rapid-info", headers=rig.operator)  # the token client
    assert own.status_code == 200
    assert own.json()["data"]["userInfo"]["user"]["uniqueId"] == "polres_a_tt"
    chosen = await client.get("/api/tiktok/rapid-info", headers=rig.admin,
                              params={"client_id": "polres_b"})
    assert chosen.json()["data"]["userInfo"]["user"]["uniqueId"] == "polres_b_tt"
    named = await client.get("/api/tiktok/rapid-info", headers=rig.admin,
                             params={"username": "polres_b_tt", "client_id": "POLRES_A"})
    assert named.json()["data"]["username"] == "polres_b_tt"  # username wins over the client
    # profile and info are cached apart; info for polres_b_tt was cached by the `chosen` call
    assert rig.fake.counts == {"/api/user/info": 3}


async def test_tiktok_info_without_a_usable_client(rig: Rig) -> None:
    client = rig.app.client
    no_client = await client.get("/api/tiktok/rapid-info", headers=rig.admin)
    assert no_client.json() == {"success": False, "message": "client_id wajib diisi"}
    assert no_client.status_code == 400
    no_handle = await client.get("/api/tiktok/rapid-posts", headers=rig.admin,
                                 params={"client_id": "POLRES_C"})
    assert no_handle.status_code == 404
    assert no_handle.json() == {"success": False,
                                "message": "Client belum memiliki akun TikTok yang valid"}
    unknown = await client.get("/api/tiktok/rapid-info", headers=rig.admin,
                               params={"client_id": "POLRES_X"})
    assert (unknown.status_code, unknown.json()["message"]) == (404, "Client tidak ditemukan")
    assert rig.upstream_calls() == 0


async def test_tiktok_posts_by_client_and_by_username(rig: Rig) -> None:
    client = rig.app.client
    by_client = await client.get("/api/tiktok/rapid-posts", headers=rig.operator,
                                 params={"client_id": "POLRES_A", "limit": "3"})
    assert by_client.status_code == 200, by_client.text
    items = by_client.json()["data"]
    assert [item["id"] for item in items] == [f"7{day:018d}" for day in (4, 3, 2)]
    assert all(set(item) == TT_VIDEO_KEYS for item in items)
    newest = items[0]
    assert newest["stats"] == {"diggCount": 20 * 3 + 17, "commentCount": 20,
                               "shareCount": 4, "playCount": 400}
    assert newest["createTime"] == int((START + timedelta(days=4)).timestamp())
    assert (newest["desc"], newest["share_count"]) == ("Kegiatan polres_a_tt", 4)
    by_name = await client.get("/api/tiktok/rapid-posts", headers=rig.admin,
                               params={"username": "@polres_b_tt"})
    assert [item["id"] for item in by_name.json()["data"]] == ["7999999999999999999"]
    # one account lookup (secUid) and one listing each
    assert rig.fake.counts == {"/api/user/info": 2, "/api/user/posts": 2}
    assert all("secUid" in r.params for r in rig.fake.requests if r.path == "/api/user/posts")


# --- cost control --------------------------------------------------------------------------------

async def test_a_cached_answer_makes_no_new_upstream_request(rig: Rig, redis) -> None:
    client, headers = rig.app.client, rig.operator
    params = {"username": "polres_a", "limit": "5"}
    first = await client.get("/api/insta/rapid-posts", headers=headers, params=params)
    second = await client.get("/api/insta/rapid-posts", headers=rig.admin,
                              params={"username": "@POLRES_A", "limit": "5"})
    assert second.json() == first.json() and first.status_code == 200
    assert rig.fake.counts == {"/v1/posts": 1}
    other_limit = await client.get("/api/insta/rapid-posts", headers=headers,
                                   params={"username": "polres_a", "limit": "6"})
    assert len(other_limit.json()["data"]) == 6
    assert rig.fake.counts == {"/v1/posts": 2}
    for _ in range(2):
        assert (await client.get("/api/insta/rapid-profile", headers=headers,
                                 params={"username": "polres_a"})).status_code == 200
    assert rig.fake.counts["/v1/info"] == 1
    assert 590 <= await redis.ttl("social_lookup:instagram-posts:polres_a:5") <= 600
    assert 3590 <= await redis.ttl("social_lookup:instagram-profile:polres_a:0") <= 3600


async def test_lookups_are_rate_limited_per_user_but_cache_hits_are_free(rig: Rig) -> None:
    client, headers = rig.app.client, rig.operator
    assert (await client.get("/api/insta/rapid-profile", headers=headers,
                             params={"username": "polres_a"})).status_code == 200
    unknown = await asyncio.gather(*(
        client.get("/api/insta/rapid-profile", headers=headers,
                   params={"username": f"nobody{n}"}) for n in range(29)))
    assert [r.status_code for r in unknown] == [404] * 29  # misses cost too
    over = await client.get("/api/tiktok/rapid-profile", headers=headers,
                            params={"username": "polres_a_tt"})
    assert over.status_code == 429
    assert over.json() == {"success": False,
                           "message": "Terlalu banyak percobaan. Silakan coba lagi dalam "
                                      "10 menit."}
    assert rig.upstream_calls() == 30
    cached = await client.get("/api/insta/rapid-profile", headers=headers,
                              params={"username": "polres_a"})
    assert cached.status_code == 200
    other_user = await client.get("/api/tiktok/rapid-profile", headers=rig.admin,
                                  params={"username": "polres_a_tt"})
    assert other_user.status_code == 200
    assert rig.upstream_calls() == 31


# --- upstream failures ---------------------------------------------------------------------------

async def test_unknown_accounts_are_404(rig: Rig, redis) -> None:
    for path, name in (("/api/insta/rapid-profile", "tidak_ada"),
                       ("/api/insta/rapid-posts", "tidak_ada"),
                       ("/api/tiktok/rapid-profile", "tidak_ada"),
                       ("/api/tiktok/rapid-posts", "tidak_ada")):
        response = await rig.app.client.get(path, headers=rig.operator,
                                            params={"username": name})
        assert response.status_code == 404, path
        assert response.json() == {"success": False, "message": "Akun tidak ditemukan."}
    assert await redis.keys("social_lookup:*") == []  # failures are not cached


async def test_an_upstream_error_is_502_without_its_text(rig: Rig) -> None:
    rig.fake.inject(403, path="/v1/info")
    response = await rig.app.client.get("/api/insta/rapid-info", headers=rig.operator,
                                        params={"username": "polres_a"})
    assert response.status_code == 502
    assert response.json() == {"success": False, "message": "Layanan RapidAPI sedang "
                                                            "bermasalah. Silakan coba lagi nanti."}
    assert rig.fake.counts == {"/v1/info": 1}


async def test_no_worker_answer_in_time_is_504(people, redis, fake_rapidapi, database_url: str,
                                               redis_url: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web.social_lookup, "LOOKUP_TIMEOUT", 0.5)
    fake, _, url = fake_rapidapi
    operator, _ = people
    async for app in serve(_settings(url), database_url, redis_url):  # no worker running
        response = await app.client.get("/api/insta/rapid-profile", headers=operator,
                                        params={"username": "polres_a"})
        assert response.status_code == 504
        assert response.json() == {"success": False, "message": "Layanan RapidAPI tidak "
                                   "merespons tepat waktu. Silakan coba lagi."}
    assert await redis.zcard("cicero:jobs") == 1
    job = "arq:job:social_lookup:instagram-profile:polres_a:0"
    # the unstarted job expires: no worker runs it later for nobody
    await eventually(lambda: _gone(redis, job), "the unstarted job expired")
    assert sum(fake.counts.values()) == 0


async def _gone(redis, key: str) -> bool:
    return await redis.exists(key) == 0


async def test_without_a_rapidapi_key_lookups_are_503(people, redis, database_url: str,
                                                      redis_url: str) -> None:
    operator, _ = people
    async for app in serve(web_settings(rapidapi_key=None), database_url, redis_url):
        response = await app.client.get("/api/tiktok/rapid-profile", headers=operator,
                                        params={"username": "polres_a_tt"})
        assert response.status_code == 503
        assert response.json() == {"success": False,
                                   "message": "Layanan pencarian akun belum tersedia."}
