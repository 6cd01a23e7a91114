"""Managing playlists: create empty, duplicate, rename/describe, delete, remove and leave."""

from __future__ import annotations

import re

import pytest

from core.collab import keys_between
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
    playlist = Playlist(owner=olive, name="Friday", description="for dancing",
                        collaborators=[Collaborator(user=eddie, role="editor"),
                                       Collaborator(user=vera, role="viewer")]).save()  # fmt: skip
    tracks = add_analysed_tracks(5)
    for track, key in zip(tracks[:3], keys_between(None, None, 3), strict=True):
        PlaylistEntry(playlist=playlist, track=track, order_key=key, added_by=olive,
                      reason=f"because {track.id}").save()  # fmt: skip
    return playlist, {u.username: u for u in (olive, eddie, vera, stan)}


def signed_in(app, name):
    client = app.test_client()
    client.post("/auth/login", data={"username": name, "password": "correct horse"})
    return client


def room(app, http, playlist):
    from webapp.extensions import socketio

    client = socketio.test_client(app, namespace="/rooms", flask_test_client=http)
    assert client.emit("join", {"playlist_id": playlist.id}, namespace="/rooms", callback=True)[
        "ok"
    ]
    return client


def received(client, name):
    return [m["args"][0] for m in client.get_received("/rooms") if m["name"] == name]


def test_create_empty_and_see_counts_in_the_list(app, world):
    stan = signed_in(app, "stan")
    response = stan.post("/playlists/new", data={"name": "  Sunday  ", "description": "slow"})
    assert response.status_code == 303
    created = Playlist.objects(name="Sunday").get()
    assert created.owner.username == "stan" and created.description == "slow"
    assert response.headers["Location"].endswith(f"/playlists/{created.id}")
    assert PlaylistEntry.objects(playlist=created).count() == 0
    assert stan.post("/playlists/new", data={"name": "   "}).status_code == 303
    assert Playlist.objects(owner=created.owner).count() == 1  # a blank name made nothing
    listing = signed_in(app, "olive").get("/playlists").get_data(as_text=True)
    assert re.search(r"Friday</a>\s*<span class=\"muted\">3 tracks · \d+ min · by olive", listing)


def test_duplicate_copies_tracks_order_and_reasons_into_my_playlist(app, world):
    playlist, _ = world
    eddie = signed_in(app, "eddie")
    assert eddie.post(f"/playlists/{playlist.id}/duplicate").status_code == 303
    copy = Playlist.objects(name="Friday (copy)").get()
    assert copy.owner.username == "eddie" and copy.collaborators == []

    def rows(p):
        return [
            (e.track.id, e.reason) for e in PlaylistEntry.objects(playlist=p).order_by("order_key")
        ]

    assert rows(copy) == rows(playlist)
    assert signed_in(app, "stan").post(f"/playlists/{playlist.id}/duplicate").status_code == 404


def test_private_and_missing_playlists_get_the_same_friendly_page(app, world):
    playlist, _ = world
    stan = signed_in(app, "stan")
    private = stan.get(f"/playlists/{playlist.id}")
    missing = stan.get("/playlists/no-such-playlist")
    assert private.status_code == missing.status_code == 404
    for page in (private, missing, stan.get(f"/rooms/{playlist.id}")):
        assert "does not exist, or you have not been invited to it" in page.get_data(as_text=True)

    def main(page):
        return page.get_data(as_text=True).split('<main id="main">')[1].split("</main>")[0]

    assert main(private) == main(missing)


def test_editors_rename_and_describe_as_room_ops(app, world):
    playlist, _ = world
    watcher = room(app, signed_in(app, "olive"), playlist)
    eddie = signed_in(app, "eddie")
    url = f"/playlists/{playlist.id}/details"
    assert eddie.post(url, data={"name": "Friday night", "description": "late"}).status_code == 303
    playlist.reload()
    assert (playlist.name, playlist.description) == ("Friday night", "late")
    assert [op.kind for op in PlaylistOp.objects(playlist=playlist).order_by("seq")] == [
        "rename", "describe"]  # fmt: skip
    assert [a["effect"].get("name") for a in received(watcher, "applied")][:1] == ["Friday night"]
    assert signed_in(app, "vera").post(url, data={"name": "Mine"}).status_code == 403
    eddie.post(url, data={"name": "", "description": "x"})
    playlist.reload()
    assert playlist.name == "Friday night" and playlist.description == "late"


def test_only_the_owner_deletes_and_open_rooms_close(app, world):
    playlist, _ = world
    olive = signed_in(app, "olive")
    invite = olive.post(f"/rooms/{playlist.id}/invites", json={"role": "viewer"}).get_json()["url"]
    eddie_http = signed_in(app, "eddie")
    eddie_room = room(app, eddie_http, playlist)
    assert eddie_http.post(f"/playlists/{playlist.id}/delete").status_code == 403
    assert olive.post(f"/playlists/{playlist.id}/delete").status_code == 303
    assert Playlist.objects(id=playlist.id).count() == 0
    assert PlaylistEntry.objects(playlist=playlist.id).count() == 0
    assert PlaylistOp.objects(playlist=playlist.id).count() == 0
    assert received(eddie_room, "closed")[0]["reason"] == "“Friday” was deleted by its owner."
    stan = signed_in(app, "stan")
    assert stan.get(invite.split("localhost", 1)[-1]).status_code == 404
    ack = eddie_room.emit("op", {"playlist_id": playlist.id, "op_id": "x1",
                                 "op": {"type": "rename", "name": "ghost"}},
                          namespace="/rooms", callback=True)  # fmt: skip
    assert ack["ok"] is False and Playlist.objects(id=playlist.id).count() == 0


def test_removing_a_collaborator_closes_their_room_and_their_edits(app, world):
    playlist, people = world
    eddie_http = signed_in(app, "eddie")
    eddie_room = room(app, eddie_http, playlist)
    olive, vera = signed_in(app, "olive"), signed_in(app, "vera")
    remove = f"/rooms/{playlist.id}/members/{people['eddie'].id}/remove"
    assert vera.post(remove).status_code == 403  # a viewer removes nobody
    assert (
        olive.post(f"/rooms/{playlist.id}/members/{people['olive'].id}/remove").status_code == 403
    )
    assert olive.post(f"/rooms/{playlist.id}/members/{people['stan'].id}/remove").status_code == 404
    assert olive.post(remove).get_json() == {"removed": people["eddie"].id, "left": False}
    assert received(eddie_room, "removed")[0]["user"] == people["eddie"].id
    ack = eddie_room.emit("op", {"playlist_id": playlist.id, "op_id": "e9",
                                 "op": {"type": "rename", "name": "mine now"}},
                          namespace="/rooms", callback=True)  # fmt: skip
    assert ack["ok"] is False
    playlist.reload()
    assert playlist.name == "Friday" and playlist.role_of(people["eddie"].id) is None
    # A collaborator leaves on their own.
    leave = vera.post(f"/rooms/{playlist.id}/members/{people['vera'].id}/remove").get_json()
    assert leave == {"removed": people["vera"].id, "left": True}
    playlist.reload()
    assert playlist.collaborators == []
