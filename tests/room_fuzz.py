"""Fuzzing room events: strategies, one fuzzed event and the room's invariants.

Shared by ``tests/test_rooms_fuzz.py`` (a few thousand cases) and
``bench/rooms_soak.py`` (minutes of them, mixed with valid edits so that the
room fills up). Rooms run on Flask-SocketIO's test client, with an owner who
may edit and a viewer who may not.
"""

from __future__ import annotations

import uuid

from hypothesis import strategies as st

from core.collab import RoomState, apply_effect
from models import Collaborator, Playlist, PlaylistEntry, PlaylistOp
from webapp.extensions import socketio

EVENTS = ["op", "op", "op", "join", "drag", "leave", "bogus"]
NAMESPACE = "/rooms"

scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**40), 2**40),
                    st.floats(allow_nan=True), st.text(max_size=80))  # fmt: skip
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=12)  # fmt: skip


def op_strategy(playlist_id, tracks):
    """Payloads of ``op`` (and other) events: mostly well-formed, many subtly wrong."""
    entry_ids = st.sampled_from(["missing", "x" * 70, ""]) | st.text(max_size=10)
    ops = st.one_of(
        st.fixed_dictionaries({"type": st.just("add"),
                               "track_ids": st.lists(st.sampled_from([*tracks, "nope"]),
                                                     max_size=3)}),
        st.fixed_dictionaries({"type": st.sampled_from(["move", "remove", "vote"]),
                               "entry_id": entry_ids, "index": st.integers(-3, 12),
                               "value": st.integers(-2, 2)}),
        st.fixed_dictionaries({"type": st.sampled_from(["rename", "describe", "undo", "??"]),
                               "name": st.text(max_size=130),
                               "description": st.text(max_size=50)}),
        json_values,
    )  # fmt: skip
    return st.one_of(
        st.fixed_dictionaries({"playlist_id": st.just(playlist_id),
                               "op_id": st.text(min_size=0, max_size=70), "op": ops}),
        json_values,
        st.fixed_dictionaries(
            {"playlist_id": json_values, "op_id": json_values, "op": json_values}
        ),
    )  # fmt: skip


def valid_op_strategy(playlist_id, tracks):
    """``op`` payloads as an editor's page sends them (``valid_event`` adds a fresh op id).

    Entries are named by a number (``pick``) that ``valid_event`` turns into one of
    the room's entries: hypothesis needs draws that do not depend on the room.
    Some ops are still refused (nothing left to undo, an empty room).
    """
    pick = st.integers(0, 2**16)
    ops = st.one_of(
        st.fixed_dictionaries({"type": st.just("add"), "index": st.none() | st.integers(0, 9),
                               "track_ids": st.lists(st.sampled_from(tracks), min_size=1,
                                                     max_size=3)}),
        st.fixed_dictionaries({"type": st.just("move"), "pick": pick, "index": pick}),
        st.fixed_dictionaries({"type": st.just("remove"), "pick": pick}),
        st.fixed_dictionaries({"type": st.just("vote"), "pick": pick,
                               "value": st.integers(-1, 1)}),
        st.fixed_dictionaries({"type": st.just("rename"), "name": st.text(min_size=1,
                                                                          max_size=40)}),
        st.just({"type": "undo"}),
    )  # fmt: skip
    return st.fixed_dictionaries({"playlist_id": st.just(playlist_id), "op": ops})


def open_room(app, owner, viewer, name: str = "Fuzz") -> tuple[Playlist, dict]:
    """A playlist of ``owner`` that ``viewer`` may only view, and both people's test clients."""
    viewers = [Collaborator(user=viewer, role="viewer")]
    playlist = Playlist(owner=owner, name=name, collaborators=viewers).save()
    clients = {}
    for person in (owner, viewer):
        http = app.test_client()
        http.post("/auth/login", data={"username": person.username, "password": "correct horse"})
        client = socketio.test_client(app, namespace=NAMESPACE, flask_test_client=http)
        client.emit("join", {"playlist_id": playlist.id}, namespace=NAMESPACE, callback=True)
        clients["viewer" if person is viewer else "owner"] = client
    return playlist, clients


def fuzz_event(data, playlist, tracks, clients) -> tuple[str, dict | None]:
    """Send one drawn event; assert the answer is well-formed and the viewer changed nothing."""
    who = data.draw(st.sampled_from(sorted(clients)))
    event = data.draw(st.sampled_from(EVENTS))
    payload = data.draw(op_strategy(playlist.id, tracks))
    client = clients[who]
    before = PlaylistOp.objects(playlist=playlist).count() if who == "viewer" else None
    ack = client.emit(event, payload, namespace=NAMESPACE, callback=True)
    if event != "bogus":
        assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), ack
    if who == "viewer" and event == "op":
        assert not ack["ok"]
        assert PlaylistOp.objects(playlist=playlist).count() == before
    if event == "leave" and ack and ack.get("ok"):
        client.emit("join", {"playlist_id": playlist.id}, namespace=NAMESPACE, callback=True)
    client.get_received(NAMESPACE)
    assert client.is_connected(NAMESPACE)
    return event, ack


def valid_event(data, playlist, tracks, clients, entries) -> dict:
    """The owner sends a ``valid_op_strategy`` op on ``entries``; assert a well-formed answer."""
    client = clients["owner"]
    payload = {**data.draw(valid_op_strategy(playlist.id, tracks)), "op_id": uuid.uuid4().hex}
    op = payload["op"] = dict(payload["op"])
    if "pick" in op:
        pick = op.pop("pick")
        op["entry_id"] = entries[pick % len(entries)] if entries else "missing"
        if "index" in op:
            op["index"] %= max(len(entries), 1)
    ack = client.emit("op", payload, namespace=NAMESPACE, callback=True)
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), ack
    client.get_received(NAMESPACE)
    assert client.is_connected(NAMESPACE)
    return ack


def check_invariants(playlist) -> None:
    """Log seqs 1..version without gaps; replaying it gives the entries; order keys unique."""
    playlist.reload()
    ops = list(PlaylistOp.objects(playlist=playlist).order_by("seq"))
    assert [op.seq for op in ops] == list(range(1, len(ops) + 1))
    assert playlist.version == len(ops)
    replay = RoomState(playlist.name)
    for op in ops:
        replay = apply_effect(replay, op.effect)
    stored = sorted((e.id, e.order_key) for e in PlaylistEntry.objects(playlist=playlist))
    assert stored == sorted((e.id, e.order_key) for e in replay.entries.values())
    keys = [k for _i, k in stored]
    assert len(keys) == len(set(keys))
