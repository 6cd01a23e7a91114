"""A real Subsonic client library (py-opensonic, from PyPI) against a real gunicorn server.

It signs in with an API key and browses, searches, streams with a Range request,
scrobbles, stars, edits playlists (while a second person's open room, over
Socket.IO, sees each change live) and asks for similar songs and a sonic path.
"""

from __future__ import annotations

import asyncio

import pytest
from libopensonic import Connection
from libopensonic.errors import AuthError, DataNotFoundError, SonicError

from launcher.services import stop
from models import FeedbackEvent, Playlist, PlaylistEntry, PlaylistOp, UserLibrary
from tests.browser import start_web_server
from tests.room_client import RoomClient
from tests.subsonic_world import sonic_fixture  # noqa: F401 (the ``sonic`` fixture)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shared_data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("subsonic-data")


@pytest.fixture
def sonic_data_dir(shared_data_dir):
    return shared_data_dir  # the server process reads its catalog from here


@pytest.fixture(scope="module")
def server(app, shared_data_dir, tmp_path_factory):
    log = tmp_path_factory.mktemp("subsonic-web") / "web.log"
    proc, base = start_web_server(log, env={"DATA_DIR": str(shared_data_dir)})
    yield base
    stop(proc)


def connect(base: str, **credentials) -> Connection:
    host, port = base.rsplit(":", 1)
    return Connection(host, port=int(port), **credentials)


@pytest.fixture
def conn(server, sonic):
    connection = connect(server, api_key=sonic["alice_key"])
    yield connection
    connection.cleanup()


def read(connection: Connection, response) -> bytes:
    """The body of a binary answer (aiohttp, on the connection's own event loop)."""
    return asyncio.run_coroutine_threadsafe(response.read(), connection._loop).result(10)


def test_ping_browse_search_and_stream_with_a_range(conn, server, sonic):
    assert conn.ping() is True
    extensions = {e.name for e in conn.get_open_subsonic_extensions()}
    assert {"apiKeyAuthentication", "sonicSimilarity"} <= extensions
    artists = [a for index in conn.get_artists().index for a in index.artist]
    assert {a.name for a in artists} == {t.tags.artist for t in sonic["tracks"]}
    artist = conn.get_artist(artists[0].id)
    album = conn.get_album(artist.album[0].id)
    assert album.song and album.song_count == len(album.song)
    assert all(song.artist == artists[0].name for song in album.song)
    track = sonic["tracks"][5]
    found = conn.search3(track.tags.title, song_count=50)
    assert track.id in [s.id for s in found.song]
    response = conn.stream(track.id, byte_range="bytes=4-11")
    with open(track.path, "rb") as audio:
        whole = audio.read()
    assert response.status == 206 and read(conn, response) == whole[4:12]
    assert response.headers["Content-Range"] == f"bytes 4-11/{len(whole)}"
    with pytest.raises(DataNotFoundError):
        conn.get_album("al-nothing")
    stranger = connect(server, api_key="mr_wrong")
    with pytest.raises(SonicError, match="Invalid API key"):  # code 44
        stranger.ping()
    stranger.cleanup()


def test_scrobble_and_star_become_feedback(conn, sonic):
    track_id = sonic["tracks"][2].id
    conn.scrobble(track_id, submission=False)
    conn.scrobble(track_id, submission=True)
    events = [e.event for e in FeedbackEvent.objects(user="user-alice", track=track_id)]
    assert sorted(events) == ["complete", "play"]
    conn.star(sids=[track_id])
    assert FeedbackEvent.objects(user="user-alice", track=track_id, event="like").count() == 1
    assert UserLibrary.objects(user="user-alice", track=track_id).first().liked is True
    assert [s.id for s in conn.get_starred2().song] == [track_id]
    conn.set_rating(track_id, 5)
    assert conn.get_song(track_id).user_rating == 5


