"""Pure room operations: validation, apply, effects and undo."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.collab import OpError, RoomState, apply_effect, undo_effect
from core.collab import apply_op as apply
from core.collab import validate_op as validate

ids = (f"e{i}" for i in itertools.count())


def make_id():
    return next(ids)


def build(n=3):
    state = RoomState("Mix")
    state, _ = apply(state, validate({"type": "add", "track_ids": [f"t{i}" for i in range(n)]}),
                     "u1", "owner", make_id)  # fmt: skip
    return state


def track_order(state):
    return [e.track_id for e in state.ordered()]


def test_add_move_remove_vote_rename():
    state = build(3)
    assert track_order(state) == ["t0", "t1", "t2"]
    first = state.ordered()[0].id
    state, effect = apply(state, validate({"type": "move", "entry_id": first, "index": 2}),
                          "u1", "editor", make_id)  # fmt: skip
    assert track_order(state) == ["t1", "t2", "t0"] and len(effect["upsert"]) == 1
    state, _ = apply(state, validate({"type": "vote", "entry_id": first, "value": 1}), "u2",
                     "editor", make_id)  # fmt: skip
    assert state.entries[first].votes_up == ["u2"]
    state, _ = apply(state, validate({"type": "add", "track_ids": ["t9"], "index": 0}), "u2",
                     "editor", make_id)  # fmt: skip
    assert track_order(state)[0] == "t9"
    state, _ = apply(state, validate({"type": "remove", "entry_id": first}), "u1", "admin", make_id)
    assert "t0" not in track_order(state)
    state, effect = apply(state, validate({"type": "rename", "name": " New "}), "u1", "owner",
                          make_id)  # fmt: skip
    assert state.name == "New" and effect["inverse"]["name"] == "Mix"


def test_applying_leaves_earlier_states_unchanged():
    # States share entries (copying each one per op fed the garbage collector): every
    # op must change copies only, or a cached state would drift from its version.
    state = build(3)
    before = state.to_dict()
    first, last = state.ordered()[0].id, state.ordered()[-1].id
    for op in ({"type": "move", "entry_id": first, "index": 2},
               {"type": "vote", "entry_id": first, "value": 1},
               {"type": "remove", "entry_id": last}, {"type": "rename", "name": "New"},
               {"type": "add", "track_ids": ["t9"], "index": 0}):  # fmt: skip
        new, effect = apply(state, validate(op), "u2", "editor", make_id)
        assert state.to_dict() == before and new.to_dict() != before
        assert apply_effect(state, effect).to_dict() == new.to_dict()
        assert state.to_dict() == before


def test_viewers_and_strangers_cannot_edit():
    for role in ("viewer", None):
        with pytest.raises(OpError, match="viewers cannot edit"):
            apply(build(), validate({"type": "rename", "name": "x"}), "u9", role, make_id)


def test_ops_on_missing_entries_are_refused():
    state = build()
    with pytest.raises(OpError, match="no longer in the playlist"):
        apply(state, validate({"type": "move", "entry_id": "gone", "index": 0}), "u1", "owner",
              make_id)  # fmt: skip


@pytest.mark.parametrize(
    "bad",
    [None, [], "add", {"type": "explode"}, {"type": "add", "track_ids": []},
     {"type": "add", "track_ids": ["x"] * 51}, {"type": "add", "track_ids": [3]},
     {"type": "move", "entry_id": "e1"}, {"type": "move", "entry_id": "e1", "index": -1},
     {"type": "move", "entry_id": "e1", "index": True},
     {"type": "vote", "entry_id": "e", "value": 2},
     {"type": "rename", "name": "   "}, {"type": "rename", "name": "x" * 121},
     {"type": "describe", "description": 5}, {"type": "remove", "entry_id": "x" * 65}],
)  # fmt: skip
def test_malformed_ops_are_refused(bad):
    with pytest.raises(OpError):
        validate(bad)


def test_effects_replay_to_the_same_state():
    start = RoomState("Mix")
    state, replayed = start, start
    ops = [
        {"type": "add", "track_ids": ["a", "b", "c"]},
        {"type": "rename", "name": "Later"},
    ]
    for op in ops:
        state, effect = apply(state, validate(op), "u1", "owner", make_id)
        effect.pop("inverse")
        replayed = apply_effect(replayed, effect)
    assert replayed.to_dict() == state.to_dict()


def test_undo_restores_removed_entry_and_skips_entries_removed_since():
    state = build(3)
    victim = state.ordered()[1]
    after, effect = apply(state, validate({"type": "remove", "entry_id": victim.id}), "u1",
                          "owner", make_id)  # fmt: skip
    restored = apply_effect(after, undo_effect(after, "remove", effect["inverse"]))
    assert restored.to_dict() == state.to_dict()
    moved, effect = apply(state, validate({"type": "move", "entry_id": victim.id, "index": 0}),
                          "u1", "owner", make_id)  # fmt: skip
    gone, _ = apply(moved, validate({"type": "remove", "entry_id": victim.id}), "u2", "editor",
                    make_id)  # fmt: skip
    assert undo_effect(gone, "move", effect["inverse"])["upsert"] == []


def test_undo_never_puts_two_entries_on_one_key():
    # The only entry is removed; an add to the empty list gets the very same key back.
    state = build(1)
    victim = state.ordered()[0]
    state, effect = apply(state, validate({"type": "remove", "entry_id": victim.id}), "u1",
                          "owner", make_id)  # fmt: skip
    state, _ = apply(state, validate({"type": "add", "track_ids": ["t9"]}), "u2", "editor",
                     make_id)  # fmt: skip
    assert state.ordered()[0].order_key == victim.order_key
    state = apply_effect(state, undo_effect(state, "remove", effect["inverse"]))
    keys = [e.order_key for e in state.ordered()]
    assert track_order(state) == ["t9", "t0"] and len(set(keys)) == 2
    # ...so there is still room between them.
    state, _ = apply(state, validate({"type": "add", "track_ids": ["t8"], "index": 1}), "u2",
                     "editor", make_id)  # fmt: skip
    assert track_order(state) == ["t9", "t8", "t0"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["add", "move", "remove", "vote"]),
                          st.integers(0, 20), st.integers(-1, 1)), max_size=40))  # fmt: skip
def test_random_op_sequences_keep_invariants(script):
    state = RoomState("Mix")
    replay = RoomState("Mix")
    for kind, index, value in script:
        entries = state.ordered()
        op = {"type": kind}
        if kind == "add":
            op.update(track_ids=[f"t{index}"], index=index)
        elif not entries:
            continue
        else:
            op["entry_id"] = entries[index % len(entries)].id
            if kind == "move":
                op["index"] = index
            if kind == "vote":
                op["value"] = value
        state, effect = apply(state, validate(op), "u1", "owner", make_id)
        effect.pop("inverse")
        replay = apply_effect(replay, effect)
        keys = [e.order_key for e in state.ordered()]
        assert len(set(keys)) == len(keys)  # no two entries ever share a position
    assert replay.to_dict() == state.to_dict()
