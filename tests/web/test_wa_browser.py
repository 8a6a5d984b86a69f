"""/wa in a real browser (chromium through Playwright) over a running sandbox bot: the sessions
with their backlog and dead letters; resend and discard a dead letter; log a session out (the
admin hears it on another session) and restart it."""

from __future__ import annotations

from playwright.async_api import Page, async_playwright, expect

from bot.outbox import dead_letter_key, enqueue
from bot.sandbox import read_outbound
from bot.transport import PermanentSendError
from cicero.sandbox_bot import SandboxBot
from cicero.settings import load_settings
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
