"""Room events through Flask-SocketIO's test client, on the real database and Redis."""

from __future__ import annotations

import pytest

import rooms
from models import Collaborator, Playlist, PlaylistEntry, PlaylistOp
from redis_client import redis_client
from tests.factories import add_analysed_tracks
from tests.room_client import fold_presence
from webapp.extensions import socketio


@pytest.fixture(scope="module")
def app(mongo_server, redis_url):
    """Flask-SocketIO's test client needs an app without the Redis message queue.

    (Rooms across processes, with the queue, are tested in ``test_rooms_live.py``.)
    """
    from webapp import create_app
    from webapp.config import TestingConfig

    return create_app(TestingConfig, SOCKETIO_MESSAGE_QUEUE=None)


@pytest.fixture
def tracks(app):
    return [t.id for t in add_analysed_tracks(12)]


@pytest.fixture
def people(app, make_user):
    return {name: make_user(name) for name in ("olive", "eddie", "vera", "stan")}


@pytest.fixture
def playlist(people):
    return Playlist(
        owner=people["olive"], name="Friday",
        collaborators=[Collaborator(user=people["eddie"], role="editor"),
                       Collaborator(user=people["vera"], role="viewer")],
    ).save()  # fmt: skip


def connect(app, name):
    http = app.test_client()
    response = http.post("/auth/login", data={"username": name, "password": "correct horse"})
    assert response.status_code == 302
    client = socketio.test_client(app, namespace="/rooms", flask_test_client=http)
    assert client.is_connected("/rooms")
    return client


def emit(client, event, data):
    return client.emit(event, data, namespace="/rooms", callback=True)


def entries(playlist):
    return [(e.track.id, e.order_key) for e in PlaylistEntry.objects(playlist=playlist)
            .order_by("order_key")]  # fmt: skip


def errors(client):
    return [m for m in client.get_received("/rooms") if m["name"] == "error"]


def test_edits_are_applied_logged_and_broadcast(app, playlist, tracks):
    olive, eddie = connect(app, "olive"), connect(app, "eddie")
    assert emit(olive, "join", {"playlist_id": playlist.id})["snapshot"]["entries"] == []
    emit(eddie, "join", {"playlist_id": playlist.id})
    ack = emit(olive, "op", {"playlist_id": playlist.id, "op_id": "o1",
                             "op": {"type": "add", "track_ids": tracks[:3]}})  # fmt: skip
    assert ack == {"ok": True, "seq": 1, "duplicate": False}
    received = [m for m in eddie.get_received("/rooms") if m["name"] == "applied"]
    assert received and received[-1]["args"][0]["seq"] == 1
    assert set(received[-1]["args"][0]["tracks"]) == set(tracks[:3])
    first = PlaylistEntry.objects(playlist=playlist).order_by("order_key").first()
    ack = emit(eddie, "op", {"playlist_id": playlist.id, "op_id": "e1",
                             "op": {"type": "move", "entry_id": first.id, "index": 2}})  # fmt: skip
    assert ack["seq"] == 2
    assert [t for t, _ in entries(playlist)] == [tracks[1], tracks[2], tracks[0]]
    emit(eddie, "op", {"playlist_id": playlist.id, "op_id": "e2",
                       "op": {"type": "rename", "name": "Friday night"}})  # fmt: skip
    playlist.reload()
    assert playlist.name == "Friday night" and playlist.version == 3
    assert [op.seq for op in PlaylistOp.objects(playlist=playlist).order_by("seq")] == [1, 2, 3]


def test_resent_op_is_applied_once(app, playlist, tracks):
    olive = connect(app, "olive")
    emit(olive, "join", {"playlist_id": playlist.id})
    op = {
        "playlist_id": playlist.id,
        "op_id": "same",
        "op": {"type": "add", "track_ids": tracks[:1]},
    }
    assert emit(olive, "op", op)["duplicate"] is False
    again = emit(olive, "op", op)
    assert again == {"ok": True, "seq": 1, "duplicate": True}
    assert len(entries(playlist)) == 1


