"""Rooms across processes: two gunicorn servers, Redis, many clients, random edits.

Clients (``tests/room_client.py``) sign in like a browser and edit one
playlist through both servers at once, with conflicting edits, resent ops
and reconnects. When everyone has caught up, every client's list must equal
the stored one and the op log must account for every op exactly once.
"""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from core import collab
from launcher.services import stop
from models import Collaborator, Playlist, PlaylistEntry, PlaylistOp
from tests.browser import start_web_server
from tests.factories import add_analysed_tracks
from tests.room_client import RoomClient

pytestmark = pytest.mark.slow

SEED = 20240611
TOTAL_OPS = 300
MAX_IN_FLIGHT = 3  # per client, so the servers are busy but never minutes behind
EDITORS = ("adam", "eddie", "erin", "emma", "ezra")


@pytest.fixture
def servers(app, tmp_path):
    """Two web processes on the same database and Redis."""
    logs = [tmp_path / f"web{i}.log" for i in (0, 1)]
    with ThreadPoolExecutor(2) as pool:
        started = list(pool.map(start_web_server, logs))
    yield [base for _, base in started]
    for log in logs:  # shown with a failure
        print(f"--- {log}\n" + "".join(log.read_text(errors="replace").splitlines(True)[-60:]))
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(stop, [proc for proc, _ in started]))


@pytest.fixture
def clients(servers):
    """Room clients made during the test; disconnected before the servers stop."""
    made: list[RoomClient] = []
    yield made
    for client in made:
        client.disconnect()


@pytest.fixture
def room(make_user):
    """A playlist owned by olive, with an admin, editors, an undoer and a viewer."""
    people = {name: make_user(name) for name in ("olive", *EDITORS, "uma", "vera")}
    roles = {"adam": "admin", "vera": "viewer"}
    playlist = Playlist(
        owner=people["olive"], name="Live",
        collaborators=[Collaborator(user=people[n], role=roles.get(n, "editor"))
                       for n in (*EDITORS, "uma", "vera")],
    ).save()  # fmt: skip
    tracks = [t.id for t in add_analysed_tracks(30)]
    return playlist, tracks


