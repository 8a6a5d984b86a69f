"""Fetch rules in storage: today only, ownership kept, vanished posts, engagement only grows."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text

from cicero.clock import clock
from storage.ingestion import (
    FetchedPost,
    fetch_targets,
    record_engagement,
    save_secuid,
    stored_posts,
    sync_today_posts,
)
from tests.factories import insert_client

JAKARTA = ZoneInfo("Asia/Jakarta")
TODAY = clock.day(date(2025, 12, 6))


def _post(external_id: str, hour: int = 9, day: int = 6, minute: int = 0) -> FetchedPost:
    return FetchedPost("instagram", external_id,
                       datetime(2025, 12, day, hour, minute, tzinfo=JAKARTA), caption="Konten")


async def _clients(engine) -> None:
    async with engine.begin() as connection:
        await insert_client(connection, "POLRES_A", instagram="polres_a", tiktok="polres.a")
        await insert_client(connection, "POLRES_B", instagram="polres_b")
        await insert_client(connection, "DITBINMAS", "DIREKTORAT BINMAS", "directorate",
                            instagram="ditbinmas", tiktok="ditbinmas")
        await insert_client(connection, "POLRES_OFF", instagram="off", tiktok="off")
        await connection.execute(text(
            "UPDATE clients SET instagram_status = false WHERE client_id = 'POLRES_OFF'"))


async def test_only_todays_posts_are_kept_across_midnight_in_jakarta(engine) -> None:
    await _clients(engine)
    feed = [_post("TODAY_FIRST", hour=0), _post("TODAY_LAST", hour=23, minute=59),
            _post("YESTERDAY_LATE", hour=23, minute=59, day=5), _post("TOMORROW", hour=0, day=7)]
    result = await sync_today_posts(engine, "POLRES_A", "instagram", feed, TODAY)
    assert sorted(result.new) == ["TODAY_FIRST", "TODAY_LAST"]
    stored = await stored_posts(engine, "POLRES_A", "instagram", TODAY)
    assert [post.external_id for post in stored] == ["TODAY_FIRST", "TODAY_LAST"]
    # 00:00 WIB is 17:00 UTC the day before: still today's post in Jakarta.
    assert stored[0].uploaded_at == datetime(2025, 12, 5, 17, 0, tzinfo=ZoneInfo("UTC"))


async def test_upsert_updates_and_never_flips_ownership(engine) -> None:
    await _clients(engine)
    await sync_today_posts(engine, "POLRES_A", "instagram", [_post("SHARED")], TODAY)
    again = await sync_today_posts(engine, "POLRES_A", "instagram", [_post("SHARED")], TODAY)
    assert (again.new, again.updated) == ([], 1)
    other = await sync_today_posts(engine, "POLRES_B", "instagram", [_post("SHARED")], TODAY)
    assert other.foreign == ["SHARED"] and other.new == []
    async with engine.connect() as connection:
        owner = await connection.execute(text(
            "SELECT client_id FROM posts WHERE external_id = 'SHARED'"))
        assert owner.scalar_one() == "POLRES_A"


async def test_vanished_posts_are_removed_only_after_a_fetch_that_found_todays_posts(
    engine,
) -> None:
    await _clients(engine)
    await sync_today_posts(engine, "POLRES_A", "instagram",
                           [_post("KEEP"), _post("GONE", hour=10)], TODAY)
    (gone,) = [p for p in await stored_posts(engine, "POLRES_A", "instagram", TODAY)
               if p.external_id == "GONE"]
    await record_engagement(engine, gone.id, "like", ["someone"])
    outage = await sync_today_posts(engine, "POLRES_A", "instagram", [], TODAY)
    assert outage.removed == []  # an empty answer is an outage, not a deletion
    older_only = await sync_today_posts(engine, "POLRES_A", "instagram",
                                        [_post("OLD", day=5)], TODAY)
    assert older_only.removed == []
    result = await sync_today_posts(engine, "POLRES_A", "instagram", [_post("KEEP")], TODAY)
    assert result.removed == ["GONE"]
    ids = [p.external_id for p in await stored_posts(engine, "POLRES_A", "instagram", TODAY)]
    assert ids == ["KEEP"]
    async with engine.connect() as connection:  # its engagement rows went with it (cascade)
        left = await connection.execute(text("SELECT count(*) FROM engagements"))
        assert left.scalar_one() == 0


async def test_removal_is_per_client_and_platform(engine) -> None:
    await _clients(engine)
    await sync_today_posts(engine, "POLRES_A", "instagram", [_post("A1")], TODAY)
    await sync_today_posts(engine, "POLRES_B", "instagram", [_post("B1")], TODAY)
    video = FetchedPost("tiktok", "7300000000000000001",
                        datetime(2025, 12, 6, 9, tzinfo=JAKARTA))
    await sync_today_posts(engine, "POLRES_A", "tiktok", [video], TODAY)
    await sync_today_posts(engine, "POLRES_A", "instagram", [_post("A2")], TODAY)
    assert [p.external_id for p in await stored_posts(engine, "POLRES_B", "instagram", TODAY)] \
        == ["B1"]
    assert len(await stored_posts(engine, "POLRES_A", "tiktok", TODAY)) == 1


async def test_engagement_rows_are_added_or_touched_never_removed(engine) -> None:
    await _clients(engine)
    await sync_today_posts(engine, "POLRES_A", "instagram", [_post("P1")], TODAY)
    (post,) = await stored_posts(engine, "POLRES_A", "instagram", TODAY)
    assert await record_engagement(engine, post.id, "like", ["budi", "sari", "budi", ""]) == 2
    async with engine.connect() as connection:
        first = (await connection.execute(text(
            "SELECT last_seen_at FROM engagements WHERE username = 'budi'"))).scalar_one()
    assert await record_engagement(engine, post.id, "like", ["budi", "andi"]) == 1  # partial page
    async with engine.connect() as connection:
        rows = dict((await connection.execute(text(
            "SELECT username, last_seen_at FROM engagements ORDER BY username"))).all())
    assert sorted(rows) == ["andi", "budi", "sari"]  # sari not seen again: kept
    assert rows["budi"] >= first
    assert await record_engagement(engine, post.id, "like", []) == 0


async def test_fetch_targets_follow_status_flags_and_secuid_is_saved(engine) -> None:
    await _clients(engine)
    instagram = [t.client_id for t in await fetch_targets(engine, "instagram")]
    assert instagram == ["DITBINMAS", "POLRES_A", "POLRES_B"]  # POLRES_OFF has IG off
    tiktok = await fetch_targets(engine, "tiktok")
    assert [t.client_id for t in tiktok] == ["DITBINMAS", "POLRES_A", "POLRES_OFF"]
    directorates = await fetch_targets(engine, "instagram", directorates_only=True)
    assert [t.client_id for t in directorates] == ["DITBINMAS"]
    await save_secuid(engine, "POLRES_A", "MS4wLjABAAAA")
    (target,) = await fetch_targets(engine, "tiktok", client_id="polres_a")
    assert (target.account, target.secuid) == ("polres.a", "MS4wLjABAAAA")
    assert timedelta(0) == TODAY.until - TODAY.since - timedelta(days=1)
