"""Issue 21 in a real browser. 21.15: the root URL says what runs, the login page has the
cursor in the username field and says when one has logged out, and every button and grey line
on these pages meets WCAG AA contrast (4.5:1). 21.10: /sandbox sends a message of several
lines typed with Shift+Enter."""

from __future__ import annotations

from playwright.async_api import async_playwright, expect

from demo.seed import DEMO_UNLINKED_NRP, DEMO_UNREGISTERED_PHONE
from tests.web.conftest import PASSWORD
from tests.web.test_browser import CHROMIUM_ARGS, REPLY_MS, chromium  # noqa: F401
from tests.web.test_pages import accounts, registration_world, sandbox_bot  # noqa: F401

# The WCAG 2 contrast ratio of an element's text on its own background (or the nearest
# ancestor's that is not transparent).
CONTRAST = """(element) => {
  const rgb = (value) => value.match(/[\\d.]+/g).map(Number);
  const background = (node) => {
    for (; node; node = node.parentElement) {
      const color = rgb(getComputedStyle(node).backgroundColor);
      if (color.length < 4 || color[3] > 0) return color;
    }
    return [255, 255, 255];
  };
  const luminance = ([r, g, b]) => {
    const [R, G, B] = [r, g, b].map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const a = luminance(rgb(getComputedStyle(element).color));
  const b = luminance(background(element));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


async def low_contrast(page) -> list[str]:
    found = []
    for element in await page.locator("button, .muted, .notice, .error, a").all():
        if not await element.is_visible():
            continue
        ratio = await element.evaluate(CONTRAST)
        if ratio < 4.5:
            found.append(f"{(await element.inner_text()).strip()[:30]!r}: {ratio:.2f}")
    return found


async def test_landing_login_focus_logout_notice_and_contrast(
        chromium, live, accounts) -> None:  # noqa: F811
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(chromium),
                                                   args=CHROMIUM_ARGS, headless=True)
        try:
            page = await browser.new_page()
            landing = await page.goto(f"{live.url}/")
            assert landing is not None and landing.status == 200
            assert "text/html" in landing.headers["content-type"]
            await expect(page.locator("h2")).to_have_text("Cicero berjalan")
            for target in ("/wa", "/sandbox", "/openapi.json"):
                await expect(page.locator(f"a[href='{target}']")).to_be_visible()
            assert await low_contrast(page) == []

            await page.click("a[href='/wa']")
            await expect(page).to_have_url(f"{live.url}/masuk?next=/wa")
            await expect(page.locator("#username")).to_be_focused()
            assert await low_contrast(page) == []
            await page.keyboard.type("admin1")
            await page.fill("#password", PASSWORD)
            await page.press("#password", "Enter")
            await expect(page).to_have_url(f"{live.url}/wa")
            assert await low_contrast(page) == []

            await page.click("form[action='/keluar'] button")
            await expect(page).to_have_url(f"{live.url}/masuk?keluar=1")
            await expect(page.locator(".notice")).to_have_text("Anda telah keluar.")
            assert await low_contrast(page) == []
        finally:
            await browser.close()


async def test_sandbox_sends_a_template_of_several_lines_with_shift_enter(
        chromium, live, accounts, sandbox_bot) -> None:  # noqa: F811
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(chromium),
                                                   args=CHROMIUM_ARGS, headless=True)
        try:
            page = await browser.new_page()
            await page.goto(f"{live.url}/masuk?next=/sandbox")
            await page.fill("#username", "admin1")
            await page.fill("#password", PASSWORD)
            await page.press("#password", "Enter")
            await expect(page).to_have_url(f"{live.url}/sandbox")
            await page.select_option("#demo", DEMO_UNREGISTERED_PHONE)
            await page.select_option("#session", "user")

            lines = ["Pesan Komplain", f"NRP : {DEMO_UNLINKED_NRP}", "Kendala",
                     "- akun saya terkunci sejak kemarin"]
            await page.click("#text")
            for index, line in enumerate(lines):
                if index:
                    await page.keyboard.press("Shift+Enter")
                await page.keyboard.type(line)
            await page.keyboard.press("Enter")
            sent = page.locator(".bubble.out", has_text="Pesan Komplain")
            await expect(sent).to_be_visible()
            await expect(sent).to_contain_text("- akun saya terkunci sejak kemarin")
            # Read as the complaint template, i.e. one message (this number is not the
            # reporter's, so the bot refuses it, naming the rule).
            await expect(page.locator(".bubble.in", has_text="Komplain tidak dapat diproses "
                                      "dari nomor ini")).to_be_visible(timeout=REPLY_MS)
            await expect(page.locator(".bubble.out")).to_have_count(1)
            await expect(page.locator("#text")).to_have_value("")
        finally:
            await browser.close()
