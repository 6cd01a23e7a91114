"""The Subsonic API's contract, request by request: authentication, envelopes, errors, media.

py-opensonic drives the same endpoints end to end in ``test_subsonic_client.py``;
here each rule gets its own failing case (wrong key, token auth, XML, ranges, roles).
"""

from __future__ import annotations

import logging
import uuid
from xml.etree import ElementTree

import pytest

from models import ApiKey, FeedbackEvent, Track, User, UserLibrary
from tests.subsonic_world import call, code_of, sonic_data_dir, sonic_fixture  # noqa: F401
from webapp.config import TestingConfig
from webapp.extensions import limiter
from webapp.subsonic.registry import ENDPOINTS, Endpoint

XMLNS = "{http://subsonic.org/restapi}"


def test_api_key_password_and_hex_password_sign_in(client, sonic):
    assert call(client, "ping", sonic["alice_key"])["status"] == "ok"
    assert call(client, "ping", u="alice", p="correct horse")["status"] == "ok"
    assert call(client, "ping", u="ALICE", p="enc:" + b"correct horse".hex())["status"] == "ok"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"apiKey": "mr_not-a-key"}, 44),
        ({"apiKey": "something else"}, 44),
        ({"apiKey": "mr_x", "u": "alice"}, 43),
        ({"u": "alice", "t": "26719a1196d2a940705a59634eb18eab", "s": "c19b2d"}, 41),
        ({"u": "alice", "p": "wrong"}, 40),
        ({"u": "alice", "p": "enc:zz"}, 40),
        ({"u": "nobody", "p": "correct horse"}, 40),
        ({"u": "alice"}, 10),
        ({}, 10),
    ],
)
def test_every_wrong_credential_gets_its_code(client, sonic, params, code):
    body = call(client, "ping", **params)
    assert body["status"] == "failed" and code_of(body) == code


def test_token_auth_is_refused_with_a_pointer_to_api_keys(client, sonic):
    body = call(client, "ping", u="alice", t="abc", s="def")
    assert code_of(body) == 41 and "API key" in body["error"]["message"]


def test_a_disabled_account_and_a_revoked_key_are_refused(client, sonic):
    User.objects(id="user-bob").update(set__disabled=True)
    assert code_of(call(client, "ping", sonic["bob_key"])) == 44
    assert code_of(call(client, "ping", u="bob", p="correct horse")) == 40
    ApiKey.objects(user="user-alice").delete()
    assert code_of(call(client, "ping", sonic["alice_key"])) == 44


def test_keys_are_stored_hashed(sonic):
    for doc in ApiKey.objects:
        assert sonic["alice_key"] not in doc.to_json() and sonic["bob_key"] not in doc.to_json()
    assert ApiKey.find(sonic["alice_key"]).user.id == "user-alice"


