"""The fake RapidAPI server: its generated world, the §7 shapes, key check, fault injection,
and the acceptance run: with 5% 429, 5% 500 and 50 ms latency no page is lost."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
import structlog

from demo.fake_rapidapi import FakeRapidApi, FakeServer, Faults, create_fake_app
from demo.fake_world import FakeWorld
from jobs.rapidapi import InstagramApi, ProviderConfig, RapidApiClient, TikTokApi
from jobs.rapidapi.http import INSTAGRAM_HOST, TIKTOK_HOST

WIB = ZoneInfo("Asia/Jakarta")
DAY = date(2025, 12, 6)
KEY = "fake-key"
HEADERS = {"x-rapidapi-key": KEY}
log = structlog.get_logger(__name__)


@pytest.fixture
def running() -> Iterator:
    servers: list[FakeServer] = []

    def start(world: FakeWorld, faults: Faults | None = None) -> tuple[FakeRapidApi, str]:
        app = create_fake_app(world, faults, api_key=KEY)
        server = FakeServer(app)
        servers.append(server)
        return app.state.fake, server.start()

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


# --- the generated world -----------------------------------------------------------------------

def test_generated_world_is_deterministic_and_shaped_like_a_day() -> None:
    world = FakeWorld.generated(40, DAY, WIB, seed=7)
    again = FakeWorld.generated(40, DAY, WIB, seed=7)
    assert list(world.ig_posts) == list(again.ig_posts)
    assert list(world.videos) == list(again.videos)
    assert world.ground_truth_likes(next(iter(world.ig_posts))) == \
        again.ground_truth_likes(next(iter(again.ig_posts)))
    assert list(FakeWorld.generated(40, DAY, WIB, seed=8).ig_posts) != list(world.ig_posts)
    assert len(world.instagram) == len(world.tiktok) == 40
    midnight = datetime(2025, 12, 6, tzinfo=WIB)
    for username in world.instagram:
        today = [p for p in world.ig_posts_of(username) if p.taken_at >= midnight]
        assert 2 <= len(today) <= 4
        assert all(50 <= len(p.likes) <= 600 for p in today)
    taken = [p.taken_at for p in world.ig_posts.values()]
    assert any(midnight <= t < midnight + timedelta(minutes=30) for t in taken)  # 17:0x UTC
    assert any(midnight - timedelta(minutes=30) <= t < midnight for t in taken)
    assert any(p.pinned for p in world.ig_posts.values())
    comments = [e.username for v in world.videos.values() for e in v.comments]
    assert max(Counter(name.lower() for name in comments).values()) > 1  # repeat commenters
    assert any(name != name.lower() for name in comments)  # upper-case handles


def test_now_hides_what_has_not_happened_yet() -> None:
    moment = datetime(2025, 12, 6, 10, 0, tzinfo=WIB)
    world = FakeWorld(now=lambda: moment)
    early = world.add_ig_post("polres_a", moment - timedelta(hours=2), shortcode="EARLY")
    world.add_ig_post("polres_a", moment + timedelta(hours=2), shortcode="LATER")
    world.add_likers("EARLY", "a", at=moment - timedelta(hours=1))
    world.add_likers("EARLY", "b", at=moment + timedelta(minutes=5))
    assert [p.shortcode for p in world.ig_posts_of("polres_a")] == ["EARLY"]
    assert world.ground_truth_likes("EARLY") == {"a"}
    moment += timedelta(hours=3)
    assert [p.shortcode for p in world.ig_posts_of("polres_a")] == ["LATER", "EARLY"]
    assert world.ground_truth_likes(early.shortcode) == {"a", "b"}


# --- the HTTP surface --------------------------------------------------------------------------

async def test_the_key_is_checked(running, http) -> None:
    fake, url = running(FakeWorld.generated(1, DAY, WIB))
    missing = await http.get(f"{url}/v1/info", params={"username_or_id_or_url": "satker01"})
    wrong = await http.get(f"{url}/v1/info", params={"username_or_id_or_url": "satker01"},
                           headers={"x-rapidapi-key": "nope"})
    right = await http.get(f"{url}/v1/info", params={"username_or_id_or_url": "satker01"},
                           headers=HEADERS)
    assert (missing.status_code, wrong.status_code, right.status_code) == (401, 403, 200)
    assert "message" in missing.json() and "message" in wrong.json()
    assert fake.counts["/v1/info"] == 3


async def test_instagram_shapes(running, http) -> None:
    world = FakeWorld.generated(1, DAY, WIB, seed=2)
    _fake, url = running(world)
    body = (await http.get(f"{url}/v1/posts", params={"username_or_id_or_url": "satker01"},
                           headers=HEADERS)).json()
    assert set(body) == {"data", "pagination_token"}
    item = body["data"]["items"][0]
    for key in ("id", "pk", "code", "taken_at", "media_type", "is_video", "caption",
                "like_count", "comment_count", "thumbnail_url", "image_versions", "user",
                "is_pinned"):
        assert key in item
    assert item["id"].startswith(item["pk"] + "_")
    busy = max(world.ig_posts.values(), key=lambda p: len(p.likes))
    first = (await http.get(f"{url}/v1/likes", params={"code_or_id_or_url": busy.shortcode},
                            headers=HEADERS)).json()["data"]
    assert len(first["items"]) == 50 and first["has_more"] is True and first["next_cursor"]
    assert {"id", "pk", "username", "full_name", "is_private"} <= set(first["items"][0])
    unknown = await http.get(f"{url}/v1/info", params={"username_or_id_or_url": "nobody"},
                             headers=HEADERS)
    assert unknown.status_code == 404 and "detail" in unknown.json()


async def test_tiktok_shapes(running, http) -> None:
    world = FakeWorld.generated(1, DAY, WIB, seed=2)
    _fake, url = running(world)
    account = world.tiktok["satker01.official"]
    body = (await http.get(f"{url}/api/user/posts", headers=HEADERS,
                           params={"secUid": account.sec_uid, "count": "2", "cursor": "0"})).json()
    data = body["data"]
    assert len(data["itemList"]) == 2 and data["hasMore"] is True and data["cursor"].isdigit()
    video = data["itemList"][0]
    assert len(video["id"]) == 19 and isinstance(video["stats"]["diggCount"], int)
    assert isinstance(video["statsV2"]["commentCount"], str)
    assert video["author"]["secUid"] == account.sec_uid
    busy = max(world.videos.values(), key=lambda v: len(v.comments))
    page = (await http.get(f"{url}/api/post/comments", headers=HEADERS,
                           params={"videoId": busy.video_id, "count": "50",
                                   "cursor": "50"})).json()
    assert page["total"] == len(busy.comments) and page["cursor"] == 100
    assert page["has_more"] in (0, 1) and page["status_code"] == 0
    assert {"cid", "text", "create_time", "user"} <= set(page["comments"][0])
    detail = (await http.get(f"{url}/api/post/detail", params={"videoId": busy.video_id},
                             headers=HEADERS)).json()
    assert detail["itemInfo"]["itemStruct"]["id"] == busy.video_id


async def test_faults_are_injected_by_configuration_deterministically(running, http) -> None:
    async def statuses(fake_url: str) -> list[int]:
        return [(await http.get(f"{fake_url}/v1/info", headers=HEADERS,
                                params={"username_or_id_or_url": "satker01"})).status_code
                for _ in range(40)]

    faults = Faults(rate_429=0.25, rate_500=0.25, malformed_rate=0.1, seed=4, retry_after=0.5)
    _, first_url = running(FakeWorld.generated(1, DAY, WIB), faults)
    _, second_url = running(FakeWorld.generated(1, DAY, WIB), faults)
    first = await statuses(first_url)
    assert first == await statuses(second_url)
    assert {429, 500, 200} <= set(first)
    throttled = await http.get(f"{first_url}/v1/info", headers=HEADERS,
                               params={"username_or_id_or_url": "satker01"})
    while throttled.status_code != 429:
        throttled = await http.get(f"{first_url}/v1/info", headers=HEADERS,
                                   params={"username_or_id_or_url": "satker01"})
    assert throttled.headers["retry-after"] == "0.5"


async def test_latency_is_added(running, http) -> None:
    _, url = running(FakeWorld.generated(1, DAY, WIB), Faults(latency=0.2))
    started = time.perf_counter()
    await http.get(f"{url}/v1/info", params={"username_or_id_or_url": "satker01"},
                   headers=HEADERS)
    assert time.perf_counter() - started >= 0.2


async def test_world_changes_show_up_in_the_next_run(running, http, redis) -> None:
    world = FakeWorld.generated(2, DAY, WIB, seed=1)
    _fake, url = running(world)
    config = ProviderConfig("instagram", url, INSTAGRAM_HOST, requests_per_second=1000)
    api = InstagramApi(RapidApiClient(http, redis, config, KEY))
    before = await api.posts("satker01", max_pages=10)
    shortcode = before[-1].shortcode
    world.add_ig_post("satker01", datetime(2025, 12, 6, 18, 0, tzinfo=WIB), shortcode="NEW1",
                      likers=["Baru.Sekali"])
    world.remove_ig_post(before[0].shortcode)
    world.add_likers(shortcode, "Tambahan.Satu")
    after = await api.posts("satker01", max_pages=10)
    assert after[0].shortcode == "NEW1" and before[0].shortcode not in {p.shortcode for p in after}
    assert "tambahan.satu" in (await api.likes(shortcode)).usernames
    world.remove_likers(shortcode, "TAMBAHAN.SATU")
    assert "tambahan.satu" not in (await api.likes(shortcode)).usernames


# --- acceptance: faults do not lose a page -----------------------------------------------------

async def test_a_faulty_run_over_ten_accounts_equals_the_ground_truth(running, http,
                                                                      redis) -> None:
    world = FakeWorld.generated(10, DAY, WIB, seed=11)
    fake, url = running(world, Faults(rate_429=0.05, rate_500=0.05, latency=0.05, seed=11))
    settings = {"requests_per_second": 1000.0, "concurrency": 6, "max_attempts": 10}
    insta = InstagramApi(RapidApiClient(http, redis, ProviderConfig(
        "instagram", url, INSTAGRAM_HOST, **settings), KEY))
    tiktok = TikTokApi(RapidApiClient(http, redis, ProviderConfig(
        "tiktok", url, TIKTOK_HOST, **settings), KEY))

    async def instagram_account(username: str) -> dict[str, set[str]]:
        posts = await insta.posts(username, max_pages=10)
        assert {p.shortcode for p in posts} == {p.shortcode for p in world.ig_posts_of(username)}
        results = await asyncio.gather(*(insta.likes(p.shortcode) for p in posts))
        assert all(r.complete for r in results)
        return {p.shortcode: r.usernames for p, r in zip(posts, results, strict=True)}

    async def tiktok_account(username: str) -> dict[str, set[str]]:
        account = world.tiktok[username]
        videos = await tiktok.posts(sec_uid=account.sec_uid, max_pages=5)
        assert {v.video_id for v in videos} == {v.video_id for v in world.videos_of(username)}
        results = await asyncio.gather(*(tiktok.comments(v.video_id) for v in videos))
        assert all(r.complete for r in results)
        return {v.video_id: r.usernames for v, r in zip(videos, results, strict=True)}

    started = time.perf_counter()
    likes, comments = await asyncio.gather(
        asyncio.gather(*map(instagram_account, world.instagram)),
        asyncio.gather(*map(tiktok_account, world.tiktok)))
    elapsed = time.perf_counter() - started

    fetched_likes = {code: names for account in likes for code, names in account.items()}
    fetched_comments = {vid: names for account in comments for vid, names in account.items()}
    assert fetched_likes == {code: world.ground_truth_likes(code) for code in world.ig_posts}
    assert fetched_comments == {vid: world.ground_truth_comments(vid) for vid in world.videos}
    stats = [insta.client.stats, tiktok.client.stats]
    assert sum(s.retries for s in stats) > 0 and sum(s.failures for s in stats) == 0
    requests = sum(fake.counts.values())
    assert requests == sum(s.requests for s in stats)
    # Two providers of 6 slots each run side by side.
    ideal = max(s.calls for s in stats) / 6 * 0.05
    log.info("fake_run", requests=requests, elapsed=round(elapsed, 2),
             ratio=round(elapsed / ideal, 2))
