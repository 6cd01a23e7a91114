"""In a real browser, on every page: `hidden` means hidden, errors give way to later results,
and (with Turbo) the player and its queue survive page changes."""

from __future__ import annotations

import re
import shutil

import pytest

from core.orderkeys import keys_between
from launcher.services import stop
from models import Playlist, PlaylistEntry
from tests.browser import launch_browser, start_web_server
from tests.factories import add_analysed_tracks

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# Every element carrying `hidden` whose computed display is not "none".
SHOWN_BUT_HIDDEN = """() => [...document.querySelectorAll('[hidden]')]
  .filter((el) => getComputedStyle(el).display !== 'none')
  .map((el) => el.id || el.className || el.tagName)"""


@pytest.fixture
def server(app, celery_worker, make_user, tmp_path):
    """Nina, 40 playable 30-second tracks, her playlist of five, a mood index and a web server."""
    app.test_cli_runner().invoke(args=["seed"])
    music = app.config["MUSIC_DIRS"][0] / "pages"
    tracks = add_analysed_tracks(40, seed=14, audio_dir=music, audio_seconds=30)
    nina = make_user("nina")
    playlist = Playlist(owner=nina, name="Nina's five").save()
    for track, key in zip(tracks[:5], keys_between(None, None, 5), strict=True):
        PlaylistEntry(playlist=playlist, track=track, order_key=key, added_by=nina).save()
    from tasks.catalog import rebuild_index

    rebuild_index.delay(force=True).get(timeout=120)
    proc, base = start_web_server(tmp_path / "web.log")
    yield base, playlist
    stop(proc)
    shutil.rmtree(music, ignore_errors=True)


def sign_in(page, base, username="nina"):
    page.goto(f"{base}/auth/login")
    page.fill("#username", username)
    page.fill("#password", "correct horse")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*/auth/login)"))


def assert_hidden_means_hidden(page):
    page.wait_for_load_state("load")
    shown = page.evaluate(SHOWN_BUT_HIDDEN)
    assert shown == [], f"{page.url}: elements with `hidden` are displayed: {shown}"


def test_hidden_is_honoured_on_every_page(server):
    from playwright.sync_api import expect, sync_playwright

    base, playlist = server
    with sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page()
        for path in ("/", "/auth/login", "/auth/register"):
            page.goto(f"{base}{path}")
            assert_hidden_means_hidden(page)
        sign_in(page, base)
        pages = ["/", "/mood", "/playlists", f"/playlists/{playlist.id}", f"/rooms/{playlist.id}",
                 "/library", "/blends", "/history", "/no-such-page"]  # fmt: skip
        for path in pages:
            page.goto(f"{base}{path}")
            assert_hidden_means_hidden(page)
        # The idle player is one of them: it must not float over the page.
        expect(page.locator("#player")).to_be_hidden()
        assert page.locator("#player[hidden]").count() == 1
        browser.close()


def test_favicon_is_served(server):
    import urllib.request

    base, _ = server
    with urllib.request.urlopen(f"{base}/favicon.ico") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("image/svg+xml")
        assert b"<svg" in response.read()


def test_an_error_message_goes_away_after_a_later_success(server):
    from playwright.sync_api import expect, sync_playwright

    base, _ = server
    with sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page()
        sign_in(page, base)
        page.goto(f"{base}/mood")
        page.click("#mood-go")  # nothing typed: an error
        error = page.locator("#mood-error")
        expect(error).to_be_visible()
        expect(error).to_contain_text("Describe a mood first")
        page.fill("#mood-text", "chill evening")
        page.fill("#mood-count", "8")
        page.click("#mood-go")
        expect(page.locator("#tracks li").first).to_be_visible(timeout=60_000)
        expect(error).to_be_hidden()
        assert_hidden_means_hidden(page)
        browser.close()
