"""Premium end to end: a person (through their linked dashboard account) requests premium over
HTTP, uploads the transfer proof and confirms; only then are the admins told on WhatsApp,
proof attached; `grantsub#<id>` gives access until its end date (and opens what premium
unlocks), `denysub#<id> alasan` refuses with the reason. Bad uploads and ids are 4xx naming
the field, and write nothing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from cicero.clock import clock
from cicero.sandbox_bot import said
from menus import conversation as common_texts
from menus import premium as texts
from storage.identifiers import phone_to_jid
from storage.models import PenmasRole, PremiumRequestStatus
from tests.conversations.conftest import ADMIN, BUDI, OPERATOR
from tests.web.conftest import serve, web_settings
from tests.web.penmas_helpers import linked_dashboard_user, penmas_auth, penmas_user

JAKARTA = ZoneInfo("Asia/Jakarta")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
PROOF = {"sender_name": "Budi Santoso", "account_number": "1234-5678-90", "bank_name": "BRI"}


@pytest.fixture
async def live_app(world, database_url: str, redis_url: str):
    clock.set_now(datetime(2025, 12, 6, 10, 0, tzinfo=JAKARTA))
    async for app in serve(web_settings(admin_whatsapp=ADMIN), database_url, redis_url):
        yield app


@pytest.fixture
async def budi(world) -> dict[str, str]:
    """The dashboard account linked to personnel 87020991 (BUDI, WhatsApp BUDI)."""
    return await linked_dashboard_user(world, "budi_dash", "87020991")


async def _said(bot, phone: str, message: str) -> list[dict[str, Any]]:
    await bot.send(said(phone, message, session="operator"))
    sent = await bot.new_outbound()
    return sorted(sent, key=lambda m: m["to"] != phone_to_jid(phone))


async def _confirmed_request(bot, client, headers: dict[str, str], proof: bytes = PNG) -> int:
    created = await client.post("/api/premium-requests", headers=headers, json=PROOF)
    assert created.status_code == 201, created.text
    request_id = created.json()["request"]["request_id"]
    uploaded = await client.put(f"/api/premium-requests/{request_id}/proof", headers={
        **headers, "Content-Type": "image/png" if proof == PNG else "image/jpeg"}, content=proof)
    assert uploaded.status_code == 200, uploaded.text
    await bot.settle()
    assert await bot.new_outbound() == []  # nobody is told before the confirmation
    confirmed = await client.post(f"/api/premium-requests/{request_id}/confirm",
                                  headers=headers)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["request"]["status"] == "pending"
    return request_id


async def _gate(client, headers: dict[str, str]) -> int:
    """A premium route's status: 403 while locked, 400 (no username) once past the gate."""
    return (await client.get("/api/insta/rapid-profile", headers=headers)).status_code


async def test_request_proof_confirm_grant(bot, world, live_app, budi) -> None:
    client = live_app.client
    assert await _gate(client, budi) == 403
    request_id = await _confirmed_request(bot, client, budi)
    await bot.settle()
    [admin_message] = await bot.new_outbound()
    assert admin_message["to"] == phone_to_jid(ADMIN)
    assert f"grantsub#{request_id}" in admin_message["text"]
    assert "BRIPKA BUDI SANTOSO (NRP 87020991)" in admin_message["text"]
    assert "Nomor rekening: 1234567890" in admin_message["text"]
    assert admin_message["document_filename"] == f"bukti-transfer-{request_id}.png"
    assert admin_message["document_bytes"] == len(PNG)

    sent = await _said(bot, ADMIN, f"grantsub#{request_id}")
    assert [(m["to"], m["text"].split("\n")[0]) for m in sent] == [
        (phone_to_jid(ADMIN), f"✅ Permintaan premium ID {request_id} untuk BRIPKA BUDI SANTOSO "
                              "(NRP 87020991) disetujui, berlaku sampai 04/01/2026."),
        (phone_to_jid(BUDI), f"✅ Permintaan akses premium Anda (ID {request_id}) *disetujui*.")]
    assert "sampai *04/01/2026*" in sent[1]["text"]

    mine = (await client.get("/api/premium-requests", headers=budi)).json()
    assert mine["premium"]["active"] is True and mine["premium"]["premium_until"] == "04/01/2026"
    assert "/api/insta/rapid-profile" in mine["premium"]["unlocks"]
    assert mine["data"][0]["status"] == "approved"
    assert await _gate(client, budi) == 400  # past the gate: only the username is missing
    clock.set_now(datetime(2026, 1, 4, 23, 0, tzinfo=JAKARTA))
    assert await _gate(client, budi) == 400  # the end date is still covered
    clock.set_now(datetime(2026, 1, 5, 0, 1, tzinfo=JAKARTA))
    assert await _gate(client, budi) == 403
    assert (await client.get("/api/premium-requests", headers=budi)).json()["premium"][
        "active"] is False
    async with world.connect() as connection:
        audit = (await connection.execute(text(
            "SELECT old_value, new_value, changed_by FROM personnel_changes "
            "WHERE user_id = '87020991' AND field = 'premium_until'"))).all()
    assert [tuple(row) for row in audit] == [(None, "2026-01-04", ADMIN)]


