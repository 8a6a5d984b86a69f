"""Dashboard authentication over HTTP (reference §2.2, §3, §7 scenarios 1-9, 26-28): login,
logout, registration and its WhatsApp side effects, password reset, approval, token rules and
rate limits, against the real app, PostgreSQL and Redis."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt
import pytest
from sqlalchemy import text

from bot.outbox import stream_key
from cicero.clock import clock
from menus import dashboard_accounts as texts
from storage.models import DashboardRole
from tests.factories import insert_client
from tests.web.conftest import (
    JWT_SECRET,
    PASSWORD,
    LiveApp,
    bearer,
    dashboard_user,
    serve,
    token_for,
    web_settings,
)

ADMIN_A = "6281200000010"
ADMIN_B = "6281200000011"
BINMAS_WA = "6281311110001"
OPA_WA = "6281311110002"
BAD_CREDENTIALS = "Username atau password salah"
RESET_MISMATCH = "Username atau nomor WhatsApp tidak sesuai dengan data akun"


@dataclass
class Org:
    admin1: str
    binmas1: str
    opA: str
    pending1: str
    multi1: str


@pytest.fixture
async def org(engine) -> Org:
    async with engine.begin() as connection:
        await insert_client(connection, "DITBINMAS", "DIREKTORAT BINMAS", "directorate",
                            instagram="ditbinmas_x", tiktok="ditbinmas_tt")
        await insert_client(connection, "POLRES_A")
        await insert_client(connection, "POLRES_B")
    return Org(
        admin1=await dashboard_user(engine, "admin1", DashboardRole.ADMIN, []),
        binmas1=await dashboard_user(engine, "binmas1", DashboardRole.DIRECTORATE, ["DITBINMAS"],
                                     whatsapp=BINMAS_WA),
        opA=await dashboard_user(engine, "opa", DashboardRole.OPERATOR, ["POLRES_A"],
                                 whatsapp=OPA_WA),
        pending1=await dashboard_user(engine, "pending1", DashboardRole.OPERATOR, ["POLRES_A"],
                                      status="pending", whatsapp="6281311110003"),
        multi1=await dashboard_user(engine, "multi1", DashboardRole.OPERATOR,
                                    ["POLRES_B", "POLRES_A"]),
    )


@pytest.fixture
async def app(org, redis, database_url: str, redis_url: str) -> AsyncIterator[LiveApp]:
    """The app with two admin numbers and a dashboard address (duplicate guard off)."""
    settings = web_settings(admin_whatsapp=f"{ADMIN_A},{ADMIN_B}",
                            dashboard_url="https://dash.example/")
    async for live in serve(settings, database_url, redis_url):
        yield live


async def _login(app: LiveApp, username: str, password: str = PASSWORD) -> Any:
    return await app.client.post("/api/auth/dashboard-login",
                                 json={"username": username, "password": password})


async def _outbox(redis) -> list[dict[str, str]]:
    return [fields for _, fields in await redis.xrange(stream_key("operator"))]


def _jid(phone: str) -> str:
    return f"{phone}@s.whatsapp.net"


async def _rows(engine, sql: str, **params: Any) -> list[dict[str, Any]]:
    async with engine.connect() as connection:
        return [dict(row._mapping) for row in await connection.execute(text(sql), params)]


def _approve(account_id: str) -> str:
    return f"/api/dashboard/users/{account_id}/approve"


# --- login (scenarios 1-5) ------------------------------------------------------------------


async def test_directorate_user_logs_in_with_its_directorate_as_role(app, org, engine) -> None:
    response = await _login(app, "binmas1")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"success", "token", "user"}
    assert body["success"] is True
    assert body["user"] == {"dashboard_user_id": org.binmas1, "user_id": None,
                            "role": "ditbinmas", "role_id": "directorate",
                            "client_ids": ["DITBINMAS"], "client_id": "DITBINMAS"}
    claims = jwt.decode(body["token"], JWT_SECRET, algorithms=["HS256"])
    assert claims["exp"] == claims["iat"] + 7200
    assert (claims["sub"], claims["role"], claims["client_id"]) == \
        (org.binmas1, "directorate", "DITBINMAS")
    logs = await _rows(engine, "SELECT actor_id, login_type, login_source, ip FROM login_logs")
    assert logs == [{"actor_id": org.binmas1, "login_type": "dashboard", "login_source": "web",
                     "ip": "127.0.0.1"}]


async def test_wrong_password_and_unknown_user_get_the_same_401(app, org) -> None:
    wrong = await _login(app, "binmas1", "salah-sekali")
    unknown = await _login(app, "nobody", "salah-sekali")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"success": False, "message": BAD_CREDENTIALS}


async def test_pending_and_rejected_accounts_get_403(app, org, engine) -> None:
    pending = await _login(app, "pending1")
    assert pending.status_code == 403
    assert pending.json() == {"success": False, "message": "Akun Anda belum disetujui admin"}
    await dashboard_user(engine, "gone1", DashboardRole.OPERATOR, ["POLRES_A"],
                         status="rejected")
    rejected = await _login(app, "gone1")
    assert rejected.status_code == 403
    assert rejected.json()["success"] is False
    # A wrong password on a pending account reveals nothing about its state.
    assert (await _login(app, "pending1", "salah-sekali")).status_code == 401


@pytest.mark.parametrize("payload", [{}, {"username": "a"}, {"password": "x"},
                                     {"username": "  ", "password": "rahasia123"}])
async def test_login_with_missing_fields_is_400(app, org, payload) -> None:
    response = await app.client.post("/api/auth/dashboard-login", json=payload)
    assert response.status_code == 400
    assert response.json()["success"] is False


async def test_login_with_a_body_that_is_not_json_is_400_json(app, org) -> None:
    response = await app.client.post("/api/auth/dashboard-login", content=b"username=a",
                                     headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"success": False, "message": "Body harus berupa JSON yang valid"}


async def test_primary_client_of_multi_client_operator_and_admin(app, org) -> None:
    multi = (await _login(app, "multi1")).json()["user"]
    assert multi["client_ids"] == ["POLRES_A", "POLRES_B"]
    assert multi["client_id"] == "POLRES_A" and multi["role"] == "operator"
    operator = (await _login(app, "opa")).json()["user"]
    assert (operator["role"], operator["client_id"]) == ("operator", "POLRES_A")
    admin = (await _login(app, "admin1")).json()["user"]
    # An admin with no granted client opens the dashboard on the first client (directorates
    # first), so the dashboard never bounces for a missing client_id.
    assert (admin["role"], admin["client_ids"], admin["client_id"]) == \
        ("admin", [], "DITBINMAS")


async def test_nul_characters_are_refused_not_crashed_on(app, org, redis) -> None:
    login = await _login(app, "binmas1\u0000")
    assert login.status_code == 400 and login.json()["success"] is False
    register = await app.client.post("/api/auth/dashboard-register",
                                     json={**NEW1, "client_id": "POLRES_A\u0000"})
    assert register.status_code == 400
    reset = await _request_reset(app, username="binmas1\u0000")
    assert reset.status_code == 400 and reset.json()["success"] is False


async def test_login_username_is_case_insensitive(app, org) -> None:
    assert (await _login(app, "BINMAS1")).status_code == 200


async def test_approved_account_without_a_client_cannot_log_in(app, org, engine) -> None:
    await dashboard_user(engine, "lonely", DashboardRole.OPERATOR, [])
    response = await _login(app, "lonely")
    assert response.status_code == 403
    assert response.json()["success"] is False


# --- logout ---------------------------------------------------------------------------------


async def test_logout_revokes_only_that_token(app, org) -> None:
    first = (await _login(app, "admin1")).json()["token"]
    second = (await _login(app, "admin1")).json()["token"]
    response = await app.client.post("/api/auth/logout", headers=bearer(first))
    assert response.status_code == 200
    assert response.json() == {"success": True, "message": "Anda telah logout"}
    gone = await app.client.put(_approve(org.pending1), headers=bearer(first))
    assert gone.status_code == 401 and gone.json()["success"] is False
    assert (await app.client.post("/api/auth/logout", headers=bearer(first))).status_code == 401
    assert (await app.client.put(_approve(org.pending1), headers=bearer(second))).status_code \
        == 200


async def test_logout_without_token_is_401(app, org) -> None:
    response = await app.client.post("/api/auth/logout")
    assert response.status_code == 401
    assert response.json() == {"success": False, "message": "Token diperlukan"}


# --- registration (scenario 6) --------------------------------------------------------------

NEW1 = {"username": "new1", "password": "x12345678", "whatsapp": "0812345678",
        "client_id": "POLRES_A"}


async def test_an_admin_written_twice_is_told_once(org, redis, database_url: str,
                                                   redis_url: str) -> None:
    """ADMIN_WHATSAPP is read by the one phone-list rule (storage.identifiers.phone_list):
    the same admin in two spellings is one admin, a value that is no number is skipped."""
    admins = f"{ADMIN_A},0{ADMIN_A[2:]},bukan-nomor,+{ADMIN_B}"
    async for live in serve(web_settings(admin_whatsapp=admins), database_url, redis_url):
        assert (await live.client.post("/api/auth/dashboard-register", json=NEW1)
                ).status_code == 201
    sent = sorted(message["to"] for message in await _outbox(redis))
    assert sent == sorted([_jid(ADMIN_A), _jid(ADMIN_B), _jid("62812345678")])


async def test_registration_creates_a_pending_operator_and_tells_admins(app, org, engine,
                                                                        redis) -> None:
    response = await app.client.post("/api/auth/dashboard-register", json=NEW1)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"success", "dashboard_user_id", "status"}
    assert (body["success"], body["status"]) == (True, False)
    rows = await _rows(engine, "SELECT id::text, username, role, status, whatsapp, password_hash "
                               "FROM dashboard_users WHERE username = 'new1'")
    assert len(rows) == 1
    row = rows[0]
    assert (row["id"], row["role"], row["status"], row["whatsapp"]) == \
        (body["dashboard_user_id"], "operator", "pending", "62812345678")
    assert row["password_hash"].startswith("$argon2id$")
    clients = await _rows(engine, "SELECT client_id FROM dashboard_user_clients "
                                  "WHERE dashboard_user_id = CAST(:id AS uuid)", id=row["id"])
    assert clients == [{"client_id": "POLRES_A"}]
    sent = await _outbox(redis)
    assert sorted(message["to"] for message in sent) == \
        sorted([_jid(ADMIN_A), _jid(ADMIN_B), _jid("62812345678")])
    to_admin = next(m["body"] for m in sent if m["to"] == _jid(ADMIN_A))
    assert to_admin == texts.registration_request("new1", row["id"], "operator",
                                                  "62812345678", ["POLRES_A"])
    assert "approvedash#new1" in to_admin and "denydash#new1" in to_admin
    ack = next(m["body"] for m in sent if m["to"] == _jid("62812345678"))
    assert ack == texts.registration_received("new1")
    # Still pending: no login yet.
    assert (await _login(app, "new1", "x12345678")).status_code == 403


async def test_registration_with_a_taken_username_is_400(app, org, engine) -> None:
    assert (await app.client.post("/api/auth/dashboard-register", json=NEW1)).status_code == 201
    again = await app.client.post("/api/auth/dashboard-register",
                                  json={**NEW1, "username": "NEW1"})
    assert again.status_code == 400
    assert again.json() == {"success": False, "message": "Username sudah dipakai"}
    rows = await _rows(engine, "SELECT count(*) AS n FROM dashboard_users "
                               "WHERE lower(username) = 'new1'")
    assert rows == [{"n": 1}]


@pytest.mark.parametrize(("change", "message"), [
    ({"whatsapp": "12"}, None),
    ({"role": "admin"}, "Peran admin tidak dapat dipilih saat pendaftaran"),
    ({"role": "ADMIN", "client_id": None}, "Peran admin tidak dapat dipilih saat pendaftaran"),
    ({"role_id": "admin"}, "Peran admin tidak dapat dipilih saat pendaftaran"),
    ({"role": "polres_a"}, "Peran polres_a tidak dikenal"),
    ({"role": "superuser"}, "Peran superuser tidak dikenal"),
    ({"client_id": None}, "client_id wajib diisi untuk peran operator"),
    ({"client_id": "POLRES_X"}, "client_id tidak dikenal: POLRES_X"),
    ({"username": "ab"}, None),
    ({"username": "bad name"}, None),
    ({"username": "x" * 51}, None),
    ({"password": "1234567"}, "Password minimal 8 karakter"),
    ({"whatsapp": None}, "whatsapp wajib diisi"),
    ({"client_ids": "POLRES_A"}, "client_ids harus berupa daftar client_id"),
])
async def test_invalid_registrations_are_400_and_write_nothing(app, org, engine, redis,
                                                               change, message) -> None:
    payload = {key: value for key, value in {**NEW1, **change}.items() if value is not None}
    response = await app.client.post("/api/auth/dashboard-register", json=payload)
    assert response.status_code == 400
    assert response.json()["success"] is False
    if message:
        assert response.json()["message"] == message
    assert await _rows(engine, "SELECT username FROM dashboard_users WHERE role <> 'admin' "
                               "AND username NOT IN ('binmas1','opa','pending1','multi1')") == []
    assert await _outbox(redis) == []


async def test_registration_with_a_directorate_role(app, org, engine) -> None:
    response = await app.client.post("/api/auth/dashboard-register", json={
        "username": "binmas2", "password": "x12345678", "whatsapp": "+62 813-1111-0009",
        "role": "DitBinmas"})
    assert response.status_code == 201
    account = response.json()["dashboard_user_id"]
    assert await _rows(engine, "SELECT role, whatsapp FROM dashboard_users WHERE username = "
                               "'binmas2'") == [{"role": "directorate",
                                                 "whatsapp": "6281311110009"}]
    assert await _rows(engine, "SELECT client_id FROM dashboard_user_clients WHERE "
                               "dashboard_user_id = CAST(:id AS uuid)", id=account) == \
        [{"client_id": "DITBINMAS"}]
    approved = await app.client.put(_approve(account),
                                    headers=bearer(token_for(org.admin1, "admin1",
                                                             DashboardRole.ADMIN, [])))
    assert approved.json()["data"]["role"] == "ditbinmas"
    user = (await _login(app, "binmas2", "x12345678")).json()["user"]
    assert (user["role"], user["client_id"]) == ("ditbinmas", "DITBINMAS")


# --- password reset (scenario 7) ------------------------------------------------------------


async def _request_reset(app: LiveApp, path: str = "/api/auth/dashboard-password-reset/request",
                         username: str = "binmas1", contact: str = "0813-1111-0001") -> Any:
    return await app.client.post(path, json={"username": username, "contact": contact})


def _token_in(message: str) -> str:
    found = re.search(r"https://dash\.example/reset-password\?token=([A-Za-z0-9_-]+)", message)
    assert found, message
    return found.group(1)


async def test_reset_sends_a_one_time_link_to_the_account_whatsapp(app, org, engine,
                                                                   redis) -> None:
    response = await _request_reset(app)
    assert response.status_code == 200
    assert response.json() == {"success": True,
                               "message": "Tautan reset password telah dikirim ke WhatsApp Anda"}
    sent = await _outbox(redis)
    assert [message["to"] for message in sent] == [_jid(BINMAS_WA)]  # never to the admins
    token = _token_in(sent[0]["body"])
    assert sent[0]["body"] == texts.password_reset_link(
        "binmas1", f"https://dash.example/reset-password?token={token}", 15)
    rows = await _rows(engine, "SELECT dashboard_user_id::text AS id, delivery_target, "
                               "token_hash, used_at, expires_at - created_at AS ttl "
                               "FROM dashboard_password_resets")
    assert len(rows) == 1
    assert rows[0]["id"] == org.binmas1 and rows[0]["delivery_target"] == BINMAS_WA
    assert rows[0]["token_hash"] == hashlib.sha256(token.encode()).hexdigest() != token
    assert rows[0]["used_at"] is None
    assert timedelta(minutes=14) < rows[0]["ttl"] <= timedelta(minutes=15, seconds=5)


async def test_reset_for_unknown_user_or_other_number_is_the_same_400(app, org, redis) -> None:
    wrong_number = await _request_reset(app, contact="081399999999")
    unknown = await _request_reset(app, username="nobody")
    assert wrong_number.status_code == unknown.status_code == 400
    assert wrong_number.json() == unknown.json() == {"success": False,
                                                     "message": RESET_MISMATCH}
    no_number = await _request_reset(app, username="admin1", contact="081399999999")
    assert no_number.json() == {"success": False, "message": RESET_MISMATCH}
    assert (await _request_reset(app, contact="bukan nomor")).status_code == 400
    assert (await app.client.post("/api/auth/dashboard-password-reset/request",
                                  json={"username": "binmas1"})).status_code == 400
    assert await _outbox(redis) == []


# Revocation holds on every endpoint, not only on the auth ones (reference §6 item 6).
DATA_PATHS = ("/api/dashboard/stats?client_id=DITBINMAS&periode=harian",
              "/api/users/list?client_id=DITBINMAS")


async def test_reset_confirm_changes_the_password_and_revokes_every_token(app, org,
                                                                          redis) -> None:
    old_token = (await _login(app, "binmas1")).json()["token"]
    forbidden = await app.client.put(_approve(org.pending1), headers=bearer(old_token))
    assert forbidden.status_code == 403  # valid, just not an admin
    for path in DATA_PATHS:
        assert (await app.client.get(path, headers=bearer(old_token))).status_code == 200
    await _request_reset(app)
    token = _token_in((await _outbox(redis))[0]["body"])
    confirm = "/api/auth/dashboard-password-reset/confirm"

    mismatch = await app.client.post(confirm, json={
        "token": token, "password": "baru-12345", "confirmPassword": "baru-12345",
        "password_confirmation": "lain-12345"})
    assert mismatch.status_code == 400
    assert mismatch.json() == {"success": False, "message": "Konfirmasi password tidak sama"}
    short = await app.client.post(confirm, json={"token": token, "password": "1234567",
                                                 "confirmPassword": "1234567"})
    assert short.json() == {"success": False, "message": "Password minimal 8 karakter"}
    missing = await app.client.post(confirm, json={"token": token, "password": "baru-12345"})
    assert missing.status_code == 400

    done = await app.client.post(confirm, json={
        "token": token, "password": "baru-12345", "confirmPassword": "baru-12345",
        "password_confirmation": "baru-12345"})
    assert done.status_code == 200
    assert done.json()["success"] is True and done.json()["message"]
    for response in (await app.client.put(_approve(org.pending1), headers=bearer(old_token)),
                     await app.client.post("/api/auth/logout", headers=bearer(old_token)),
                     *[await app.client.get(path, headers=bearer(old_token))
                       for path in DATA_PATHS]):
        assert response.status_code == 401
        assert response.json()["success"] is False
    assert (await _login(app, "binmas1")).status_code == 401
    assert (await _login(app, "binmas1", "baru-12345")).status_code == 200
    reused = await app.client.post(confirm, json={"token": token, "password": "lagi-12345",
                                                  "confirmPassword": "lagi-12345"})
    assert reused.status_code == 400
    assert (await _login(app, "binmas1", "baru-12345")).status_code == 200


async def test_expired_unknown_and_superseded_reset_tokens_are_400(app, org, redis) -> None:
    await _request_reset(app)
    first = _token_in((await _outbox(redis))[0]["body"])
    await _request_reset(app, path="/api/password-reset/request")  # alias; supersedes `first`
    second = _token_in((await _outbox(redis))[1]["body"])
    body = {"password": "baru-12345", "password_confirmation": "baru-12345"}
    path = "/api/auth/password-reset/confirm"
    assert (await app.client.post(path, json={**body, "token": first})).status_code == 400
    assert (await app.client.post(path, json={**body, "token": "tidak-ada"})).status_code == 400
    clock.set_now(clock.now() + timedelta(minutes=16), ticking=True)
    expired = await app.client.post(path, json={**body, "token": second})
    assert expired.status_code == 400
    assert expired.json()["message"] == ("Token reset tidak valid, sudah dipakai, atau sudah "
                                         "kedaluwarsa")
    assert (await _login(app, "binmas1")).status_code == 200  # password unchanged


async def test_reset_link_uses_the_configured_reset_url(org, redis, database_url,
                                                        redis_url) -> None:
    settings = web_settings(dashboard_password_reset_url="https://cicero.example/ganti",
                            dashboard_reset_token_expiry_minutes=30)
    async for live in serve(settings, database_url, redis_url):
        assert (await _request_reset(live, path="/api/auth/password-reset/request")
                ).status_code == 200
    body = (await _outbox(redis))[0]["body"]
    assert re.search(r"https://cicero\.example/ganti\?token=[A-Za-z0-9_-]{40,}", body)
    assert "berlaku 30 menit" in body


# --- tokens (scenarios 8, 9) ----------------------------------------------------------------


def _claims(**override: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {"sub": "00000000-0000-0000-0000-000000000001", "username": "admin1",
              "role": "admin", "client_ids": [], "client_id": None, "typ": "dashboard",
              "jti": "abc", "iat": now, "iat_ms": now * 1000, "exp": now + 3600}
    return {**claims, **override}


@pytest.mark.parametrize("header", [
    None,
    "Bearer garbage",
    "Bearer",
    "Basic YWRtaW4xOnJhaGFzaWExMjM=",
    "Bearer " + jwt.encode(_claims(iat=int(time.time()) - 9000, exp=int(time.time()) - 1800),
                           JWT_SECRET, algorithm="HS256"),
    "Bearer " + jwt.encode(_claims(), "another-secret-entirely-32-bytes!", algorithm="HS256"),
    "Bearer " + jwt.encode(_claims(), None, algorithm="none"),
    "Bearer " + jwt.encode(_claims(role="superuser"), JWT_SECRET, algorithm="HS256"),
    "Bearer " + jwt.encode(_claims(typ="user"), JWT_SECRET, algorithm="HS256"),
], ids=["none", "garbage", "empty", "basic", "expired", "other-secret", "alg-none",
        "unknown-role", "other-type"])
async def test_bad_tokens_are_401_on_a_protected_endpoint(app, org, header) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = await app.client.put(_approve(org.pending1), headers=headers)
    assert response.status_code == 401
    assert response.json()["success"] is False
    assert (await _login(app, "pending1")).status_code == 403  # nothing was approved


async def test_unknown_api_path_is_json_404(app) -> None:
    response = await app.client.get("/api/nope")
    assert response.status_code == 404
    assert response.json() == {"success": False, "message": "Endpoint tidak ditemukan"}


# --- approval over HTTP (scenario 28) -------------------------------------------------------


async def test_only_an_admin_approves_and_the_owner_hears_about_it(app, org, engine,
                                                                   redis) -> None:
    binmas = token_for(org.binmas1, "binmas1", DashboardRole.DIRECTORATE, ["DITBINMAS"])
    refused = await app.client.put(_approve(org.pending1), headers=bearer(binmas))
    assert refused.status_code == 403
    assert refused.json()["success"] is False
    admin = bearer(token_for(org.admin1, "admin1", DashboardRole.ADMIN, []))
    response = await app.client.put(_approve(org.pending1), headers=admin)
    assert response.status_code == 200
    assert response.json() == {"success": True, "data": {
        "dashboard_user_id": org.pending1, "username": "pending1", "role": "operator",
        "status": True, "approval_status": "approved", "user_id": None,
        "whatsapp": "6281311110003", "client_ids": ["POLRES_A"]}}
    assert await _rows(engine, "SELECT status FROM dashboard_users WHERE username = "
                               "'pending1'") == [{"status": "approved"}]
    assert [(m["to"], m["body"]) for m in await _outbox(redis)] == [
        (_jid("6281311110003"), texts.account_approved("pending1", "https://dash.example/"))]
    assert (await _login(app, "pending1")).status_code == 200
    # Approving again changes nothing and tells nobody.
    assert (await app.client.put(_approve(org.pending1), headers=admin)).status_code == 200
    assert len(await _outbox(redis)) == 1


async def test_unknown_account_ids_are_404(app, org) -> None:
    admin = bearer(token_for(org.admin1, "admin1", DashboardRole.ADMIN, []))
    for account in ("00000000-0000-0000-0000-000000000000", "not-a-uuid"):
        for action in ("approve", "reject"):
            response = await app.client.put(f"/api/dashboard/users/{account}/{action}",
                                            headers=admin)
            assert response.status_code == 404
            assert response.json() == {"success": False,
                                       "message": "Akun dashboard tidak ditemukan"}


async def test_rejection_revokes_every_token_of_the_account(app, org, engine, redis) -> None:
    token = (await _login(app, "opa")).json()["token"]
    admin = bearer(token_for(org.admin1, "admin1", DashboardRole.ADMIN, []))
    response = await app.client.put(f"/api/dashboard/users/{org.opA}/reject", headers=admin)
    assert response.status_code == 200
    assert response.json()["data"]["status"] is False
    assert response.json()["data"]["approval_status"] == "rejected"
    assert (await app.client.post("/api/auth/logout", headers=bearer(token))).status_code == 401
    assert (await _login(app, "opa")).status_code == 403
    assert [(m["to"], m["body"]) for m in await _outbox(redis)] == [
        (_jid(OPA_WA), texts.account_rejected("opa"))]


# --- rate limits ----------------------------------------------------------------------------


async def test_five_failed_logins_lock_the_username_at_that_address(app, org) -> None:
    for _ in range(5):
        assert (await _login(app, "binmas1", "salah-sekali")).status_code == 401
    locked = await _login(app, "binmas1")
    assert locked.status_code == 429
    assert locked.json() == {"success": False, "message": "Terlalu banyak percobaan. Silakan "
                                                          "coba lagi dalam 15 menit."}
    assert (await _login(app, "opa")).status_code == 200  # other accounts are unaffected


async def test_a_successful_login_resets_the_username_counter(app, org) -> None:
    for _ in range(4):
        assert (await _login(app, "binmas1", "salah-sekali")).status_code == 401
    assert (await _login(app, "binmas1")).status_code == 200
    for _ in range(4):
        assert (await _login(app, "binmas1", "salah-sekali")).status_code == 401
    assert (await _login(app, "binmas1")).status_code == 200


async def test_twenty_failed_logins_from_one_address_lock_it(app, org) -> None:
    for n in range(20):
        assert (await _login(app, f"tebak{n}", "salah-sekali")).status_code == 401
    assert (await _login(app, "binmas1")).status_code == 429


async def test_registrations_and_reset_requests_are_limited_per_address(app, org) -> None:
    for n in range(10):
        response = await app.client.post("/api/auth/dashboard-register",
                                         json={**NEW1, "username": f"user{n}"})
        assert response.status_code == 201
    over = await app.client.post("/api/auth/dashboard-register",
                                 json={**NEW1, "username": "user10"})
    assert over.status_code == 429 and over.json()["success"] is False
    for _ in range(10):
        assert (await _request_reset(app, contact="081399999999")).status_code == 400
    assert (await _request_reset(app)).status_code == 429
