"""Take the README's screenshots from a running Moodroom with Playwright and Debian's Chromium.

Start Moodroom first (``make run``; wait until the Library shows the demo library analysed),
then, from the repository root:

    .venv/bin/python docs/screenshots/make_screenshots.py [--base http://127.0.0.1:5000]

It signs in as ``--user`` (registering that account when it does not exist yet), then saves
``library.png``, ``mood.png``, ``room.png`` and ``player.png`` next to this file.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


def sign_in(page, base: str, user: str, password: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("#username", user)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    if "/auth/login" in page.url:  # no such account yet
        page.goto(f"{base}/auth/register")
        page.fill("#username", user)
        page.fill("#password", password)
        page.fill("#confirm", password)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"^(?!.*/auth/)"))


def main() -> None:
    from playwright.sync_api import expect, sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:5000")
    parser.add_argument("--user", default="demo")
    parser.add_argument("--password", default="demo-password")
    parser.add_argument("--mood", default="calm evening, slowly building up")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=CHROMIUM_ARGS)  # fmt: skip
        page = browser.new_page(viewport={"width": 1280, "height": 860},
                                color_scheme="light")  # fmt: skip
        sign_in(page, args.base, args.user, args.password)

        page.goto(f"{args.base}/library?sort=artist")
        page.fill("#library-search", "")
        page.locator("#tracks tbody tr").first.wait_for()
        page.evaluate("document.getElementById('filters').scrollIntoView()")
        page.screenshot(path=str(HERE / "library.png"))

        page.goto(f"{args.base}/mood")
        page.fill("#mood-text", args.mood)
        page.fill("#mood-count", "10")
        page.click("#mood-go")
        expect(page.locator("#tracks li").first).to_be_visible(timeout=120_000)
        page.locator("#result").scroll_into_view_if_needed()
        page.screenshot(path=str(HERE / "mood.png"))

        page.click("#save-btn")
        page.locator("#save-msg a").click()
        page.get_by_role("link", name="Open as a live room").click()
        expect(page.locator("#conn-state")).to_have_text("live", timeout=30_000)
        page.click("[data-play-all=entries]")
        expect(page.locator("#player-toggle")).to_have_attribute("aria-label", "Pause",
                                                                  timeout=30_000)  # fmt: skip
        page.evaluate("document.getElementById('members-card').scrollIntoView()")
        page.screenshot(path=str(HERE / "room.png"))

        page.click("#queue-toggle")
        page.locator("#player").screenshot(path=str(HERE / "player.png"))
        browser.close()
    print(f"screenshots in {HERE}")


if __name__ == "__main__":
    main()
