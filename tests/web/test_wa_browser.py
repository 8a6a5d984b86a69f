"""/wa in a real browser (chromium through Playwright) over a running bot: the sessions with
their backlog and dead letters; resend and discard a dead letter; log a session out (the admin
hears it on another session) and restart it; pair a session with a code for a phone number."""

from __future__ import annotations

from playwright.async_api import Page, async_playwright, expect

from bot.neonize_transport import NeonizeTransport
from bot.outbox import dead_letter_key, enqueue
from bot.sandbox import read_outbound
from bot.service import BotService
from bot.transport import PermanentSendError
from cicero.sandbox_bot import SandboxBot
from cicero.settings import load_settings
from tests.bot.test_neonize_transport import FAST, Harness
from tests.web.conftest import PASSWORD
from tests.web.test_browser import CHROMIUM_ARGS, chromium  # noqa: F401
from tests.web.test_pages import accounts  # noqa: F401

ADMIN = "6281299990001"
OFFICER_JID = "6281211112222@s.whatsapp.net"
WAIT_MS = 30_000  # the page reloads itself every 5 s; the bot takes requests every second


async def _sign_in(page: Page, url: str) -> None:
    await page.goto(f"{url}/wa")
    await expect(page).to_have_url(f"{url}/masuk?next=/wa")
    await page.fill("#username", "admin1")
    await page.fill("#password", PASSWORD)
    await page.click("form[action='/masuk'] button[type=submit]")
    await expect(page).to_have_url(f"{url}/wa")


async def _dead_letter(bot: SandboxBot, redis, text: str, key: str) -> None:
    bot.service.transport("user").fail_next(1, PermanentSendError)
    await enqueue(redis, "user", OFFICER_JID, text, key=key)
    await bot.settle()


async def test_admin_manages_sessions_and_dead_letters_on_the_wa_page(
        chromium, live, accounts, engine, redis) -> None:  # noqa: F811
    settings = load_settings(admin_whatsapp=ADMIN)
    async with SandboxBot(settings, engine, redis) as bot, async_playwright() as playwright:
        await _dead_letter(bot, redis, "Rekap untuk Bripka Agus", "wa-dead-1")
        await _dead_letter(bot, redis, "Pesan yang dibuang", "wa-dead-2")
        browser = await playwright.chromium.launch(executable_path=str(chromium),
                                                   args=CHROMIUM_ARGS, headless=True)
        try:
            page = await browser.new_page()
            await _sign_in(page, live.url)
            user = page.locator("[data-session=user]")
            for session in ("operator", "gateway", "user"):
                await expect(page.locator(f"[data-session={session}] .state")
                             ).to_have_text("WORKING")
            await expect(user.locator(".dead")).to_have_text("2 pesan")
            await expect(user.locator(".backlog")).to_have_text("0 pesan")

            resend = user.locator("tr", has_text="Rekap untuk Bripka Agus")
            await resend.get_by_role("button", name="Kirim ulang").click()
            await expect(page.locator(".notice")).to_have_text(
                "Pesan dimasukkan lagi ke antrean sesi user.")
            await bot.settle()
            sent = await read_outbound(redis, to=OFFICER_JID)
            assert [fields["text"] for _, fields in sent] == ["Rekap untuk Bripka Agus"]
            await page.reload()
            await user.locator(".recent summary").click()
            await expect(user.locator(".recent")).to_contain_text("Rekap untuk Bripka Agus")

            dropped = user.locator("tr", has_text="Pesan yang dibuang")
            await dropped.get_by_role("button", name="Buang").click()
            await expect(page.locator(".notice")).to_have_text(
                "Pesan gagal dibuang dari sesi user.")
            await expect(user.locator(".dead")).to_have_text("0 pesan")
            assert await redis.xlen(dead_letter_key("user")) == 0

            gateway = page.locator("[data-session=gateway]")
            await gateway.get_by_role("button", name="Keluar dari WhatsApp").click()
            await expect(page.locator("[data-session=gateway] .state")).to_have_text(
                "FAILED", timeout=WAIT_MS)
            await expect(page.locator("[data-session=gateway] .reason")).to_contain_text(
                "Keluar dari WhatsApp (perangkat dilepas dari HP)")
            await bot.settle()
            [notice] = [fields for _, fields in await read_outbound(redis, to=ADMIN)
                        if "Sesi WhatsApp" in fields["text"]]  # beside the dead letters' own
            assert notice["session"] in ("operator", "user")  # another session that works
            assert "Sesi WhatsApp *gateway* tidak lagi aktif: sekarang FAILED (logged out)" \
                in notice["text"]

            await page.locator("[data-session=gateway]").get_by_role(
                "button", name="Mulai ulang").click()
            await expect(page.locator("[data-session=gateway] .state")).to_have_text(
                "WORKING", timeout=WAIT_MS)
            await expect(page.locator("[data-session=gateway] .reason")).to_have_count(0)
        finally:
            await browser.close()


async def test_admin_pairs_a_session_with_a_code_for_a_phone_number(
        chromium, live, accounts, engine, redis, tmp_path) -> None:  # noqa: F811
    """The bot runs the neonize transport over the fake library client of the transport's
    own tests: it waits for a QR scan until the admin asks for a pairing code instead."""
    harness = Harness()
    harness.on_connect = lambda client: client.emit_qr("2@QR-ONE")
    service = BotService(load_settings(), engine, redis, sessions=["operator"],
                         timer_interval=0.5, transport_factory=lambda session: NeonizeTransport(
                             redis, session, store=str(tmp_path / "wa.sqlite3"),
                             client_factory=harness.factory, reconnect=FAST))
    await service.start()
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=str(chromium),
                                                       args=CHROMIUM_ARGS, headless=True)
            try:
                page = await browser.new_page()
                await _sign_in(page, live.url)
                operator = page.locator("[data-session=operator]")
                await expect(operator.locator(".state")).to_have_text("SCAN_QR_CODE",
                                                                      timeout=WAIT_MS)
                await expect(operator.locator(".qr svg")).to_be_visible()
                await operator.locator("input[name=phone]").fill("0812-3456-7890")
                await operator.get_by_role("button", name="Minta kode").click()
                await expect(page.locator(".notice")).to_contain_text(
                    "Kode pemasangan untuk sesi operator diminta")
                await expect(page.locator("[data-session=operator] .pair-code")).to_have_text(
                    "ABCD-EFGH", timeout=WAIT_MS)
                assert harness.client.paired_phones == ["6281234567890"]

                await harness.client.emit_connected(name="Humas Polres")
                await expect(page.locator("[data-session=operator] .state")).to_have_text(
                    "WORKING", timeout=WAIT_MS)
                await expect(page.locator("[data-session=operator] .number")).to_have_text(
                    "6289999999999 (Humas Polres)")
                await expect(page.locator("[data-session=operator] .pair-code")
                             ).to_have_count(0)
            finally:
                await browser.close()
    finally:
        await service.stop()
