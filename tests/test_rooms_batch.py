"""Ops queued behind a room's lock are applied together, with the same outcome one by one."""

from __future__ import annotations

import threading
import time

import pytest

import rooms
from models import Collaborator, Playlist, PlaylistEntry, PlaylistOp
from tests.factories import add_analysed_tracks


@pytest.fixture
def tracks(app):
    return [t.id for t in add_analysed_tracks(8)]


@pytest.fixture
def room(app, make_user):
    olive, vera = make_user("olive"), make_user("vera")
    playlist = Playlist(owner=olive, name="Batch",
                        collaborators=[Collaborator(user=vera, role="viewer")]).save()  # fmt: skip
    return playlist.id, olive.id, vera.id


def submit_together(playlist_id: str, submissions: list[tuple]) -> tuple[list, list]:
    """Queue every submission behind the held room lock, then let them all go at once.

    Returns each submission's outcome (an ``Applied`` or the ``OpError``) and the
    ops published to the room, in the order they were published.
    """
    outcomes: list = [None] * len(submissions)
    announced: list[tuple[int, str]] = []

    def record(room: str, event: str, payload: dict) -> None:
        if room == playlist_id and event == "applied":
            announced.append((payload["seq"], payload["op_id"]))

    def one(index: int, user_id: str, op_id: str, op: dict) -> None:
        try:
            outcomes[index] = rooms.submit(playlist_id, user_id, op_id, op)
        except rooms.OpError as exc:
            outcomes[index] = exc

    previous = rooms.set_publisher(record)
    threads = [threading.Thread(target=one, args=(i, *s)) for i, s in enumerate(submissions)]
    try:
        with rooms.room_lock(playlist_id):
            for count, thread in enumerate(threads, start=1):  # one at a time: queued in order
                thread.start()
                deadline = time.monotonic() + 10
                while rooms.waiting_ops(playlist_id) < count:
                    assert time.monotonic() < deadline, "a submission never reached the queue"
                    time.sleep(0.001)
        for thread in threads:
            thread.join(30)
    finally:
        rooms.set_publisher(previous)
    return outcomes, announced


def stored(playlist_id: str) -> dict:
    return {e.id: (e.track.id, e.order_key) for e in PlaylistEntry.objects(playlist=playlist_id)}


def test_a_batch_gives_every_op_its_own_answer_in_seq_order(room, tracks):
    playlist_id, olive, vera = room
    first = rooms.submit(playlist_id, olive, "early", {"type": "add", "track_ids": tracks[:2]})
    entry = first.effect["upsert"][0]["id"]
    chosen = {"type": "add", "track_ids": tracks[4:5], "new_ids": ["mine"]}
    own_ids = rooms.submit(playlist_id, olive, "chosen", chosen)
    other = Playlist(owner=olive, name="Other").save()
    foreign = rooms.submit(other.id, olive, "x", {"type": "add", "track_ids": tracks[:1]})
    foreign_entry = foreign.effect["upsert"][0]["id"]

    outcomes, announced = submit_together(playlist_id, [
        (olive, "a1", {"type": "add", "track_ids": [tracks[2]], "new_ids": ["n1"]}),
        (vera, "v1", {"type": "vote", "entry_id": entry, "value": 1}),  # a viewer
        (olive, "m1", {"type": "move", "entry_id": entry, "index": 5}),
        (olive, "a1", {"type": "add", "track_ids": [tracks[2]], "new_ids": ["n1"]}),  # twin
        (olive, "early", {"type": "add", "track_ids": tracks[:2]}),  # resend of a logged op
        (olive, "chosen", chosen),  # a resend refused now ("already used") is still found
        (olive, "a2", {"type": "add", "track_ids": [tracks[3]], "new_ids": [foreign_entry]}),
        (olive, "r1", {"type": "remove", "entry_id": "n1"}),
        (olive, "u1", {"type": "undo"}),  # undoes r1, planned after r1 is written
        (olive, "n1", {"type": "rename", "name": "Late night"}),
        (olive, "a3", {"type": "add", "track_ids": ["no-such-track"]}),
        (olive, "v2", {"type": "vote", "entry_id": "n1", "value": 1}),
    ])  # fmt: skip
    a1, v1, m1, twin, early, resent, a2, r1, u1, n1, a3, v2 = outcomes
    assert "viewers cannot edit" in str(v1)
    assert "already used" in str(a2) and "unknown track" in str(a3)
    assert (twin.seq, twin.duplicate) == (a1.seq, True)
    assert (early.seq, early.duplicate) == (first.seq, True)
    assert (resent.seq, resent.duplicate) == (own_ids.seq, True)
    applied = [a1, m1, r1, u1, n1, v2]
    assert [a.seq for a in applied] == list(range(3, 9)) and not any(a.duplicate for a in applied)
    assert announced == list(zip(range(3, 9), ["a1", "m1", "r1", "u1", "n1", "v2"], strict=True))

    # The same story one op at a time, from the log, gives what was stored.
    logged = list(PlaylistOp.objects(playlist=playlist_id).order_by("seq"))
    assert [op.seq for op in logged] == list(range(1, 9))
    rooms.reset_for_tests()
    version, fresh = rooms.state_of(playlist_id)
    assert version == 8 and fresh.name == "Late night"
    assert stored(playlist_id) == {e.id: (e.track_id, e.order_key) for e in fresh.entries.values()}
    assert fresh.entries["n1"].votes_up == [olive]  # removed, back by the undo, then voted
    assert PlaylistOp.objects(playlist=playlist_id, seq=r1.seq).first().undone
    assert PlaylistEntry.objects.get(id=foreign_entry).playlist.id == other.id


def test_an_op_logged_by_another_process_mid_batch_costs_only_that_op(room, tracks):
    playlist_id, olive, _ = room
    rooms.submit(playlist_id, olive, "a0", {"type": "add", "track_ids": tracks[:1]})
    # Another process logged seq 2 and died before the entries and the version.
    effect = {"upsert": [{"id": "orphan", "track_id": tracks[1], "order_key": "x",
                          "added_by": olive}], "delete": []}  # fmt: skip
    PlaylistOp(playlist=playlist_id, seq=2, op_id="dead", user=olive, kind="add",
               effect=effect).save()  # fmt: skip
    outcomes, announced = submit_together(playlist_id, [
        (olive, "b1", {"type": "add", "track_ids": tracks[2:3]}),
        (olive, "b2", {"type": "add", "track_ids": tracks[3:4]}),
        (olive, "b3", {"type": "rename", "name": "After"}),
    ])  # fmt: skip
    assert isinstance(outcomes[0], rooms.OpError) and "busy" in str(outcomes[0])
    assert [o.seq for o in outcomes[1:]] == [3, 4] and [s for s, _ in announced] == [3, 4]
    assert {t for t, _ in stored(playlist_id).values()} == {tracks[0], tracks[1], tracks[3]}
    assert Playlist.objects.get(id=playlist_id).version == 4
