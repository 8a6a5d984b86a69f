"""The register of official Satbinmas accounts and their media: one account per satker and
platform and per username, a changed username starts afresh, a day's fetch replaces that
day's posts only when it found some, and the recap classifies every ORG satker."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text

from cicero.clock import clock
from storage.models import Platform, SatbinmasFetchOutcome
from storage.satbinmas_accounts import (
    ProfileFacts,
    SaveResult,
    accounts_of,
    delete_account,
    fetch_targets,
    owner_of,
    save_account,
)
from storage.satbinmas_media import (
    FetchedOfficialPost,
    account_coverage,
    client_posts,
    record_fetch,
    satbinmas_recap,
)
from tests.factories import insert_client

WIB = ZoneInfo("Asia/Jakarta")
DAY = date(2025, 12, 6)
NOON = datetime(2025, 12, 6, 12, tzinfo=WIB)

async def _clients(engine) -> None:
    for client_id in ("POLRES_A", "POLRES_B", "POLRES_C"):
        await insert_client(engine, client_id)
    await insert_client(engine, "POLRES_OFF", status=False)
    await insert_client(engine, "DITBINMAS", "DIREKTORAT BINMAS", "directorate")


def _post(external_id: str, hour: int, likes: int = 10, comments: int = 2,
          day: date = DAY) -> FetchedOfficialPost:
    return FetchedOfficialPost(external_id, datetime(day.year, day.month, day.day, hour,
                                                     tzinfo=WIB),
                               f"Kegiatan {external_id}", False, likes, comments, 100)


async def test_one_account_per_satker_and_platform_and_per_username(engine) -> None:
    await _clients(engine)
    first = await save_account(engine, "POLRES_A", Platform.INSTAGRAM,
                               ProfileFacts("satbinmas_a", followers=10), NOON)
    assert first.result is SaveResult.CREATED and first.account is not None
    again = await save_account(engine, "POLRES_A", Platform.INSTAGRAM,
                               ProfileFacts("satbinmas_a", followers=12, is_verified=True), NOON)
    assert again.result is SaveResult.UPDATED
    assert again.account is not None and again.account.id == first.account.id
    assert (again.account.followers, again.account.is_verified) == (12, True)
    taken = await save_account(engine, "POLRES_B", Platform.INSTAGRAM,
                               ProfileFacts("satbinmas_a"), NOON)
    assert (taken.result, taken.account) == (SaveResult.TAKEN, None)
    # the same username on the other platform is another account
    tiktok = await save_account(engine, "POLRES_B", Platform.TIKTOK,
                                ProfileFacts("satbinmas_a", sec_uid="MS4w"), NOON)
    assert tiktok.result is SaveResult.CREATED
    assert await owner_of(engine, Platform.INSTAGRAM, "satbinmas_a") == "POLRES_A"
    assert [a.username for a in await accounts_of(engine, "POLRES_B")] == ["satbinmas_a"]
    async with engine.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM satbinmas_accounts")) == 2


async def test_a_changed_username_forgets_the_old_accounts_posts(engine) -> None:
    await _clients(engine)
    saved = await save_account(engine, "POLRES_A", Platform.INSTAGRAM,
                               ProfileFacts("salah_ketik"), NOON)
    assert saved.account is not None
    await record_fetch(engine, saved.account.id, clock.day(DAY), SatbinmasFetchOutcome.OK,
                       [_post("P1", 8)], fetched_at=NOON)
    changed = await save_account(engine, "POLRES_A", Platform.INSTAGRAM,
                                 ProfileFacts("satbinmas_a"), NOON)
    assert changed.result is SaveResult.UPDATED
    assert await client_posts(engine, "POLRES_A", clock.day(DAY)) == []
    async with engine.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM satbinmas_fetches")) == 0


async def test_delete_only_removes_the_satkers_own_account(engine) -> None:
    await _clients(engine)
    saved = await save_account(engine, "POLRES_B", Platform.TIKTOK, ProfileFacts("b_tt"), NOON)
    assert saved.account is not None
    assert await delete_account(engine, "POLRES_A", saved.account.id) is False
    assert [a.username for a in await accounts_of(engine, "POLRES_B")] == ["b_tt"]
    assert await delete_account(engine, "POLRES_B", saved.account.id) is True
    assert await accounts_of(engine, "POLRES_B") == []


async def test_a_fetch_replaces_the_days_posts_only_when_it_found_some(engine) -> None:
    await _clients(engine)
    saved = await save_account(engine, "POLRES_A", Platform.INSTAGRAM,
                               ProfileFacts("satbinmas_a"), NOON)
    assert saved.account is not None
    account_id, today = saved.account.id, clock.day(DAY)
    yesterday = _post("OLD", 20, day=DAY - timedelta(days=1))
    await record_fetch(engine, account_id, clock.day(DAY - timedelta(days=1)),
                       SatbinmasFetchOutcome.OK, [yesterday], fetched_at=NOON)
    await record_fetch(engine, account_id, today, SatbinmasFetchOutcome.OK,
                       [_post("P1", 8), _post("P2", 9), yesterday], fetched_at=NOON)
    assert sorted(p.external_id for p in await client_posts(engine, "POLRES_A", today)) == \
        ["P1", "P2"]
    # P2 was deleted on the platform; P1's counters moved on
    await record_fetch(engine, account_id, today, SatbinmasFetchOutcome.OK,
                       [_post("P1", 8, likes=50)], fetched_at=NOON)
    posts = await client_posts(engine, "POLRES_A", today)
    assert [(p.external_id, p.like_count) for p in posts] == [("P1", 50)]
    # an empty answer, or a failure, keeps what was stored
    await record_fetch(engine, account_id, today, SatbinmasFetchOutcome.OK, [], fetched_at=NOON)
    await record_fetch(engine, account_id, today, SatbinmasFetchOutcome.FAILED, fetched_at=NOON)
    assert [p.external_id for p in await client_posts(engine, "POLRES_A", today)] == ["P1"]
    week = clock.week(DAY)
    assert len(await client_posts(engine, "POLRES_A", week)) == 2  # yesterday's is kept


async def test_the_recap_classifies_every_active_org_satker(engine) -> None:
    await _clients(engine)
    ids = {}
    for client_id, username in (("POLRES_A", "aktif"), ("POLRES_B", "pasif"),
                                ("POLRES_C", "privat"), ("POLRES_OFF", "nonaktif")):
        saved = await save_account(engine, client_id, Platform.INSTAGRAM,
                                   ProfileFacts(username), NOON)
        assert saved.account is not None
        ids[username] = saved.account.id
    today = clock.day(DAY)
    await record_fetch(engine, ids["aktif"], today, SatbinmasFetchOutcome.OK,
                       [_post("P1", 8, likes=30, comments=4), _post("P2", 9, likes=5)],
                       fetched_at=NOON)
    await record_fetch(engine, ids["pasif"], today, SatbinmasFetchOutcome.OK, [],
                       fetched_at=NOON)
    await record_fetch(engine, ids["privat"], today, SatbinmasFetchOutcome.PRIVATE,
                       fetched_at=NOON)

    recap = await satbinmas_recap(engine, Platform.INSTAGRAM, today)
    assert [s.client_id for s in recap.satkers] == ["POLRES_A", "POLRES_B", "POLRES_C"]
    assert [(s.client_id, s.posts, s.likes, s.comments) for s in recap.active] == \
        [("POLRES_A", 2, 35, 6)]
    assert [s.client_id for s in recap.passive] == ["POLRES_B"]
    assert [(s.client_id, s.failure) for s in recap.failed] == \
        [("POLRES_C", SatbinmasFetchOutcome.PRIVATE)]
    tiktok = await satbinmas_recap(engine, Platform.TIKTOK, today)
    assert [s.client_id for s in tiktok.without_account] == ["POLRES_A", "POLRES_B", "POLRES_C"]
    only = await satbinmas_recap(engine, Platform.INSTAGRAM, today, "POLRES_C")
    assert [s.client_id for s in only.satkers] == ["POLRES_C"]

    # over the week, the account read fine on a later day is passive, not failed
    await record_fetch(engine, ids["privat"], clock.day(DAY + timedelta(days=1)),
                       SatbinmasFetchOutcome.OK, [], fetched_at=NOON)
    week = await satbinmas_recap(engine, Platform.INSTAGRAM, clock.week(DAY))
    assert [s.client_id for s in week.passive] == ["POLRES_B", "POLRES_C"]
    assert week.failed == []


async def test_targets_and_coverage_are_the_active_org_satkers(engine) -> None:
    await _clients(engine)
    for client_id, platform, username in (("POLRES_A", Platform.INSTAGRAM, "a_ig"),
                                          ("POLRES_A", Platform.TIKTOK, "a_tt"),
                                          ("POLRES_B", Platform.TIKTOK, "b_tt"),
                                          ("POLRES_OFF", Platform.TIKTOK, "off_tt")):
        await save_account(engine, client_id, platform, ProfileFacts(username), NOON)
    assert [a.username for a in await fetch_targets(engine, Platform.TIKTOK)] == ["a_tt", "b_tt"]
    coverage = await account_coverage(engine)
    assert [s.client_id for s in coverage.complete] == ["POLRES_A"]
    assert [s.client_id for s in coverage.partial] == ["POLRES_B"]
    assert [s.client_id for s in coverage.missing] == ["POLRES_C"]
