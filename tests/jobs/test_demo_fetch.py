"""The demo's fake RapidAPI serves the demo accounts; `cicero fetch` and the directorate
job fetch from it like from the real one."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from sqlalchemy import text

from cicero.clock import clock
from cicero.settings import Settings
from demo.rapidapi import DEMO_API_KEY, demo_world, start_demo_rapidapi
from demo.seed import seed_demo
from jobs.fetch_jobs import fetch_scheduled
from jobs.worker import close_context, open_context
from storage.identifiers import canonical_username
from tests.conftest import run_cli


async def _engagement_count(engine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT count(*) FROM engagements"))
                    ).scalar_one())


async def test_demo_world_uses_the_demo_accounts_and_handles(engine) -> None:
    await seed_demo(engine)
    world = await demo_world(engine)
    async with engine.connect() as connection:
        accounts = set((await connection.execute(text(
            "SELECT instagram FROM clients WHERE instagram IS NOT NULL UNION "
            "SELECT username FROM satbinmas_accounts WHERE platform = 'instagram'"))).scalars())
    assert set(world.instagram) == accounts  # the clients' and their Satbinmas accounts
    assert world.tiktok["satbinmas_bojonegoro_tt"].is_private  # as the demo stored it
    async with engine.connect() as connection:
        handles = set((await connection.execute(text(
            "SELECT instagram FROM personnel WHERE instagram IS NOT NULL UNION "
            "SELECT tiktok FROM personnel WHERE tiktok IS NOT NULL"))).scalars())
        stored = set((await connection.execute(text("SELECT external_id FROM posts"))
                      ).scalars())
    likers = {canonical_username(like.username) for post in world.ig_posts.values()
              if post.shortcode not in stored for like in post.likes}
    assert likers and likers <= handles  # the demo's own personnel engage
    assert stored & set(world.ig_posts)  # and the seeded posts of today are served too


async def test_cli_fetch_against_the_demo_fake(engine, cli_env: dict[str, str]) -> None:
    await seed_demo(engine)
    before = await _engagement_count(engine)
    fake = await start_demo_rapidapi(engine)
    try:
        env = {**cli_env, "RAPIDAPI_KEY": DEMO_API_KEY, "RAPIDAPI_INSTAGRAM_URL": fake.url,
               "RAPIDAPI_TIKTOK_URL": fake.url}
        result = run_cli("fetch", "--client", "POLRES_LAMONGAN", "--platform", "instagram",
                         env=env)
        unknown = run_cli("fetch", "--client", "POLRES_NOWHERE", env=env)
        missing_key = run_cli("fetch", env={**env, "RAPIDAPI_KEY": ""})
    finally:
        fake.stop()
    assert result.returncode == 0, result.stderr
    assert "Ringkasan fetch" in result.stdout and "POLRES_LAMONGAN" in result.stdout
    assert unknown.returncode == 2 and "POLRES_NOWHERE" in unknown.stderr
    assert missing_key.returncode == 2 and "RAPIDAPI_KEY" in missing_key.stderr
    assert await _engagement_count(engine) > before


async def test_cli_fetch_names_a_failed_client_and_leaves_its_data(engine,
                                                                  cli_env: dict[str, str]
                                                                  ) -> None:
    await seed_demo(engine)
    fake = await start_demo_rapidapi(engine)
    try:
        env = {**cli_env, "RAPIDAPI_KEY": DEMO_API_KEY, "RAPIDAPI_INSTAGRAM_URL": fake.url,
               "RAPIDAPI_TIKTOK_URL": fake.url, "COLUMNS": "400"}
        fetch = ("fetch", "--client", "POLRES_LAMONGAN", "--platform", "instagram")
        assert run_cli(*fetch, env=env).returncode == 0
        before = await _engagement_count(engine)
        fake.app.state.fake.inject(*([500] * 50), path="/v1/posts")
        failed = run_cli(*fetch, env=env)
    finally:
        fake.stop()
    assert failed.returncode == 1, failed.stderr
    assert any("POLRES_LAMONGAN" in line and "│ instagram" in line
               for line in failed.stdout.splitlines())
    reason = next(line for line in failed.stdout.splitlines()
                  if line.startswith("Gagal POLRES_LAMONGAN (instagram): "))
    assert "/v1/posts" in reason and "HTTP 500" in reason, reason
    assert "satker gagal 1." in " ".join(failed.stdout.split())
    assert await _engagement_count(engine) == before


async def test_scheduled_fetch_covers_org_satkers_and_broadcasts_to_their_groups(
    engine, redis, database_url: str, redis_url: str, tmp_path: Path
) -> None:
    await seed_demo(engine)
    fake = await start_demo_rapidapi(engine)
    settings = Settings(cicero_home=tmp_path, rapidapi_key=DEMO_API_KEY,
                        rapidapi_instagram_url=fake.url, rapidapi_tiktok_url=fake.url)
    context = await open_context(settings, database_url, redis_url)
    try:
        counts = await fetch_scheduled(context)
    finally:
        await close_context(context)
        fake.stop()
    async with engine.connect() as connection:
        active = (await connection.execute(text(
            "SELECT count(*) FROM clients WHERE status AND (instagram_status OR tiktok_status)"
        ))).scalar_one()
        org_groups = set((await connection.execute(text(
            "SELECT c.value FROM client_contacts c JOIN clients k USING (client_id) "
            "WHERE c.kind = 'group' AND k.type = 'org'"))).scalars())
    assert counts["failed_clients"] == 0 and counts["clients"] == active > 1
    assert counts["broadcasts"] >= 2
    sent = await redis.xrange("outbox:gateway")
    assert len(sent) == counts["broadcasts"]
    assert org_groups & {fields["to"] for _, fields in sent}  # a satker's own group


async def test_on_demand_fetch_jobs_run_on_a_real_worker(
    engine, redis, database_url: str, redis_url: str, tmp_path: Path
) -> None:
    from jobs.queue import enqueue_fetch_client, enqueue_fetch_engagement
    from jobs.worker import create_worker

    await seed_demo(engine)
    async with engine.connect() as connection:
        post_id = (await connection.execute(text(
            "SELECT id FROM posts WHERE client_id = 'POLRES_NGAWI' AND platform = 'tiktok' "
            "ORDER BY uploaded_at DESC LIMIT 1"))).scalar_one()
    fake = await start_demo_rapidapi(engine)
    settings = Settings(cicero_home=tmp_path, rapidapi_key=DEMO_API_KEY,
                        rapidapi_instagram_url=fake.url, rapidapi_tiktok_url=fake.url)
    try:
        assert await enqueue_fetch_client(redis_url, "polres_lamongan", ["instagram"])
        assert not await enqueue_fetch_client(redis_url, "POLRES_LAMONGAN")  # single flight
        assert await enqueue_fetch_engagement(redis_url, post_id)
        worker = create_worker(settings, database_url, redis_url, handle_signals=False,
                               burst=True)
        await worker.async_run()
        await worker.close()
    finally:
        fake.stop()
    assert (worker.jobs_complete, worker.jobs_failed) == (2, 0)


async def test_the_afternoon_sequence_sends_laphar_to_groups_and_simple_recaps_to_supers(
    engine, redis, database_url: str, redis_url: str, tmp_path: Path
) -> None:
    from jobs.fetch_jobs import fetch_and_report
    from storage.contacts import client_contacts
    from storage.models import ContactKind

    await seed_demo(engine)
    groups = await client_contacts(engine, "DITBINMAS", ContactKind.GROUP)
    supers = await client_contacts(engine, "DITBINMAS", ContactKind.SUPER_ADMIN)
    fake = await start_demo_rapidapi(engine)
    settings = Settings(cicero_home=tmp_path, rapidapi_key=DEMO_API_KEY,
                        rapidapi_instagram_url=fake.url, rapidapi_tiktok_url=fake.url)
    context = await open_context(settings, database_url, redis_url)
    try:
        counts = await fetch_and_report(context)
    finally:
        await close_context(context)
        fake.stop()
    # laphar to every group, Simple IG and TikTok to every super admin
    assert counts["report_deliveries"] == len(groups) + 2 * len(supers)
    entries = [fields for _, fields in await redis.xrange("outbox:gateway")]
    text_of = " ".join(str(fields) for fields in entries)
    assert "Absensi_All_Engagement_Instagram" in text_of  # the laphar .txt files travel
    assert "(Simple)" in text_of


async def test_the_first_fetch_of_the_demo_keeps_the_seeded_posts_and_adds_likes(
    engine, redis, database_url: str, redis_url: str, tmp_path: Path
) -> None:
    clock.set_now(datetime.combine(clock.today(), time(10), clock.tz))  # posts are fetched
    await seed_demo(engine)

    async def today_posts() -> dict[str, int]:
        today = clock.day()
        async with engine.connect() as connection:
            rows = await connection.execute(text(
                "SELECT p.external_id, count(e.*) FROM posts p LEFT JOIN engagements e "
                "ON e.post_id = p.id WHERE p.uploaded_at >= :since AND p.uploaded_at < :until "
                "GROUP BY p.external_id"), {"since": today.since, "until": today.until})
            return dict(rows.all())

    seeded = await today_posts()
    assert seeded
    fake = await start_demo_rapidapi(engine)
    settings = Settings(cicero_home=tmp_path, rapidapi_key=DEMO_API_KEY,
                        rapidapi_instagram_url=fake.url, rapidapi_tiktok_url=fake.url)
    context = await open_context(settings, database_url, redis_url)
    try:
        counts = await fetch_scheduled(context)
    finally:
        await close_context(context)
        fake.stop()
    after = await today_posts()
    assert counts["posts_removed"] == 0
    assert set(seeded) <= set(after)
    assert all(after[post] >= engaged for post, engaged in seeded.items())
    assert sum(after[post] for post in seeded) > sum(seeded.values())
