"""`/api/clients/{id}/satbinmas-official…` over HTTP, with a real worker checking accounts
against the fake RapidAPI: who may read and who may write (fix §9.4: never another client's
account), the check before anything is stored, and the period's data."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from cicero.clock import clock
from demo.fake_rapidapi import FakeRapidApi, FakeServer, create_fake_app
from storage.models import DashboardRole, Platform, SatbinmasFetchOutcome
from storage.satbinmas_accounts import ProfileFacts, save_account
from storage.satbinmas_media import FetchedOfficialPost, record_fetch
from tests.factories import insert_client
from tests.satbinmas_world import RAPIDAPI_KEY, satbinmas_world
from tests.web.conftest import (
    LiveApp,
    bearer,
    dashboard_user,
    running_worker,
    serve,
    token_for,
    web_settings,
)

WIB = ZoneInfo("Asia/Jakarta")
NOON = datetime(2025, 12, 6, 12, tzinfo=WIB)
PATH = "/api/clients/{}/satbinmas-official"


@dataclass
class Rig:
    app: LiveApp
    fake: FakeRapidApi
    operator: dict[str, str]  # dashboard operator granted POLRES_A
    directorate: dict[str, str]  # granted DITBINMAS, whose scope holds POLRES_A and POLRES_B
    admin: dict[str, str]

    def upstream_calls(self) -> int:
        return sum(self.fake.counts.values())


@pytest.fixture
def fake() -> Iterator[tuple[FakeRapidApi, str]]:
    app = create_fake_app(satbinmas_world(), api_key=RAPIDAPI_KEY)
    server = FakeServer(app)
    url = server.start()
    yield app.state.fake, url
    server.stop()


@pytest.fixture
async def rig(engine, redis, fake, database_url: str, redis_url: str) -> AsyncIterator[Rig]:
    clock.set_now(NOON)
    async with engine.begin() as connection:
        await insert_client(connection, "DITBINMAS", "DIREKTORAT BINMAS", "directorate")
        await insert_client(connection, "POLRES_A", parent_id="DITBINMAS")
        await insert_client(connection, "POLRES_B", parent_id="DITBINMAS")
        await connection.execute(text(
            "INSERT INTO satbinmas_accounts (client_id, platform, username) VALUES "
            "('POLRES_B', 'instagram', 'satbinmas_b')"))
    operator = await dashboard_user(engine, "opa", DashboardRole.OPERATOR, ["POLRES_A"])
    directorate = await dashboard_user(engine, "dit", DashboardRole.DIRECTORATE, ["DITBINMAS"])
    admin = await dashboard_user(engine, "adm", DashboardRole.ADMIN, [])
    settings = web_settings(rapidapi_key=RAPIDAPI_KEY, rapidapi_instagram_url=fake[1],
                            rapidapi_tiktok_url=fake[1], rapidapi_instagram_rps=1000,
                            rapidapi_tiktok_rps=1000)
    async with running_worker(settings, database_url, redis_url):
        async for app in serve(settings, database_url, redis_url):
            yield Rig(app, fake[0],
                      bearer(token_for(operator, "opa", DashboardRole.OPERATOR, ["POLRES_A"])),
                      bearer(token_for(directorate, "dit", DashboardRole.DIRECTORATE,
                                       ["DITBINMAS"])),
                      bearer(token_for(admin, "adm", DashboardRole.ADMIN, [])))


async def _accounts(engine) -> list[tuple[str, str, str]]:
    async with engine.connect() as connection:
        rows = await connection.execute(text(
            "SELECT client_id, platform, username FROM satbinmas_accounts "
            "ORDER BY client_id, platform"))
        return [tuple(row) for row in rows]


async def test_the_satkers_user_adds_and_updates_its_account(rig: Rig, engine) -> None:
    client = rig.app.client
    created = await client.put(PATH.format("POLRES_A"), headers=rig.operator,
                               json={"platform": "instagram", "username": "@Satbinmas_A"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["success"] is True and body["created"] is True
    assert {key: body["data"][key] for key in ("client_id", "platform", "username",
                                               "followers", "is_verified", "profile_url")} == {
        "client_id": "POLRES_A", "platform": "instagram", "username": "satbinmas_a",
        "followers": 2500, "is_verified": True,
        "profile_url": "https://www.instagram.com/satbinmas_a"}
    again = await client.put(PATH.format("polres_a"), headers=rig.operator,
                             json={"platform": "instagram",
                                   "username": "https://www.instagram.com/satbinmas_a/"})
    assert (again.status_code, again.json()["created"]) == (200, False)
    listed = await client.get(PATH.format("POLRES_A"), headers=rig.operator)
    assert [a["username"] for a in listed.json()["data"]] == ["satbinmas_a"]
    assert await _accounts(engine) == [("POLRES_A", "instagram", "satbinmas_a"),
                                       ("POLRES_B", "instagram", "satbinmas_b")]


async def test_a_missing_private_or_taken_account_is_never_stored(rig: Rig, engine) -> None:
    client = rig.app.client
    for platform, username, status in (("instagram", "satbinmas_hilang", 404),
                                       ("tiktok", "satbinmas_privat_tt", 422),
                                       ("instagram", "satbinmas_b", 409)):
        response = await client.put(PATH.format("POLRES_A"), headers=rig.operator,
                                    json={"platform": platform, "username": username})
        assert response.status_code == status, (username, response.text)
        assert response.json()["success"] is False
    assert await _accounts(engine) == [("POLRES_B", "instagram", "satbinmas_b")]


async def test_bad_input_is_refused_before_any_paid_call(rig: Rig) -> None:
    client = rig.app.client
    for body, message in (({"platform": "facebook", "username": "x"},
                           "platform harus instagram atau tiktok"),
                          ({"platform": "tiktok", "username": "bad name!"},
                           "Username TikTok tidak valid. Hanya boleh huruf a-z, angka 0-9, "
                           "titik (.) dan garis bawah (_), maksimal 24 karakter."),
                          ({"platform": "instagram"}, "username wajib diisi"),
                          ({"platform": "instagram", "username": "a", "client_id": "POLRES_B"},
                           "Field tidak dikenal: client_id")):
        response = await client.put(PATH.format("POLRES_A"), headers=rig.operator, json=body)
        assert response.status_code == 400, body
        assert response.json() == {"success": False, "message": message}
    assert rig.upstream_calls() == 0


async def test_nobody_writes_another_clients_account(rig: Rig, engine) -> None:
    """Fix §9.4: the operator of POLRES_A, and the directorate whose scope holds POLRES_B,
    may not add, change or delete POLRES_B's account; nothing is written, nothing is paid."""
    client = rig.app.client
    async with engine.connect() as connection:
        account_b = await connection.scalar(text(
            "SELECT id FROM satbinmas_accounts WHERE client_id = 'POLRES_B'"))
    for headers in (rig.operator, rig.directorate):
        put = await client.put(PATH.format("POLRES_B"), headers=headers,
                               json={"platform": "instagram", "username": "satbinmas_a"})
        assert put.status_code == 403, put.text
        assert put.json() == {"success": False, "message": "client_id tidak diizinkan"}
        deleted = await client.delete(f"{PATH.format('POLRES_B')}/{account_b}", headers=headers)
        assert deleted.status_code == 403
    # another satker's account id through one's own satker's path is not found
    mine = await client.delete(f"{PATH.format('POLRES_A')}/{account_b}", headers=rig.operator)
    assert mine.status_code == 404
    assert rig.upstream_calls() == 0
    assert await _accounts(engine) == [("POLRES_B", "instagram", "satbinmas_b")]
    # reading follows the dashboard scope: the directorate reads POLRES_B, the operator not
    assert (await client.get(PATH.format("POLRES_B"), headers=rig.directorate)).status_code == 200
    assert (await client.get(PATH.format("POLRES_B"), headers=rig.operator)).status_code == 403
    # the directorate is no satker: it has no official account of its own
    own = await client.put(PATH.format("DITBINMAS"), headers=rig.directorate,
                           json={"platform": "instagram", "username": "satbinmas_a"})
    assert own.status_code == 400
    # an admin may
    removed = await client.delete(f"{PATH.format('POLRES_B')}/{account_b}", headers=rig.admin)
    assert removed.json() == {"success": True, "data": {"account_id": account_b}}
    assert await _accounts(engine) == []


