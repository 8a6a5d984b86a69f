"""The admin pages: login by cookie, /wa session states and QR codes, the /sandbox chat and
its JSON helpers, through the real app (and, for the chat, a real sandbox bot)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from bot.messages import Document, InboundMessage, OutboundMessage
from bot.outbox import dead_letter_key, enqueue, stream_key
from bot.sandbox import SandboxTransport, inbound_stream
from bot.session_admin import control_key
from bot.transport import state_key
from cicero.sandbox_bot import SandboxBot
from cicero.settings import load_settings
from demo.seed import DEMO_UNLINKED_NRP, DEMO_UNREGISTERED_PHONE
from storage.models import DashboardRole
from tests.factories import insert_client, insert_person
from tests.waiting import eventually
from tests.web.conftest import (
    PASSWORD,
    bearer,
    dashboard_user,
    serve,
    token_for,
    web_settings,
)

COOKIE = "cicero_admin"
GROUP_JID = "120363012345678901@g.us"
UNREGISTERED_JID = f"{DEMO_UNREGISTERED_PHONE}@s.whatsapp.net"
REPLY_SECONDS = 20.0
BAD_LOGIN = "Username atau password salah, atau akun ini bukan admin."


@pytest.fixture
async def accounts(engine) -> dict[str, str]:
    await insert_client(engine, "DITBINMAS", "DIREKTORAT BINMAS", "directorate")
    return {
        "admin1": await dashboard_user(engine, "admin1", DashboardRole.ADMIN, []),
        "binmas1": await dashboard_user(engine, "binmas1", DashboardRole.DIRECTORATE,
                                        ["DITBINMAS"]),
        "pending_admin": await dashboard_user(engine, "pending_admin", DashboardRole.ADMIN, [],
                                              status="pending"),
    }


async def sign_in(client: httpx.AsyncClient, username: str = "admin1",
                  password: str = PASSWORD, next_path: str = "/wa") -> httpx.Response:
    return await client.post("/masuk", data={"username": username, "password": password,
                                             "next": next_path})


@pytest.fixture
async def registration_world(engine) -> None:
    """A satker with one officer whose NRP has no WhatsApp number yet."""
    async with engine.begin() as connection:
        await insert_client(connection, "POLRES_NGAWI")
        await insert_person(connection, DEMO_UNLINKED_NRP, "DWI PRASETYO", "POLRES_NGAWI",
                            rank="BRIPTU", satfung="SAT BINMAS", jabatan="BA", status=True)


@pytest.fixture
async def sandbox_bot(registration_world, engine, redis) -> AsyncIterator[SandboxBot]:
    async with SandboxBot(load_settings(), engine, redis) as running:
        yield running


async def _ignore(message: InboundMessage) -> None:
    return None


async def wait_for_messages(client: httpx.AsyncClient, phone: str, since: str | None,
                            done: Callable[[list[dict[str, Any]]], bool], *,
                            group: str | None = None) -> tuple[list[dict[str, Any]], str]:
    """Poll /sandbox/api/messages like the page does until `done(messages so far)`."""
    cursor, seen = since, []

    async def arrived() -> bool:
        nonlocal cursor
        params = {"phone": phone} | ({"since": cursor} if cursor else {}) | \
            ({"group": group} if group else {})
        response = await client.get("/sandbox/api/messages", params=params)
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        seen.extend(data["messages"])
        cursor = data["cursor"]
        return done(seen)

    await eventually(arrived, lambda: f"the expected reply; got {seen}", within=REPLY_SECONDS,
                     every=0.2)
    return seen, cursor


# --- login --------------------------------------------------------------------------------


async def test_pages_require_the_admin_cookie(live) -> None:
    for path in ("/wa", "/sandbox"):
        response = await live.client.get(path)
        assert response.status_code == 303
        assert response.headers["location"] == f"/masuk?next={path}"
    messages = await live.client.get("/sandbox/api/messages",
                                     params={"phone": DEMO_UNREGISTERED_PHONE})
    assert messages.status_code == 401
    assert messages.json() == {"success": False,
                               "message": "Silakan masuk sebagai admin di /masuk"}
    sent = await live.client.post("/sandbox/api/send",
                                  json={"phone": DEMO_UNREGISTERED_PHONE, "text": "halo"})
    assert sent.status_code == 401
    form = await live.client.get("/masuk", params={"next": "/sandbox"})
    assert form.status_code == 200
    assert form.headers["content-type"].startswith("text/html")
    assert 'name="next" value="/sandbox"' in form.text
    assert "frame-ancestors 'none'" in form.headers["content-security-policy"]


async def test_a_bearer_token_does_not_open_the_pages(live, accounts) -> None:
    token = token_for(accounts["admin1"], "admin1", DashboardRole.ADMIN, [])
    response = await live.client.get("/wa", headers=bearer(token))
    assert response.status_code == 303


async def test_wrong_password_non_admin_and_pending_accounts_are_refused(
        live, accounts, engine) -> None:
    for username, password in (("admin1", "salah-sekali"), ("nobody", PASSWORD),
                               ("binmas1", PASSWORD), ("pending_admin", PASSWORD)):
        response = await sign_in(live.client, username, password)
        assert response.status_code == 401, username
        assert BAD_LOGIN in response.text
        assert "set-cookie" not in response.headers
    assert COOKIE not in live.client.cookies
    assert (await live.client.get("/wa")).status_code == 303
    async with engine.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM login_logs")) == 0


async def test_admin_login_sets_a_strict_http_only_cookie_and_logout_revokes_it(
        live, accounts, engine) -> None:
    response = await sign_in(live.client, next_path="/sandbox")

    assert response.status_code == 303
    assert response.headers["location"] == "/sandbox"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
    assert "Path=/" in cookie
    replay = {"Cookie": f"{COOKIE}={live.client.cookies[COOKIE]}"}
    async with httpx.AsyncClient(base_url=live.url) as other_browser:
        assert (await other_browser.get("/wa", headers=replay)).status_code == 200
    assert (await live.client.get("/wa")).status_code == 200
    assert (await live.client.get("/masuk")).headers["location"] == "/wa"
    async with engine.connect() as connection:
        rows = (await connection.execute(text(
            "SELECT actor_id, login_type, login_source FROM login_logs"))).all()
    assert rows == [(accounts["admin1"], "dashboard", "pages")]

    logout = await live.client.post("/keluar")
    assert logout.status_code == 303
    assert logout.headers["location"] == "/masuk?keluar=1"
    assert COOKIE not in live.client.cookies
    async with httpx.AsyncClient(base_url=live.url) as other_browser:
        stolen = await other_browser.get("/wa", headers=replay)
    assert stolen.status_code == 303  # the token was revoked, not only forgotten


async def test_the_cookie_never_opens_the_json_api(live, accounts) -> None:
    await sign_in(live.client)
    response = await live.client.post("/api/auth/logout")
    assert response.status_code == 401


async def test_a_post_from_another_origin_is_refused(live, accounts) -> None:
    response = await live.client.post(
        "/masuk", data={"username": "admin1", "password": PASSWORD},
        headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert "set-cookie" not in response.headers


async def test_failed_logins_are_rate_limited(live, accounts) -> None:
    for _ in range(5):
        assert (await sign_in(live.client, "admin1", "salah-sekali")).status_code == 401
    blocked = await sign_in(live.client)  # even the right password now waits
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.text
    assert "set-cookie" not in blocked.headers


# --- /wa ------------------------------------------------------------------------------------


async def test_wa_page_shows_states_and_the_pairing_qr(live, accounts, redis) -> None:
    await redis.hset(state_key("operator"), mapping={
        "state": "SCAN_QR_CODE", "transport": "neonize", "qr": "2@Zm9vYmFy,abc,def,ghi"})
    await redis.hset(state_key("gateway"), mapping={
        "state": "WORKING", "transport": "neonize", "jid": "6281299990000@s.whatsapp.net",
        "qr": "2@stale-code"})
    await sign_in(live.client)

    response = await live.client.get("/wa")

    assert response.status_code == 200
    page = response.text
    assert 'id="wa-refresh">' in page and "}, 5000);" in page  # reloads unless typing
    rows = {block.split('"')[0]: block for block in page.split('data-session="')[1:]}
    assert "SCAN_QR_CODE" in rows["operator"]
    assert '<svg width="' in rows["operator"] and 'class="segno"' in rows["operator"]
    assert "WORKING" in rows["gateway"]
    assert '<td class="number">6281299990000</td>' in rows["gateway"]
    assert "<svg" not in rows["gateway"]  # a QR is shown only while pairing
    assert "UNKNOWN" in rows["user"]
    assert page.count("<svg") == 1


async def test_wa_actions_need_an_admin_of_this_site_and_write_nothing_otherwise(
        live, accounts, redis) -> None:
    await redis.xadd(dead_letter_key("user"), {"to": UNREGISTERED_JID, "body": "x",
                                               "reason": "r", "attempts": "5"})
    [(dead_id, _)] = await redis.xrange(dead_letter_key("user"))
    posts = ["/wa/sessions/gateway/logout", "/wa/sessions/gateway/restart",
             "/wa/sessions/gateway/pair",
             f"/wa/sessions/user/dead/{dead_id}/resend",
             f"/wa/sessions/user/dead/{dead_id}/discard"]
    directorate = token_for(accounts["binmas1"], "binmas1", DashboardRole.DIRECTORATE,
                            ["DITBINMAS"])
    for path in posts:
        assert (await live.client.post(path)).status_code == 401, path
        async with httpx.AsyncClient(base_url=live.url,
                                     cookies={COOKIE: directorate}) as other:
            assert (await other.post(path)).status_code == 401, path
    await sign_in(live.client)
    for path in posts:
        refused = await live.client.post(path, headers={"Origin": "https://evil.example"})
        assert refused.status_code == 403, path
    assert await redis.exists(control_key("gateway")) == 0
    assert await redis.xlen(dead_letter_key("user")) == 1
    assert await redis.xlen(stream_key("user")) == 0
    for path, status in (("/wa/sessions/boss/logout", 404), ("/wa/sessions/gateway/explode", 404),
                         ("/wa/sessions/user/dead/x-1/resend", 400),
                         (f"/wa/sessions/user/dead/{dead_id}/burn", 404),
                         ("/wa/sessions/gateway/pair", 400)):
        assert (await live.client.post(path)).status_code == status, path
    assert await redis.exists(control_key("gateway")) == 0

    paired = await live.client.post("/wa/sessions/gateway/pair", data={"phone": "0812 3456 7890"})
    assert paired.status_code == 303

    done = await live.client.post("/wa/sessions/gateway/logout")
    assert done.status_code == 303
    assert done.headers["location"] == "/wa?done=logout&session=gateway"
    assert await redis.lrange(control_key("gateway"), 0, -1) == ["pair 6281234567890",
                                                                  "logout"]


# --- /sandbox -------------------------------------------------------------------------------


async def test_sandbox_is_not_found_under_neonize(engine, redis, accounts, database_url: str,
                                                  redis_url: str) -> None:
    settings = web_settings(wa_transport="neonize")
    async for app in serve(settings, database_url, redis_url):
        await sign_in(app.client)
        assert (await app.client.get("/wa")).status_code == 200
        page = await app.client.get("/sandbox")
        assert page.status_code == 404
        assert page.json()["success"] is False
        sent = await app.client.post("/sandbox/api/send",
                                     json={"phone": DEMO_UNREGISTERED_PHONE, "text": "halo"})
        assert sent.status_code == 404
        polled = await app.client.get("/sandbox/api/messages",
                                      params={"phone": DEMO_UNREGISTERED_PHONE})
        assert polled.status_code == 404
        document = await app.client.get("/sandbox/api/document",
                                        params={"id": "3EB0FFFFFFFFFFFFFFFF"})
        assert document.status_code == 404


async def test_sandbox_page_lists_the_demo_numbers(live, accounts) -> None:
    await sign_in(live.client)
    page = (await live.client.get("/sandbox")).text
    for phone in ("6281234569999", "6281234560001", "6281234560002", "6281234560003"):
        assert f'<option value="{phone}">' in page
    assert '<option value="other">' in page
    for session in ("user", "operator", "gateway"):
        assert f'<option value="{session}">' in page


async def test_sandbox_send_rejects_bad_input(live, accounts) -> None:
    await sign_in(live.client)
    for body, message in (
            ({"phone": "12", "text": "halo"}, "Nomor WhatsApp tidak valid"),
            ({"phone": DEMO_UNREGISTERED_PHONE, "text": "  "}, "text wajib diisi"),
            ({"phone": DEMO_UNREGISTERED_PHONE, "text": "halo", "session": "boss"},
             "session harus user, operator atau gateway")):
        response = await live.client.post("/sandbox/api/send", json=body)
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": message}
    bad_cursor = await live.client.get("/sandbox/api/messages",
                                       params={"phone": DEMO_UNREGISTERED_PHONE, "since": "x"})
    assert bad_cursor.status_code == 400


async def test_sandbox_chat_round_trip_through_a_running_bot(live, accounts, sandbox_bot,
                                                             redis, engine) -> None:
    await sign_in(live.client)
    _, cursor = await wait_for_messages(live.client, "081234569999", None, lambda _: True)

    sent = await live.client.post("/sandbox/api/send",
                                  json={"phone": "081234569999", "session": "user",
                                        "text": "halo"})
    assert sent.status_code == 202
    assert sent.json()["data"]["chat"] == UNREGISTERED_JID
    replies, cursor = await wait_for_messages(
        live.client, "081234569999", cursor,
        lambda seen: any("ketik *NRP/NIP*" in m["text"] for m in seen))
    assert {(m["to"], m["session"], m["group"]) for m in replies} == {
        (UNREGISTERED_JID, "user", False)}

    await live.client.post("/sandbox/api/send", json={"phone": "081234569999",
                                                      "text": DEMO_UNLINKED_NRP})
    replies, cursor = await wait_for_messages(
        live.client, "081234569999", cursor,
        lambda seen: any("Hubungkan nomor ini" in m["text"] for m in seen))
    assert any(f"NRP/NIP *{DEMO_UNLINKED_NRP}* ditemukan" in m["text"] for m in replies)

    await enqueue(redis, "gateway", GROUP_JID, "Tugas hari ini", key="pages-group")
    await enqueue(redis, "user", "6281200000001", "Bukan untuk chat ini", key="pages-other")
    await enqueue(redis, "user", UNREGISTERED_JID, "Rekap", key="pages-doc",
                  document=Document("rekap_hari_ini.pdf", b"%PDF-1.4 rekap", "application/pdf"))
    replies, _ = await wait_for_messages(
        live.client, "081234569999", cursor, lambda seen: any(m["document"] for m in seen))
    assert [(m["to"], m["text"], m["group"]) for m in replies] == [
        (UNREGISTERED_JID, "Rekap", False)]  # the group's message stays in the group
    [sent_file] = replies
    assert sent_file["document"] == {
        "filename": "rekap_hari_ini.pdf", "mimetype": "application/pdf", "bytes": 14,
        "image": False, "url": sent_file["document"]["url"]}
    in_group, _ = await wait_for_messages(
        live.client, "081234569999", cursor, lambda seen: bool(seen), group=GROUP_JID)
    assert [(m["to"], m["text"], m["group"]) for m in in_group] == [
        (GROUP_JID, "Tugas hari ini", True)]

    download = await live.client.get(sent_file["document"]["url"])
    assert download.status_code == 200
    assert download.content == b"%PDF-1.4 rekap"
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"rekap_hari_ini.pdf\"; filename*=UTF-8''rekap_hari_ini.pdf")
    assert download.headers["x-content-type-options"] == "nosniff"


async def test_a_group_message_sent_from_the_page_goes_to_the_group(live, accounts,
                                                                   redis) -> None:
    await sign_in(live.client)
    sent = await live.client.post("/sandbox/api/send", json={
        "phone": "081234569999", "group": GROUP_JID, "session": "gateway", "text": "halo grup"})
    assert sent.status_code == 202
    assert sent.json()["data"]["chat"] == GROUP_JID
    [(_, fields)] = await redis.xrange(inbound_stream("gateway"))
    assert (fields["chat"], fields["sender"], fields["text"]) == (
        GROUP_JID, "6281234569999", "halo grup")
    bad = await live.client.post("/sandbox/api/send", json={
        "phone": "081234569999", "group": "https://chat.whatsapp.com/AbC", "text": "halo"})
    assert bad.status_code == 400
    assert bad.json()["message"] == "JID grup tidak valid (contoh: 120363012345678901@g.us)"


async def test_sandbox_documents_are_for_the_signed_in_admin_only(live, accounts, redis) -> None:
    transport = SandboxTransport(redis, "user")
    await transport.start(_ignore)
    try:
        message_id = await transport.send(OutboundMessage(
            session="user", to=UNREGISTERED_JID, key="doc-auth",
            document=Document("grafik.png", b"\x89PNG\r\n\x1a\n", "image/png")))
    finally:
        await transport.stop()
    url = f"/sandbox/api/document?id={message_id}"
    anonymous = await live.client.get(url)
    assert anonymous.status_code == 401
    await sign_in(live.client)
    image = await live.client.get(url)
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    assert image.headers["content-disposition"].startswith('inline; filename="grafik.png"')
    assert (await live.client.get("/sandbox/api/document?id=3EB0FFFFFFFFFFFFFFFF")
            ).status_code == 404
    assert (await live.client.get("/sandbox/api/document?id=../x")).status_code == 400
