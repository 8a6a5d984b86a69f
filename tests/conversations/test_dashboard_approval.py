"""`approvedash#<username>` / `denydash#<username>` through the whole bot (sandbox transport,
real PostgreSQL and Redis): only admins on the operator number decide; the registrant hears
the outcome; a refusal ends the account's dashboard logins on the real web app."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from cicero.sandbox_bot import said
from menus import conversation as common_texts
from menus import dashboard_accounts as texts
from storage.identifiers import phone_to_jid
from storage.models import DashboardRole
from tests.conversations.conftest import ADMIN, BUDI, NEW, OPERATOR
from tests.web.conftest import bearer, dashboard_user, serve, token_for, web_settings

REGISTRANT = "6281377770001"


@pytest.fixture
async def pending(world) -> str:
    return await dashboard_user(world, "new1", DashboardRole.OPERATOR, ["POLRES_A"],
                                status="pending", whatsapp=REGISTRANT)


async def _said(bot, phone: str, message: str, session: str = "operator") -> list[dict[str, Any]]:
    await bot.send(said(phone, message, session=session))
    sent = [{"to": m["to"], "text": m["text"]} for m in await bot.new_outbound()]
    return sorted(sent, key=lambda m: m["to"] != phone_to_jid(phone))  # the sender's reply first


async def _status(engine, username: str) -> str:
    async with engine.connect() as connection:
        return await connection.scalar(text(
            "SELECT status FROM dashboard_users WHERE username = :u"), {"u": username})


async def test_admin_approves_and_the_registrant_is_told(bot, world, pending) -> None:
    sent = await _said(bot, ADMIN, "approvedash#new1")
    assert sent == [
        {"to": phone_to_jid(ADMIN), "text": texts.approved_reply("new1", True)},
        {"to": phone_to_jid(REGISTRANT), "text": texts.account_approved("new1", None)},
    ]
    assert await _status(world, "new1") == "approved"
    assert await _said(bot, ADMIN, "approvedash#new1") == [
        {"to": phone_to_jid(ADMIN), "text": texts.already_approved("new1")}]


async def test_command_is_read_leniently(bot, world, pending) -> None:
    sent = await _said(bot, ADMIN, "  *ApproveDash # NEW1*  ")
    assert sent[0] == {"to": phone_to_jid(ADMIN), "text": texts.approved_reply("new1", True)}
    assert await _status(world, "new1") == "approved"


async def test_admin_denies_and_the_accounts_logins_end(bot, world, pending, redis,
                                                       database_url, redis_url) -> None:
    await _said(bot, ADMIN, "approvedash#new1")
    token = bearer(token_for(pending, "new1", DashboardRole.OPERATOR, ["POLRES_A"]))
    approve_path = f"/api/dashboard/users/{pending}/approve"
    async for live in serve(web_settings(), database_url, redis_url):
        assert (await live.client.put(approve_path, headers=token)).status_code == 403
        sent = await _said(bot, ADMIN, "denydash#new1")
        assert sent == [
            {"to": phone_to_jid(ADMIN), "text": texts.denied_reply("new1", True)},
            {"to": phone_to_jid(REGISTRANT), "text": texts.account_rejected("new1")},
        ]
        assert await _status(world, "new1") == "rejected"
        response = await live.client.put(approve_path, headers=token)
        assert response.status_code == 401
        assert response.json()["success"] is False
    assert await _said(bot, ADMIN, "denydash#new1") == [
        {"to": phone_to_jid(ADMIN), "text": texts.already_rejected("new1")}]


@pytest.mark.parametrize("phone", [OPERATOR, BUDI, NEW])
async def test_anyone_but_an_admin_is_refused(bot, world, pending, phone) -> None:
    for command in ("approvedash#new1", "denydash#new1"):
        assert await _said(bot, phone, command) == [
            {"to": phone_to_jid(phone), "text": common_texts.ACCESS_DENIED}]
    assert await _status(world, "new1") == "pending"


async def test_heard_on_every_session_the_admin_writes_to(bot, world, pending) -> None:
    """Issue 16: admin commands are not tied to the operator number."""
    sent = await _said(bot, ADMIN, "approvedash#new1", session="gateway")
    assert sent[0]["text"] == texts.approved_reply("new1", True)
    assert await _status(world, "new1") == "approved"
    sent = await _said(bot, ADMIN, "denydash#new1", session="user")
    assert sent[0]["text"] == texts.denied_reply("new1", True)
    assert await _status(world, "new1") == "rejected"


async def test_unknown_username_and_wrong_format(bot, world, pending) -> None:
    assert await _said(bot, ADMIN, "approvedash#nobody") == [
        {"to": phone_to_jid(ADMIN), "text": texts.unknown_account("nobody")}]
    for message in ("approvedash#", "denydash#a b", "approvedash#x"):
        assert await _said(bot, ADMIN, message) == [
            {"to": phone_to_jid(ADMIN), "text": texts.WRONG_FORMAT}]
    assert await _status(world, "new1") == "pending"


async def test_account_without_whatsapp_is_approved_without_a_message(bot, world) -> None:
    await dashboard_user(world, "silent1", DashboardRole.OPERATOR, ["POLRES_A"],
                         status="pending")
    assert await _said(bot, ADMIN, "approvedash#silent1") == [
        {"to": phone_to_jid(ADMIN), "text": texts.approved_reply("silent1", False)}]
    assert await _status(world, "silent1") == "approved"
