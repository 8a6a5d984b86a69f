"""The app's link report API over HTTP (issue 17): personnel login by a one-time code sent to
WhatsApp, a person reads and writes only their own reports, links checked per field, a
duplicate create updates, dashboard tokens read their scope, and the recaps count it."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import text

from bot.outbox import stream_key
from cicero.clock import clock
from demo.fake_rapidapi import FakeServer, create_fake_app
from demo.fake_world import FakeWorld
from storage.models import DashboardRole
from tests.factories import insert_clients
from tests.web.conftest import (
    LiveApp,
    bearer,
    dashboard_user,
    running_worker,
    serve,
    token_for,
    web_settings,
)

JAKARTA = ZoneInfo("Asia/Jakarta")
NOW = datetime(2025, 12, 6, 10, 0, tzinfo=JAKARTA)
BUDI, BUDI_WA = "87020991", "6281200000002"
CITRA, CITRA_WA = "87020992", "6281200000003"
DEDI = "87020993"  # POLRES_B
FB = "https://www.facebook.com/share/p/1AbC/?mibextid=x"
TWEET = "https://twitter.com/budi/status/1865432101234567890?s=20"

CLIENTS = (("POLRES_A", "POLRES A", "org"), ("POLRES_B", "POLRES B", "org"))
SETUP = (
    "INSERT INTO personnel (user_id, name, rank, satfung, client_id, whatsapp, instagram, status)"
    f" VALUES ('{BUDI}', 'BUDI SANTOSO', 'BRIPKA', 'SAT BINMAS', 'POLRES_A', '{BUDI_WA}', "
    "'budi.s', true), "
    f"('{CITRA}', 'CITRA', 'AIPDA', 'SAT BINMAS', 'POLRES_A', '{CITRA_WA}', NULL, true), "
    f"('{DEDI}', 'DEDI', 'BRIPTU', 'SAT LANTAS', 'POLRES_B', '6281200000005', NULL, true)",
    "INSERT INTO posts (id, platform, external_id, client_id, uploaded_at) VALUES "
    "(1, 'instagram', 'TASKA1xyz', 'POLRES_A', '2025-12-06T07:00:00+07:00'), "
    "(2, 'instagram', 'TASKB1xyz', 'POLRES_B', '2025-12-06T07:00:00+07:00'), "
    "(3, 'instagram', 'OLDA1xyz', 'POLRES_A', '2025-12-04T07:00:00+07:00')",
    "INSERT INTO special_tasks (id, client_id, shortcode, uploaded_at, registered_by, "
    "registered_at) VALUES (1, 'POLRES_A', 'SPCL123abcd', '2025-12-01T09:00:00+07:00', 'op', "
    "'2025-12-06T08:00:00+07:00')",
)


@pytest.fixture
async def app(engine, redis, database_url: str, redis_url: str) -> AsyncIterator[LiveApp]:
    async with engine.begin() as connection:
        await insert_clients(connection, CLIENTS)
        for statement in SETUP:
            await connection.execute(text(statement))
    with clock.frozen(NOW):
        async for live in serve(web_settings(), database_url, redis_url):
            yield live


async def _code_sent_to(redis, phone: str) -> str | None:
    for _, fields in await redis.xrange(stream_key("user")):
        if fields["to"] == f"{phone}@s.whatsapp.net":
            found = re.search(r"\*(\d{6})\*", fields["body"])
            return found.group(1) if found else None
    return None


async def _login(app: LiveApp, redis, nrp: str, phone: str) -> str:
    asked = await app.client.post("/api/auth/user-login/request", json={"nrp": nrp})
    assert asked.status_code == 202, asked.text
    code = await _code_sent_to(redis, phone)
    assert code is not None
    answer = await app.client.post("/api/auth/user-login", json={"nrp": nrp, "otp": code})
    assert answer.status_code == 200, answer.text
    return answer.json()["token"]


async def _rows(engine, sql: str) -> list[tuple[Any, ...]]:
    async with engine.connect() as connection:
        return [tuple(row) for row in await connection.execute(text(sql))]


async def test_login_by_a_code_sent_to_the_registered_whatsapp(app, redis) -> None:
    unknown = await app.client.post("/api/auth/user-login/request", json={"nrp": "99999999"})
    asked = await app.client.post("/api/auth/user-login/request", json={"nrp": BUDI})
    assert unknown.status_code == asked.status_code == 202
    assert unknown.json() == asked.json()  # nothing tells whether the NRP exists
    code = await _code_sent_to(redis, BUDI_WA)
    assert code is not None
    assert len(await redis.xrange(stream_key("user"))) == 1  # only BUDI got a code
    wrong = "000000" if code != "000000" else "111111"
    refused = await app.client.post("/api/auth/user-login", json={"nrp": BUDI, "otp": wrong})
    assert refused.status_code == 401
    # the reference's NRP + WhatsApp body is no longer a login
    legacy = await app.client.post("/api/auth/user-login",
                                   json={"nrp": BUDI, "whatsapp": BUDI_WA})
    assert legacy.status_code == 400 and "otp" in legacy.json()["message"]
    answer = await app.client.post("/api/auth/user-login", json={"nrp": BUDI, "otp": code})
    assert answer.status_code == 200
    body = answer.json()
    assert body["user"] == {"user_id": BUDI, "nama": "BUDI SANTOSO", "title": "BRIPKA",
                            "role": "user", "client_id": "POLRES_A", "nama_client": "POLRES A"}
    again = await app.client.post("/api/auth/user-login", json={"nrp": BUDI, "otp": code})
    assert again.status_code == 401  # one use only
    token = body["token"]
    # a personnel token is not a dashboard token: 403, never 401 (401 logs the client out)
    listed = await app.client.get("/api/users/list?client_id=POLRES_A", headers=bearer(token))
    assert listed.status_code == 403
    own = await app.client.get("/api/link-reports", headers=bearer(token))
    assert own.status_code == 200 and own.json()["data"] == []
    out = await app.client.post("/api/auth/user-logout", headers=bearer(token))
    assert out.status_code == 200
    revoked = await app.client.get("/api/link-reports", headers=bearer(token))
    assert revoked.status_code == 401


async def test_code_requests_and_checks_are_rate_limited(app, redis) -> None:
    statuses = [(await app.client.post("/api/auth/user-login/request",
                                       json={"nrp": CITRA})).status_code for _ in range(6)]
    assert statuses == [202] * 5 + [429]
    checks = [(await app.client.post("/api/auth/user-login",
                                     json={"nrp": DEDI, "otp": "123456"})).status_code
              for _ in range(11)]
    assert checks[:10] == [401] * 10 and checks[10] == 429


async def test_create_update_and_the_duplicate_create(app, redis, engine) -> None:
    token = await _login(app, redis, BUDI, BUDI_WA)
    created = await app.client.post("/api/link-reports", headers=bearer(token), json={
        "shortcode": "https://www.instagram.com/p/TASKA1xyz/", "facebook_link": FB,
        "twitter_link": TWEET})
    assert created.status_code == 201, created.text
    data = created.json()["data"]
    assert (data["shortcode"], data["user_id"], data["jumlah_link"]) == ("TASKA1xyz", BUDI, 2)
    assert data["facebook_link"] == "https://www.facebook.com/share/p/1AbC"
    assert data["twitter_link"] == "https://x.com/budi/status/1865432101234567890"
    duplicate = await app.client.post("/api/link-reports", headers=bearer(token), json={
        "shortcode": "TASKA1xyz", "facebook_link": "https://fb.watch/other1"})
    assert duplicate.status_code == 200  # a second create updates the one report
    assert duplicate.json()["data"]["twitter_link"] == data["twitter_link"]
    assert await _rows(engine, "SELECT count(*), max(facebook_link) FROM link_reports") == [
        (1, "https://fb.watch/other1")]
    updated = await app.client.put("/api/link-reports/TASKA1xyz", headers=bearer(token),
                                   json={"twitter_link": "",
                                         "youtube_link": "https://youtu.be/dQw4w9WgXcQ"})
    assert updated.status_code == 200
    assert updated.json()["data"]["twitter_link"] is None
    assert updated.json()["data"]["youtube_link"] == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    fetched = await app.client.get("/api/link-reports/TASKA1xyz", headers=bearer(token))
    assert fetched.status_code == 200 and fetched.json()["data"]["jumlah_link"] == 2
    special = await app.client.post("/api/link-reports-khusus", headers=bearer(token), json={
        "shortcode": "SPCL123abcd", "tiktok_link": "https://vt.tiktok.com/ZSabc/"})
    assert special.status_code == 201
    assert await _rows(engine, "SELECT task_id, tiktok_link FROM special_link_reports") == [
        (1, "https://vt.tiktok.com/ZSabc")]
    tasks = await app.client.get("/api/link-reports/tasks", headers=bearer(token))
    assert [(t["shortcode"], t["kind"], t["reported"]) for t in tasks.json()["data"]] == [
        ("TASKA1xyz", "regular", True), ("SPCL123abcd", "special", True)]
    deleted = await app.client.delete("/api/link-reports-khusus/SPCL123abcd",
                                      headers=bearer(token))
    assert deleted.status_code == 200
    assert await _rows(engine, "SELECT count(*) FROM special_link_reports") == [(0,)]


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"instagram_link": "https://www.google.com/x"}, "instagram_link",
     "instagram_link: bukan link Instagram, Facebook"),
    ({"instagram_link": FB}, "instagram_link", "instagram_link: bukan link Instagram"),
    ({"facebook_link": "https://www.facebook.com/"}, "facebook_link",
     "facebook_link: hanya halaman utama"),
    ({"instagram_link": "https://www.instagram.com/p/TASKA1xyz/?igsh=1"}, "instagram_link",
     "link konten tugas itu sendiri"),
    ({}, "instagram_link", "minimal satu link"),
])
async def test_a_bad_link_is_400_naming_the_field(app, redis, engine, body: dict[str, str],
                                                  field: str, message: str) -> None:
    token = await _login(app, redis, BUDI, BUDI_WA)
    answer = await app.client.post("/api/link-reports", headers=bearer(token),
                                   json={"shortcode": "TASKA1xyz", **body})
    assert answer.status_code == 400
    assert answer.json()["field"] == field and message in answer.json()["message"]
    assert await _rows(engine, "SELECT count(*) FROM link_reports") == [(0,)]


async def test_a_person_cannot_read_or_change_anothers_report(app, redis, engine) -> None:
    budi = await _login(app, redis, BUDI, BUDI_WA)
    citra = await _login(app, redis, CITRA, CITRA_WA)
    assert (await app.client.post("/api/link-reports", headers=bearer(citra), json={
        "shortcode": "TASKA1xyz", "facebook_link": "https://fb.watch/citra1"})).status_code == 201
    for method, url, body in (
            ("GET", f"/api/link-reports/TASKA1xyz?user_id={CITRA}", None),
            ("GET", f"/api/link-reports?user_id={CITRA}", None),
            ("PUT", "/api/link-reports/TASKA1xyz", {"user_id": CITRA,
                                                     "facebook_link": "https://fb.watch/x"}),
            ("POST", "/api/link-reports", {"user_id": CITRA, "shortcode": "TASKA1xyz",
                                           "facebook_link": "https://fb.watch/x"}),
            ("DELETE", f"/api/link-reports/TASKA1xyz?user_id={CITRA}", None)):
        answer = await app.client.request(method, url, headers=bearer(budi), json=body)
        assert answer.status_code == 403, (method, url, answer.text)
    mine = await app.client.get("/api/link-reports/TASKA1xyz", headers=bearer(budi))
    assert mine.status_code == 404  # BUDI has none; CITRA's is not shown to him
    assert (await app.client.get("/api/link-reports", headers=bearer(budi))).json()["data"] == []
    assert await _rows(engine, "SELECT user_id, facebook_link FROM link_reports") == [
        (CITRA, "https://fb.watch/citra1")]


async def test_tasks_of_another_client_unknown_or_too_old(app, redis, engine) -> None:
    token = await _login(app, redis, BUDI, BUDI_WA)
    for shortcode, status in (("TASKB1xyz", 403), ("NOSUCHPOST", 404), ("OLDA1xyz", 400)):
        answer = await app.client.post("/api/link-reports", headers=bearer(token), json={
            "shortcode": shortcode, "facebook_link": "https://fb.watch/a1"})
        assert answer.status_code == status, (shortcode, answer.text)
    assert await _rows(engine, "SELECT count(*) FROM link_reports") == [(0,)]


async def test_dashboard_tokens_read_their_scope_and_never_write(app, redis, engine) -> None:
    budi = await _login(app, redis, BUDI, BUDI_WA)
    await app.client.post("/api/link-reports", headers=bearer(budi), json={
        "shortcode": "TASKA1xyz", "facebook_link": FB})
    opa = await dashboard_user(engine, "opa", DashboardRole.OPERATOR, ["POLRES_A"])
    opb = await dashboard_user(engine, "opb", DashboardRole.OPERATOR, ["POLRES_B"])
    token_a = token_for(opa, "opa", DashboardRole.OPERATOR, ["POLRES_A"])
    token_b = token_for(opb, "opb", DashboardRole.OPERATOR, ["POLRES_B"])
    listed = await app.client.get("/api/link-reports?client_id=POLRES_A",
                                  headers=bearer(token_a))
    assert [row["user_id"] for row in listed.json()["data"]] == [BUDI]
    assert listed.json()["pagination"] == {"page": 1, "limit": 20, "total": 1, "totalPages": 1}
    one = await app.client.get(f"/api/link-reports/TASKA1xyz?user_id={BUDI}",
                               headers=bearer(token_a))
    assert one.status_code == 200
    foreign = await app.client.get(f"/api/link-reports/TASKA1xyz?user_id={BUDI}",
                                   headers=bearer(token_b))
    assert foreign.status_code == 403
    assert (await app.client.get("/api/link-reports?client_id=POLRES_A",
                                 headers=bearer(token_b))).status_code == 403
    write = await app.client.post("/api/link-reports", headers=bearer(token_a), json={
        "shortcode": "TASKA1xyz", "facebook_link": "https://fb.watch/op1"})
    assert write.status_code == 403
    excel = await app.client.get("/api/link-reports/excel?client_id=POLRES_A&periode=bulanan"
                                 "&tanggal=2025-12", headers=bearer(token_a))
    assert excel.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(excel.content)).active
    assert [cell.value for cell in sheet[2]][1:6] == [
        "BRIPKA BUDI SANTOSO", BUDI, "SAT BINMAS", "", "https://www.facebook.com/share/p/1AbC"]
    assert (await app.client.get("/api/link-reports/excel",
                                 headers=bearer(budi))).status_code == 403


async def test_the_amplification_recaps_show_the_person_done(app, redis, engine) -> None:
    budi = await _login(app, redis, BUDI, BUDI_WA)
    opa = await dashboard_user(engine, "opa", DashboardRole.OPERATOR, ["POLRES_A"])
    token = token_for(opa, "opa", DashboardRole.OPERATOR, ["POLRES_A"])

    async def recap(path: str) -> dict[str, Any]:
        answer = await app.client.get(f"{path}?client_id=POLRES_A&periode=harian"
                                      "&tanggal=2025-12-06", headers=bearer(token))
        assert answer.status_code == 200
        return {row["user_id"]: row for row in answer.json()["data"]}

    assert not (await recap("/api/amplify/rekap"))[BUDI]["sudahMelaksanakan"]
    await app.client.post("/api/link-reports", headers=bearer(budi), json={
        "shortcode": "TASKA1xyz", "facebook_link": FB, "twitter_link": TWEET})
    regular = await recap("/api/amplify/rekap")
    assert regular[BUDI]["sudahMelaksanakan"] and regular[BUDI]["status"] == "sudah"
    assert not regular[CITRA]["sudahMelaksanakan"]
    special = await recap("/api/amplify-khusus/rekap")
    assert not special[BUDI]["sudahMelaksanakan"]  # the special task is still open
    await app.client.post("/api/link-reports-khusus", headers=bearer(budi), json={
        "shortcode": "SPCL123abcd", "youtube_link": "https://youtu.be/dQw4w9WgXcQ"})
    assert (await recap("/api/amplify-khusus/rekap"))[BUDI]["sudahMelaksanakan"]


async def test_an_inactive_person_loses_their_token(app, redis, engine) -> None:
    token = await _login(app, redis, BUDI, BUDI_WA)
    async with engine.begin() as connection:
        await connection.execute(text(
            f"UPDATE personnel SET status = false WHERE user_id = '{BUDI}'"))
    answer = await app.client.post("/api/link-reports", headers=bearer(token), json={
        "shortcode": "TASKA1xyz", "facebook_link": FB})
    assert answer.status_code == 401


async def test_special_tasks_are_listed_for_the_clients_units(app, redis, engine) -> None:
    budi = await _login(app, redis, BUDI, BUDI_WA)
    listed = await app.client.get("/api/insta/posts-khusus", headers=bearer(budi))
    assert [task["shortcode"] for task in listed.json()["data"]] == ["SPCL123abcd"]
    foreign = await app.client.get("/api/insta/posts-khusus?client_id=POLRES_B",
                                   headers=bearer(budi))
    assert foreign.status_code == 403
    register = await app.client.post("/api/insta/posts-khusus", headers=bearer(budi),
                                     json={"link": "https://www.instagram.com/p/NEW12345/"})
    assert register.status_code == 403  # only dashboard users register special tasks


async def test_a_dashboard_user_registers_a_special_task_fetched_once(
        engine, redis, database_url: str, redis_url: str) -> None:
    await insert_clients(engine, CLIENTS)
    world = FakeWorld(now=lambda: NOW)
    world.add_ig_post("humas.kota", datetime(2025, 12, 5, 9, 0, tzinfo=JAKARTA),
                      shortcode="FRESH12345")
    app = create_fake_app(world, api_key="k")
    fake = FakeServer(app)
    settings = web_settings(rapidapi_key="k", rapidapi_instagram_url=fake.start())
    opa = await dashboard_user(engine, "opa", DashboardRole.OPERATOR, ["POLRES_A"])
    token = token_for(opa, "opa", DashboardRole.OPERATOR, ["POLRES_A"])
    try:
        with clock.frozen(NOW):
            async with running_worker(settings, database_url, redis_url):
                async for live in serve(settings, database_url, redis_url):
                    first = await live.client.post("/api/insta/posts-khusus", headers=bearer(
                        token), json={"link": "https://www.instagram.com/p/FRESH12345/"})
                    again = await live.client.post("/api/insta/posts-khusus", headers=bearer(
                        token), json={"link": "FRESH12345"})
                    missing = await live.client.post("/api/insta/posts-khusus",
                                                     headers=bearer(token),
                                                     json={"link": "GONE123456"})
                    foreign = await live.client.post("/api/insta/posts-khusus",
                                                     headers=bearer(token),
                                                     json={"client_id": "POLRES_B",
                                                           "link": "FRESH12345"})
    finally:
        fake.stop()
    assert first.status_code == 201, first.text
    assert first.json()["data"]["owner_username"] == "humas.kota"
    assert first.json()["data"]["task_date"] == "2025-12-06"
    assert again.status_code == 200
    assert missing.status_code == 404 and foreign.status_code == 403
    assert app.state.fake.counts["/v1/post_info"] == 2  # FRESH once, GONE once
    assert await _rows(engine, "SELECT client_id, shortcode, registered_by FROM special_tasks") \
        == [("POLRES_A", "FRESH12345", "dashboard:opa")]
