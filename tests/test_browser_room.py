"""In two real browsers: the owner and an editor edit one room, each through its own server."""

from __future__ import annotations

import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core.collab import keys_between
from launcher.services import stop
from models import Collaborator, Playlist, PlaylistEntry
from tests.browser import launch_browser, start_web_server
from tests.factories import add_analysed_tracks

pytestmark = [pytest.mark.slow, pytest.mark.browser]
SCREENSHOT = Path(tempfile.gettempdir()) / "moodroom-room.png"


@pytest.fixture
def servers(app, tmp_path):
    """Two web processes on the same database and Redis."""
    with ThreadPoolExecutor(2) as pool:
        started = list(pool.map(start_web_server, [tmp_path / f"web{i}.log" for i in (0, 1)]))
    yield [base for _, base in started]
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(stop, [proc for proc, _ in started]))


@pytest.fixture
def playlist(make_user):
    """Olive's playlist of Track 0, 1 and 2, with Eddie as an editor."""
    olive, eddie = make_user("olive"), make_user("eddie")
    tracks = add_analysed_tracks(20)
    playlist = Playlist(owner=olive, name="Friday",
                        collaborators=[Collaborator(user=eddie, role="editor")]).save()  # fmt: skip
    for track, key in zip(tracks[:3], keys_between(None, None, 3), strict=True):
        PlaylistEntry(playlist=playlist, track=track, order_key=key, added_by=olive).save()
    return playlist


def open_room(browser, base, username, playlist_id):
    page = browser.new_context(viewport={"width": 1000, "height": 800}).new_page()
    page.goto(f"{base}/auth/login")
    page.fill("#username", username)
    page.fill("#password", "correct horse")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"^(?!.*/auth/login)"))
    page.goto(f"{base}/rooms/{playlist_id}")
    return page


def row(page, title):
    """The list row whose title is exactly ``title`` ("Track 1" must not match "Track 13")."""
    name = page.locator("strong", has_text=re.compile(f"^{re.escape(title)}$"))
    return page.locator("#entries li").filter(has=name)


def test_two_people_edit_one_room_in_the_browser(servers, playlist):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch_browser(p)
        olive = open_room(browser, servers[0], "olive", playlist.id)
        eddie = open_room(browser, servers[1], "eddie", playlist.id)
        pages = (olive, eddie)

        def titles_everywhere(expected):
            for page in pages:
                expect(page.locator("#entries li strong")).to_have_text(expected, timeout=15_000)

        for page in pages:
            expect(page.locator("#conn-state")).to_have_text("live", timeout=15_000)
        titles_everywhere(["Track 0", "Track 1", "Track 2"])
        expect(olive.locator("#presence li")).to_have_text(["eddie", "olive (you)"])
        expect(eddie.locator("#presence li")).to_have_text(["eddie (you)", "olive"])

        # Olive adds a track: type, pick the suggestion, submit.
        olive.fill("#add-search", "track 13")
        suggestion = olive.locator("#add-options option").first
        expect(suggestion).to_have_attribute("value", re.compile("^Track 13 — "))
        olive.fill("#add-search", suggestion.get_attribute("value"))
        olive.click("#add-form button[type=submit]")
        titles_everywhere(["Track 0", "Track 1", "Track 2", "Track 13"])

        # Eddie moves and removes with the row buttons; Olive moves too.
        row(eddie, "Track 0").get_by_role("button", name="Move down").click()
        titles_everywhere(["Track 1", "Track 0", "Track 2", "Track 13"])
        row(eddie, "Track 2").get_by_role("button", name="Remove").click()
        titles_everywhere(["Track 1", "Track 0", "Track 13"])
        row(olive, "Track 13").get_by_role("button", name="Move up").click()
        titles_everywhere(["Track 1", "Track 13", "Track 0"])

        for page in pages:
            expect(page.locator("#entries li.pending")).to_have_count(0)
            expect(page.locator("#room-error")).to_be_hidden()
        olive.screenshot(path=str(SCREENSHOT), full_page=True)
        shown = [olive.locator("#entries li").evaluate_all("els => els.map(e => e.dataset.entry)")]
        browser.close()

    stored = PlaylistEntry.objects(playlist=playlist).order_by("order_key")
    assert [e.track.tags.title for e in stored] == ["Track 1", "Track 13", "Track 0"]
    assert shown == [[e.id for e in stored]]
    assert Playlist.objects.get(id=playlist.id).version == 4