def test_viewers_and_strangers_are_refused_and_stay_connected(app, playlist, tracks):
    vera, stan = connect(app, "vera"), connect(app, "stan")
    assert emit(vera, "join", {"playlist_id": playlist.id})["role"] == "viewer"
    ack = emit(vera, "op", {"playlist_id": playlist.id, "op_id": "v1",
                            "op": {"type": "add", "track_ids": tracks[:1]}})  # fmt: skip
    assert ack["ok"] is False and "viewers cannot edit" in ack["error"]
    assert errors(vera)
    assert emit(stan, "join", {"playlist_id": playlist.id}) == {
        "ok": False, "error": "no such playlist"}  # fmt: skip
    assert emit(stan, "join", {"playlist_id": "does-not-exist"})["error"] == "no such playlist"
    assert entries(playlist) == []
    assert vera.is_connected("/rooms") and emit(vera, "drag", {"playlist_id": playlist.id,
                                                               "entry_id": None})["ok"]  # fmt: skip


@pytest.mark.parametrize(
    "payload",
    [None, "text", [1, 2], {"playlist_id": 5}, {"playlist_id": "x" * 500},
     {"op_id": "a", "op": {"type": "add"}},
     {"op_id": "", "op": {"type": "rename", "name": "x"}},
     {"op_id": "a", "op": {"type": "nuke"}},
     {"op_id": "a", "op": {"type": "add", "track_ids": ["no-such-track"]}},
     {"op_id": "a", "op": {"type": "remove", "entry_id": "missing"}},
     {"op_id": "a", "op": {"type": "rename", "name": "$where: 1; drop()"}}],
)  # fmt: skip
def test_malformed_and_unknown_ops_get_an_error_and_change_nothing(app, playlist, payload):
    olive = connect(app, "olive")
    emit(olive, "join", {"playlist_id": playlist.id})
    if isinstance(payload, dict) and "op_id" in payload:
        payload = {"playlist_id": playlist.id, **payload}
    ack = emit(olive, "op", payload)
    if (
        payload
        and isinstance(payload, dict)
        and payload.get("op", {}).get("name", "").startswith("$")
    ):
        assert ack["ok"]  # odd text is just text: stored literally, never interpreted
        playlist.reload()
        assert playlist.name == "$where: 1; drop()"
        return
    assert ack["ok"] is False and ack["error"]
    assert errors(olive)
    assert entries(playlist) == [] and PlaylistOp.objects.count() == 0
    assert emit(olive, "drag", {"playlist_id": playlist.id, "entry_id": None})["ok"]


def test_ops_need_a_joined_room(app, playlist, tracks):
    olive = connect(app, "olive")
    ack = emit(olive, "op", {"playlist_id": playlist.id, "op_id": "x",
                             "op": {"type": "add", "track_ids": tracks[:1]}})  # fmt: skip
    assert ack["error"] == "join the room first"


def test_catch_up_replays_missed_ops_or_sends_a_snapshot(app, playlist, tracks):
    olive = connect(app, "olive")
    emit(olive, "join", {"playlist_id": playlist.id})
    for i, track in enumerate(tracks[:4]):
        emit(olive, "op", {"playlist_id": playlist.id, "op_id": f"a{i}",
                           "op": {"type": "add", "track_ids": [track]}})  # fmt: skip
    late = connect(app, "eddie")
    ack = emit(late, "join", {"playlist_id": playlist.id, "since": 2})
    assert [op["seq"] for op in ack["ops"]] == [3, 4] and ack["version"] == 4
    assert set(ack["tracks"]) == set(tracks[2:4])
    fresh = emit(late, "join", {"playlist_id": playlist.id})
    assert len(fresh["snapshot"]["entries"]) == 4


def test_undo_reverts_only_my_last_op(app, playlist, tracks):
    olive, eddie = connect(app, "olive"), connect(app, "eddie")
    for client in (olive, eddie):
        emit(client, "join", {"playlist_id": playlist.id})
    emit(olive, "op", {"playlist_id": playlist.id, "op_id": "o1",
                       "op": {"type": "add", "track_ids": tracks[:2]}})  # fmt: skip
    emit(eddie, "op", {"playlist_id": playlist.id, "op_id": "e1",
                       "op": {"type": "add", "track_ids": tracks[2:3]}})  # fmt: skip
    assert emit(olive, "op", {"playlist_id": playlist.id, "op_id": "o2",
                              "op": {"type": "undo"}})["ok"]  # fmt: skip
    assert [t for t, _ in entries(playlist)] == [tracks[2]]
    again = emit(olive, "op", {"playlist_id": playlist.id, "op_id": "o3", "op": {"type": "undo"}})
    assert again == {"ok": False, "error": "nothing of yours to undo", "op_id": "o3"}


