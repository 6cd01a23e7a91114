"""In a real browser: play, skip and like; see them in history; the next playlist follows."""

from __future__ import annotations

import shutil

import pytest

from launcher.services import stop
from models import FeedbackEvent
from tests.browser import launch_browser, start_web_server
from tests.factories import add_analysed_tracks

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture
def server(app, celery_worker, tmp_path):
    app.test_cli_runner().invoke(args=["seed"])
    music = app.config["MUSIC_DIRS"][0] / "listen"
    add_analysed_tracks(200, seed=21, audio_dir=music)
    from tasks.catalog import rebuild_index

    rebuild_index.delay(force=True).get(timeout=120)
    proc, base = start_web_server(tmp_path / "web.log")
    yield base
    stop(proc)
    shutil.rmtree(music, ignore_errors=True)


def test_listen_skip_like_and_see_it_learn(server):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page()
        page.goto(f"{server}/auth/register")
        page.fill("#username", "lena")
        page.fill("#password", "correct horse")
        page.fill("#confirm", "correct horse")
        page.click("button[type=submit]")
        page.goto(f"{server}/mood")
        page.fill("#mood-text", "chill evening")
        page.fill("#mood-count", "10")
        page.press("#mood-text", "Enter")
        items = page.locator("#tracks li")
        expect(items).to_have_count(10, timeout=60_000)
        first_title = items.nth(0).get_attribute("data-title")
        items.nth(0).locator(".play-btn").click()
        expect(page.locator("#player")).to_be_visible()
        expect(page.locator("#player-title")).to_have_text(first_title)
        expect(page.locator("#player-toggle")).to_have_attribute("aria-label", "Pause",
                                                                  timeout=15_000)  # fmt: skip
        page.keyboard.press("n")  # skip to the next track
        expect(page.locator("#player-pos")).to_have_text("2 / 10", timeout=15_000)
        liked_title = items.nth(1).get_attribute("data-title")
        page.click("#player-like")
        expect(page.locator("#player-like")).to_have_attribute("aria-pressed", "true")

        page.goto(f"{server}/history")
        rows = page.locator("#history-table tbody tr")
        expect(page.locator('tr[data-event="skip"]')).to_have_count(1)
        expect(page.locator('tr[data-event="like"]')).to_contain_text(liked_title)
        assert rows.count() >= 3  # play, skip, play, like
        expect(page.locator("#taste")).to_contain_text(liked_title)

        page.goto(f"{server}/mood")
        page.fill("#mood-text", "chill evening")
        page.fill("#mood-count", "10")
        page.press("#mood-text", "Enter")
        expect(page.locator("#tracks li")).to_have_count(10, timeout=60_000)
        expect(page.locator("#tracks")).to_contain_text(f"because you liked {liked_title}")
        page.screenshot(path="/tmp/moodroom-listen.png", full_page=True)
        browser.close()
    assert FeedbackEvent.objects(event="skip").count() == 1
