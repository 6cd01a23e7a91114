"""In a real browser, on every page: `hidden` means hidden, errors give way to later results,
and (with Turbo) the player and its queue survive page changes."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest

from core.collab import keys_between
from launcher.services import stop
from models import Playlist, PlaylistEntry, User
from tests.browser import launch_browser, start_web_server
from tests.factories import add_analysed_tracks

pytestmark = [pytest.mark.slow, pytest.mark.browser]
SCREENSHOT = Path(tempfile.gettempdir()) / "moodroom-player.png"

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
        errors = []
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        for path in ("/", "/auth/login", "/auth/register"):
            page.goto(f"{base}{path}")
            assert_hidden_means_hidden(page)
        User.objects(username="nina").update(set__is_admin=True)  # the admin page too
        sign_in(page, base)
        track = PlaylistEntry.objects(playlist=playlist).first().track
        artist, album = quote(track.tags.artist), quote(track.tags.album)
        pages = ["/", "/mood", "/playlists", f"/playlists/{playlist.id}", f"/rooms/{playlist.id}",
                 "/library", f"/library/artist?name={artist}",
                 f"/library/album?artist={artist}&name={album}", "/blends", "/history",
                 "/settings/", "/account/api-keys", "/playlists/import", "/admin/",
                 "/no-such-page"]  # fmt: skip
        for path in pages:
            response = page.goto(f"{base}{path}")
            assert response.status == (404 if path == "/no-such-page" else 200), path
            assert_hidden_means_hidden(page)
        # The idle player is one of them: it must not float over the page.
        expect(page.locator("#player")).to_be_hidden()
        assert page.locator("#player[hidden]").count() == 1
        browser.close()
    assert errors == []  # every page's scripts ran on a full load


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


def go(page, name):
    """Follow a main-menu link (a Turbo visit, not a page load)."""
    page.locator("nav[aria-label=Main]").get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state("load")


def test_music_keeps_playing_across_page_changes_with_the_queue_intact(server):
    from playwright.sync_api import expect, sync_playwright

    base, playlist = server
    entries = PlaylistEntry.objects(playlist=playlist).order_by("order_key")
    in_playlist = [e.track.id for e in entries]
    with sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page()
        sockets, errors = [], []
        page.on("websocket", lambda ws: sockets.append(ws) if "/socket.io/" in ws.url else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        sign_in(page, base)
        page.goto(f"{base}/playlists/{playlist.id}")
        page.evaluate("window.sameDocument = true")  # gone if any change reloads the page
        page.click("[data-play-all=playlist-tracks]")
        player = page.locator("#player")
        expect(player).to_be_visible()
        expect(page.locator("#player-toggle")).to_have_attribute("aria-label", "Pause",
                                                                  timeout=15_000)  # fmt: skip
        # Cover (here the generated placeholder) in the player and in Media Session.
        page.wait_for_function("document.getElementById('player-cover').naturalWidth > 0")
        metadata = page.evaluate("""() => { const m = navigator.mediaSession.metadata;
            return { title: m.title, artwork: m.artwork.map((a) => a.sizes) }; }""")
        assert metadata["artwork"] == ["128x128", "300x300", "600x600"]
        assert metadata["title"] == page.locator("#player-title").inner_text()
        first_row = page.locator(f"#playlist-tracks [data-track='{in_playlist[0]}']")
        expect(first_row).to_have_class(re.compile(r"\bplaying\b"))  # the playing row

        go(page, "Library")  # 1
        expect(page.locator("#live-state")).to_have_text("Live", timeout=15_000)
        library_socket = sockets[-1]
        rows = page.locator("#tracks tbody tr")
        queued, next_up = rows.nth(20).get_attribute("data-track"), rows.nth(21)
        rows.nth(20).locator(".queue-btn").click()
        next_up.locator(".next-btn").click()
        next_id = next_up.get_attribute("data-track")
        expected = [in_playlist[0], next_id, *in_playlist[1:], queued]
        expect(page.locator("#queue-count")).to_have_text("7")

        played = page.evaluate("document.getElementById('player-audio').currentTime")
        for name in ("Mood search", "Playlists", "History", "Blends", "Home"):  # 2-6
            go(page, name)
            assert page.evaluate("window.sameDocument") is True, f"{name} reloaded the page"
            expect(player).to_be_visible()
            assert page.evaluate("document.getElementById('player-audio').paused") is False
            assert page.evaluate("window.moodroomPlayer.queue()") == expected
            expect(page.locator("#queue-count")).to_have_text("7")
        library_socket.wait_for_event("close") if not library_socket.is_closed() else None
        assert library_socket.is_closed(), "the library page's socket outlived the page"
        assert page.evaluate("document.getElementById('player-audio').currentTime") > played

        # A room's live connection closes when the person leaves the room.
        page.goto(f"{base}/playlists/{playlist.id}")
        page.evaluate("window.sameDocument = true")
        page.get_by_role("link", name="Open as a live room").click()
        expect(page.locator("#conn-state")).to_have_text("live", timeout=15_000)
        room_socket = sockets[-1]
        go(page, "Library")
        if not room_socket.is_closed():
            room_socket.wait_for_event("close")
        assert page.evaluate("window.sameDocument") is True

        # Keyboard shortcuts still work, and the queue panel reorders and clears.
        page.locator("body").press("n")
        expect(page.locator("#player-pos")).to_have_text("2 / 7", timeout=15_000)
        expect(page.locator("#tracks tbody tr.playing")).to_have_attribute("data-track", next_id)
        page.click("#queue-toggle")
        queue_items = page.locator("#queue-list li")
        expect(queue_items).to_have_count(7)
        queue_items.nth(6).get_by_role("button", name=re.compile("^Move .* up$")).click()
        reordered = [*expected[:5], queued, expected[5]]
        assert page.evaluate("window.moodroomPlayer.queue()") == reordered
        page.screenshot(path=str(SCREENSHOT), full_page=True)
        page.click("#queue-clear")
        expect(queue_items).to_have_count(2)  # the played one and the playing one stay
        assert page.evaluate("window.moodroomPlayer.queue()") == expected[:2]
        browser.close()
    assert errors == []  # no page script failed on any visit


def test_library_search_answers_while_typing_and_adds_to_a_playlist(server):
    from playwright.sync_api import expect, sync_playwright

    from models import Track
    from tasks.catalog import rebuild_index

    base, playlist = server
    target = PlaylistEntry.objects(playlist=playlist).first().track
    Track.objects(id=target.id).update(set__tags__album="Kind of Lazuli",
                                       set__tags__artist="Mirabelle Quartet")  # fmt: skip
    rebuild_index.delay(force=True).get(timeout=120)
    with sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page()
        sign_in(page, base)
        go(page, "Library")
        results = page.locator("#search-results li")
        # Results follow the last keystroke after one debounce (150 ms) and one request: no
        # Enter, no further typing. The wait is a liveness bound for a busy CI machine, not a
        # speed figure (tests assert no wall-clock times).
        debounce = 5_000
        page.locator("#library-search").press_sequentially("lazul")  # a word of the album
        expect(results).to_have_count(1, timeout=debounce)
        expect(results.first).to_have_attribute("data-track", target.id)
        expect(page.locator("#search-summary")).to_have_text("1 track match:")
        page.fill("#library-search", "")
        expect(page.locator("#search-box")).to_be_hidden()
        page.locator("#library-search").press_sequentially("mir")  # an artist-name prefix
        expect(results).to_have_count(1, timeout=debounce)
        expect(results.first.locator(".track-artist")).to_have_text("Mirabelle Quartet")
        results.first.locator(".play-btn").click()
        expect(page.locator("#player-artist")).to_have_text("Mirabelle Quartet")
        page.locator("#library-search").press("End")
        page.locator("#library-search").press_sequentially("zzz")
        expect(page.locator("#search-summary")).to_have_text("No track matches “mirzzz”.")
        assert_hidden_means_hidden(page)

        # "Add to playlist…" from a library row, then see it in the playlist.
        row = page.locator("#tracks tbody tr").nth(10)
        added = row.get_attribute("data-track")
        row.locator(".addto-btn").click()
        dialog = page.locator("#addto-dialog")
        expect(dialog).to_be_visible()
        dialog.get_by_role("button", name="Nina's five").click()
        expect(page.locator("#addto-status")).to_have_text("Added to Nina's five.")
        dialog.get_by_role("button", name="Close").click()
        go(page, "Playlists")
        page.get_by_role("link", name="Nina's five").click()
        rows = page.locator("#playlist-tracks li")
        expect(rows).to_have_count(6)
        expect(rows.last).to_have_attribute("data-track", added)
        browser.close()


def test_playlists_created_filled_renamed_duplicated_deleted_and_members_removed(server, make_user):
    from playwright.sync_api import expect, sync_playwright

    from models import Collaborator, Playlist

    base, playlist = server
    otto = make_user("otto")
    Playlist.objects(id=playlist.id).update(
        set__collaborators=[Collaborator(user=otto, role="editor")]
    )
    with sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_context().new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # "Delete …?", "Remove …?"
        sign_in(page, base)
        go(page, "Playlists")
        page.fill("#new-name", "Road trip")
        page.get_by_role("button", name="Create").click()
        expect(page.locator("#playlist-name")).to_have_text("Road trip")
        expect(page.locator("main .empty")).to_contain_text("This playlist is empty")

        go(page, "Library")
        row = page.locator("#tracks tbody tr").nth(3)
        added = row.get_attribute("data-track")
        row.locator(".addto-btn").click()
        page.locator("#addto-dialog").get_by_role("button", name="Road trip").click()
        expect(page.locator("#addto-status")).to_have_text("Added to Road trip.")
        page.locator("#addto-dialog").get_by_role("button", name="Close").click()

        go(page, "Playlists")
        expect(page.locator("#playlists")).to_contain_text("1 track")
        page.get_by_role("link", name="Road trip").click()
        expect(page.locator("#playlist-tracks li")).to_have_count(1)
        expect(page.locator("#playlist-tracks li")).to_have_attribute("data-track", added)
        page.locator("#details-card summary").click()
        page.fill("#details-name", "Road trip 2026")
        page.fill("#details-description", "coast road")
        page.locator("#details-form").get_by_role("button", name="Save").click()
        expect(page.locator("#playlist-name")).to_have_text("Road trip 2026")
        expect(page.locator("#playlist-description")).to_have_text("coast road")

        page.click("#duplicate-btn")
        expect(page.locator("#playlist-name")).to_have_text("Road trip 2026 (copy)")
        expect(page.locator("#playlist-tracks li")).to_have_attribute("data-track", added)
        page.click("#delete-btn")
        expect(page.locator(".flash-success")).to_have_text("Deleted “Road trip 2026 (copy)”.")
        names = page.locator("#playlists > li > a")
        expect(names).to_have_text(["Road trip 2026", "Nina's five"])

        # Otto has Nina's room open; Nina removes him; his room closes at once.
        otto_page = browser.new_context().new_page()
        sign_in(otto_page, base, "otto")
        otto_page.goto(f"{base}/rooms/{playlist.id}")
        expect(otto_page.locator("#conn-state")).to_have_text("live", timeout=15_000)
        page.goto(f"{base}/rooms/{playlist.id}")
        page.locator("#members-card summary").click()
        page.get_by_role("button", name="Remove otto").click()
        expect(otto_page.locator("#room-closed")).to_have_text(
            "You were removed from this playlist.", timeout=15_000
        )
        expect(otto_page.locator("#conn-state")).to_have_text("closed")
        expect(page.locator("[data-member]")).to_have_count(1)
        browser.close()
    assert Playlist.objects(id=playlist.id).get().collaborators == []
