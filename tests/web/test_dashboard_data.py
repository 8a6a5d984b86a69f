"""The dashboard data endpoints over HTTP against the organisation of tests/web/builders.py:
exact keys, exact numbers, rows written, and the recaps agreeing with the attendance engine."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text

from cicero.clock import clock
from menus.status_words import DASHBOARD_STATUS
from storage.attendance import REPORT_POLICIES, Population, PopulationKind, attendance_for
from tests.conftest import run_cli
from tests.web.builders import DAY, NOW, auth, build_world

TODAY = DAY.isoformat()


@pytest.fixture
async def world(engine):
    clock.set_now(NOW)
    return await build_world(engine)


async def rows(engine, sql: str, **params: Any) -> list[tuple]:
    async with engine.connect() as connection:
        return [tuple(row) for row in await connection.execute(text(sql), params)]


async def get(live, path: str, role: str, **params: str) -> Any:
    response = await live.client.get(path, params=params, headers=auth(role))
    assert response.status_code == 200, response.text
    return response.json()


# --- stats, aggregator, profile, posts ------------------------------------------------------


async def test_stats_count_people_and_posts_of_the_period(live, world) -> None:
    body = await get(live, "/api/dashboard/stats", "admin", client_id="POLRES_A",
                     periode="harian", tanggal=TODAY)
    assert body == {"success": True, "data": {"client_id": "POLRES_A", "clients": 4,
                                              "users": 5, "igPosts": 2, "ttPosts": 1}}
    directorate = await get(live, "/api/dashboard/stats", "directorate")
    assert directorate["data"] == {"client_id": "DITBINMAS", "clients": 2, "users": 2,
                                   "igPosts": 1, "ttPosts": 1}
    operator = await get(live, "/api/dashboard/stats", "operator")  # token's own client
    assert operator["data"]["clients"] == 1 and operator["data"]["client_id"] == "POLRES_A"
    month = await get(live, "/api/dashboard/stats", "operator", periode="bulanan",
                      tanggal="2025-12")
    assert (month["data"]["igPosts"], month["data"]["ttPosts"]) == (2, 1)
    both_days = await get(live, "/api/dashboard/stats", "operator",
                          tanggal_mulai="2025-11-30", tanggal_selesai=TODAY)
    assert both_days["data"]["igPosts"] == 3


async def test_aggregator_returns_stored_accounts_and_todays_posts(live, world) -> None:
    body = await get(live, "/api/aggregator", "operator", periode="harian")
    assert set(body) == {"success", "data"}
    data = body["data"]
    assert set(data) == {"igProfile", "igPosts", "tiktokProfile", "tiktokPosts"}
    assert data["igProfile"] == {"username": "polres_a_ig", "client_id": "POLRES_A",
                                 "nama": "POLRES A", "followers": None, "following": None}
    assert [p["shortcode"] for p in data["igPosts"]] == ["A_IG_2", "A_IG_1"]
    first = data["igPosts"][1]
    assert (first["like_count"], first["comment_count"], first["client_id"]) == \
        (120, 4, "POLRES_A")
    assert data["igPosts"][0]["like_count"] == 2  # unknown count: the likers we have seen
    assert [(p["video_id"], p["comment_count"]) for p in data["tiktokPosts"]] == [("A_TT_1", 7)]
    assert data["tiktokProfile"]["username"] == "polres_a_tt"

    limited = await get(live, "/api/aggregator", "operator", limit="1")
    assert [p["shortcode"] for p in limited["data"]["igPosts"]] == ["A_IG_2"]
    no_tiktok = await get(live, "/api/aggregator", "multi", client_id="POLRES_C")
    assert no_tiktok["data"]["tiktokProfile"] is None
    assert no_tiktok["data"]["tiktokPosts"] == []


async def test_aggregator_shows_a_directorate_its_own_accounts_for_a_satker(live, world) -> None:
    body = await get(live, "/api/aggregator", "directorate", client_id="POLRES_A")
    assert body["data"]["igProfile"]["username"] == "ditbinmas_x"
    assert [p["shortcode"] for p in body["data"]["igPosts"]] == ["D_IG_1"]


async def test_client_profile(live, world) -> None:
    body = await get(live, "/api/clients/profile", "operator", client_id="polres_a")
    assert body == {"success": True, "client": {
        "client_id": "POLRES_A", "nama": "POLRES A", "nama_client": "POLRES A",
        "client_name": "POLRES A", "client_type": "ORG", "client_status": True,
        "parent_id": None, "client_insta": "polres_a_ig", "client_insta_status": True,
        "client_tiktok": "polres_a_tt", "client_tiktok_status": True,
        "client_amplify_status": True, "tiktok_secuid": None}}
    directorate = await get(live, "/api/clients/profile", "directorate", client_id="POLRES_A")
    client = directorate["client"]
    assert (client["nama"], client["client_type"], client["client_insta"],
            client["client_tiktok"]) == ("POLRES A", "ORG", "ditbinmas_x", "ditbinmas_tt")
    own = await get(live, "/api/clients/profile", "directorate")
    assert own["client"]["client_type"] == "DIREKTORAT"
    missing = await live.client.get("/api/clients/profile", params={"client_id": "NOPE"},
                                    headers=auth("admin"))
    assert missing.status_code == 404 and missing.json()["success"] is False


async def test_post_lists_honour_dates_and_limit(live, world) -> None:
    today = await get(live, "/api/insta/posts", "operator", client_id="POLRES_A")
    assert [p["shortcode"] for p in today["data"]] == ["A_IG_2", "A_IG_1"]
    assert set(today["data"][0]) == {
        "shortcode", "client_id", "caption", "like_count", "comment_count", "view_count",
        "thumbnail_url", "image_url", "images_url", "video_url", "is_video", "is_carousel",
        "created_at", "url"}
    ranged = await get(live, "/api/insta/posts", "operator", start_date="2025-11-30",
                       end_date=TODAY)
    assert [p["shortcode"] for p in ranged["data"]] == ["A_IG_2", "A_IG_1", "A_IG_OLD"]
    limited = await get(live, "/api/insta/posts", "operator", start_date="2025-11-30",
                        end_date=TODAY, limit="2")
    assert len(limited["data"]) == 2
    tiktok = await get(live, "/api/tiktok/posts", "operator")
    assert [(p["video_id"], p["like_count"], p["comment_count"]) for p in tiktok["data"]] == \
        [("A_TT_1", 50, 7)]
    assert tiktok["data"][0]["url"] == "https://www.tiktok.com/@polres_a_tt/video/A_TT_1"


# --- users list -----------------------------------------------------------------------------

USER_KEYS = {"user_id", "nama", "title", "divisi", "jabatan", "desa", "insta", "tiktok",
             "status", "client_id", "nama_client", "client_name", "whatsapp", "email",
             "exception", "wa_notification_opt_in", "directorates", "role"}


async def test_users_list_is_the_population_in_list_order(live, world) -> None:
    body = await get(live, "/api/users/list", "operator", client_id="POLRES_A")
    assert [u["user_id"] for u in body["data"]] == ["1004", "1003", "1001", "1005", "1002"]
    andi = body["data"][2]
    assert set(andi) == USER_KEYS
    assert andi == {
        "user_id": "1001", "nama": "ANDI WIJAYA", "title": "BRIPKA", "divisi": "SAT BINMAS",
        "jabatan": "BA SAT", "desa": None, "insta": "andi.a", "tiktok": "andi_tt",
        "status": True, "client_id": "POLRES_A", "nama_client": "POLRES A",
        "client_name": "POLRES A", "whatsapp": "6281200001001", "email": None,
        "exception": False, "wa_notification_opt_in": False, "directorates": ["DITBINMAS"],
        "role": "ditbinmas"}
    assert body["data"][0]["role"] == "user"
    members = await get(live, "/api/users/list", "directorate")
    assert [u["user_id"] for u in members["data"]] == ["3001", "1001"]


# --- recaps ---------------------------------------------------------------------------------

LIKES_KEYS = {"success", "data", "totalPosts", "chartHeight", "sudahUsers", "kurangUsers",
              "belumUsers", "sudahUsersCount", "kurangUsersCount", "belumUsersCount",
              "noUsernameUsers", "noUsernameUsersCount", "usersCount", "summary", "chartData",
              "insights", "statusLegend", "noUsernameUsersDetails"}
LIKE_ROW_KEYS = {"user_id", "title", "nama", "username", "divisi", "jabatan", "exception",
                 "client_id", "client_name", "jumlah_like", "ranking", "completionRate",
                 "completionPercentage", "missingLikes", "status", "badges"}


async def test_rekap_likes_counts_each_persons_likes(live, world) -> None:
    body = await get(live, "/api/insta/rekap-likes", "operator", client_id="POLRES_A",
                     periode="harian", tanggal=TODAY)
    assert set(body) == LIKES_KEYS
    assert all(set(row) == LIKE_ROW_KEYS for row in body["data"])
    by_user = {row["user_id"]: row for row in body["data"]}
    assert [row["user_id"] for row in body["data"]] == ["1004", "1003", "1001", "1005", "1002"]
    assert {u: (r["jumlah_like"], r["status"], r["ranking"], r["missingLikes"])
            for u, r in by_user.items()} == {
        "1004": (2, "sudah", 1, 0), "1003": (0, "no_username", 4, 2),
        "1001": (2, "sudah", 1, 0), "1005": (0, "belum", 4, 2), "1002": (1, "kurang", 3, 1)}
    andi = by_user["1001"]
    assert (andi["username"], andi["client_id"], andi["client_name"], andi["title"],
            andi["divisi"], andi["exception"]) == \
        ("andi.a", "POLRES_A", "POLRES A", "BRIPKA", "SAT BINMAS", False)
    assert (andi["completionRate"], andi["completionPercentage"]) == (1.0, 100.0)
    assert by_user["1002"]["completionPercentage"] == 50.0
    assert by_user["1004"]["badges"] == ["Pengecualian", "Target tercapai"]
    assert by_user["1001"]["badges"] == ["Teratas", "Target tercapai"]
    assert body["totalPosts"] == 2 and body["usersCount"] == 5
    assert (body["sudahUsers"], body["kurangUsers"], body["belumUsers"]) == \
        (["dedi.a", "andi.a"], ["budi.a"], ["eko.a"])
    assert (body["sudahUsersCount"], body["kurangUsersCount"], body["belumUsersCount"],
            body["noUsernameUsersCount"]) == (2, 1, 1, 1)
    assert body["noUsernameUsers"] == ["CITRA DEWI"]
    assert body["noUsernameUsersDetails"] == [{
        "user_id": "1003", "nama": "CITRA DEWI", "title": "AIPDA", "divisi": "POLSEK KOTA",
        "client_id": "POLRES_A", "client_name": "POLRES A"}]
    assert body["summary"] == {
        "totalPosts": 2, "totalUsers": 5, "totalLikes": 5,
        "averageCompletionPercentage": 62.5, "participationRatePercentage": 75.0,
        "distribution": {"sudah": 2, "kurang": 1, "belum": 1, "noUsername": 1, "noPosts": 0}}
    assert body["chartData"][0] == {"label": "AKP DEDI KURNIAWAN", "likes": 2,
                                    "missingLikes": 0, "completionPercentage": 100.0}
    assert len(body["chartData"]) == 4 and body["chartHeight"] >= 320
    assert {item["status"] for item in body["statusLegend"]} == set(DASHBOARD_STATUS.values())
    assert body["insights"] and all(isinstance(line, str) for line in body["insights"])


async def test_rekap_likes_statuses_are_the_engines(live, world, engine) -> None:
    body = await get(live, "/api/insta/rekap-likes", "directorate", client_id="POLRES_A")
    attendance = await attendance_for(engine, Population(PopulationKind.SATKER, "POLRES_A"),
                                      "instagram", clock.day(DAY), REPORT_POLICIES["dashboard"])
    assert {row["user_id"]: (row["status"], row["jumlah_like"]) for row in body["data"]} == \
        {p.user_id: (DASHBOARD_STATUS[p.status], p.engaged) for p in attendance.people}


async def test_rekap_likes_agrees_with_the_report_command(live, world, engine,
                                                          cli_env: dict[str, str]) -> None:
    # The client's own policy wins everywhere, so the dashboard and `cicero report ig-likes`
    # (default policy: majority) judge with the same rule here.
    async with engine.begin() as connection:
        await connection.execute(text(
            "UPDATE clients SET attendance_policy = 'majority' WHERE client_id = 'POLRES_A'"))
    body = await get(live, "/api/insta/rekap-likes", "operator", tanggal=TODAY)
    result = run_cli("report", "ig-likes", "--client", "POLRES_A", "--date", TODAY, "--json",
                     env=cli_env)
    assert result.returncode == 0, result.stderr
    cli_statuses = {p["user_id"]: (p["status"], p["engaged"])
                    for p in json.loads(result.stdout)["people"]}
    names = {status.value: word for status, word in DASHBOARD_STATUS.items()}
    assert {row["user_id"]: (row["status"], row["jumlah_like"]) for row in body["data"]} == \
        {user: (names[status], engaged) for user, (status, engaged) in cli_statuses.items()}
    assert next(r for r in body["data"] if r["user_id"] == "1002")["status"] == "sudah"


async def test_rekap_likes_without_posts(live, world) -> None:
    body = await get(live, "/api/insta/rekap-likes", "operator", tanggal="2025-11-29")
    assert body["totalPosts"] == 0
    assert {row["status"] for row in body["data"]} == {"no_posts"}
    assert body["summary"]["distribution"] == {"sudah": 0, "kurang": 0, "belum": 0,
                                               "noUsername": 0, "noPosts": 5}
    assert body["insights"] == ["Belum ada konten Instagram pada periode ini."]


COMMENT_KEYS = {"success", "data", "totalPosts", "chartHeight", "usersWithComments",
                "usersWithoutComments", "usersWithCommentsCount", "usersWithoutCommentsCount",
                "usersCount"}


async def test_rekap_komentar_reports_the_requested_client(live, world) -> None:
    body = await get(live, "/api/tiktok/rekap-komentar", "operator", client_id="POLRES_A",
                     start_date=TODAY, end_date=TODAY)
    assert set(body) == COMMENT_KEYS
    assert {r["user_id"]: (r["jumlah_komentar"], r["total_konten"], r["status"], r["username"])
            for r in body["data"]} == {
        "1004": (0, 1, "no_username", None), "1003": (0, 1, "no_username", None),
        "1001": (1, 1, "sudah", "andi_tt"), "1005": (1, 1, "sudah", "eko_tt"),
        "1002": (0, 1, "belum", "budi_tt")}
    assert set(body["data"][0]) == {"client_id", "client_name", "user_id", "title", "nama",
                                    "username", "divisi", "exception", "jumlah_komentar",
                                    "total_konten", "status"}
    assert (body["usersWithComments"], body["usersWithoutComments"]) == \
        (["andi_tt", "eko_tt"], ["budi_tt"])
    assert (body["usersWithCommentsCount"], body["usersWithoutCommentsCount"],
            body["usersCount"]) == (2, 1, 5)
    directorate = await get(live, "/api/tiktok/rekap-komentar", "directorate")
    assert {r["user_id"]: r["jumlah_komentar"] for r in directorate["data"]} == \
        {"3001": 1, "1001": 0}


async def test_amplify_rekap(live, world) -> None:
    body = await get(live, "/api/amplify/rekap", "operator", client_id="POLRES_A",
                     tanggal=TODAY)
    assert set(body) == {"success", "data", "totalPosts", "chartHeight", "usersCount"}
    assert {r["user_id"]: (r["jumlah_link"], r["sudahMelaksanakan"], r["status"])
            for r in body["data"]} == {
        "1004": (2, True, "sudah"), "1003": (0, False, "belum"), "1001": (1, False, "kurang"),
        "1005": (0, False, "belum"), "1002": (2, True, "sudah")}
    andi = next(r for r in body["data"] if r["user_id"] == "1001")
    assert andi == {"client_id": "POLRES_A", "client_name": "POLRES A",
                    "nama_client": "POLRES A", "user_id": "1001", "title": "BRIPKA",
                    "nama": "ANDI WIJAYA", "username": "andi.a", "divisi": "SAT BINMAS",
                    "exception": False, "jumlah_link": 1, "sudahMelaksanakan": False,
                    "status": "kurang"}
    assert body["totalPosts"] == 2


# --- personnel changes ----------------------------------------------------------------------


async def changes_of(engine, user_id: str) -> list[tuple]:
    return await rows(engine, "SELECT field, old_value, new_value, changed_by "
                              "FROM personnel_changes WHERE user_id = :u AND changed_by <> "
                              "'6281200001001' ORDER BY id", u=user_id)


async def test_create_user_new_existing_and_inactive(live, world, engine) -> None:
    new = await live.client.post("/api/users/create", headers=auth("operator"), json={
        "client_id": "POLRES_A", "nama": " joko  susilo ", "title": "bripda",
        "user_id": "87020990", "divisi": "sat binmas"})
    assert new.status_code == 201, new.text
    data = new.json()["data"]
    assert (data["user_id"], data["nama"], data["title"], data["divisi"], data["client_id"],
            data["status"], data["role"]) == \
        ("87020990", "JOKO SUSILO", "BRIPDA", "SAT BINMAS", "POLRES_A", True, "user")
    assert await rows(engine, "SELECT name, rank, satfung, client_id, status FROM personnel "
                              "WHERE user_id = '87020990'") == \
        [("JOKO SUSILO", "BRIPDA", "SAT BINMAS", "POLRES_A", True)]
    assert await changes_of(engine, "87020990") == \
        [("created", None, "POLRES_A", "operator_user")]

    existing = await live.client.post("/api/users/create", headers=auth("operator"), json={
        "client_id": "POLRES_A", "nama": "ANDI", "user_id": "1001"})
    assert existing.status_code == 200
    assert existing.json()["data"]["nama"] == "ANDI WIJAYA"  # an existing record is not overwritten

    inactive = await live.client.post("/api/users/create", headers=auth("operator"), json={
        "client_id": "POLRES_A", "nama": "FAJAR", "user_id": "1009"})
    assert inactive.status_code == 200 and inactive.json()["data"]["status"] is True
    assert await changes_of(engine, "1009") == [("status", "false", "true", "operator_user")]


async def test_create_user_by_a_directorate_makes_a_member(live, world, engine) -> None:
    response = await live.client.post("/api/users/create", headers=auth("directorate"), json={
        "client_id": "POLRES_A", "nama": "Kiki", "user_id": "87020991"})
    assert response.status_code == 201
    assert response.json()["data"]["directorates"] == ["DITBINMAS"]
    assert await rows(engine, "SELECT directorate_id FROM directorate_memberships "
                              "WHERE user_id = '87020991'") == [("DITBINMAS",)]


@pytest.mark.parametrize(("body", "status"), [
    ({"client_id": "POLRES_A", "nama": "X"}, 400),
    ({"client_id": "POLRES_A", "user_id": "87020992"}, 400),
    ({"client_id": "POLRES_A", "nama": "X", "user_id": "12"}, 400),
    ({"client_id": "POLRES_A", "nama": "X", "user_id": "87020992", "premium": True}, 400),
    ({"client_id": "POLRES_A", "nama": "X", "user_id": "87020992", "insta": "hari.b"}, 409),
    ({"client_id": "POLRES_B", "nama": "X", "user_id": "87020992"}, 403),
    ({"client_id": "POLRES_A", "nama": "X", "user_id": "2001"}, 403),  # a foreign person
])
async def test_create_user_refusals(live, world, engine, body, status) -> None:
    response = await live.client.post("/api/users/create", headers=auth("operator"), json=body)
    assert response.status_code == status, response.text
    assert response.json()["success"] is False and response.json()["message"]
    assert await rows(engine, "SELECT count(*) FROM personnel") == [(9,)]


async def test_update_user_normalises_and_audits_each_change(live, world, engine) -> None:
    response = await live.client.put("/api/users/1001", headers=auth("operator"), json={
        "nama": "andi wijaya s.h.", "title": "BRIPKA", "divisi": "sat binmas",
        "insta": "https://www.instagram.com/Andi.New/", "tiktok": "@Andi_New",
        "whatsapp": "0812-3456-7890", "email": "Andi@Example.COM", "user_id": "1001"})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert (data["nama"], data["insta"], data["tiktok"], data["whatsapp"], data["email"]) == \
        ("ANDI WIJAYA S.H.", "andi.new", "andi_new", "6281234567890", "andi@example.com")
    assert await changes_of(engine, "1001") == [
        ("name", "ANDI WIJAYA", "ANDI WIJAYA S.H.", "operator_user"),
        ("instagram", "andi.a", "andi.new", "operator_user"),
        ("tiktok", "andi_tt", "andi_new", "operator_user"),
        ("whatsapp", "6281200001001", "6281234567890", "operator_user"),
        ("email", None, "andi@example.com", "operator_user")]

    cleared = await live.client.put("/api/users/1001", headers=auth("operator"),
                                    json={"tiktok": None, "status": False})
    assert cleared.status_code == 200
    assert await rows(engine, "SELECT tiktok, status FROM personnel WHERE user_id = '1001'") == \
        [(None, False)]


async def test_update_user_by_admin_anywhere(live, world) -> None:
    response = await live.client.put("/api/users/2001", headers=auth("admin"),
                                     json={"jabatan": "kanit binmas", "client_id": "POLRES_C"})
    assert response.status_code == 200
    assert (response.json()["data"]["user_id"], response.json()["data"]["client_id"],
            response.json()["data"]["jabatan"]) == ("2001", "POLRES_C", "KANIT BINMAS")


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"nama": "X", "status; DROP TABLE personnel --": 1}, 400,
     "Field tidak dikenal: status; DROP TABLE personnel --"),
    ({"client_id": "POLRES_B"}, 403, "client_id tidak diizinkan"),
    ({"insta": "budi.a"}, 409, "Username Instagram sudah dipakai personel lain"),
    ({"insta": "bad handle!"}, 400, None),
    ({"insta": "cicero_devs"}, 400, None),
    ({"whatsapp": "12"}, 400, None),
    ({"email": "a@b"}, 400, "email tidak valid"),
    ({"status": "yes"}, 400, "status harus true atau false"),
    ({"nama": ""}, 400, "nama wajib diisi"),
    ({"user_id": "1002"}, 400, None),  # not a valid new NRP
    ({"user_id": "87020990", "insta": "hari.b"}, 409, None),
    ({}, 400, "Tidak ada data yang diubah"),
])
async def test_update_user_refusals_leave_the_table_intact(live, world, engine, body, status,
                                                           message) -> None:
    before = await rows(engine, "SELECT * FROM personnel ORDER BY user_id")
    response = await live.client.put("/api/users/1001", headers=auth("operator"), json=body)
    assert response.status_code == status, response.text
    assert response.json()["success"] is False
    if message:
        assert response.json()["message"] == message
    assert await rows(engine, "SELECT * FROM personnel ORDER BY user_id") == before
    assert await changes_of(engine, "1001") == []


async def test_update_user_refuses_foreign_and_unknown_people(live, world) -> None:
    foreign = await live.client.put("/api/users/2001", headers=auth("operator"),
                                    json={"nama": "X"})
    assert foreign.status_code == 403
    unknown = await live.client.put("/api/users/99999999", headers=auth("operator"),
                                    json={"nama": "X"})
    assert unknown.status_code == 404


async def child_rows(engine, user_id: str) -> dict[str, int]:
    """How many rows of every table with a foreign key to personnel.user_id refer to it."""
    from storage.models import SQLModel

    counts = {}
    for table in SQLModel.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.target_fullname == "personnel.user_id":
                found = await rows(engine, f"SELECT count(*) FROM {table.name} "
                                           f"WHERE {key.parent.name} = :u", u=user_id)
                counts[table.name] = found[0][0]
    return counts


@pytest.mark.parametrize("method", ["PUT", "POST"])
async def test_nrp_rename_moves_every_child_row(live, world, engine, method) -> None:
    before = await child_rows(engine, "1001")
    assert set(before) == {"complaints", "dashboard_users", "directorate_memberships",
                           "link_reports", "personnel_changes", "special_link_reports",
                           "premium_requests"}
    assert all(before.values())
    response = await live.client.request(method, "/api/user_roles/update",
                                         headers=auth("operator"),
                                         json={"old_user_id": "1001", "new_user_id": "87654321"})
    assert response.status_code == 200, response.text
    assert response.json() == {"success": True, "data": {"old_user_id": "1001",
                                                         "new_user_id": "87654321"}}
    after = await child_rows(engine, "87654321")
    assert after == {**before, "personnel_changes": before["personnel_changes"] + 1}
    assert set((await child_rows(engine, "1001")).values()) == {0}
    assert await rows(engine, "SELECT count(*) FROM personnel WHERE user_id = '1001'") == [(0,)]
    assert (await changes_of(engine, "87654321"))[-1] == \
        ("user_id", "1001", "87654321", "operator_user")

    again = await live.client.request(method, "/api/user_roles/update", headers=auth("operator"),
                                      json={"old_user_id": "1001", "new_user_id": "87654321"})
    assert again.status_code == 200  # the dashboard repeats it after PUT /users/{id}
    taken = await live.client.request(method, "/api/user_roles/update", headers=auth("operator"),
                                      json={"old_user_id": "87654321", "new_user_id": "1002"})
    assert taken.status_code in (400, 409)


async def test_nrp_change_through_the_user_edit(live, world, engine) -> None:
    response = await live.client.put("/api/users/1001", headers=auth("operator"),
                                     json={"user_id": "87654321", "nama": "ANDI W"})
    assert response.status_code == 200
    assert (response.json()["data"]["user_id"], response.json()["data"]["nama"]) == \
        ("87654321", "ANDI W")
    assert (await child_rows(engine, "87654321"))["link_reports"] == 1
    clash = await live.client.put("/api/users/1002", headers=auth("operator"),
                                  json={"user_id": "87654321"})
    assert clash.status_code == 409


# --- malformed input (scenarios 17-20) ------------------------------------------------------

@pytest.mark.parametrize(("path", "params"), [
    ("/api/dashboard/stats", {"tanggal": "2025-13-45"}),
    ("/api/dashboard/stats", {"periode": "foo"}),
    ("/api/insta/rekap-likes", {"tanggal_mulai": "2025-12-02", "tanggal_selesai": TODAY}),
    ("/api/tiktok/rekap-komentar", {"start_date": "01-12-2025"}),
    ("/api/amplify/rekap", {"periode": "bulanan", "tanggal": "2025-1"}),
    ("/api/insta/posts", {"limit": "0"}),
    ("/api/tiktok/posts", {"limit": "abc"}),
    ("/api/aggregator", {"limit": "100000"}),
])
async def test_malformed_query_is_400(live, world, path, params) -> None:
    response = await live.client.get(path, params=params, headers=auth("operator"))
    assert response.status_code == 400, response.text
    assert response.json()["success"] is False and response.json()["message"]


async def test_missing_client_id_without_a_primary_client_is_400(live, world) -> None:
    for path in ("/api/dashboard/stats", "/api/amplify/rekap", "/api/users/list"):
        response = await live.client.get(path, headers=auth("admin"))
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": "client_id wajib diisi"}