def test_playlist_edits_reach_an_open_room_live(conn, server, sonic):
    ids = [t.id for t in sonic["tracks"]]
    conn.create_playlist(name="From my phone", song_ids=ids[:3])
    (mine,) = [p for p in conn.get_playlists() if p.name == "From my phone"]
    assert [e.id for e in conn.get_playlist(mine.id).entry] == ids[:3]
    conn.update_playlist(mine.id, comment="public now")
    Playlist.objects(id=mine.id).update(set__public=True)  # bob may now open the room

    bob = RoomClient(server, "bob", mine.id)
    bob.login()
    bob.connect()
    try:
        assert bob.wait_for(lambda: bob.settled(), 20), bob.describe()
        assert [t for _, t in bob.entries()] == ids[:3] and bob.role == "viewer"
        joined_at = bob.version
        conn.update_playlist(mine.id, name="Road trip", song_ids_to_add=ids[3:5],
                             song_indices_to_remove=[0])  # fmt: skip
        expected = [*ids[1:3], *ids[3:5]]
        assert bob.wait_for(lambda: [t for _, t in bob.entries()] == expected
                            and bob.name == "Road trip", 20), bob.describe()  # fmt: skip
        assert set(bob.seen_ops) == set(range(joined_at + 1, bob.version + 1))
        logged = PlaylistOp.objects(playlist=mine.id, seq__gt=joined_at).order_by("seq")
        assert [op.kind for op in logged] == ["remove", "add", "rename"]
        assert [e.id for e in conn.get_playlist(mine.id).entry] == expected

        bob_conn = connect(server, api_key=sonic["bob_key"])
        with pytest.raises(AuthError):  # a viewer: the rooms' role check, code 50
            bob_conn.update_playlist(mine.id, name="mine now")
        with pytest.raises(AuthError):
            bob_conn.delete_playlist(mine.id)
        bob_conn.cleanup()
        assert bob.errors == []
        conn.delete_playlist(mine.id)  # the owner deletes it: bob's open room is told at once
        assert bob.wait_for(lambda: bob.closed, 20), bob.describe()
        assert bob.closed == ["“Road trip” was deleted by its owner."]
    finally:
        bob.disconnect()
    assert Playlist.objects(id=mine.id).count() == 0
    assert PlaylistEntry.objects(playlist=mine.id).count() == 0
    assert mine.id not in [p.id for p in conn.get_playlists()]


def test_similar_songs_and_a_sonic_path(conn, sonic):
    start, end = sonic["tracks"][0].id, sonic["tracks"][9].id
    similar = conn.get_similar_songs2(start, count=5)
    assert len(similar) == 5 and start not in [s.id for s in similar]
    matches = conn.get_sonic_similar_tracks(start, count=4)
    scores = [m.similarity for m in matches]
    assert len(matches) == 4 and scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)
    path = conn.find_sonic_path(start, end, count=6)
    assert path[0].entry.id == start and path[-1].entry.id == end
    assert len(path) == 6 and len({m.entry.id for m in path}) == 6 and path[0].similarity == 1.0
    top = conn.get_top_songs(sonic["tracks"][0].tags.artist, count=3)
    assert top and all(s.artist == sonic["tracks"][0].tags.artist for s in top)


def test_password_sign_in_works_and_token_sign_in_is_refused(server, sonic):
    plain = connect(server, username="alice", password="correct horse", legacy_auth=True)
    assert plain.ping() is True
    plain.cleanup()
    token = connect(server, username="alice", password="correct horse")  # salted token
    with pytest.raises(SonicError, match="API key"):  # code 41
        token.ping()
    token.cleanup()


def test_older_folder_style_calls_parse_in_the_client(conn, sonic):
    user = conn.get_user("alice")
    assert user.admin_role and user.stream_role and user.playlist_role and not user.upload_role
    newest = conn.get_album_list("alphabeticalByName", size=3)
    assert len(newest) == 3 and [a.name for a in newest] == sorted(a.name for a in newest)
    track = sonic["tracks"][4]
    found = conn.search2(track.tags.title, song_count=50)
    assert track.id in [s.id for s in found.song]
    album_id = found.song[0].album_id
    conn.star(sids=[track.id], album_ids=[album_id])
    stars = conn.get_starred()
    assert [s.id for s in stars.song] == [track.id] and [a.id for a in stars.album] == [album_id]
    assert stars.album[0].is_dir and stars.album[0].starred
    assert [a.id for a in conn.get_album_list2("starred")] == [album_id]
    conn.unstar(album_ids=[album_id])
    assert conn.get_starred().album is None or conn.get_starred().album == []
