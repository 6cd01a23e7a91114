"""The database away for a moment: clear 503s, recovery without a restart, nothing half-written.

The app reaches the test database through ``tests/db_proxy.py``, which these
tests cut as a restart would, once at the worst moment of a room op: right
after its log entry is written and before its entries are.
"""

from __future__ import annotations

import pytest

from core.collab import RoomState, apply_effect
from models import Playlist, PlaylistEntry, PlaylistOp, connect_db
from tests.db_proxy import DbProxy
from tests.factories import add_analysed_tracks
from webapp.extensions import socketio
from webapp.outages import DB_DOWN

UNAVAILABLE = {"ok": False, "error": DB_DOWN, "retry": True}


@pytest.fixture(scope="module")
def app(mongo_server, redis_url):
    """Flask-SocketIO's test client needs an app without the Redis message queue."""
    from webapp import create_app
    from webapp.config import TestingConfig

    return create_app(TestingConfig, SOCKETIO_MESSAGE_QUEUE=None)


@pytest.fixture
def proxy(app, mongo_server):
    """The app's database connection, through a proxy the test can cut."""
    port, db_name = mongo_server.rsplit(":", 1)[1].split("/")
    db_proxy = DbProxy(int(port))
    connect_db(db_proxy.uri(db_name), timeout_ms=1500)
    try:
        yield db_proxy
    finally:
        db_proxy.close()
        connect_db(mongo_server)


@pytest.fixture
def room(app, make_user):
    playlist = Playlist(owner=make_user("olive"), name="Outage").save()
    tracks = [t.id for t in add_analysed_tracks(6)]
    http = app.test_client()
    http.post("/auth/login", data={"username": "olive", "password": "correct horse"})
    client = socketio.test_client(app, namespace="/rooms", flask_test_client=http)
    joined = client.emit("join", {"playlist_id": playlist.id}, namespace="/rooms", callback=True)
    assert joined["ok"]
    return playlist, tracks, client


def op(client, playlist, op_id, body):
    payload = {"playlist_id": playlist.id, "op_id": op_id, "op": body}
    return client.emit("op", payload, namespace="/rooms", callback=True)


def check_log_matches_entries(playlist):
    playlist.reload()
    log = list(PlaylistOp.objects(playlist=playlist).order_by("seq"))
    assert [o.seq for o in log] == list(range(1, playlist.version + 1))
    replay = RoomState("Outage")
    for logged in log:
        replay = apply_effect(replay, logged.effect)
    stored = {e.id: (e.track.id, e.order_key) for e in PlaylistEntry.objects(playlist=playlist)}
    assert stored == {e.id: (e.track_id, e.order_key) for e in replay.entries.values()}


def test_pages_and_api_answer_503_then_recover(client, make_user, login, proxy):
    make_user()
    login()
    proxy.cut()
    api = client.get("/api/library/status")
    assert api.status_code == 503 and api.get_json() == {"error": DB_DOWN}
    assert api.headers["Retry-After"] == "5"
    posted = client.post("/api/feedback", json={"track_id": "x", "event": "like"})
    assert posted.status_code == 503 and posted.get_json() == {"error": DB_DOWN}
    page = client.get("/playlists")
    assert page.status_code == 503 and page.mimetype == "text/html"
    assert DB_DOWN in page.get_data(as_text=True) and page.headers["Retry-After"] == "5"
    proxy.restore()
    assert client.get("/api/library/status").status_code == 200  # same app, no restart
    assert client.get("/playlists").status_code == 200


def test_room_events_answer_an_error_event_then_recover(room, proxy):
    playlist, tracks, client = room
    client.get_received("/rooms")
    proxy.cut()
    assert op(client, playlist, "a1", {"type": "add", "track_ids": tracks[:1]}) == UNAVAILABLE
    join = client.emit("join", {"playlist_id": playlist.id}, namespace="/rooms", callback=True)
    assert join == UNAVAILABLE
    errors = [m["args"][0] for m in client.get_received("/rooms") if m["name"] == "error"]
    assert errors == [{"message": DB_DOWN}] * 2 and client.is_connected("/rooms")
    proxy.restore()
    ack = op(client, playlist, "a1", {"type": "add", "track_ids": tracks[:1]})
    assert ack["ok"], ack
    check_log_matches_entries(playlist)


def test_an_op_cut_between_its_log_and_its_entries_is_repaired(room, proxy):
    playlist, tracks, client = room
    assert op(client, playlist, "a1", {"type": "add", "track_ids": tracks[:2]})["seq"] == 1
    proxy.cut_after("insert", "playlist_ops")
    assert op(client, playlist, "a2", {"type": "add", "track_ids": tracks[2:4]}) == UNAVAILABLE
    proxy.restore()
    # The next op finds the logged one and finishes it first, rather than trusting a
    # cached state without it (which refused the op: "the room is busy").
    ack = op(client, playlist, "a3", {"type": "add", "track_ids": tracks[4:5]})
    assert ack["ok"] and ack["seq"] == 3, ack
    resent = op(client, playlist, "a2", {"type": "add", "track_ids": tracks[2:4]})
    assert resent == {"ok": True, "seq": 2, "duplicate": True}
    check_log_matches_entries(playlist)
    assert PlaylistEntry.objects(playlist=playlist).count() == 5


def test_an_undo_cut_before_marking_its_target_is_repaired(room, proxy):
    playlist, tracks, client = room
    op(client, playlist, "a1", {"type": "add", "track_ids": tracks[:1]})
    op(client, playlist, "a2", {"type": "add", "track_ids": tracks[1:2]})
    proxy.cut_after("insert", "playlist_ops")
    assert op(client, playlist, "u1", {"type": "undo"}) == UNAVAILABLE
    proxy.restore()
    # The second undo undoes a1: a2 counts as undone although the first undo was cut short.
    assert op(client, playlist, "u2", {"type": "undo"})["seq"] == 4
    assert [o.undone for o in PlaylistOp.objects(playlist=playlist).order_by("seq")][:2] == [
        True, True]  # fmt: skip
    check_log_matches_entries(playlist)
    assert PlaylistEntry.objects(playlist=playlist).count() == 0
