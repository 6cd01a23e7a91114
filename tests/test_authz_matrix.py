"""Who may do what: visitor / stranger / viewer / editor / admin / owner by every playlist action.

Private playlists answer 404 to people who may not know they exist.
"""

from __future__ import annotations

import pytest

from models import Collaborator, Playlist
from tests.factories import add_analysed_tracks
from webapp.extensions import socketio

ROLES = ("visitor", "stranger", "viewer", "editor", "admin", "owner")
PASSWORD = "correct horse"

# action -> expected HTTP status per role (visitor = not signed in: a page sends them to the
# sign-in form, 302; a JSON call answers 401)
HTTP_MATRIX = {
    "view playlist": {"visitor": 302, "stranger": 404, "viewer": 200, "editor": 200,
                      "admin": 200, "owner": 200},
    "open room": {"visitor": 302, "stranger": 404, "viewer": 200, "editor": 200,
                  "admin": 200, "owner": 200},
    "create invite": {"visitor": 401, "stranger": 404, "viewer": 403, "editor": 403,
                      "admin": 201, "owner": 201},
    "change visibility": {"visitor": 401, "stranger": 404, "viewer": 403, "editor": 403,
                          "admin": 200, "owner": 200},
    "feedback in playlist": {"visitor": 401, "stranger": 404, "viewer": 201, "editor": 201,
                             "admin": 201, "owner": 201},
}  # fmt: skip
SOCKET_MATRIX = {  # ack "ok" per role for joining the room and for an edit op
    "join": {"stranger": False, "viewer": True, "editor": True, "admin": True, "owner": True},
    "edit": {"stranger": False, "viewer": False, "editor": True, "admin": True, "owner": True},
}


@pytest.fixture(scope="module")
def app(mongo_server, redis_url):
    from webapp import create_app
    from webapp.config import TestingConfig

    return create_app(TestingConfig, SOCKETIO_MESSAGE_QUEUE=None)


@pytest.fixture
def world(app, make_user):
    users = {role: make_user(role) for role in ROLES if role != "visitor"}
    track = add_analysed_tracks(1, seed=55)[0]
    members = [Collaborator(user=users[r], role=r) for r in ("viewer", "editor", "admin")]
    playlist = Playlist(owner=users["owner"], name="Private", collaborators=members).save()
    return playlist, track


def client_for(app, role):
    client = app.test_client()
    if role != "visitor":
        response = client.post("/auth/login", data={"username": role, "password": PASSWORD})
        assert response.status_code == 302
    return client


def do(client, action, playlist, track):
    pid = playlist.id
    if action == "view playlist":
        return client.get(f"/playlists/{pid}")
    if action == "open room":
        return client.get(f"/rooms/{pid}")
    if action == "create invite":
        return client.post(f"/rooms/{pid}/invites", json={"role": "viewer"})
    if action == "change visibility":
        return client.post(f"/rooms/{pid}/visibility", json={"public": False})
    return client.post("/api/feedback", json={"track_id": track.id, "event": "play",
                                              "context": {"playlist_id": pid}})  # fmt: skip


@pytest.mark.parametrize("action", sorted(HTTP_MATRIX))
def test_http_matrix(app, world, action):
    playlist, track = world
    answers = {role: do(client_for(app, role), action, playlist, track) for role in ROLES}
    assert {role: answer.status_code for role, answer in answers.items()} == HTTP_MATRIX[action]
    for role, answer in answers.items():  # a JSON call is refused in JSON the page can show
        if action not in ("view playlist", "open room") and answer.status_code >= 400:
            assert answer.is_json and answer.get_json()["error"], (role, answer.data[:80])


def test_socket_matrix(app, world):
    playlist, track = world
    for role in SOCKET_MATRIX["join"]:
        client = socketio.test_client(app, namespace="/rooms",
                                      flask_test_client=client_for(app, role))  # fmt: skip
        joined = client.emit("join", {"playlist_id": playlist.id}, namespace="/rooms",
                             callback=True)  # fmt: skip
        assert joined["ok"] is SOCKET_MATRIX["join"][role], role
        edit = client.emit("op", {"playlist_id": playlist.id, "op_id": f"{role}-1",
                                  "op": {"type": "add", "track_ids": [track.id]}},
                           namespace="/rooms", callback=True)  # fmt: skip
        assert edit["ok"] is SOCKET_MATRIX["edit"][role], role
        client.disconnect(namespace="/rooms")


def test_visitors_cannot_open_a_socket(app):
    client = socketio.test_client(app, namespace="/rooms")
    assert not client.is_connected("/rooms")


def test_public_playlists_are_viewable_but_not_editable_by_anyone_signed_in(app, world):
    playlist, _track = world
    playlist.update(set__public=True)
    stranger = client_for(app, "stranger")
    assert stranger.get(f"/rooms/{playlist.id}").status_code == 200
    assert stranger.post(f"/rooms/{playlist.id}/invites", json={}).status_code == 403
    client = socketio.test_client(app, namespace="/rooms", flask_test_client=stranger)
    assert client.emit("join", {"playlist_id": playlist.id}, namespace="/rooms",
                       callback=True)["role"] == "viewer"  # fmt: skip
    edit = client.emit("op", {"playlist_id": playlist.id, "op_id": "s1",
                              "op": {"type": "rename", "name": "Mine now"}},
                       namespace="/rooms", callback=True)  # fmt: skip
    assert edit["ok"] is False
    assert client_for(app, "visitor").get(f"/rooms/{playlist.id}").status_code == 302


def test_only_admins_scan_the_library(app, make_user):
    make_user("boss", is_admin=True)
    make_user("guest")
    assert client_for(app, "guest").post("/library/scan", data={"root": 0}).status_code == 403
    assert client_for(app, "boss").post("/library/scan", data={"root": 99}).status_code == 303
