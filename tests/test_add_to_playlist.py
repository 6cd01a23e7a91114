""" "Add to playlist…" from any track row: a room op over HTTP, seen at once in open rooms."""

from __future__ import annotations

import pytest

from models import Collaborator, Playlist, PlaylistEntry, PlaylistOp
from tests.factories import add_analysed_tracks


@pytest.fixture(scope="module")
def app(mongo_server, redis_url):
    """Socket.IO test clients need an app without the Redis message queue."""
    from webapp import create_app
    from webapp.config import TestingConfig

    return create_app(TestingConfig, SOCKETIO_MESSAGE_QUEUE=None)


@pytest.fixture
def world(app, make_user):
    olive, eddie, vera, stan = (make_user(n) for n in ("olive", "eddie", "vera", "stan"))
    playlist = Playlist(owner=olive, name="Friday",
                        collaborators=[Collaborator(user=eddie, role="editor"),
                                       Collaborator(user=vera, role="viewer")]).save()  # fmt: skip
    other = Playlist(owner=stan, name="Stan's").save()
    return playlist, other, [t.id for t in add_analysed_tracks(6)]


def signed_in(app, name):
    client = app.test_client()
    assert client.post("/auth/login", data={"username": name, "password": "correct horse"})
    return client


def test_editors_add_tracks_and_open_rooms_see_them(app, world):
    from webapp.extensions import socketio as sio

    playlist, _, tracks = world
    olive_http = signed_in(app, "olive")
    room = sio.test_client(app, namespace="/rooms", flask_test_client=olive_http)
    assert room.emit("join", {"playlist_id": playlist.id}, namespace="/rooms", callback=True)["ok"]
    eddie = signed_in(app, "eddie")
    names = [p["name"] for p in eddie.get("/api/playlists/editable").get_json()["playlists"]]
    assert names == ["Friday"]
    response = eddie.post(f"/api/playlists/{playlist.id}/tracks", json={"track_id": tracks[0]})
    assert response.status_code == 201 and response.get_json()["seq"] == 1
    eddie.post(f"/api/playlists/{playlist.id}/tracks", json={"track_id": tracks[1]})
    entries = PlaylistEntry.objects(playlist=playlist).order_by("order_key")
    assert [e.track.id for e in entries] == tracks[:2]  # appended in order
    assert PlaylistOp.objects(playlist=playlist).count() == 2
    applied = [m["args"][0] for m in room.get_received("/rooms") if m["name"] == "applied"]
    assert [a["seq"] for a in applied] == [1, 2]
    assert applied[0]["tracks"][tracks[0]]["title"]


def test_viewers_strangers_and_bad_input_are_refused(app, world):
    playlist, other, tracks = world
    vera, stan = signed_in(app, "vera"), signed_in(app, "stan")
    url = f"/api/playlists/{playlist.id}/tracks"
    assert vera.get("/api/playlists/editable").get_json() == {"playlists": []}
    assert vera.post(url, json={"track_id": tracks[0]}).status_code == 403
    assert stan.post(url, json={"track_id": tracks[0]}).status_code == 404  # not even visible
    assert stan.post("/api/playlists/nope/tracks", json={"track_id": tracks[0]}).status_code == 404
    eddie = signed_in(app, "eddie")
    assert (
        eddie.post(url, json={"track_id": "no-such-track"})
        .get_json()["error"]
        .startswith("unknown track")
    )
    for body in ({}, {"track_id": 5}, {"track_id": "x" * 65}, ["t"]):
        assert eddie.post(url, json=body).status_code == 400
    assert PlaylistEntry.objects(playlist=playlist).count() == 0
    assert PlaylistOp.objects(playlist=playlist).count() == 0
    assert eddie.post(f"/api/playlists/{other.id}/tracks", json={"track_id": tracks[0]}
                      ).status_code == 404  # fmt: skip
