"""The Penmas editorial API over HTTP on the real app: registration and login, token kinds,
events with business-time dates, who may read and change what, the status edges (409), the
change log written with every change, press-release details, and bad input (4xx naming the
field, nothing written)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from storage.models import DashboardRole, PenmasRole
from tests.web.conftest import bearer, dashboard_user, token_for
from tests.web.penmas_helpers import penmas_auth, penmas_user

WRITER_WA, OTHER_WA, EDITOR_WA = "6281300000001", "6281300000002", "6281300000009"


@pytest.fixture
async def people(engine) -> dict[str, Any]:
    writer = await penmas_user(engine, "tulis1", PenmasRole.WRITER, whatsapp=WRITER_WA)
    other = await penmas_user(engine, "tulis2", PenmasRole.WRITER, whatsapp=OTHER_WA)
    editor = await penmas_user(engine, "redaksi", PenmasRole.EDITOR, whatsapp=EDITOR_WA)
    return {"writer": penmas_auth(writer), "other": penmas_auth(other),
            "editor": penmas_auth(editor), "ids": (writer.id, other.id, editor.id)}


async def _count(engine, table: str) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(text(f"SELECT count(*) FROM {table}")))


async def _log(engine, event_id: int) -> list[tuple[str, str]]:
    async with engine.connect() as connection:
        rows = await connection.execute(text(
            "SELECT status, changes FROM editorial_changes WHERE event_id = :id ORDER BY id"),
            {"id": event_id})
        return [tuple(row) for row in rows]


async def _create(client, headers, **fields: Any) -> dict[str, Any]:
    body = {"event_date": "2025-12-06T09:30", "topic": "Patroli dialogis", **fields}
    response = await client.post("/api/events", headers=headers, json=body)
    assert response.status_code == 201, response.text
    return response.json()["data"]


# --- accounts and tokens --------------------------------------------------------------------

async def test_registration_makes_a_writer_who_logs_in(live, engine) -> None:
    registered = await live.client.post("/api/auth/penmas-register", json={
        "username": "Penulis.Satu", "password": "rahasia123", "whatsapp": "0812-3456-7890",
        "nama": "Ani"})
    assert registered.status_code == 201, registered.text
    assert registered.json()["role"] == "penulis"
    login = await live.client.post("/api/auth/penmas-login",
                                   json={"username": "penulis.satu", "password": "rahasia123"})
    assert login.status_code == 200, login.text
    body = login.json()
    assert body["user"] == {"user_id": registered.json()["user_id"], "username": "penulis.satu",
                            "role": "penulis", "nama": "Ani", "whatsapp": "6281234567890"}
    events = await live.client.get("/api/events", headers=bearer(body["token"]))
    assert events.json() == {"success": True, "data": []}
    wrong = await live.client.post("/api/auth/penmas-login",
                                   json={"username": "penulis.satu", "password": "salah12345"})
    assert wrong.status_code == 401 and wrong.json()["message"] == "Username atau password salah"
    logout = await live.client.post("/api/auth/penmas-logout", headers=bearer(body["token"]))
    assert logout.status_code == 200
    after = await live.client.get("/api/events", headers=bearer(body["token"]))
    assert after.status_code == 401


async def test_registration_never_grants_editor_and_writes_nothing_on_bad_input(live,
                                                                               engine) -> None:
    cases = [
        ({"role": "editor"}, "role tidak dapat dipilih"),
        ({"password": "pendek"}, "Password minimal 8 karakter"),
        ({"whatsapp": "bukan nomor"}, "whatsapp:"),
        ({"username": "a"}, "username harus 3-50 karakter"),
    ]
    for change, message in cases:
        body = {"username": "calon", "password": "rahasia123", "whatsapp": "081234567890",
                **change}
        response = await live.client.post("/api/auth/penmas-register", json=body)
        assert response.status_code == 400, response.text
        assert message in response.json()["message"]
    assert await _count(engine, "penmas_users") == 0


async def test_token_kinds_do_not_cross(live, engine, people) -> None:
    admin = await dashboard_user(engine, "admin1", DashboardRole.ADMIN, [])
    dashboard = bearer(token_for(admin, "admin1", DashboardRole.ADMIN, []))
    for path in ("/api/events", "/api/approvals"):
        refused = await live.client.get(path, headers=dashboard)
        assert refused.status_code == 401, path
        assert refused.json()["success"] is False
    posted = await live.client.post("/api/events", headers=dashboard,
                                    json={"event_date": "2025-12-06", "topic": "x"})
    assert posted.status_code == 401
    for path in ("/api/dashboard/stats", "/api/premium-requests", "/api/insta/rapid-profile"):
        refused = await live.client.get(path, headers=people["editor"])
        assert refused.status_code == 401, path
    assert await _count(engine, "editorial_events") == 0


# --- events ---------------------------------------------------------------------------------

async def test_dates_are_business_time_and_lists_show_dd_mm_yyyy(live, people) -> None:
    client, writer = live.client, people["writer"]
    utc = await _create(client, writer, event_date="2025-12-06T23:30:00Z")
    assert (utc["event_date"], utc["event_time"]) == ("07/12/2025", "06:30")
    assert utc["event_datetime"] == "2025-12-07T06:30:00+07:00"
    local = await _create(client, writer, event_date="05/12/2025 08:15", judul_berita="Judul")
    assert (local["event_date"], local["event_time"]) == ("05/12/2025", "08:15")
    listed = (await client.get("/api/events", headers=writer)).json()["data"]
    assert [e["event_date"] for e in listed] == ["05/12/2025", "07/12/2025"]  # by date
    assert {e["status"] for e in listed} == {"draft"}


async def test_a_writer_sees_only_their_own_events_an_editor_all(live, engine, people) -> None:
    client = live.client
    mine = await _create(client, people["writer"])
    theirs = await _create(client, people["other"])
    assert [e["event_id"] for e in (await client.get(
        "/api/events", headers=people["writer"])).json()["data"]] == [mine["event_id"]]
    assert len((await client.get("/api/events", headers=people["editor"])).json()["data"]) == 2
    before = await _log(engine, theirs["event_id"])
    path = f"/api/events/{theirs['event_id']}"
    for method, extra in (("GET", {}), ("PUT", {"json": {"topic": "Diubah"}}),
                          ("DELETE", {}), ("GET", {"url": path + "/logs"})):
        response = await client.request(method, extra.pop("url", path),
                                         headers=people["writer"], **extra)
        assert response.status_code == 403, (method, response.text)
        assert response.json()["message"] == "Berita ini milik penulis lain"
    assert await _log(engine, theirs["event_id"]) == before
    read = await client.get(path, headers=people["editor"])
    assert read.status_code == 200 and read.json()["data"]["penulis"] == "tulis2"


async def test_status_edges_and_roles(live, engine, people) -> None:
    client, writer, editor = live.client, people["writer"], people["editor"]
    event = await _create(client, writer)
    path = f"/api/events/{event['event_id']}"

    illegal = await client.put(path, headers=editor, json={"status": "published"})
    assert illegal.status_code == 409
    assert illegal.json() == {"success": False, "allowed": ["submitted"],
                              "message": "status tidak dapat berubah dari draft ke published"}
    assert (await client.put(path, headers=writer, json={"status": "approved"})).status_code \
        == 403
    submitted = await client.put(path, headers=writer, json={"status": "submitted"})
    assert submitted.json()["data"]["status"] == "submitted"
    locked = await client.put(path, headers=writer, json={"content": "revisi"})
    assert locked.status_code == 409
    assert locked.json()["message"] == "Berita berstatus submitted tidak dapat diubah"
    cannot_approve = await client.put(path, headers=writer, json={"status": "approved"})
    assert cannot_approve.status_code == 403
    assert cannot_approve.json()["message"].startswith("Hanya editor")
    no_reason = await client.put(path, headers=editor, json={"status": "rejected"})
    assert no_reason.status_code == 400 and "alasan" in no_reason.json()["message"]
    rejected = await client.put(path, headers=editor,
                                json={"status": "rejected", "alasan": "Foto kurang jelas"})
    assert rejected.json()["data"]["status"] == "rejected"
    revised = await client.put(path, headers=writer,
                               json={"content": "Isi baru", "status": "submitted"})
    assert revised.json()["data"]["status"] == "submitted"
    approved = await client.put(path, headers=editor, json={"status": "approved"})
    assert approved.status_code == 200
    published = await client.put(path, headers=editor, json={"status": "published"})
    assert published.json()["data"]["status"] == "published"
    assert (await client.put(path, headers=editor, json={"topic": "x"})).status_code == 409
    assert (await client.delete(path, headers=editor)).status_code == 409

    assert await _log(engine, event["event_id"]) == [
        ("draft", "created"), ("submitted", "status: draft -> submitted"),
        ("rejected", "rejected: Foto kurang jelas"), ("rejected", "fields: content"),
        ("submitted", "status: rejected -> submitted"),
        ("approved", "status: submitted -> approved"),
        ("published", "status: approved -> published")]
    logs = (await client.get(path + "/logs", headers=writer)).json()["data"]
    assert [entry["username"] for entry in logs] == ["tulis1", "tulis1", "redaksi", "tulis1",
                                                     "tulis1", "redaksi", "redaksi"]


async def test_bad_input_names_the_field_and_writes_nothing(live, engine, people) -> None:
    client, writer = live.client, people["writer"]
    event = await _create(client, writer)
    path = f"/api/events/{event['event_id']}"
    before = (await _count(engine, "editorial_events"), await _count(engine, "editorial_changes"))
    cases = [
        ("POST", "/api/events", {"topic": "x"}, 400, "event_date wajib diisi"),
        ("POST", "/api/events", {"event_date": "besok", "topic": "x"}, 400, "event_date harus"),
        ("POST", "/api/events", {"event_date": "2025-12-06"}, 400, "topic wajib diisi"),
        ("POST", "/api/events", {"event_date": "2025-12-06", "topic": "x", "status": "approved"},
         409, "status berita baru selalu draft"),
        ("POST", "/api/events", {"event_date": "2025-12-06", "topic": "x", "created_by": 9,
                                 "siapa": 1}, 400, "Field tidak dikenal: siapa"),
        ("PUT", path, {"status": "terbit"}, 400, "status harus salah satu dari"),
        ("PUT", path, {"judul_berita": "x" * 301}, 400, "judul_berita terlalu panjang"),
        ("PUT", path, {"topic": None}, 400, "topic wajib diisi"),
        ("PUT", path, {}, 400, "Tidak ada field yang diubah"),
        ("PUT", "/api/events/999999", {"topic": "x"}, 404, "event_id 999999 tidak ditemukan"),
        ("PUT", "/api/events/abc", {"topic": "x"}, 404, "event_id abc tidak ditemukan"),
        ("PUT", "/api/events/²", {"topic": "x"}, 404, "event_id ² tidak ditemukan"),
        ("GET", "/api/events/99999999999", None, 404, "event_id 99999999999 tidak ditemukan"),
        ("POST", "/api/approvals", {"event_id": "²"}, 400, "event_id harus berupa bilangan"),
        ("DELETE", "/api/events/999999", None, 404, "event_id 999999"),
        ("POST", "/api/approvals", {"event_id": "x"}, 400, "event_id harus berupa bilangan"),
        ("POST", "/api/approvals", {"event_id": 999999}, 404, "event_id 999999"),
        ("PUT", "/api/approvals/999999", {"status": "approved"}, 403, "Hanya editor"),
        ("POST", "/api/press-release-details", {"judul": "x"}, 400, "event_id wajib diisi"),
        ("GET", f"/api/press-release-details/{event['event_id']}", None, 404,
         "Detail siaran pers"),
    ]
    for method, url, body, status, message in cases:
        response = await client.request(method, url, headers=writer, json=body)
        assert response.status_code == status, (method, url, response.text)
        assert message in response.json()["message"], (url, response.json())
    editor_404 = await client.put("/api/approvals/999999", headers=people["editor"],
                                  json={"status": "approved"})
    assert editor_404.json()["message"] == "request_id 999999 tidak ditemukan"
    after = (await _count(engine, "editorial_events"), await _count(engine, "editorial_changes"))
    assert after == before


async def test_delete_and_press_release_details(live, engine, people) -> None:
    client, writer = live.client, people["writer"]
    event = await _create(client, writer)
    saved = await client.post("/api/press-release-details", headers=writer,
                              json={"event_id": event["event_id"], "judul": "Pencurian",
                                    "tkp": "Pasar Baru", "pasal": "362 KUHP"})
    assert saved.status_code == 201, saved.text
    changed = await client.put(f"/api/press-release-details/{event['event_id']}",
                               headers=writer, json={"tkp": "Pasar Lama"})
    assert changed.json()["data"]["tkp"] == "Pasar Lama"
    read = await client.get(f"/api/press-release-details/{event['event_id']}",
                            headers=people["editor"])
    assert read.json()["data"] | {"judul": "Pencurian", "pasal": "362 KUHP"} == read.json()["data"]
    assert (await client.get(f"/api/press-release-details/{event['event_id']}",
                             headers=people["other"])).status_code == 403
    assert [c for _, c in await _log(engine, event["event_id"])] == [
        "created", "press release: judul, tkp, pasal", "press release: tkp"]
    note = await client.post(f"/api/events/{event['event_id']}/logs", headers=writer,
                             json={"changes": "Menunggu foto dari lapangan"})
    assert note.status_code == 201
    deleted = await client.delete(f"/api/events/{event['event_id']}", headers=writer)
    assert deleted.status_code == 200
    for table in ("editorial_events", "editorial_changes", "press_release_details"):
        assert await _count(engine, table) == 0


async def test_approvals_queue(live, engine, people) -> None:
    client, writer, editor = live.client, people["writer"], people["editor"]
    event = await _create(client, writer, judul_berita="Bakti sosial")
    submitted = await client.post("/api/approvals", headers=writer,
                                  json={"event_id": event["event_id"]})
    assert submitted.status_code == 201, submitted.text
    request_id = submitted.json()["data"]["request_id"]
    again = await client.post("/api/approvals", headers=writer,
                              json={"event_id": event["event_id"]})
    assert again.status_code == 409
    queue = (await client.get("/api/approvals", headers=editor)).json()["data"]
    assert [(a["request_id"], a["judul_berita"], a["penulis"], a["status"]) for a in queue] == [
        (request_id, "Bakti sosial", "tulis1", "pending")]
    assert (await client.get("/api/approvals", headers=people["other"])).json()["data"] == []
    refused = await client.put(f"/api/approvals/{request_id}", headers=writer,
                               json={"status": "approved"})
    assert refused.status_code == 403
    decided = await client.put(f"/api/approvals/{request_id}", headers=editor,
                               json={"status": "rejected", "alasan": "Judul kurang tepat"})
    assert decided.status_code == 200, decided.text
    twice = await client.put(f"/api/approvals/{request_id}", headers=editor,
                             json={"status": "approved"})
    assert twice.status_code == 409
    history = (await client.get("/api/approvals?status=semua", headers=writer)).json()["data"]
    assert [(a["status"], a["alasan"], a["editor"]) for a in history] == [
        ("rejected", "Judul kurang tepat", "redaksi")]