async def test_deny_needs_a_reason_and_tells_it(bot, world, live_app, budi) -> None:
    client = live_app.client
    request_id = await _confirmed_request(bot, client, budi, proof=JPEG)
    await bot.settle()
    await bot.new_outbound()
    assert [m["text"] for m in await _said(bot, ADMIN, f"denysub#{request_id}")] == [
        texts.REASON_REQUIRED]
    sent = await _said(bot, ADMIN, f"denysub#{request_id} nominal transfer kurang")
    assert [m["to"] for m in sent] == [phone_to_jid(ADMIN), phone_to_jid(BUDI)]
    assert sent[1]["text"] == texts.denied(request_id, "nominal transfer kurang")
    listed = (await client.get("/api/premium-requests", headers=budi)).json()
    assert (listed["data"][0]["status"], listed["data"][0]["alasan"]) == (
        "rejected", "nominal transfer kurang")
    assert listed["premium"] == {"active": False, "premium_until": None,
                                 "unlocks": listed["premium"]["unlocks"]}
    again = await _said(bot, ADMIN, f"grantsub#{request_id}")
    assert again[0]["text"] == texts.not_pending(request_id, PremiumRequestStatus.REJECTED)
    assert await _gate(client, budi) == 403


@pytest.mark.parametrize("phone", [OPERATOR, BUDI, "6281299999999"])
async def test_only_admins_decide(bot, world, live_app, budi, phone) -> None:
    request_id = await _confirmed_request(bot, live_app.client, budi)
    await bot.settle()
    await bot.new_outbound()
    for command in (f"grantsub#{request_id}", f"denysub#{request_id} tidak jelas"):
        sent = await _said(bot, phone, command)
        assert [(m["to"], m["text"]) for m in sent] == [
            (phone_to_jid(phone), common_texts.ACCESS_DENIED)]
    async with world.connect() as connection:
        status = await connection.scalar(text("SELECT status FROM premium_requests"))
        until = await connection.scalar(text(
            "SELECT premium_until FROM personnel WHERE user_id = '87020991'"))
    assert (status, until) == ("pending", None)


async def test_unknown_and_malformed_commands(bot, world, budi) -> None:
    assert [m["text"] for m in await _said(bot, ADMIN, "grantsub#777")] == [
        texts.unknown_request(777)]
    for message in ("grantsub#", "grantsub#x", "denysub#12a alasan", "grantsub#²"):
        assert [m["text"] for m in await _said(bot, ADMIN, message)] == [texts.WRONG_FORMAT]


async def _premium_rows(engine) -> tuple[int, int, str | None]:
    async with engine.connect() as connection:
        return tuple((await connection.execute(text(
            "SELECT (SELECT count(*) FROM premium_requests), "
            "(SELECT count(*) FROM premium_proofs), "
            "(SELECT string_agg(status, ',') FROM premium_requests)"))).one())


