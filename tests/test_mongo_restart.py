"""MongoDB killed and restarted under load: 503s meanwhile, then the same process recovers.

A private nx-27017 and a real gunicorn process on it; HTTP readers and two room
clients keep it busy. The database dies with SIGKILL mid-load and comes back on
the same port and files. Every answer must be a 200 or a clear 503 (no 500, no
hang), the web process must answer 200 again without a restart, and the room
must hold together: every acknowledged op logged with its seq, the entries
equal to the replayed log, every client's list equal to them, no dangling
references.
"""

from __future__ import annotations

import os
import signal
import time

import pytest
from mongoengine.connection import get_db

from core.collab import RoomState, apply_effect
from launcher import services
from models import (
    Collaborator,
    Playlist,
    PlaylistEntry,
    PlaylistOp,
    User,
    connect_db,
    ensure_all_indexes,
)
from models.maintenance import find_problems
from tests.browser import start_web_server
from tests.factories import add_analysed_tracks
from tests.outage_load import Load
from tests.room_client import RoomClient
from webapp.outages import DB_DOWN
from webapp.services.passwords import hash_password

pytestmark = pytest.mark.slow


@pytest.fixture
def database(app, tmp_path):
    """A private nx-27017 this test may kill; MongoEngine points at it meanwhile."""
    port = services.free_port()
    uri = f"mongodb://127.0.0.1:{port}/moodroom_restart"
    server = {"proc": services.start_mongo(port, tmp_path / "db", tmp_path / "mongo.log")}

    def restart():
        server["proc"] = services.start_mongo(port, tmp_path / "db", tmp_path / "mongo2.log")
        services.wait_for_mongo(uri, server["proc"])

    try:
        services.wait_for_mongo(uri, server["proc"])
        connect_db(uri)
        ensure_all_indexes()
        yield uri, server, restart
    finally:
        services.stop(server["proc"])
        connect_db(os.environ["MONGODB_URI"])


@pytest.fixture
def web(database, tmp_path):
    log = tmp_path / "web.log"
    proc, base = start_web_server(log, {"MONGODB_URI": database[0], "MONGODB_TIMEOUT_MS": "1500"})
    yield proc, base, log
    services.stop(proc)
    print("".join(log.read_text(errors="replace").splitlines(True)[-40:]))


@pytest.fixture
def clients():
    """Room clients of the test, disconnected before the web process stops (or it waits)."""
    made: list[RoomClient] = []
    yield made
    for client in made:
        client.disconnect()


def test_database_restart_under_load(database, web, clients):
    _uri, server, restart = database
    proc, base, log = web
    people = [User(username=n, password_hash=hash_password("correct horse")).save()
              for n in ("olive", "eddie")]  # fmt: skip
    editor = Collaborator(user=people[1], role="editor")
    playlist = Playlist(owner=people[0], name="Restart", collaborators=[editor]).save()
    tracks = [t.id for t in add_analysed_tracks(10)]
    clients += [RoomClient(base, name, playlist.id) for name in ("olive", "eddie")]
    for client in clients:
        client.login()
        client.connect()
    load = Load(base, clients[0].http, ["/api/library/status", f"/playlists/{playlist.id}"])
    try:
        load.start(clients, tracks)
        time.sleep(3)
        os.killpg(server["proc"].pid, signal.SIGKILL)
        server["proc"].wait(10)
        killed_at = time.monotonic()
        time.sleep(8)  # ops queue on the room's lock: each waits out the timeouts before it
        restarting_at = time.monotonic()  # answers after this may already be 200s
        restart()
        restarted_at = time.monotonic()
        assert load.wait_for_success(after=restarted_at, timeout=30), load.summary()
    finally:
        load.stop()

    assert proc.poll() is None  # the same web process throughout
    load.check_answers(DB_DOWN)
    during = load.answered_between(killed_at + 0.5, restarting_at)
    assert {r.kind for r in during} == {"http", "op"}, load.summary()
    assert all(r.unavailable for r in during), [r for r in during if not r.unavailable]
    assert "Traceback" not in log.read_text(errors="replace")

    for client in clients:  # rejoin: catch up (and finish any op the outage cut short)
        client.disconnect()
        client.connect()
    version = Playlist.objects.get(id=playlist.id).version
    for client in clients:
        assert client.wait_for(lambda c=client: c.settled(version), 20), client.describe()
    log_ops = list(PlaylistOp.objects(playlist=playlist.id).order_by("seq"))
    assert [op.seq for op in log_ops] == list(range(1, version + 1))
    by_op = {op.op_id: op.seq for op in log_ops}
    for client in clients:
        assert all(by_op.get(op_id) == seq for op_id, seq in client.acked.items())
    replay = RoomState("Restart")
    for op in log_ops:
        replay = apply_effect(replay, op.effect)
    stored = {e.id: e.order_key for e in PlaylistEntry.objects(playlist=playlist.id)}
    assert stored == {e.id: e.order_key for e in replay.entries.values()}
    for client in clients:
        assert {e["id"]: e["order_key"] for e in client.ordered()} == stored
    assert find_problems(db=get_db())["problems"] == []
    cut_short = [a.what for a in load.answers if a.kind == "op" and a.unavailable]
    print(load.summary(), "answered 503 but logged:", sum(op_id in by_op for op_id in cut_short))
