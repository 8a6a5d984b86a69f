"""Hostile input answered 400, never 500, through the real app: deep JSON, huge integers,
lone surrogates and NUL characters in bodies, queries and paths, and dates out of range on
the data endpoints. Each case used to end in an unhandled exception (RecursionError, the
int-str conversion limit, an encoding error or a date overflow)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from storage.models import DashboardRole
from tests.factories import insert_client, insert_person
from tests.web.conftest import bearer, dashboard_user, token_for

DATA_ENDPOINTS = ["/api/aggregator", "/api/dashboard/stats", "/api/insta/posts",
                  "/api/tiktok/posts", "/api/insta/rekap-likes", "/api/tiktok/rekap-komentar",
                  "/api/amplify/rekap"]
PERSON = "10010001"
JSON = {"Content-Type": "application/json"}
BAD_CHARACTERS = ["a\\u0000b", "\\ud800", "x\\udfffy"]  # as written in the JSON text
DATE_RANGE = "harus antara 2000-01-01 dan 2099-12-31"


@pytest.fixture
async def admin(engine) -> dict[str, str]:
    async with engine.begin() as connection:
        await insert_client(connection, "POLRES_A")
        await insert_person(connection, PERSON, "AGUS", "POLRES_A", status=True)
    account = await dashboard_user(engine, "admin1", DashboardRole.ADMIN, [])
    return bearer(token_for(account, "admin1", DashboardRole.ADMIN, []))


def _refused(response: Any, message: str | None = None) -> None:
    assert response.status_code == 400, (response.status_code, response.text)
    body = response.json()
    assert body["success"] is False
    if message is not None:
        assert body["message"] == message


async def _person_row(engine) -> dict[str, Any]:
    async with engine.connect() as connection:
        row = (await connection.execute(text(
            "SELECT name, rank, satfung, jabatan, desa, client_id FROM personnel "
            "WHERE user_id = :nrp"), {"nrp": PERSON})).one()
    return dict(row._mapping)


# --- bodies -----------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["[" * 30000, '{"a":' * 12000, '{"username": ' + "[" * 40
                                  + "]" * 40 + ', "password": "x"}'])
async def test_deeply_nested_json_is_400(live, body: str) -> None:
    response = await live.client.post("/api/auth/dashboard-login", content=body, headers=JSON)
    _refused(response, "Body JSON terlalu bertingkat (maksimal 32 tingkat)")


async def test_thousands_of_arrays_are_400_but_brackets_inside_strings_are_text(live) -> None:
    wide = '{"username": [' + "[]," * 5000 + '[]], "password": "x"}'
    response = await live.client.post("/api/auth/dashboard-login", content=wide, headers=JSON)
    _refused(response, "Body JSON berisi terlalu banyak objek atau daftar (maksimal 256)")
    text_only = '{"username": "' + "[{" * 2000 + '", "password": "x"}'
    response = await live.client.post("/api/auth/dashboard-login", content=text_only,
                                      headers=JSON)
    _refused(response, "username terlalu panjang (maksimal 100 karakter)")


async def test_a_4400_digit_integer_is_400(live, admin) -> None:
    huge = "9" * 4400
    for path, body, headers in [
        ("/api/auth/dashboard-login", f'{{"username": {huge}, "password": "x"}}', JSON),
        ("/api/users/create", f'{{"user_id": {huge}, "nama": "X", "client_id": "POLRES_A"}}',
         {**JSON, **admin}),
    ]:
        response = await live.client.post(path, content=body, headers=headers)
        _refused(response, "Angka dalam body terlalu panjang (maksimal 20 digit)")


@pytest.mark.parametrize(("path", "fields"), [
    ("/api/auth/dashboard-login", {"username": "admin1", "password": "rahasia123"}),
    ("/api/auth/dashboard-register", {"username": "baru1", "password": "rahasia123",
                                      "whatsapp": "081234567890", "client_id": "POLRES_A"}),
    ("/api/auth/dashboard-password-reset/request", {"username": "admin1",
                                                    "contact": "081234567890"}),
    ("/api/auth/dashboard-password-reset/confirm", {"token": "abc", "password": "rahasia123",
                                                    "confirmPassword": "rahasia123"}),
])
async def test_lone_surrogates_in_public_auth_fields_are_400(live, admin, path: str,
                                                             fields: dict[str, str]) -> None:
    sent = 0
    for name in fields:
        for bad in BAD_CHARACTERS:
            values = {**fields, name: bad}
            body = "{" + ", ".join(f'"{key}": "{value}"' for key, value in values.items()) + "}"
            sent += 1  # each from its own address: the per-address limits are not the point
            response = await live.client.post(path, content=body, headers={
                **JSON, "X-Forwarded-For": f"198.51.100.{sent}"})
            _refused(response, f"{name} berisi karakter yang tidak diizinkan")


@pytest.mark.parametrize("field", ["nama", "title", "divisi", "jabatan", "desa", "insta",
                                   "tiktok", "whatsapp", "email", "client_id"])
async def test_nul_and_surrogates_in_personnel_fields_are_400_and_change_nothing(
        live, admin, engine, field: str) -> None:
    before = await _person_row(engine)
    for bad in BAD_CHARACTERS:
        update = await live.client.put(f"/api/users/{PERSON}", content=f'{{"{field}": "{bad}"}}',
                                       headers={**JSON, **admin})
        _refused(update, f"{field} berisi karakter yang tidak diizinkan")
        create = await live.client.post(
            "/api/users/create", headers={**JSON, **admin},
            content=f'{{"user_id": "10010002", "nama": "BUDI", "{field}": "{bad}"}}')
        _refused(create, f"{field} berisi karakter yang tidak diizinkan")
    assert await _person_row(engine) == before
    async with engine.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM personnel")) == 1


async def test_a_bad_character_in_a_key_is_400(live, admin) -> None:
    response = await live.client.put(f"/api/users/{PERSON}", content='{"na\\u0000ma": "X"}',
                                     headers={**JSON, **admin})
    _refused(response, "Body berisi karakter yang tidak diizinkan")


# --- paths and queries ------------------------------------------------------------------------


@pytest.mark.parametrize("path", [f"/api/users/{PERSON}%00", "/api/users/%ED%A0%80",
                                  "/api/dashboard/users/%00/approve", "/api/users/%C0%AF"])
async def test_nul_and_invalid_utf8_in_paths_are_400(live, admin, path: str) -> None:
    response = await live.client.put(path, json={"nama": "X"}, headers=admin)
    _refused(response, "Alamat permintaan berisi karakter yang tidak diizinkan")


@pytest.mark.parametrize("endpoint", DATA_ENDPOINTS)
async def test_nul_and_invalid_utf8_in_queries_are_400(live, admin, endpoint: str) -> None:
    for query in ("client_id=%00", "client_id=POLRES_A%ED%A0%80", "client_id=POLRES_A&tanggal=%00"):
        response = await live.client.get(f"{endpoint}?{query}", headers=admin)
        name = query.rsplit("&", 1)[-1].split("=")[0]
        _refused(response, f"{name} berisi karakter yang tidak diizinkan")


@pytest.mark.parametrize("endpoint", DATA_ENDPOINTS)
@pytest.mark.parametrize(("query", "name"), [
    ("tanggal=9999-12-31", "tanggal"), ("tanggal=0001-01-01", "tanggal"),
    ("periode=mingguan&tanggal=9999-12-31", "tanggal"),
    ("periode=mingguan&tanggal=0001-01-01", "tanggal"),
    ("periode=bulanan&tanggal=9999-12", "tanggal"), ("periode=bulanan&tanggal=0001-01", "tanggal"),
    ("tanggal_mulai=0001-01-01&tanggal_selesai=0001-01-05", "tanggal_mulai"),
    ("start_date=9999-12-01&end_date=9999-12-31", "tanggal_mulai"),
    ("tanggal_mulai=2025-01-01&tanggal_selesai=9999-12-31", "tanggal_selesai"),
])
async def test_dates_out_of_range_are_400(live, admin, endpoint: str, query: str,
                                          name: str) -> None:
    response = await live.client.get(f"{endpoint}?client_id=POLRES_A&{query}", headers=admin)
    _refused(response, f"{name} {DATE_RANGE}")


@pytest.mark.parametrize("limit", ["9" * 4400, "²", "١٠"])
async def test_a_limit_that_is_not_a_small_ascii_number_is_400(live, admin, limit: str) -> None:
    response = await live.client.get("/api/insta/posts", headers=admin,
                                     params={"client_id": "POLRES_A", "limit": limit})
    _refused(response, "limit harus bilangan bulat 1..500")


async def test_the_admin_login_form_refuses_nul(live) -> None:
    response = await live.client.post("/masuk", content=b"username=admin%00&password=x",
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    _refused(response, "username berisi karakter yang tidak diizinkan")
