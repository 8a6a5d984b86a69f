"""A real browser (Debian's chromium through Playwright) logs in as admin, opens /sandbox and
registers by chat: `halo` brings the NRP prompt, the NRP brings the link question; documents
and images arrive as a download link and a thumbnail, group messages only in their group, and
the conversation survives a reload.

CI installs chromium first (.ci/run), so there this test always runs; elsewhere it is skipped
with a reason when /usr/bin/chromium is missing."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from playwright.async_api import Page, async_playwright, expect

from bot.messages import Document
from bot.outbox import enqueue
from bot.sandbox import read_outbound
from demo.seed import DEMO_UNLINKED_NRP, DEMO_UNREGISTERED_PHONE
from tests.web.conftest import PASSWORD
from tests.web.test_pages import (  # noqa: F401
    GROUP_JID,
    UNREGISTERED_JID,
    accounts,
    registration_world,
    sandbox_bot,
)

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


def tiny_png() -> bytes:
    """A valid 1×1 white PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


async def sign_in_to_sandbox(page: Page, url: str) -> None:
    await page.goto(f"{url}/sandbox")
    await expect(page).to_have_url(f"{url}/masuk?next=/sandbox")
    await page.fill("#username", "admin1")
    await page.fill("#password", PASSWORD)
    await page.click("form[action='/masuk'] button[type=submit]")
    await expect(page).to_have_url(f"{url}/sandbox")


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


async def test_sandbox_shows_documents_images_and_groups_and_keeps_the_chat_on_reload(
        chromium, live, accounts, sandbox_bot, redis) -> None:  # noqa: F811
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(chromium),
                                                   args=CHROMIUM_ARGS, headless=True)
        try:
            page = await browser.new_page()
            await sign_in_to_sandbox(page, live.url)
            await page.select_option("#demo", DEMO_UNREGISTERED_PHONE)
            await page.fill("#text", "halo")
            await page.press("#text", "Enter")
            await expect(page.locator(".bubble.in", has_text="ketik NRP/NIP Anda")
                         ).to_be_visible(timeout=REPLY_MS)

            await enqueue(redis, "gateway", GROUP_JID, "Tugas grup hari ini", key="b-group")
            await sandbox_bot.settle()  # the group's message is recorded before the files
            assert await read_outbound(redis, to=GROUP_JID)
            await enqueue(redis, "user", UNREGISTERED_JID, "Rekap _hari ini_ terlampir",
                          key="b-doc", document=Document(
                              "rekap_satker_hari_ini.xlsx", b"PK\x03\x04" + b"x" * 2044,
                              "application/vnd.openxmlformats-officedocument"
                              ".spreadsheetml.sheet"))
            await enqueue(redis, "user", UNREGISTERED_JID, "", key="b-image",
                          document=Document("grafik_rekap_satker.png", tiny_png(), "image/png"))

            sheet = page.locator(".bubble.in", has_text="Rekap hari ini terlampir")
            await expect(sheet).to_be_visible(timeout=REPLY_MS)
            await expect(sheet.locator(".text i")).to_have_text("hari ini")
            link = sheet.locator("a.download")
            await expect(link).to_have_text("📎 rekap_satker_hari_ini.xlsx")  # no italics
            await expect(sheet.locator("i")).to_have_count(1)
            await expect(sheet).to_contain_text("spreadsheetml.sheet · 2.0 KB")
            downloaded = await page.evaluate(
                """async (url) => { const r = await fetch(url);
                   return [r.status, r.headers.get('content-disposition'),
                           (await r.arrayBuffer()).byteLength]; }""",
                await link.get_attribute("href"))
            assert downloaded == [200, 'attachment; filename="rekap_satker_hari_ini.xlsx"; '
                                  "filename*=UTF-8''rekap_satker_hari_ini.xlsx", 2048]
            thumbnail = page.locator(".bubble.in img.thumb")
            await expect(thumbnail).to_have_js_property("naturalWidth", 1, timeout=REPLY_MS)
            await expect(page.locator(".bubble.in a.download", has_text="grafik_rekap_satker.png")
                         ).to_be_visible()
            await expect(page.locator(".bubble", has_text="Tugas grup")).to_have_count(0)

            await page.reload()
            await expect(page.locator("#demo")).to_have_value(DEMO_UNREGISTERED_PHONE)
            await expect(page.locator(".bubble.out", has_text="halo")).to_be_visible()
            await expect(page.locator(".bubble.in", has_text="ketik NRP/NIP Anda")
                         ).to_be_visible()
            await expect(page.locator("img.thumb")).to_have_js_property("naturalWidth", 1)
            await expect(page.locator(".bubble", has_text="Tugas grup")).to_have_count(0)

            await page.fill("#group", GROUP_JID)
            await page.dispatch_event("#group", "change")
            await expect(page.locator(".bubble.in", has_text="Tugas grup hari ini")
                         ).to_be_visible(timeout=REPLY_MS)
            await expect(page.locator(".bubble", has_text="halo")).to_have_count(0)
        finally:
            await browser.close()