async def test_every_route_needs_a_token(rig: Rig) -> None:
    client = rig.app.client
    for method, path in (("GET", PATH.format("POLRES_A")), ("PUT", PATH.format("POLRES_A")),
                         ("GET", f"{PATH.format('POLRES_A')}/data"),
                         ("DELETE", f"{PATH.format('POLRES_A')}/1")):
        response = await client.request(method, path)
        assert response.status_code == 401, (method, path)


async def test_the_data_of_a_period(rig: Rig, engine) -> None:
    saved = await save_account(engine, "POLRES_A", Platform.TIKTOK, ProfileFacts("a_tt"), NOON)
    assert saved.account is not None
    for day, video, likes in ((NOON.date(), "V2", 30), (date(2025, 12, 2), "V1", 7)):
        await record_fetch(engine, saved.account.id, clock.day(day), SatbinmasFetchOutcome.OK,
                           [FetchedOfficialPost(video, datetime.combine(day, time(8), WIB),
                                                "Kegiatan", True, likes, 3, 900)],
                           fetched_at=NOON)
    client = rig.app.client
    today = await client.get(f"{PATH.format('POLRES_A')}/data", headers=rig.operator)
    assert today.status_code == 200, today.text
    data = today.json()["data"]
    assert data["period"] == {"start": "2025-12-06", "end": "2025-12-06"}
    assert [(p["id"], p["like_count"], p["view_count"]) for p in data["posts"]] == \
        [("V2", 30, 900)]
    assert data["summary"]["tiktok"] == {"posts": 1, "likes": 30, "comments": 3, "views": 900}
    assert [a["username"] for a in data["accounts"]] == ["a_tt"]
    week = await client.get(f"{PATH.format('POLRES_A')}/data", headers=rig.operator,
                            params={"periode": "mingguan"})
    assert [p["id"] for p in week.json()["data"]["posts"]] == ["V2", "V1"]
    foreign = await client.get(f"{PATH.format('POLRES_B')}/data", headers=rig.operator)
    assert foreign.status_code == 403
    bad = await client.get(f"{PATH.format('POLRES_A')}/data", headers=rig.operator,
                           params={"periode": "tahunan"})
    assert bad.status_code == 400