async def test_bad_requests_and_uploads_write_nothing(world, live_app, budi) -> None:
    client = live_app.client
    for body, message in (
            ({**PROOF, "account_number": "rekening"}, "account_number harus"),
            ({**PROOF, "sender_name": "A"}, "sender_name minimal 3 karakter"),
            ({"sender_name": "Budi", "account_number": "123456"}, "bank_name wajib diisi"),
            ({**PROOF, "status": "approved"}, "Field tidak dikenal: status")):
        response = await client.post("/api/premium-requests", headers=budi, json=body)
        assert response.status_code == 400, response.text
        assert message in response.json()["message"]
    assert await _premium_rows(world) == (0, 0, None)

    created = await client.post("/api/premium-requests", headers=budi, json=PROOF)
    request_id = created.json()["request"]["request_id"]
    second = await client.post("/api/premium-requests", headers=budi, json=PROOF)
    assert second.status_code == 409 and second.json()["request_id"] == request_id
    proof = f"/api/premium-requests/{request_id}/proof"
    cases = [
        ({"Content-Type": "image/png"}, PNG + b"\x00" * (2 * 1024 * 1024), 413,
         "bukti_transfer terlalu besar (maksimal 2 MB)"),
        ({"Content-Type": "image/png"}, b"%PDF-1.7 bukan gambar", 415,
         "bukti_transfer harus berupa gambar JPEG, PNG atau WebP"),
        ({"Content-Type": "application/pdf"}, PNG, 415, "bukti_transfer harus berupa gambar"),
        ({"Content-Type": "image/png"}, b"", 400, "bukti_transfer wajib diisi"),
    ]
    for headers, content, status, message in cases:
        response = await client.put(proof, headers={**budi, **headers}, content=content)
        assert response.status_code == status, response.text
        assert response.json()["message"] == message or message in response.json()["message"]
    confirm = await client.post(f"/api/premium-requests/{request_id}/confirm", headers=budi)
    assert confirm.status_code == 409
    assert confirm.json()["message"] == "bukti_transfer belum diunggah"
    unknown = await client.post("/api/premium-requests/999999/confirm", headers=budi)
    assert (unknown.status_code, unknown.json()["message"]) == (
        404, "request_id 999999 tidak ditemukan")
    for raw in ("abc", "²", "99999999999"):
        unknown_proof = await client.put(f"/api/premium-requests/{raw}/proof",
                                         headers={**budi, "Content-Type": "image/png"},
                                         content=PNG)
        assert unknown_proof.status_code == 404, raw
        assert unknown_proof.json()["message"] == f"request_id {raw} tidak ditemukan"
    assert await _premium_rows(world) == (1, 0, "draft")

    other = await linked_dashboard_user(world, "citra_dash", "87020992")
    foreign = await client.put(proof, headers={**other, "Content-Type": "image/png"},
                               content=PNG)
    assert foreign.status_code == 403
    unlinked = await linked_dashboard_user(world, "nobody_dash", None)
    refused = await client.get("/api/premium-requests", headers=unlinked)
    assert refused.status_code == 403 and "belum terhubung" in refused.json()["message"]
    writer = await penmas_user(world, "tulis1", PenmasRole.WRITER)
    assert (await client.get("/api/premium-requests",
                             headers=penmas_auth(writer))).status_code == 401
    assert await _premium_rows(world) == (1, 0, "draft")


async def test_grant_extends_a_running_access(bot, world, live_app, budi) -> None:
    async with world.begin() as connection:
        await connection.execute(text(
            "UPDATE personnel SET premium_until = '2025-12-10' WHERE user_id = '87020991'"))
    request_id = await _confirmed_request(bot, live_app.client, budi)
    await bot.settle()
    await bot.new_outbound()
    await _said(bot, ADMIN, f"grantsub#{request_id}")
    async with world.connect() as connection:
        until = await connection.scalar(text(
            "SELECT premium_until FROM personnel WHERE user_id = '87020991'"))
    assert until == date(2026, 1, 9)  # 10/12 + 30 days
