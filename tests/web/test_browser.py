"""A real browser (Debian's chromium through Playwright) logs in as admin, opens /sandbox and
registers by chat: `halo` brings the NRP prompt, the NRP brings the link question.

CI installs chromium first (.ci/run), so there this test always runs; elsewhere it is skipped
with a reason when /usr/bin/chromium is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect

from demo.seed import DEMO_UNLINKED_NRP, DEMO_UNREGISTERED_PHONE
from tests.web.conftest import PASSWORD
from tests.web.test_pages import accounts, registration_world, sandbox_bot  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
REPLY_MS = 20_000


@pytest.fixture
def chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.skip("chromium tidak terpasang di /usr/bin/chromium (CI memasangnya lewat "
                    "`apt-get install chromium`; pasang sendiri untuk menjalankan tes browser)")
    return CHROMIUM


async def test_admin_registers_an_officer_by_chat_in_the_sandbox_page(
        chromium, live, accounts, sandbox_bot) -> None:  # noqa: F811
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(chromium),
                                                   args=CHROMIUM_ARGS, headless=True)
        try:
            page = await browser.new_page()
            await page.goto(f"{live.url}/sandbox")
            await expect(page).to_have_url(f"{live.url}/masuk?next=/sandbox")
            await page.fill("#username", "admin1")
            await page.fill("#password", PASSWORD)
            await page.click("form[action='/masuk'] button[type=submit]")
            await expect(page).to_have_url(f"{live.url}/sandbox")

            await page.select_option("#demo", DEMO_UNREGISTERED_PHONE)
            await page.select_option("#session", "user")
            await page.fill("#text", "halo")
            await page.click("#composer button")
            await expect(page.locator(".bubble.out", has_text="halo")).to_be_visible()
            prompt = page.locator(".bubble.in", has_text="ketik NRP/NIP Anda")
            await expect(prompt).to_be_visible(timeout=REPLY_MS)

            await page.fill("#text", DEMO_UNLINKED_NRP)
            await page.press("#text", "Enter")
            question = page.locator(".bubble.in", has_text="Hubungkan nomor ini")
            await expect(question).to_be_visible(timeout=REPLY_MS)
            await expect(question).to_contain_text(f"NRP/NIP {DEMO_UNLINKED_NRP} ditemukan")
            await expect(page.locator("#status")).to_have_text("")
        finally:
            await browser.close()