def test_presence_lists_people_in_the_room(app, playlist):
    olive, eddie = connect(app, "olive"), connect(app, "eddie")
    seen = list(emit(olive, "join", {"playlist_id": playlist.id})["connections"])
    ack = emit(eddie, "join", {"playlist_id": playlist.id})
    assert {m["name"] for m in ack["members"]} == {"olive", "eddie"}
    assert fold_presence(ack["connections"]) == ack["members"]
    sids = {sid.decode() for sid in redis_client().hkeys(f"moodroom:room:{playlist.id}:presence")}
    entry = "some-entry"
    emit(eddie, "drag", {"playlist_id": playlist.id, "entry_id": entry})
    changes = [m["args"][0] for m in olive.get_received("/rooms") if m["name"] == "presence"]
    people = fold_presence(seen + changes)
    assert any(p["name"] == "eddie" and p["dragging"] == entry for p in people)
    eddie.disconnect(namespace="/rooms")
    changes += [m["args"][0] for m in olive.get_received("/rooms") if m["name"] == "presence"]
    assert [p["name"] for p in fold_presence(seen + changes)] == ["olive"]
    # Each change is one connection's, never the whole list, and never shows a session id.
    assert all(set(c) == {"playlist_id", "key", "ts", "member"} for c in changes)
    assert len(sids) == 2 and not sids & {c["key"] for c in seen + changes + ack["connections"]}


def test_a_logged_op_missing_from_the_entries_is_repaired_on_load(app, playlist, tracks, people):
    # Simulate a crash after the log write and before the entry write.
    effect = {"upsert": [{"id": "crash1", "track_id": tracks[0], "order_key": "V",
                          "added_by": people["olive"].id}], "delete": []}  # fmt: skip
    PlaylistOp(playlist=playlist, seq=1, op_id="c1", user=people["olive"], kind="add",
               effect=effect).save()  # fmt: skip
    rooms.reset_for_tests()
    version, state = rooms.state_of(playlist.id)
    assert version == 1 and list(state.entries) == ["crash1"]
    assert entries(playlist) == [(tracks[0], "V")]
    assert Playlist.objects.get(id=playlist.id).version == 1


def test_invite_links_grant_their_role_once(app, playlist, people):
    owner = app.test_client()
    owner.post("/auth/login", data={"username": "olive", "password": "correct horse"})
    link = owner.post(f"/rooms/{playlist.id}/invites", json={"role": "editor"}).get_json()["url"]
    stan = app.test_client()
    stan.post("/auth/login", data={"username": "stan", "password": "correct horse"})
    assert stan.get(f"/rooms/{playlist.id}").status_code == 404
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert stan.get("/" + path).status_code == 302
    assert Playlist.objects.get(id=playlist.id).role_of(people["stan"].id) == "editor"
    assert stan.get(f"/rooms/{playlist.id}").status_code == 200
    assert stan.post(f"/rooms/{playlist.id}/invites", json={}).status_code == 403
    assert stan.get(f"/rooms/{playlist.id}/join/forged-token").status_code == 404


def _forget_recent_ops(playlist_id: str) -> None:
    client = redis_client()
    for key in client.scan_iter(f"moodroom:room:{playlist_id}:op:*"):
        client.delete(key)


@pytest.mark.parametrize("in_redis", [True, False])
def test_a_process_behind_catches_up_from_recent_ops_or_the_log(app, playlist, tracks, people,
                                                                 in_redis):  # fmt: skip
    olive = people["olive"].id
    for i, track in enumerate(tracks[:3]):
        rooms.submit(playlist.id, olive, f"a{i}", {"type": "add", "track_ids": [track]})
    behind = rooms.state_of(playlist.id)  # what another process that saw three ops still holds
    first = next(iter(behind[1].entries))
    rooms.submit(playlist.id, olive, "m", {"type": "move", "entry_id": first, "index": 2})
    rooms.submit(playlist.id, olive, "v", {"type": "vote", "entry_id": first, "value": 1})
    rooms.reset_for_tests()
    truth = rooms.state_of(playlist.id)
    replayed = rooms.catch_up(playlist.id, since=1)
    if not in_redis:
        _forget_recent_ops(playlist.id)
    rooms.reset_for_tests(behind={playlist.id: behind})
    version, state = rooms.state_of(playlist.id)
    assert version == truth[0] == 5 and state.to_dict() == truth[1].to_dict()
    assert rooms.catch_up(playlist.id, since=1) == replayed
    assert [op["op_id"] for op in replayed["ops"]] == ["a1", "a2", "m", "v"]