def test_many_clients_on_two_servers_converge_on_the_logged_list(servers, clients, room):
    playlist, tracks = room
    rng = random.Random(SEED)
    ids = random.Random(SEED + 1)

    def make_id():
        return f"{ids.getrandbits(64):016x}"

    # Two tabs of the owner, five editors, an undoer (adds and undoes only) and a viewer.
    names = ["olive", "olive", *EDITORS, "uma", "vera"]
    for i, name in enumerate(names):
        client = RoomClient(servers[i % 2], name, playlist.id, make_id=make_id)
        client.login()
        client.connect()
        clients.append(client)
    for client in clients:
        assert client.wait_for(lambda c=client: c.settled(), 20), client.describe()
    editors = [c for c in clients if c.username not in ("uma", "vera")]
    uma, vera = clients[-2], clients[-1]
    assert uma.role == "editor" and vera.role == "viewer" and clients[0].role == "owner"
    droppable = [c for c in clients if c is not uma]
    offline: dict[int, int] = {}  # client index -> op count at which it comes back
    stats = {"bursts": 0, "duplicates": 0, "reconnects": 0}

    def wait_for_room(client):
        # Keep each connected client's own backlog small; offline clients just queue.
        if client.online:
            client.wait_for(lambda: len(client.pending) < MAX_IN_FLIGHT or not client.online, 20)

    def random_op(r, client):
        entries = client.entries()  # the client's confirmed view, as a person sees it
        kind = r.choices(["add", "remove", "move", "vote", "rename"], [4, 2, 4, 2, 1])[0]
        if kind == "add" or not entries:
            picks = r.sample(tracks, r.choice([1, 1, 1, 2, 3]))
            index = r.choice([None, r.randrange(len(entries) + 1)])
            return {"type": "add", "track_ids": picks, "index": index}
        if kind == "rename":
            return {"type": "rename", "name": f"Live {r.randrange(1000)}"}
        entry_id = entries[r.randrange(len(entries))][0]
        if kind == "remove":
            return {"type": "remove", "entry_id": entry_id}
        if kind == "move":
            return {"type": "move", "entry_id": entry_id, "index": r.randrange(len(entries))}
        return {"type": "vote", "entry_id": entry_id, "value": r.choice([-1, 0, 1])}

    issued = 0
    while issued < TOTAL_OPS:
        # Each step draws from its own generator, seeded in a fixed sequence: what the step
        # finds (entries, who is online) depends on timing, but later steps' draws do not.
        r = random.Random(rng.getrandbits(64))
        for i, back_at in sorted(offline.items()):  # back online, maybe on the other server
            if issued >= back_at:
                droppable[i].connect(servers[back_at % 2])
                del offline[i]
                stats["reconnects"] += 1
        roll = r.random()
        if roll < 0.05:  # a dropped connection, acks in flight lost; later ops queue up
            i = r.randrange(len(droppable))
            if i not in offline and len(offline) < 3:
                droppable[i].disconnect()
                offline[i] = issued + r.randint(3, 30)
            continue
        if roll < 0.15:  # a conflict: several people grab the same entry at once
            grabbers = [c for c in r.sample(editors, 3) if c.online]
            entries = grabbers[0].entries() if grabbers else []
            if len(grabbers) < 2 or not entries:
                continue
            entry_id = entries[r.randrange(len(entries))][0]
            for client in grabbers:
                if r.random() < 0.5:
                    client.send({"type": "remove", "entry_id": entry_id})
                else:
                    index = r.randrange(len(entries))
                    client.send({"type": "move", "entry_id": entry_id, "index": index})
                issued += 1
            stats["bursts"] += 1
            continue
        if roll < 0.2:
            wait_for_room(uma)
            if r.random() < 0.5:
                uma.send({"type": "add", "track_ids": r.sample(tracks, 1)})
            else:
                uma.send({"type": "undo"})
            issued += 1
            continue
        client = r.choice([*editors, vera])
        wait_for_room(client)
        op_id = client.send(random_op(r, client))
        issued += 1
        if r.random() < 0.1 and client.resend(op_id):  # the same op twice, in flight
            stats["duplicates"] += 1
        if r.random() < 0.05 and client.acked:  # an old, applied op once more
            old = r.choice(sorted(client.acked))
            stats["duplicates"] += client.resend(old)

    for i, back_at in sorted(offline.items()):
        droppable[i].connect(servers[back_at % 2])
        stats["reconnects"] += 1
    for client in clients:  # quiet: no client has anything left to send
        assert client.wait_for(lambda c=client: not c.pending and c.online, 60), client.describe()
    final = Playlist.objects.get(id=playlist.id)
    for client in clients:
        assert client.wait_for(lambda c=client: c.settled(final.version), 30), (
            final.version, client.describe())  # fmt: skip

    stored = [
        {"id": e.id, "track_id": e.track.id, "order_key": e.order_key,
         "added_by": e.added_by.id if e.added_by else None,
         "votes_up": sorted(e.votes_up), "votes_down": sorted(e.votes_down)}
        for e in PlaylistEntry.objects(playlist=final).order_by("order_key")
    ]  # fmt: skip
    log = list(PlaylistOp.objects(playlist=final).order_by("seq"))
    log_ids = [op.op_id for op in log]

    # Every client shows exactly the stored playlist.
    for client in clients:
        assert not client.problems, (client.username, client.problems)
        assert client.entries() == [(e["id"], e["track_id"]) for e in stored], client.username
        assert client.ordered() == stored, client.username
        assert client.name == final.name, client.username
        assert client.seen_ops == {op.seq: op.op_id for op in log}, client.username

    # The log: seqs 1..N without gaps, ending at the version; no op twice.
    assert [op.seq for op in log] == list(range(1, len(log) + 1))
    assert final.version == len(log) > 0
    assert len(set(log_ids)) == len(log_ids)

    # Replaying the log from nothing gives the stored entries: nothing written outside it.
    replay = collab.RoomState("Live")
    for op in log:
        replay = collab.apply_effect(replay, op.effect)
    assert replay.to_dict()["entries"] == stored and replay.name == final.name

    # Every op a client issued was applied once or refused, never both, never lost.
    applied, refused = {}, set()
    for client in clients:
        logged_mine = {op_id for op_id in client.sent if op_id in set(log_ids)}
        assert set(client.acked) <= logged_mine, client.username
        assert not logged_mine & set(client.refused), client.username
        assert logged_mine | set(client.refused) == set(client.sent), client.username
        for op_id in logged_mine:
            applied[op_id] = client
        refused |= set(client.refused)
        for op_id, ack in client.acks:
            if ack.get("ok"):
                assert ack["seq"] == log_ids.index(op_id) + 1
    assert set(applied) == set(log_ids)
    by_op = {op.op_id: op for op in log}
    for op_id, client in applied.items():
        assert by_op[op_id].user.username == client.username

    # At most one first-time acknowledgement per op; the rest say "duplicate".
    firsts = [op_id for c in clients for op_id, ack in c.acks
              if ack.get("ok") and not ack["duplicate"]]  # fmt: skip
    assert len(firsts) == len(set(firsts))

    # The viewer could not change anything.
    assert vera.sent and set(vera.refused) == set(vera.sent) and not vera.acked
    assert all("viewers cannot edit" in error for error in vera.refused.values())

    # The run did what it claims: conflicts were refused, resends and reconnects happened.
    editor_refusals = [e for c in editors for e in c.refused.values()]
    assert any("no longer in the playlist" in e for e in editor_refusals)
    assert stats["bursts"] and stats["duplicates"] and stats["reconnects"]
    assert any(ack.get("duplicate") for c in clients for _, ack in c.acks)
    assert {kind for kind in (op.kind for op in log)} >= {"add", "remove", "move", "vote",
                                                          "rename", "undo"}  # fmt: skip
    print(f"\n{len(log)} ops logged, {len(refused)} refused, {stats}, "
          f"{sum(c.joins for c in clients)} joins")  # fmt: skip
