"""Official Satbinmas accounts against the fake RapidAPI over loopback: the check before an
account is stored, and the day's fetch whose outcomes the recap classifies (an account with
posts, one without, a private one, a missing one, one the provider fails on)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from cicero.clock import clock
from cicero.settings import load_settings
from demo.fake_rapidapi import FakeRapidApi, FakeServer, create_fake_app
from jobs.rapidapi import NotFound, PrivateAccount, instagram_api, tiktok_api
from jobs.satbinmas_accounts import check_and_save
from jobs.satbinmas_media import fetch_platform
from jobs.worker import close_context, open_context
from storage.models import Platform, SatbinmasFetchOutcome
from storage.satbinmas_accounts import accounts_of
from storage.satbinmas_media import satbinmas_recap
from tests.factories import insert_client
from tests.satbinmas_world import RAPIDAPI_KEY, satbinmas_world

EVENING = datetime(2025, 12, 6, 23, 5, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def fake() -> Iterator[tuple[FakeRapidApi, str]]:
    app = create_fake_app(satbinmas_world(), api_key=RAPIDAPI_KEY)
    server = FakeServer(app)
    url = server.start()
    yield app.state.fake, url
    server.stop()


@pytest.fixture
async def context(engine, redis, fake, database_url: str, redis_url: str, tmp_path):
    settings = load_settings(cicero_home=tmp_path, rapidapi_key=RAPIDAPI_KEY,
                             rapidapi_instagram_url=fake[1], rapidapi_tiktok_url=fake[1],
                             rapidapi_instagram_rps=1000, rapidapi_tiktok_rps=1000)
    job = await open_context(settings, database_url, redis_url)
    for client_id in ("POLRES_A", "POLRES_B", "POLRES_C", "POLRES_D", "POLRES_E"):
        await insert_client(engine, client_id)
    await insert_client(engine, "DITBINMAS", "DIREKTORAT BINMAS", "directorate")
    clock.set_now(EVENING)
    yield job
    await close_context(job)


async def _outcomes(engine) -> dict[str, str]:
    async with engine.connect() as connection:
        rows = await connection.execute(text(
            "SELECT a.username, f.outcome FROM satbinmas_fetches f "
            "JOIN satbinmas_accounts a ON a.id = f.account_id"))
        return dict(rows.all())


async def test_an_account_is_stored_only_when_it_exists_and_is_public(context) -> None:
    save = check_and_save
    assert (await save(context, "POLRES_A", Platform.INSTAGRAM, "satbinmas_a"))["outcome"] == \
        "created"
    assert (await save(context, "POLRES_A", Platform.INSTAGRAM, "satbinmas_a"))["outcome"] == \
        "updated"
    assert await save(context, "POLRES_B", Platform.INSTAGRAM, "satbinmas_a") == \
        {"outcome": "taken"}
    assert await save(context, "POLRES_B", Platform.INSTAGRAM, "satbinmas_privat") == \
        {"outcome": "private"}
    assert await save(context, "POLRES_B", Platform.TIKTOK, "satbinmas_privat_tt") == \
        {"outcome": "private"}
    assert await save(context, "POLRES_B", Platform.INSTAGRAM, "satbinmas_hilang") == \
        {"outcome": "not_found"}
    assert await save(context, "POLRES_B", Platform.TIKTOK, "satbinmas_hilang") == \
        {"outcome": "not_found"}
    assert (await save(context, "POLRES_B", Platform.TIKTOK, "satbinmas_a_tt"))["outcome"] == \
        "created"
    stored = await accounts_of(context.engine, "POLRES_A")
    assert [(a.username, a.followers, a.is_verified) for a in stored] == \
        [("satbinmas_a", 2500, True)]
    tiktok = (await accounts_of(context.engine, "POLRES_B"))[0]
    assert tiktok.sec_uid and tiktok.sec_uid.startswith("MS4wLjABAAAA")
    async with context.engine.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM satbinmas_accounts")) == 2


async def test_without_a_key_nothing_is_checked_or_stored(engine, redis, database_url: str,
                                                          redis_url: str, tmp_path) -> None:
    job = await open_context(load_settings(cicero_home=tmp_path), database_url, redis_url)
    try:
        assert await check_and_save(job, "POLRES_A", Platform.INSTAGRAM, "satbinmas_a") == \
            {"outcome": "unavailable"}
    finally:
        await close_context(job)


async def test_the_clients_tell_private_and_missing_accounts_apart(context) -> None:
    instagram = instagram_api(context.http, context.redis, context.settings)
    tiktok = tiktok_api(context.http, context.redis, context.settings)
    with pytest.raises(PrivateAccount):
        await instagram.posts("satbinmas_privat")
    with pytest.raises(NotFound):
        await instagram.posts("satbinmas_hilang")
    with pytest.raises(PrivateAccount):
        await tiktok.posts(username="satbinmas_privat_tt")
    with pytest.raises(NotFound):
        await tiktok.posts(username="satbinmas_hilang")
    profile = await tiktok.user_info("satbinmas_privat_tt")
    assert profile.is_private is True and profile.signature == "Akun resmi"


async def test_the_days_fetch_records_every_outcome_and_the_recap_classifies_them(
        context, fake) -> None:
    engine = context.engine
    async with engine.begin() as connection:
        await connection.execute(text(
            "INSERT INTO satbinmas_accounts (client_id, platform, username) VALUES "
            "('POLRES_A', 'instagram', 'satbinmas_a'), ('POLRES_B', 'instagram', 'satbinmas_b'), "
            "('POLRES_C', 'instagram', 'satbinmas_privat'), "
            "('POLRES_D', 'instagram', 'satbinmas_hilang'), "
            "('POLRES_A', 'tiktok', 'satbinmas_a_tt')"))
    today = clock.day()
    counts = await fetch_platform(context, Platform.INSTAGRAM, today)
    assert counts == {"accounts": 4, "api_calls": 4, "ok": 2, "not_found": 1, "private": 1,
                      "failed": 0}
    assert await _outcomes(engine) == {"satbinmas_a": "ok", "satbinmas_b": "ok",
                                       "satbinmas_privat": "private",
                                       "satbinmas_hilang": "not_found"}
    recap = await satbinmas_recap(engine, Platform.INSTAGRAM, today)
    assert [(s.client_id, s.posts, s.likes, s.comments) for s in recap.active] == \
        [("POLRES_A", 2, 65, 8)]
    assert [s.client_id for s in recap.passive] == ["POLRES_B"]
    assert {s.client_id: s.failure for s in recap.failed} == {
        "POLRES_C": SatbinmasFetchOutcome.PRIVATE, "POLRES_D": SatbinmasFetchOutcome.NOT_FOUND}
    assert [s.client_id for s in recap.without_account] == ["POLRES_E"]

    # the provider fails on one account: recorded as failed, its earlier posts kept
    fake[0].inject("malformed", path="/v1/posts")
    async with engine.begin() as connection:
        await connection.execute(text(
            "DELETE FROM satbinmas_accounts WHERE username <> 'satbinmas_a'"))
    counts = await fetch_platform(context, Platform.INSTAGRAM, today)
    assert counts["failed"] == 1
    recap = await satbinmas_recap(engine, Platform.INSTAGRAM, today)
    assert [(s.client_id, s.posts) for s in recap.active] == [("POLRES_A", 2)]
    assert (await _outcomes(engine))["satbinmas_a"] == "failed"


async def test_the_tiktok_fetch_stores_the_videos_counters(context) -> None:
    async with context.engine.begin() as connection:
        await connection.execute(text(
            "INSERT INTO satbinmas_accounts (client_id, platform, username) VALUES "
            "('POLRES_A', 'tiktok', 'satbinmas_a_tt'), ('POLRES_B', 'tiktok', 'satbinmas_b_tt')"))
    await fetch_platform(context, Platform.TIKTOK, clock.day())
    recap = await satbinmas_recap(context.engine, Platform.TIKTOK, clock.day())
    assert [(s.client_id, s.posts, s.likes, s.comments, s.views) for s in recap.active] == \
        [("POLRES_A", 1, 53, 12, 4200)]
    assert [s.client_id for s in recap.passive] == ["POLRES_B"]
