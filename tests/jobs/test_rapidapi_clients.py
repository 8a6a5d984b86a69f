"""The RapidAPI clients against the fake server over loopback HTTP: pagination, aliases,
retries, rate limiting and bounded concurrency."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from demo.fake_rapidapi import FakeRapidApi, FakeServer, Faults, create_fake_app
from demo.fake_world import FakeWorld
from jobs.rapidapi import (
    INSTAGRAM_HOST,
    TIKTOK_HOST,
    InstagramApi,
    NotFound,
    ProviderConfig,
    RapidApiClient,
    RapidApiError,
    RateLimiter,
    TikTokApi,
    instagram_config,
    tiktok_config,
)
from jobs.rapidapi.http import URGENT, ConcurrencySlots
from tests.waiting import eventually

KEY = "test-key"
WIB = ZoneInfo("Asia/Jakarta")
DAY = date(2025, 12, 6)
NOON = datetime(2025, 12, 6, 12, 0, tzinfo=WIB)

Start = Callable[..., tuple[FakeRapidApi, str]]


@pytest.fixture
def serve() -> Iterator[Start]:
    """Start a fake (or any app) on loopback; returns (fake or None, base url)."""
    servers: list[FakeServer] = []

    def start(world: FakeWorld | Starlette, faults: Faults | None = None,
              api_key: str | None = KEY) -> tuple[Any, str]:
        app = world if isinstance(world, Starlette) else create_fake_app(world, faults,
                                                                         api_key=api_key)
        server = FakeServer(app)
        servers.append(server)
        return getattr(app.state, "fake", None), server.start()

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def client_for(http: httpx.AsyncClient, redis, url: str, provider: str = "instagram",
               key: str = KEY, **config: Any) -> RapidApiClient:
    host = INSTAGRAM_HOST if provider == "instagram" else TIKTOK_HOST
    settings = {"requests_per_second": 1000.0, "backoff_base": 0.01, "timeout": 5.0, **config}
    return RapidApiClient(http, redis, ProviderConfig(provider, url, host, **settings), key)


def ig(http, redis, url, **config) -> InstagramApi:
    return InstagramApi(client_for(http, redis, url, "instagram", **config))


def tt(http, redis, url, **config) -> TikTokApi:
    return TikTokApi(client_for(http, redis, url, "tiktok", **config))


def one_account_world(posts: int = 0, likers: int = 0) -> FakeWorld:
    world = FakeWorld(seed=3)
    for n in range(posts):
        world.add_ig_post("polres_a", NOON - timedelta(hours=5 * n), shortcode=f"P{n:03d}",
                          likers=[f"User{i}" for i in range(likers if n == 0 else 2)])
    return world


# --- configuration -----------------------------------------------------------------------------

def test_configs_use_the_real_hosts_and_overridable_urls() -> None:
    from cicero.settings import Settings

    settings = Settings(rapidapi_instagram_url="http://127.0.0.1:9/ig",
                        rapidapi_tiktok_url="http://127.0.0.1:9/tt")
    assert instagram_config(settings).host == "social-api4.p.rapidapi.com"
    assert tiktok_config(settings).host == "tiktok-api23.p.rapidapi.com"
    assert instagram_config(settings).base_url == "http://127.0.0.1:9/ig"
    assert tiktok_config(settings).base_url == "http://127.0.0.1:9/tt"
    assert instagram_config(Settings()).base_url == "https://social-api4.p.rapidapi.com"


# --- Instagram ---------------------------------------------------------------------------------

async def test_instagram_posts_follow_the_pagination_token(serve, http, redis) -> None:
    fake, url = serve(one_account_world(posts=30))
    posts = await ig(http, redis, url).posts("polres_a", max_pages=10)
    assert [p.shortcode for p in posts] == [f"P{n:03d}" for n in range(30)]  # newest first
    assert fake.counts["/v1/posts"] == 3  # 12 + 12 + 6
    assert posts[0].taken_at == NOON.astimezone(UTC) and posts[0].taken_at.tzinfo is UTC
    assert {r.host for r in fake.requests} == {INSTAGRAM_HOST}
    assert {r.cache_control for r in fake.requests} == {"no-cache"}
    tokens = [r.params.get("pagination_token") for r in fake.requests]
    assert tokens[0] is None and all(tokens[1:])


async def test_instagram_posts_stop_at_the_first_page_older_than_since(serve, http,
                                                                        redis) -> None:
    world = one_account_world(posts=30)
    world.ig_posts["P029"].pinned = True  # an old pinned post is listed first
    fake, url = serve(world)
    since = datetime(2025, 12, 6, tzinfo=WIB)
    posts = await ig(http, redis, url).posts("polres_a", max_pages=10, since=since)
    assert [p.shortcode for p in posts] == ["P000", "P001", "P002"]  # 12:00, 07:00, 02:00
    assert fake.counts["/v1/posts"] == 1


async def test_instagram_likes_follow_the_cursor_and_normalise(serve, http, redis) -> None:
    world = one_account_world(posts=1, likers=0)
    world.add_likers("P000", *[f"Bripka.Andi{i}" for i in range(120)], "@Bripka.Andi1",
                     "  BRIPKA.ANDI2 ")
    fake, url = serve(world)
    result = await ig(http, redis, url).likes("P000")
    assert result.usernames == world.ground_truth_likes("P000")
    assert result.usernames == {f"bripka.andi{i}" for i in range(120)}
    assert (result.pages, result.complete) == (3, True)
    assert fake.counts["/v1/likes"] == 3


async def test_instagram_likes_single_page_answer(serve, http, redis) -> None:
    _fake, url = serve(one_account_world(posts=1, likers=7))
    result = await ig(http, redis, url).likes("P000")
    assert result.usernames == {f"user{i}" for i in range(7)}
    assert (result.pages, result.complete) == (1, True)


async def test_instagram_likes_stop_at_the_page_cap(serve, http, redis) -> None:
    fake, url = serve(one_account_world(posts=1, likers=1100))  # 22 pages of 50
    result = await ig(http, redis, url).likes("P000", max_pages=20)
    assert (result.pages, result.complete, len(result.usernames)) == (20, False, 1000)
    assert fake.counts["/v1/likes"] == 20


async def test_instagram_info_and_post_info(serve, http, redis) -> None:
    world = one_account_world(posts=2, likers=5)
    world.add_instagram_account("polres_a", follower_count=1500, following_count=30)
    world.add_ig_post("polres_a", NOON, shortcode="CAROUSEL001", media_type=8, carousel_size=3)
    fake, url = serve(world)
    api = ig(http, redis, url)
    profile = await api.info("polres_a")
    assert (profile.username, profile.follower_count, profile.media_count) == ("polres_a", 1500, 3)
    assert profile.active
    post = await api.post_info("CAROUSEL001")
    assert post.is_carousel and len(post.images) == 3 and post.owner_username == "polres_a"
    assert fake.requests[-1].cache_control is None
    with pytest.raises(NotFound) as caught:
        await api.info("nobody_here")
    assert caught.value.status == 404 and caught.value.endpoint == "/v1/info"
    assert fake.counts["/v1/info"] == 2  # a 404 is not retried


# --- TikTok ------------------------------------------------------------------------------------

def tiktok_world(videos: int = 12, commenters: int = 0) -> FakeWorld:
    world = FakeWorld(seed=5)
    world.add_tiktok_account("polres_a", "SECUID_A")
    for n in range(videos):
        world.add_video("polres_a", NOON - timedelta(hours=3 * n), video_id=f"7{n:018d}",
                        commenters=[f"Warga{i}" for i in range(commenters if n == 0 else 1)])
    return world


async def test_tiktok_profile_and_posts_by_cursor(serve, http, redis) -> None:
    fake, url = serve(tiktok_world(videos=12))
    api = tt(http, redis, url)
    profile = await api.user_info("@Polres_A")
    assert (profile.username, profile.sec_uid, profile.video_count) == ("polres_a", "SECUID_A", 12)
    videos = await api.posts(sec_uid="SECUID_A", count=5, max_pages=5)
    assert [v.video_id for v in videos] == [f"7{n:018d}" for n in range(12)]
    assert fake.counts["/api/user/posts"] == 3
    assert next(r.params["cursor"] for r in fake.requests[1:]) == "0"
    one_page = await api.posts(username="polres_a", count=5)
    assert len(one_page) == 5 and fake.counts["/api/user/posts"] == 4
    since = datetime(2025, 12, 6, tzinfo=WIB)
    today = await api.posts(sec_uid="SECUID_A", count=3, max_pages=5, since=since)
    assert [v.video_id for v in today] == [f"7{n:018d}" for n in range(5)]  # 12, 9, 6, 3, 0 h
    assert fake.counts["/api/user/posts"] == 6
    assert {r.host for r in fake.requests} == {TIKTOK_HOST}


async def test_tiktok_posts_fall_back_to_the_sec_uid(serve, http, redis) -> None:
    world = tiktok_world(videos=2)
    world.require_sec_uid = True
    fake, url = serve(world)
    videos = await tt(http, redis, url).posts(username="polres_a")
    assert len(videos) == 2
    assert [r.params.get("secUid") for r in fake.requests if r.path == "/api/user/posts"] == \
        [None, "SECUID_A"]


async def test_tiktok_comments_page_the_offset_cursor_until_total(serve, http, redis) -> None:
    world = tiktok_world(videos=1, commenters=0)
    video_id = "7" + "0" * 18
    world.add_comments(video_id, *[f"Warga{i}" for i in range(120)], "WARGA5", "@warga7")
    fake, url = serve(world)
    result = await tt(http, redis, url).comments(video_id)
    assert result.usernames == world.ground_truth_comments(video_id)
    assert len(result.usernames) == 120
    assert (result.total, result.complete, result.pages) == (122, True, 3)
    assert [r.params["cursor"] for r in fake.requests] == ["0", "50", "100"]
    capped = await tt(http, redis, url).comments(video_id, max_pages=2)
    assert (capped.complete, capped.pages, len(capped.usernames)) == (False, 2, 100)


async def test_tiktok_post_detail(serve, http, redis) -> None:
    _fake, url = serve(tiktok_world(videos=1, commenters=4))
    api = tt(http, redis, url)
    video = await api.post_detail("7" + "0" * 18)
    assert (video.comment_count, video.author_username) == (4, "polres_a")
    assert video.create_time == NOON.astimezone(UTC)
    with pytest.raises(NotFound, match="item doesn't exist"):
        await api.post_detail("7999")
    with pytest.raises(NotFound):
        await api.user_info("nobody")


# --- aliases -----------------------------------------------------------------------------------

ALIASES: dict[tuple[str, str], Any] = {
    ("/v1/posts", ""): {"data": {"items": [{
        "shortcode": "ALT1", "pk": "11", "taken_at_timestamp": "1765000000",
        "caption": "plain caption", "thumbnail_src": "https://t/1.jpg", "media_type": 2,
        "image_versions2": {"candidates": [{"url": "https://i/1.jpg"}]},
        "video_versions": [{"url": "https://v/1.mp4"}], "edge_liked_by": {"count": 9}}],
        "end_cursor": "PAGE2"}},
    ("/v1/posts", "PAGE2"): {"data": {"items": [{
        "code": "ALT2", "id": "22_1", "taken_at": 1764990000, "caption": None,
        "display_url": "https://d/2.jpg", "comment_count": "4",
        "carousel_media": [{"image_versions": {"items": [{"url": "https://c/1.jpg"}]}},
                           {"image_versions2": {"candidates": [{"url": "https://c/2.jpg"}]}}]}],
        "pagination_token": "PAGE3"}, "has_more": False},
    ("/v1/likes", ""): {"data": {"items": ["Andi", "@Budi", {"username": "CITRA"}, "  "],
                                 "end_cursor": "L2", "has_more": True}},
    ("/v1/likes", "L2"): {"data": {"items": [{"user": {"username": "dewi"}}],
                                   "end_cursor": "L3", "has_more": False}},
    ("/v1/info", ""): {"data": {"username": "Polres_B", "followers_count": 10,
                                "edge_follow": {"count": 3},
                                "edge_owner_to_timeline_media": {"count": 7}}},
    ("/api/user/info", ""): {"userInfo": {"user": {"unique_id": "Polres_B", "sec_uid": "S"},
                                          "stats": {"heartCount": 5, "videoCount": 2}}},
    ("/api/user/posts", ""): {"data": json.dumps({"videos": [{
        "video_id": "701", "create_time": "1765000000", "caption": "c",
        "digg_count": 5, "statsV2": {"commentCount": "12", "playCount": "900"},
        "cover": "https://cover/701.jpeg"}]})},
    ("/api/post/comments", "0"): {"data": {"comments": [{"username": "Eko"},
                                                         {"user": {"uniqueId": "@Fajar"}}],
                                           "total": 4, "cursor": 2, "has_more": True}},
    ("/api/post/comments", "2"): {"data": {"comments": [{"unique_id": "GITA"}, {}],
                                           "total": 4, "cursor": 4, "has_more": False}},
    ("/api/post/detail", ""): {"data": {"itemInfo": {"itemStruct": {
        "id": "702", "createTime": 1765000000123, "stats": {"diggCount": 0},
        "statsV2": {"diggCount": "8"}, "author": {"unique_id": "Polres_B"}}}}},
}


def alias_app() -> Starlette:
    async def answer(request: Request) -> Response:
        params = request.query_params
        cursor = params.get("pagination_token") or params.get("cursor") or ""
        body = ALIASES.get((request.url.path, cursor))
        if body is None and cursor == "0":  # TikTok posts start at cursor=0
            body = ALIASES.get((request.url.path, ""))
        return JSONResponse(body) if body is not None else JSONResponse({"message": "?"}, 400)

    return Starlette(routes=[Route(path, answer) for path in {p for p, _ in ALIASES}])


async def test_the_reference_field_aliases_are_understood(serve, http, redis) -> None:
    _, url = serve(alias_app())
    insta, tiktok = ig(http, redis, url), tt(http, redis, url)
    first, second = await insta.posts("polres_b")
    assert (first.shortcode, first.id, first.caption, first.like_count) == \
        ("ALT1", "11", "plain caption", 9)
    assert (first.is_video, first.video_url, first.thumbnail_url, first.image_url) == \
        (True, "https://v/1.mp4", "https://t/1.jpg", "https://i/1.jpg")
    assert first.taken_at == datetime.fromtimestamp(1765000000, UTC)
    assert (second.shortcode, second.caption, second.comment_count, second.is_carousel) == \
        ("ALT2", None, 4, True)
    assert second.images == ["https://c/1.jpg", "https://c/2.jpg"]
    assert second.thumbnail_url == "https://d/2.jpg"
    likes = await insta.likes("ALT1")
    assert (likes.usernames, likes.pages, likes.complete) == \
        ({"andi", "budi", "citra", "dewi"}, 2, True)
    profile = await insta.info("polres_b")
    assert (profile.username, profile.follower_count, profile.following_count,
            profile.media_count) == ("polres_b", 10, 3, 7)
    tt_profile = await tiktok.user_info("polres_b")
    assert (tt_profile.sec_uid, tt_profile.like_count, tt_profile.video_count) == ("S", 5, 2)
    (video,) = await tiktok.posts(username="polres_b")
    assert (video.video_id, video.like_count, video.comment_count, video.play_count) == \
        ("701", 5, 12, 900)
    assert video.cover_url == "https://cover/701.jpeg"
    comments = await tiktok.comments("701")
    assert (comments.usernames, comments.total, comments.pages) == \
        ({"eko", "fajar", "gita"}, 4, 2)
    detail = await tiktok.post_detail("702")
    assert detail.like_count == 0 and detail.author_username == "polres_b"
    assert detail.create_time == datetime.fromtimestamp(1765000000.123, UTC)


# --- retries and errors ------------------------------------------------------------------------

async def test_429_waits_for_retry_after(serve, http, redis) -> None:
    fake, url = serve(one_account_world(posts=1, likers=3))
    fake.inject("429:0.3")
    api = ig(http, redis, url, backoff_base=5.0)  # the backoff would be far longer
    started = time.perf_counter()
    result = await api.likes("P000")
    elapsed = time.perf_counter() - started
    assert len(result.usernames) == 3
    assert 0.3 <= elapsed < 1.5
    assert fake.counts["/v1/likes"] == 2 and api.client.stats.retries == 1


async def test_5xx_and_timeouts_are_retried_then_succeed(serve, http, redis) -> None:
    fake, url = serve(one_account_world(posts=1, likers=3))
    fake.inject("500", "502", "slow:1")
    api = ig(http, redis, url, timeout=0.3)
    result = await api.likes("P000")
    assert len(result.usernames) == 3
    assert fake.counts["/v1/likes"] == 4
    assert (api.client.stats.calls, api.client.stats.retries, api.client.stats.failures) == \
        (1, 3, 0)


async def test_connection_errors_are_retried_then_reported(http, redis) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    api = ig(http, redis, f"http://127.0.0.1:{port}", max_attempts=3)
    with pytest.raises(RapidApiError, match=r"gave up after 3 attempts.*ConnectError") as caught:
        await api.likes("P000")
    assert caught.value.endpoint == "/v1/likes" and caught.value.status is None
    assert api.client.stats.retries == 2


@pytest.mark.parametrize("status", [400, 403, 404, 422])
async def test_other_4xx_are_not_retried(serve, http, redis, status: int) -> None:
    fake, url = serve(one_account_world(posts=1, likers=3))
    fake.inject(status)
    api = ig(http, redis, url)
    with pytest.raises(RapidApiError, match=f"HTTP {status}") as caught:
        await api.likes("P000")
    assert caught.value.status == status
    assert fake.counts["/v1/likes"] == 1 and api.client.stats.failures == 1


async def test_a_wrong_key_is_a_403_not_retried(serve, http, redis) -> None:
    fake, url = serve(one_account_world(posts=1))
    api = InstagramApi(client_for(http, redis, url, key="wrong"))
    with pytest.raises(RapidApiError, match="not subscribed") as caught:
        await api.posts("polres_a")
    assert caught.value.status == 403 and fake.counts["/v1/posts"] == 1


@pytest.mark.parametrize("fault", ["malformed", "empty"])
async def test_a_malformed_body_is_an_error_of_that_call(serve, http, redis, fault: str) -> None:
    fake, url = serve(one_account_world(posts=1, likers=3))
    fake.inject(fault, path="/v1/likes")
    api = ig(http, redis, url)
    with pytest.raises(RapidApiError, match="malformed body") as caught:
        await api.likes("P000")
    assert caught.value.endpoint == "/v1/likes"
    assert len((await api.likes("P000")).usernames) == 3  # the next call is fine
    assert fake.counts["/v1/likes"] == 2


async def test_exhausted_retries_name_the_endpoint(serve, http, redis) -> None:
    fake, url = serve(tiktok_world(videos=1, commenters=3))
    fake.inject(*["500"] * 5)
    api = tt(http, redis, url, max_attempts=3)
    with pytest.raises(RapidApiError) as caught:
        await api.comments("7" + "0" * 18)
    message = str(caught.value)
    assert "/api/post/comments" in message and "gave up after 3 attempts" in message
    assert "HTTP 500" in message and caught.value.status == 500
    assert fake.counts["/api/post/comments"] == 3


async def test_a_retry_after_beyond_the_cap_fails_at_once(serve, http, redis) -> None:
    fake, url = serve(one_account_world(posts=1))
    fake.inject("429:120")
    with pytest.raises(RapidApiError, match="Retry-After 120s"):
        await ig(http, redis, url, backoff_cap=30.0).posts("polres_a")
    assert fake.counts["/v1/posts"] == 1


# --- rate limit and concurrency ----------------------------------------------------------------

def max_per_window(moments: list[float], window: float = 1.0) -> int:
    moments = sorted(moments)
    best, start = 0, 0
    for end, moment in enumerate(moments):
        while moment - moments[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


async def test_two_workers_share_one_rate_limit(serve, http, redis) -> None:
    fake, url = serve(one_account_world(posts=1, likers=2))
    workers = [ig(http, redis, url, requests_per_second=20, concurrency=6) for _ in range(2)]
    started = time.perf_counter()
    await asyncio.gather(*(workers[n % 2].likes("P000") for n in range(50)))
    elapsed = time.perf_counter() - started
    moments = [r.at for r in fake.requests]
    assert len(moments) == 50
    assert max_per_window(moments) <= 22  # 20/s, +2 for timing slack at window edges
    assert elapsed >= 49 / 20 * 0.9


async def test_rate_limiter_spaces_acquisitions_across_instances(redis) -> None:
    first, second = RateLimiter(redis, "unit", 50), RateLimiter(redis, "unit", 50)
    started = time.perf_counter()
    await asyncio.gather(*(limiter.acquire() for limiter in [first, second] * 5))
    assert time.perf_counter() - started >= 9 / 50 * 0.9


async def test_concurrency_is_bounded(serve, http, redis) -> None:
    fake, url = serve(one_account_world(posts=1, likers=2), Faults(latency=0.05))
    api = ig(http, redis, url, concurrency=3)
    started = time.perf_counter()
    await asyncio.gather(*(api.likes("P000") for _ in range(24)))
    elapsed = time.perf_counter() - started
    assert fake.max_in_flight == 3
    assert elapsed >= 24 / 3 * 0.05 * 0.9


async def test_slots_serve_the_highest_priority_first_and_survive_cancellation() -> None:
    slots = ConcurrencySlots(1)
    order: list[str] = []

    async def use(name: str, priority: int) -> None:
        async with slots.slot(priority):
            order.append(name)
            await asyncio.sleep(0.01)

    await slots.acquire()
    tasks = [asyncio.create_task(use(name, priority)) for name, priority in [
        ("fresh1", 0), ("short chain", 3), ("fresh2", 0), ("long chain", 40),
        ("retry", URGENT), ("long chain 2", 40)]]
    cancelled = asyncio.create_task(use("cancelled", URGENT))
    await eventually(lambda: slots.waiting == 7, "every task queued for the slot")
    cancelled.cancel()
    slots.release()
    await asyncio.gather(*tasks)
    assert order == ["retry", "long chain", "long chain 2", "short chain", "fresh1", "fresh2"]
    assert slots.in_use == 0


async def test_the_post_with_the_most_likes_to_come_gets_the_slot_first(serve, http,
                                                                         redis) -> None:
    fake, url = serve(one_account_world(posts=3, likers=180))  # P000: 4 pages of 50; others 1
    api = ig(http, redis, url, concurrency=1)
    await api.client.slots.acquire()  # every call below has to queue
    small = [asyncio.create_task(api.likes(code, expected=2)) for code in ("P001", "P002")]
    big = asyncio.create_task(api.likes("P000", expected=180))
    await eventually(lambda: api.client.slots.waiting == 3, "the three calls queued")
    api.client.slots.release()
    results = await asyncio.gather(big, *small)
    assert [len(result.usernames) for result in results] == [180, 2, 2]
    asked = [request.params["code_or_id_or_url"] for request in fake.requests
             if request.path == "/v1/likes"]
    # The long chain starts first (its next pages then compete with the queue as it stands
    # when a slot frees, which may hold the small posts).
    assert asked[0] == "P000" and sorted(asked) == ["P000"] * 4 + ["P001", "P002"]
