"""The fake RapidAPI for `cicero up --demo`: the demo clients' accounts, liked and commented
on by the demo's personnel, with engagement that keeps arriving as the day goes on."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from cicero.clock import clock
from jobs.rapidapi.fake import FakeServer, create_fake_app
from jobs.rapidapi.fake_world import FakeWorld

DEMO_API_KEY = "demo"


async def demo_world(engine: AsyncEngine) -> FakeWorld:
    async with engine.connect() as connection:
        accounts = (await connection.execute(text(
            "SELECT instagram, tiktok, tiktok_secuid FROM clients WHERE status "
            "ORDER BY client_id"))).all()
        handles = (await connection.execute(text(
            "SELECT instagram FROM personnel WHERE instagram IS NOT NULL UNION "
            "SELECT tiktok FROM personnel WHERE tiktok IS NOT NULL"))).scalars().all()
    return FakeWorld.build([ig for ig, _, _ in accounts if ig],
                           [(tt, secuid) for _, tt, secuid in accounts if tt],
                           sorted(handles) or ["warga.demo"], today=clock.today(), tz=clock.tz,
                           now=clock.now)


async def start_demo_rapidapi(engine: AsyncEngine) -> FakeServer:
    """Serve the demo world on a free loopback port; the caller stops it."""
    server = FakeServer(create_fake_app(await demo_world(engine), api_key=DEMO_API_KEY))
    server.start()
    return server
