"""Ingestion against the fake RapidAPI over real HTTP: no page lost under faults, failed
clients untouched, the 17:00 rule, exception users never written, broadcasts on change."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import text

from bot.outbox import stream_key
from cicero.clock import clock
from cicero.settings import Settings
from demo.fake_rapidapi import FakeServer, Faults, create_fake_app
from demo.fake_world import FakeWorld
from jobs.fetch_jobs import broadcast_tasks
from jobs.ingest import Ingestion
from jobs.rapidapi import InstagramApi, TikTokApi
from jobs.rapidapi.http import INSTAGRAM_HOST, TIKTOK_HOST, ProviderConfig, RapidApiClient
from jobs.worker import close_context, open_context
from storage.models import Platform
from tests.factories import insert_client

JAKARTA = ZoneInfo("Asia/Jakarta")
DAY = date(2025, 12, 6)
AFTERNOON = datetime(2025, 12, 6, 16, 0, tzinfo=JAKARTA)
KEY = "test-key"


def _world(clients: int) -> FakeWorld:
    return FakeWorld.generated(clients, DAY, JAKARTA, seed=7, now=lambda: AFTERNOON)


async def _clients(engine, world: FakeWorld, type_: str = "org") -> None:
    async with engine.begin() as connection:
        for index, (instagram, tiktok) in enumerate(zip(sorted(world.instagram),
                                                        sorted(world.tiktok), strict=True)):
            await insert_client(connection, f"SATKER_{index:02d}", type_=type_,
                                instagram=instagram, tiktok=tiktok)


def _ingestion(engine, redis, http: httpx.AsyncClient, url: str, *, concurrency: int = 6,
               rps: float = 1000.0) -> Ingestion:
    def client(name: str, host: str) -> RapidApiClient:
        config = ProviderConfig(name=name, base_url=url, host=host, requests_per_second=rps,
                                concurrency=concurrency, max_attempts=10, backoff_base=0.01,
                                backoff_cap=0.2)
        return RapidApiClient(http, redis, config, KEY)

    return Ingestion(engine, InstagramApi(client("instagram", INSTAGRAM_HOST)),
                     TikTokApi(client("tiktok", TIKTOK_HOST)), likes_max_pages=100)


async def _stored_engagement(engine) -> dict[tuple[str, str], set[str]]:
    async with engine.connect() as connection:
        rows = await connection.execute(text(
            "SELECT p.platform, p.external_id, e.username FROM posts p "
            "LEFT JOIN engagements e ON e.post_id = p.id"))
        stored: dict[tuple[str, str], set[str]] = {}
        for platform, external_id, username in rows:
            stored.setdefault((platform, external_id), set())
            if username:
                stored[(platform, external_id)].add(username)
        return stored


def _truth(world: FakeWorld) -> dict[tuple[str, str], set[str]]:
    today = clock.day(DAY)
    truth = {("instagram", p.shortcode): world.ground_truth_likes(p.shortcode)
             for p in world.ig_posts.values() if today.since <= p.taken_at < today.until
             and world.visible(p.taken_at)}
    truth.update({("tiktok", v.video_id): world.ground_truth_comments(v.video_id)
                  for v in world.videos.values()
                  if today.since <= v.create_time < today.until and world.visible(v.create_time)})
    return truth


@pytest.fixture
def frozen_afternoon():
    with clock.frozen(AFTERNOON):
        yield


async def test_forty_clients_under_faults_lose_no_page(engine, redis, frozen_afternoon) -> None:
    world = _world(40)
    await _clients(engine, world)
    faults = Faults(rate_429=0.05, retry_after=0.05, rate_500=0.05, latency=0.05, seed=3)
    with FakeServer(create_fake_app(world, faults, api_key=KEY)) as server:
        async with httpx.AsyncClient() as http:
            ingestion = _ingestion(engine, redis, http, server.url)
            targets = await ingestion.targets([Platform.INSTAGRAM, Platform.TIKTOK])
            report = await ingestion.run(targets, clock.day(DAY))
    assert report.failures == []
    assert report.retries > 0  # the faults really happened and were retried
    assert await _stored_engagement(engine) == _truth(world)


async def test_a_failed_client_is_left_untouched_and_named(engine, redis,
                                                           frozen_afternoon) -> None:
    world = _world(2)
    await _clients(engine, world)
    app = create_fake_app(world, api_key=KEY)
    with FakeServer(app) as server:
        async with httpx.AsyncClient() as http:
            ingestion = _ingestion(engine, redis, http, server.url, concurrency=1)
            targets = await ingestion.targets([Platform.INSTAGRAM], client_id="SATKER_00")
            await ingestion.run(targets, clock.day(DAY))
            before = await _stored_engagement(engine)
            vanished = sorted(shortcode for _, shortcode in before)[0]
            world.remove_ig_post(vanished)  # would be removed by a successful fetch
            app.state.fake.inject(*([500] * 10), path="/v1/posts")
            report = await ingestion.run(targets, clock.day(DAY))
    assert [c.client_id for c in report.failures] == ["SATKER_00"]
    assert "500" in (report.failures[0].failure or "")
    assert await _stored_engagement(engine) == before


async def test_after_five_only_engagement_is_refreshed(engine, redis) -> None:
    world = _world(1)
    await _clients(engine, world)
    app = create_fake_app(world, api_key=KEY)
    with FakeServer(app) as server, clock.frozen(AFTERNOON):
        async with httpx.AsyncClient() as http:
            ingestion = _ingestion(engine, redis, http, server.url)
            targets = await ingestion.targets([Platform.INSTAGRAM])
            report = await ingestion.run(targets, clock.day(DAY), posts=False)
    assert report.clients[0].posts_new == 0
    paths = {request.path for request in app.state.fake.requests}
    assert "/v1/posts" not in paths


async def test_exception_users_are_never_written_into_engagement(engine, redis,
                                                                 frozen_afternoon) -> None:
    world = _world(1)
    await _clients(engine, world)
    async with engine.begin() as connection:
        await connection.execute(text(
            "INSERT INTO personnel (user_id, name, client_id, instagram, exception) "
            "VALUES ('87000001', 'PENGECUALIAN', 'SATKER_00', 'always.done', true)"))
    with FakeServer(create_fake_app(world, api_key=KEY)) as server:
        async with httpx.AsyncClient() as http:
            ingestion = _ingestion(engine, redis, http, server.url)
            await ingestion.run(await ingestion.targets([Platform.INSTAGRAM]), clock.day(DAY))
    async with engine.connect() as connection:
        written = await connection.execute(text(
            "SELECT count(*) FROM engagements WHERE username = 'always.done'"))
        assert written.scalar_one() == 0
        assert (await connection.execute(text("SELECT count(*) FROM engagements"))
                ).scalar_one() > 0


async def test_task_broadcast_goes_out_once_per_post_set(engine, redis, database_url, redis_url,
                                                         tmp_path, frozen_afternoon) -> None:
    world = _world(1)
    await _clients(engine, world, type_="directorate")
    async with engine.begin() as connection:
        await connection.execute(text(
            "INSERT INTO client_contacts (client_id, kind, value) "
            "VALUES ('SATKER_00', 'group', '120363012345678901@g.us')"))
    context = await open_context(Settings(cicero_home=tmp_path), database_url, redis_url)
    try:
        with FakeServer(create_fake_app(world, api_key=KEY)) as server:
            async with httpx.AsyncClient() as http:
                ingestion = _ingestion(engine, redis, http, server.url)
                targets = await ingestion.targets([Platform.INSTAGRAM, Platform.TIKTOK])
                await ingestion.run(targets, clock.day(DAY))
                assert await broadcast_tasks(context, "SATKER_00", clock.day(DAY)) == 1
                await ingestion.run(targets, clock.day(DAY))  # same posts: nothing new
                assert await broadcast_tasks(context, "SATKER_00", clock.day(DAY)) == 0
                newest = max(world.ig_posts.values(), key=lambda p: p.taken_at)
                world.add_ig_post(newest.owner, datetime(2025, 12, 6, 15, 30, tzinfo=JAKARTA))
                await ingestion.run(targets, clock.day(DAY))
                assert await broadcast_tasks(context, "SATKER_00", clock.day(DAY)) == 1
    finally:
        await close_context(context)
    queued = await redis.xrange(stream_key("gateway"))  # broadcasts travel by the outbox
    assert len(queued) == 2
    last = queued[-1][1]
    assert "[BARU]" in str(last) and "120363012345678901@g.us" in str(last)