def test_failed_attempts_share_the_sign_in_limit(mongo_server, redis_url, make_user):
    from webapp import create_app

    application = create_app(TestingConfig, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute",
                             RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")  # fmt: skip
    try:
        make_user("alice")
        client = application.test_client()
        codes = [code_of(call(client, "ping", u="alice", p="wrong")) for _ in range(3)]
        assert codes == [40, 40, 40]
        locked = call(client, "ping", u="alice", p="correct horse")  # even the right password
        assert code_of(locked) == 40 and "Too many" in locked["error"]["message"]
        assert code_of(call(client, "ping", apiKey="mr_guess")) == 40  # same address
    finally:
        limiter.enabled = False
        create_app(TestingConfig)


def test_xml_is_the_default_and_view_suffix_is_optional(client, sonic):
    for path in ("/rest/ping.view", "/rest/ping"):
        response = client.get(path, query_string={"apiKey": sonic["alice_key"]})
        assert response.mimetype == "application/xml"
        root = ElementTree.fromstring(response.data)
        assert root.tag == f"{XMLNS}subsonic-response" and root.get("status") == "ok"
        assert root.get("version") == "1.16.1" and root.get("openSubsonic") == "true"
    response = client.get("/rest/getGenres", query_string={"apiKey": sonic["alice_key"]})
    genres = ElementTree.fromstring(response.data).find(f"{XMLNS}genres")
    first = genres.find(f"{XMLNS}genre")
    assert first.text and int(first.get("songCount")) >= 1  # the name is the element's text


def test_form_posts_work_without_csrf_or_cookies(app, sonic):
    from webapp import create_app

    strict = create_app(TestingConfig, WTF_CSRF_ENABLED=True)
    try:
        response = strict.test_client().post(
            "/rest/ping.view", data={"f": "json", "apiKey": sonic["alice_key"]}
        )
        assert response.get_json()["subsonic-response"]["status"] == "ok"
    finally:
        create_app(TestingConfig)


def test_no_failure_is_a_500_or_an_html_page(client, sonic, caplog):
    key = sonic["alice_key"]
    for path in ("/rest", "/rest/", "/rest/nope.view", "/rest/a/b/c"):
        response = client.delete(path, query_string={"apiKey": key, "f": "json"})
        assert response.is_json and response.status_code in (200, 404)
        assert code_of(response.get_json()["subsonic-response"]) == 0
    assert code_of(call(client, "getAlbum", key)) == 10
    assert code_of(call(client, "getAlbum", key, id="al-missing")) == 70
    assert code_of(call(client, "getAlbumList2", key, type="sideways")) == 10
    assert code_of(call(client, "getAlbumList2", key, type="byYear")) == 10
    assert code_of(call(client, "getSongsByGenre", key, genre="x", count="many")) == 10
    assert code_of(call(client, "startScan", sonic["bob_key"])) == 50

    def boom(user):
        raise RuntimeError("kaput")

    ENDPOINTS["boomForTest"] = Endpoint("boomForTest", boom)
    try:
        with caplog.at_level(logging.ERROR):
            body = call(client, "boomForTest", u="alice", p="correct horse")
    finally:
        del ENDPOINTS["boomForTest"]
    assert code_of(body) == 0
    assert "boomForTest" in caplog.text and "correct horse" not in caplog.text


def test_album_lists_of_every_type(client, sonic):
    key = sonic["alice_key"]
    extra = {"byYear": {"fromYear": 1900, "toYear": 2100}, "byGenre": {"genre": "folk"}}
    for kind in ("random", "newest", "frequent", "recent", "starred", "alphabeticalByName",
                 "alphabeticalByArtist", "byYear", "byGenre", "highest"):  # fmt: skip
        body = call(client, "getAlbumList2", key, type=kind, size=5, **extra.get(kind, {}))
        assert body["status"] == "ok", (kind, body)
    names = [a["name"] for a in call(client, "getAlbumList2", key, type="alphabeticalByName",
                                     size=500)["albumList2"]["album"]]  # fmt: skip
    assert names == sorted(names, key=str.lower) and len(names) > 5
    folk = call(client, "getAlbumList2", key, type="byGenre", genre="folk")["albumList2"]["album"]
    assert folk and all(a["genre"] == "folk" for a in folk)


def test_stream_answers_ranges_for_get_and_post_and_checks_roots(client, sonic, app):
    key, track = sonic["alice_key"], sonic["tracks"][0]
    with open(track.path, "rb") as audio:
        data = audio.read()
    size = len(data)
    got = client.get("/rest/stream", query_string={"apiKey": key, "id": track.id},
                     headers={"Range": "bytes=10-19"})  # fmt: skip
    assert got.status_code == 206 and got.headers["Content-Range"] == f"bytes 10-19/{size}"
    assert got.data == data[10:20]
    posted = client.post("/rest/download.view", data={"apiKey": key, "id": track.id},
                         headers={"Range": "bytes=0-3"})  # fmt: skip
    assert posted.status_code == 206 and posted.data == b"RIFF"
    Track.objects(id=track.id).update(set__path="/etc/passwd")
    assert code_of(call(client, "stream", key, id=track.id)) == 50
    assert code_of(call(client, "stream", key, id="missing")) == 70


def test_scrobble_star_and_rating_land_in_moodroom(client, sonic):
    key, track_id = sonic["alice_key"], sonic["tracks"][1].id
    call(client, "scrobble", key, id=track_id, submission="false")
    call(client, "scrobble", key, id=track_id, submission="true")
    events = [e.event for e in FeedbackEvent.objects(user="user-alice", track=track_id)
              .order_by("created_at")]  # fmt: skip
    assert events == ["play", "complete"]
    call(client, "star", key, id=track_id)
    row = UserLibrary.objects(user="user-alice", track=track_id).first()
    assert row.liked is True and row.starred_ms and row.play_count == 1
    assert FeedbackEvent.objects(user="user-alice", track=track_id, event="like").count() == 1
    starred = call(client, "getStarred2", key)["starred2"]["song"]
    assert [s["id"] for s in starred] == [track_id] and starred[0]["starred"]
    call(client, "setRating", key, id=track_id, rating=4)
    assert call(client, "getSong", key, id=track_id)["song"]["userRating"] == 4
    call(client, "unstar", key, id=track_id)
    assert call(client, "getStarred2", key)["starred2"]["song"] == []
    assert code_of(call(client, "star", key, id="missing")) == 70
    assert code_of(call(client, "setRating", key, id=track_id, rating="x")) == 10


def test_api_keys_page_shows_a_key_once_and_revokes(client, make_user, login):
    make_user("carol")
    login("carol")
    created = client.post("/account/api-keys", data={"name": "phone"})
    assert created.status_code == 201 and created.headers["Cache-Control"] == "no-store"
    page = created.get_data(as_text=True)
    key = page.split('id="new-api-key">', 1)[1].split("<", 1)[0]
    assert key.startswith("mr_") and call(client, "ping", key)["status"] == "ok"
    again = client.get("/account/api-keys").get_data(as_text=True)
    assert key not in again and key[:8] in again and "phone" in again
    assert client.post("/account/api-keys", data={"name": ""}).status_code == 400
    doc = ApiKey.objects(user=User.by_username("carol").id).first()
    make_user("dave")
    other = client.application.test_client()
    other.post("/auth/login", data={"username": "dave", "password": "correct horse"})
    assert other.post(f"/account/api-keys/{doc.id}/revoke").status_code == 404
    assert call(client, "ping", key)["status"] == "ok"
    assert client.post(f"/account/api-keys/{doc.id}/revoke").status_code == 303
    assert code_of(call(client, "ping", key)) == 44


def test_folders_indexes_genres_and_search_paging(client, sonic):
    key = sonic["alice_key"]
    index = call(client, "getIndexes", key)["indexes"]["index"]
    artist = index[0]["artist"][0]
    folder = call(client, "getMusicDirectory", key, id=artist["id"])["directory"]
    assert folder["name"] == artist["name"] and all(c["isDir"] for c in folder["child"])
    album = call(client, "getMusicDirectory", key, id=folder["child"][0]["id"])["directory"]
    assert album["child"] and not any(c["isDir"] for c in album["child"])
    assert all(c["artist"] == artist["name"] for c in album["child"])
    genre = call(client, "getGenres", key)["genres"]["genre"][0]
    songs = call(client, "getSongsByGenre", key, genre=genre["value"], count=500)
    assert len(songs["songsByGenre"]["song"]) == genre["songCount"]
    assert {s["genre"] for s in songs["songsByGenre"]["song"]} == {genre["value"]}
    everything = call(client, "search3", key, query="", songCount=500)["searchResult3"]["song"]
    assert len(everything) == 40
    page = call(client, "search3", key, query="", songCount=7, songOffset=35)
    assert [s["id"] for s in page["searchResult3"]["song"]] == [s["id"] for s in everything[35:]]
    randoms = call(client, "getRandomSongs", key, size=5)["randomSongs"]["song"]
    assert len({s["id"] for s in randoms}) == 5
    assert code_of(call(client, "getMusicDirectory", key, id="nothing")) == 70


def test_the_served_web_process_keeps_no_access_log():
    """Keys and passwords travel in query strings: gunicorn runs without an access log."""
    from launcher.__main__ import web_command

    assert not any("access" in part for part in web_command(5000))


def test_music_folders_filter_lists_and_search(sonic, tmp_path):
    from webapp import create_app
    from webapp.subsonic import library

    root0 = TestingConfig.MUSIC_DIRS[0]
    second = tmp_path / "second"
    moved = sonic["tracks"][:5]
    for track in moved:
        Track.objects(id=track.id).update(set__path=str(second / f"{track.id}.wav"))
    two_roots = create_app(TestingConfig, MUSIC_DIRS=[root0, second])
    library.forget()
    try:
        client, key = two_roots.test_client(), sonic["alice_key"]
        folders = call(client, "getMusicFolders", key)["musicFolders"]["musicFolder"]
        assert [f["id"] for f in folders] == [1, 2] and folders[1]["name"] == "second"
        songs = call(client, "search3", key, query="", songCount=500, musicFolderId=2)
        assert {s["id"] for s in songs["searchResult3"]["song"]} == {t.id for t in moved}
        artists = call(client, "getArtists", key, musicFolderId=2)["artists"]["index"]
        assert {a["name"] for i in artists for a in i["artist"]} == {t.tags.artist for t in moved}
        albums = call(client, "getAlbumList2", key, type="newest", size=500, musicFolderId=2)
        names = {(a["artist"], a["name"]) for a in albums["albumList2"]["album"]}
        assert names == {(t.tags.artist, t.tags.album) for t in moved}
        randoms = call(client, "getRandomSongs", key, size=500, musicFolderId=1)
        assert len(randoms["randomSongs"]["song"]) == len(sonic["tracks"]) - 5
        assert code_of(call(client, "getArtists", key, musicFolderId=3)) == 70
    finally:
        library.forget()
        create_app(TestingConfig)