def test_an_op_logged_by_a_process_that_died_is_repaired_before_the_next(app, playlist, tracks,
                                                                         people):  # fmt: skip
    olive = people["olive"].id
    rooms.submit(playlist.id, olive, "a0", {"type": "add", "track_ids": tracks[:1]})
    # Another process logged seq 2 and died before writing the entries and the version.
    effect = {"upsert": [{"id": "orphan", "track_id": tracks[1], "order_key": "x",
                          "added_by": olive}], "delete": []}  # fmt: skip
    PlaylistOp(playlist=playlist, seq=2, op_id="dead", user=people["olive"], kind="add",
               effect=effect).save()  # fmt: skip
    op = {"type": "add", "track_ids": tracks[2:3]}
    with pytest.raises(rooms.OpError, match="busy"):
        rooms.submit(playlist.id, olive, "a1", op)
    assert rooms.submit(playlist.id, olive, "a1", op).seq == 3
    assert [t for t, _ in entries(playlist)] == tracks[:3]  # the orphan, then the new op


def test_an_add_cannot_take_over_another_playlists_entries(app, playlist, tracks, people):
    olive, stan = connect(app, "olive"), connect(app, "stan")
    emit(olive, "join", {"playlist_id": playlist.id})
    emit(olive, "op", {"playlist_id": playlist.id, "op_id": "o1",
                       "op": {"type": "add", "track_ids": tracks[:1]}})  # fmt: skip
    victim = PlaylistEntry.objects.get(playlist=playlist)
    own = Playlist(owner=people["stan"], name="Stan's").save()
    emit(stan, "join", {"playlist_id": own.id})
    ack = emit(stan, "op", {"playlist_id": own.id, "op_id": "s1",
                            "op": {"type": "add", "track_ids": tracks[:1],
                                   "new_ids": [victim.id]}})  # fmt: skip
    assert ack["ok"] is False and "already used" in ack["error"]
    assert PlaylistEntry.objects.get(id=victim.id).playlist.id == playlist.id


@pytest.mark.parametrize("path", ["invites", "visibility"])
def test_non_object_json_bodies_get_400(app, playlist, path):
    client = app.test_client()
    client.post("/auth/login", data={"username": "olive", "password": "correct horse"})
    response = client.post(f"/rooms/{playlist.id}/{path}", json=[1, 2])
    assert response.status_code == 400


def test_a_room_edit_moves_the_playlist_to_the_top_of_my_list(app, playlist, tracks, people):
    newer = Playlist(owner=people["olive"], name="Newer").save()
    client = app.test_client()
    client.post("/auth/login", data={"username": "olive", "password": "correct horse"})
    page = client.get("/playlists").get_data(as_text=True)
    assert page.index("Newer") < page.index("Friday")
    rooms.submit(playlist.id, people["olive"].id, "e1", {"type": "add", "track_ids": tracks[:1]})
    # The edit time is an int: a datetime written with $set is stored as text by the
    # embedded server and sorted after every real datetime, i.e. last.
    page = client.get("/playlists").get_data(as_text=True)
    assert page.index("Friday") < page.index("Newer")
    assert isinstance(Playlist.objects(id=newer.id).as_pymongo().first()["edited_ms"], int)


def test_a_role_granted_while_the_room_is_open_applies_to_the_next_op(app, playlist, tracks):
    vera = connect(app, "vera")
    emit(vera, "join", {"playlist_id": playlist.id})
    op = {"playlist_id": playlist.id, "op": {"type": "add", "track_ids": tracks[:1]}}
    assert "viewers cannot edit" in emit(vera, "op", {**op, "op_id": "v1"})["error"]
    owner = app.test_client()
    owner.post("/auth/login", data={"username": "olive", "password": "correct horse"})
    link = owner.post(f"/rooms/{playlist.id}/invites", json={"role": "editor"}).get_json()["url"]
    http = app.test_client()
    http.post("/auth/login", data={"username": "vera", "password": "correct horse"})
    assert http.get("/" + link.split("://", 1)[1].split("/", 1)[1]).status_code == 302
    # The room's cached roles were read before the invite: accepting it must drop them.
    assert emit(vera, "op", {**op, "op_id": "v2"})["ok"]
