"""The Penmas editorial path end to end: a writer creates and submits an event over HTTP, the
editors get it on WhatsApp, an editor decides with `setujuiberita#` / `tolakberita#` through
the whole bot (sandbox transport), the writer hears the decision, and the change log holds
every step. A writer cannot approve (HTTP or WhatsApp) nor read another writer's draft."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from cicero.sandbox_bot import said
from menus import penmas as texts
from storage.identifiers import phone_to_jid
from storage.models import EventStatus, PenmasRole
from tests.conversations.conftest import ADMIN
from tests.web.conftest import serve, web_settings
from tests.web.penmas_helpers import penmas_auth, penmas_user

WRITER, OTHER_WRITER = "6281200000030", "6281200000033"
EDITOR, SECOND_EDITOR = "6281200000031", "6281200000032"


@pytest.fixture
async def penmas(world) -> dict[str, Any]:
    writer = await penmas_user(world, "tulis1", PenmasRole.WRITER, whatsapp=WRITER)
    other = await penmas_user(world, "tulis2", PenmasRole.WRITER, whatsapp=OTHER_WRITER)
    editor = await penmas_user(world, "redaksi", PenmasRole.EDITOR, whatsapp=EDITOR)
    second = await penmas_user(world, "redaksi2", PenmasRole.EDITOR, whatsapp=SECOND_EDITOR)
    return {"writer": writer, "other": other, "editor": editor, "second": second}


async def _said(bot, phone: str, message: str) -> list[dict[str, str]]:
    await bot.send(said(phone, message, session="operator"))
    sent = [{"to": m["to"], "text": m["text"]} for m in await bot.new_outbound()]
    return sorted(sent, key=lambda m: m["to"] != phone_to_jid(phone))  # the sender's reply first


async def _log(engine, event_id: int) -> list[tuple[str, str, str | None]]:
    async with engine.connect() as connection:
        rows = await connection.execute(text(
            "SELECT c.status, c.changes, u.username FROM editorial_changes c "
            "LEFT JOIN penmas_users u ON u.id = c.user_id WHERE c.event_id = :id ORDER BY c.id"),
            {"id": event_id})
        return [tuple(row) for row in rows]


async def _status(engine, event_id: int) -> str:
    async with engine.connect() as connection:
        return await connection.scalar(text(
            "SELECT status FROM editorial_events WHERE id = :id"), {"id": event_id})


async def _submitted_event(bot, penmas, database_url: str, redis_url: str) -> int:
    """A writer creates and submits an event over HTTP; the editors were told."""
    writer = penmas_auth(penmas["writer"])
    async for live in serve(web_settings(), database_url, redis_url):
        created = await live.client.post("/api/events", headers=writer, json={
            "event_date": "06/12/2025 09:00", "topic": "Sambang desa",
            "judul_berita": "Polres A sambangi warga", "summary": "Bhabinkamtibmas menyapa."})
        event_id = created.json()["data"]["event_id"]
        other = await live.client.get(f"/api/events/{event_id}",
                                      headers=penmas_auth(penmas["other"]))
        assert other.status_code == 403  # another writer's draft
        submitted = await live.client.put(f"/api/events/{event_id}", headers=writer,
                                          json={"status": "submitted"})
        assert submitted.status_code == 200, submitted.text
        approve = await live.client.put(f"/api/events/{event_id}", headers=writer,
                                        json={"status": "approved"})
        assert approve.status_code == 403  # a writer cannot approve
    await bot.settle()
    told = {m["to"]: m["text"] for m in await bot.new_outbound()}
    assert set(told) == {phone_to_jid(EDITOR), phone_to_jid(SECOND_EDITOR)}
    for message in told.values():
        assert "Polres A sambangi warga" in message and "Bhabinkamtibmas menyapa." in message
        assert f"setujuiberita#{event_id}" in message and f"tolakberita#{event_id} alasan" \
            in message
    return event_id


async def test_writer_submits_editor_approves_on_whatsapp(bot, world, penmas, database_url,
                                                          redis_url) -> None:
    event_id = await _submitted_event(bot, penmas, database_url, redis_url)
    assert await _said(bot, WRITER, f"setujuiberita#{event_id}") == [
        {"to": phone_to_jid(WRITER), "text": texts.NOT_AN_EDITOR}]  # a writer cannot approve
    assert await _status(world, event_id) == "submitted"

    sent = await _said(bot, EDITOR, f"setujuiberita#{event_id}")
    assert sent == [
        {"to": phone_to_jid(EDITOR), "text": texts.approved_reply(event_id, True)},
        {"to": phone_to_jid(WRITER), "text": texts.approved(
            event_id, "Polres A sambangi warga", "Sambang desa", "redaksi")}]
    assert await _status(world, event_id) == "approved"
    assert await _log(world, event_id) == [
        ("draft", "created", "tulis1"), ("submitted", "status: draft -> submitted", "tulis1"),
        ("approved", "status: submitted -> approved", "redaksi")]
    async with world.connect() as connection:
        approval = (await connection.execute(text(
            "SELECT a.status, u.username FROM editorial_approvals a "
            "JOIN penmas_users u ON u.id = a.decided_by WHERE a.event_id = :id"),
            {"id": event_id})).one()
    assert tuple(approval) == ("approved", "redaksi")

    assert await _said(bot, SECOND_EDITOR, f"setujuiberita#{event_id}") == [
        {"to": phone_to_jid(SECOND_EDITOR),
         "text": texts.not_waiting(event_id, EventStatus.APPROVED)}]


async def test_editor_rejects_with_a_reason(bot, world, penmas, database_url,
                                            redis_url) -> None:
    event_id = await _submitted_event(bot, penmas, database_url, redis_url)
    assert await _said(bot, EDITOR, f"tolakberita#{event_id}") == [
        {"to": phone_to_jid(EDITOR), "text": texts.REASON_REQUIRED}]
    sent = await _said(bot, EDITOR, f"  *TolakBerita # {event_id}   foto  belum ada*")
    assert sent == [
        {"to": phone_to_jid(EDITOR), "text": texts.rejected_reply(event_id, True)},
        {"to": phone_to_jid(WRITER), "text": texts.rejected(
            event_id, "Polres A sambangi warga", "Sambang desa", "redaksi", "foto belum ada")}]
    assert await _log(world, event_id) == [
        ("draft", "created", "tulis1"), ("submitted", "status: draft -> submitted", "tulis1"),
        ("rejected", "rejected: foto belum ada", "redaksi")]


@pytest.mark.parametrize("phone", [ADMIN, WRITER, "6281299999999"])
async def test_only_editors_decide(bot, world, penmas, phone) -> None:
    async with world.begin() as connection:
        event_id = await connection.scalar(text(
            "INSERT INTO editorial_events (event_date, topic, status, created_by) "
            "VALUES ('2025-12-06T09:00:00+07:00', 'Topik', 'submitted', :writer) RETURNING id"),
            {"writer": penmas["writer"].id})
    for command in (f"setujuiberita#{event_id}", f"tolakberita#{event_id} tidak layak"):
        assert await _said(bot, phone, command) == [
            {"to": phone_to_jid(phone), "text": texts.NOT_AN_EDITOR}]
    assert await _status(world, event_id) == "submitted"
    assert await _log(world, event_id) == []


async def test_unknown_event_and_wrong_format(bot, world, penmas) -> None:
    assert await _said(bot, EDITOR, "setujuiberita#4242") == [
        {"to": phone_to_jid(EDITOR), "text": texts.unknown_event(4242)}]
    for message in ("setujuiberita#", "setujuiberita#abc", "tolakberita#x alasan",
                    "setujuiberita#²", "setujuiberita#１２"):
        assert await _said(bot, EDITOR, message) == [
            {"to": phone_to_jid(EDITOR), "text": texts.WRONG_FORMAT}]
