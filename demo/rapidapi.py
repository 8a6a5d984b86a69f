"""The fake RapidAPI for `cicero up --demo`: the demo clients' accounts, liked and commented
on by the demo's personnel, with engagement that keeps arriving as the day goes on."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.clock import clock
from demo.fake_rapidapi import FakeServer, create_fake_app
from demo.fake_world import FakeWorld

DEMO_API_KEY = "demo"


async def demo_world(engine: AsyncEngine) -> FakeWorld:
    async with engine.connect() as connection:
        accounts = (await connection.execute(text(
            "SELECT instagram, tiktok, tiktok_secuid FROM clients WHERE status "
            "ORDER BY client_id"))).all()
        handles = (await connection.execute(text(
            "SELECT instagram FROM personnel WHERE instagram IS NOT NULL UNION "
            "SELECT tiktok FROM personnel WHERE tiktok IS NOT NULL"))).scalars().all()
        official = (await connection.execute(text(
            "SELECT platform, username, sec_uid, is_private FROM satbinmas_accounts "
            "ORDER BY platform, username"))).all()
    audience = sorted(handles) or ["warga.demo"]
    world = FakeWorld.build([ig for ig, _, _ in accounts if ig],
                            [(tt, secuid) for _, tt, secuid in accounts if tt],
                            audience, today=clock.today(), tz=clock.tz, now=clock.now)
    # the official Satbinmas accounts (issue 19), private ones included
    world.add_generated([name for platform, name, _, _ in official if platform == "instagram"],
                        [(name, sec_uid) for platform, name, sec_uid, _ in official
                         if platform == "tiktok"], audience, today=clock.today(), tz=clock.tz,
                        seed=1)
    for platform, name, _, private in official:
        accounts_of_platform = world.instagram if platform == "instagram" else world.tiktok
        accounts_of_platform[name].is_private = private
    await _add_stored_posts(engine, world, audience)
    return world


async def _add_stored_posts(engine: AsyncEngine, world: FakeWorld, audience: list[str]) -> None:
    """Today's posts the demo seed stored, served with their stored likes and comments plus
    a few more: the first fetch keeps them and adds engagement instead of deleting them."""
    today = clock.day()
    async with engine.connect() as connection:
        rows = (await connection.execute(text(
            "SELECT p.platform, p.external_id, p.uploaded_at, c.instagram, c.tiktok, "
            "coalesce(array_agg(e.username) FILTER (WHERE e.username IS NOT NULL), '{}') "
            "FROM posts p JOIN clients c USING (client_id) "
            "LEFT JOIN engagements e ON e.post_id = p.id "
            "WHERE p.uploaded_at >= :since AND p.uploaded_at < :until "
            "GROUP BY p.id, c.instagram, c.tiktok ORDER BY p.id"),
            {"since": today.since, "until": today.until})).all()
    for number, (platform, external_id, uploaded_at, instagram, tiktok, engaged) in \
            enumerate(rows):
        more = [name for name in audience[number % 7::7] if name not in engaged][:5]
        if platform == "instagram" and instagram and external_id not in world.ig_posts:
            world.add_ig_post(instagram, uploaded_at, shortcode=external_id,
                              likers=[*engaged, *more])
        elif platform == "tiktok" and tiktok and external_id not in world.videos:
            world.add_video(tiktok, uploaded_at, video_id=external_id,
                            commenters=[*engaged, *more])


async def start_demo_rapidapi(engine: AsyncEngine) -> FakeServer:
    """Serve the demo world on a free loopback port; the caller stops it."""
    server = FakeServer(create_fake_app(await demo_world(engine), api_key=DEMO_API_KEY))
    server.start()
    return server
