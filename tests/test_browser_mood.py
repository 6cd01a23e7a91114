"""In a real browser: sign up, describe a mood, see the explained playlist, save it."""

from __future__ import annotations

import pytest

from launcher.services import stop
from models import Playlist, PlaylistEntry
from tests.browser import launch_browser, start_web_server
from tests.factories import add_analysed_tracks

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture
def server(app, celery_worker, tmp_path):
    app.test_cli_runner().invoke(args=["seed"])
    add_analysed_tracks(300)
    from tasks.catalog import rebuild_index

    rebuild_index.delay(force=True).get(timeout=120)
    proc, base = start_web_server(tmp_path / "web.log")
    yield base
    stop(proc)


def test_mood_search_in_the_browser(server):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page()
        page.goto(f"{server}/auth/register")
        page.fill("#username", "dana")
        page.fill("#password", "correct horse")
        page.fill("#confirm", "correct horse")
        page.click("button[type=submit]")
        page.goto(f"{server}/mood")
        # Keyboard only: type, then Enter submits the form.
        page.focus("#mood-text")
        page.keyboard.type("start chill and build up to a party, 12 songs")
        page.keyboard.press("Enter")
        items = page.locator("#tracks li")
        expect(items).to_have_count(12, timeout=60_000)
        expect(items.first.locator(".reason")).to_contain_text("BPM")
        expect(page.locator("#result-understood")).to_contain_text("chill")
        assert page.locator("#curve polyline").count() >= 2
        page.screenshot(path=str(server_screenshot_path()))
        page.click("#save-btn")
        expect(page.locator("#save-msg")).to_contain_text("Saved as")
        page.click("#save-msg a")
        expect(page.locator(".tracklist li")).to_have_count(12)
        browser.close()
    playlist = Playlist.objects.get()
    assert PlaylistEntry.objects(playlist=playlist).count() == 12


def server_screenshot_path():
    import tempfile
    from pathlib import Path

    return Path(tempfile.gettempdir()) / "moodroom-mood-search.png"
