"""Collaborative playlist operations as pure functions.

The server applies one op at a time per room: ``apply_op(state, op, user)``
returns the new state and an *effect*, an absolute description of what
changed (entries upserted or deleted, name, description). Effects are what
the op log stores and what clients replay in sequence order, so every
client converges on the server's list. Each effect also carries the
*inverse* effect, which makes "undo my last op" exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.collab._order_keys import key_between

EDIT_ROLES = ("owner", "admin", "editor")
OP_TYPES = ("add", "remove", "move", "rename", "describe", "vote", "undo")
MAX_ADD = 50
MAX_NAME = 120
MAX_DESCRIPTION = 2000
MAX_ENTRIES = 5000


class OpError(ValueError):
    """An op that cannot be applied; the message is shown to the person."""


@dataclass
class Entry:
    """One playlist entry as the room sees it."""

    id: str
    track_id: str
    order_key: str
    added_by: str | None = None
    votes_up: list[str] = field(default_factory=list)
    votes_down: list[str] = field(default_factory=list)

    def copy(self) -> Entry:
        """An independent copy (the vote lists are the only mutable parts)."""
        return Entry(self.id, self.track_id, self.order_key, self.added_by,
                     list(self.votes_up), list(self.votes_down))  # fmt: skip

    def to_dict(self) -> dict:
        return {"id": self.id, "track_id": self.track_id, "order_key": self.order_key,
                "added_by": self.added_by, "votes_up": sorted(self.votes_up),
                "votes_down": sorted(self.votes_down)}  # fmt: skip


@dataclass
class RoomState:
    """The playlist a room edits."""

    name: str
    description: str = ""
    entries: dict[str, Entry] = field(default_factory=dict)

    def copy(self) -> RoomState:
        """A copy sharing the entries, which are never changed in place once in a state.

        Copying every entry per op made thousands of objects a second in a busy
        room, and the garbage collector's pauses then delayed everyone's edits.
        Change an entry through ``Entry.copy`` and store the copy.
        """
        return RoomState(self.name, self.description, dict(self.entries))

    def ordered(self) -> list[Entry]:
        return sorted(self.entries.values(), key=lambda e: (e.order_key, e.id))

    def to_dict(self) -> dict:
        return {"name": self.name, "description": self.description,
                "entries": [e.to_dict() for e in self.ordered()]}  # fmt: skip


def validate_op(op: object) -> dict:
    """Check an op's shape and types; return a clean copy or raise ``OpError``."""
    if not isinstance(op, dict):
        raise OpError("an op must be an object")
    kind = op.get("type")
    if kind not in OP_TYPES:
        raise OpError(f"unknown op type {kind!r}")
    clean: dict = {"type": kind}
    if kind == "add":
        ids = op.get("track_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= MAX_ADD:
            raise OpError(f"'track_ids' must list 1 to {MAX_ADD} tracks")
        if not all(isinstance(t, str) and 0 < len(t) <= 64 for t in ids):
            raise OpError("track ids must be strings")
        clean["track_ids"] = ids
        clean["index"] = _optional_index(op)
        clean["new_ids"] = _new_ids(op, len(ids))
    elif kind in ("remove", "move", "vote"):
        clean["entry_id"] = _string(op, "entry_id", 64)
        if kind == "move":
            clean["index"] = _optional_index(op, required=True)
        if kind == "vote":
            value = op.get("value")
            if value not in (-1, 0, 1) or isinstance(value, bool):
                raise OpError("'value' must be -1, 0 or 1")
            clean["value"] = value
    elif kind == "rename":
        clean["name"] = _string(op, "name", MAX_NAME).strip()
        if not clean["name"]:
            raise OpError("the name cannot be empty")
    elif kind == "describe":
        text = op.get("description")
        if not isinstance(text, str) or len(text) > MAX_DESCRIPTION:
            raise OpError(f"'description' must be text of at most {MAX_DESCRIPTION} characters")
        clean["description"] = text
    return clean


def _string(op: dict, name: str, limit: int) -> str:
    value = op.get(name)
    if not isinstance(value, str) or not 0 < len(value) <= limit:
        raise OpError(f"'{name}' must be a string of 1 to {limit} characters")
    return value


def _optional_index(op: dict, required: bool = False):
    index = op.get("index")
    if index is None and not required:
        return None
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index <= MAX_ENTRIES:
        raise OpError("'index' must be a position in the list")
    return index


def _new_ids(op: dict, n: int) -> list[str] | None:
    ids = op.get("new_ids")
    if ids is None:
        return None
    if (
        not isinstance(ids, list)
        or len(ids) != n
        or not all(isinstance(i, str) and 0 < len(i) <= 64 for i in ids)
    ):
        raise OpError("'new_ids' must give one id per added track")
    return ids


def apply_op(
    state: RoomState, op: dict, user: str, role: str | None, make_id
) -> tuple[RoomState, dict]:
    """Apply a validated op by ``user`` holding ``role``; return the new state and the effect.

    Args:
        make_id: returns a fresh entry id (the server's id generator).
    Raises:
        OpError: not allowed, or it refers to something that is not there.
    """
    if role not in EDIT_ROLES:
        raise OpError("viewers cannot edit this playlist")
    kind = op["type"]
    if kind == "undo":
        raise OpError("undo is resolved by the server into an inverse effect")
    new = state.copy()
    if kind == "add":
        if len(new.entries) + len(op["track_ids"]) > MAX_ENTRIES:
            raise OpError(f"a playlist holds at most {MAX_ENTRIES} tracks")
        ordered = new.ordered()
        index = len(ordered) if op.get("index") is None else min(op["index"], len(ordered))
        before = ordered[index - 1].order_key if index > 0 else None
        after = ordered[index].order_key if index < len(ordered) else None
        added = []
        ids = op.get("new_ids") or [make_id() for _ in op["track_ids"]]
        for entry_id, track_id in zip(ids, op["track_ids"], strict=True):
            if entry_id in new.entries:
                raise OpError("that entry id is already used")
            before = key_between(before, after)
            entry = Entry(entry_id, track_id, before, user)
            new.entries[entry_id] = entry
            added.append(entry.to_dict())
        return new, {"upsert": added, "delete": [], "inverse": {"upsert": [],
                     "delete": [e["id"] for e in added]}}  # fmt: skip
    entry = new.entries.get(op.get("entry_id", ""))
    if kind in ("remove", "move", "vote") and entry is None:
        raise OpError("that track is no longer in the playlist")
    if kind in ("move", "vote"):  # entries are shared with earlier states: change a copy
        entry = new.entries[entry.id] = entry.copy()
    if kind == "remove":
        del new.entries[entry.id]
        return new, {"upsert": [], "delete": [entry.id],
                     "inverse": {"upsert": [entry.to_dict()], "delete": []}}  # fmt: skip
    if kind == "move":
        previous = entry.to_dict()
        others = [e for e in new.ordered() if e.id != entry.id]
        index = min(op["index"], len(others))
        before = others[index - 1].order_key if index > 0 else None
        after = others[index].order_key if index < len(others) else None
        entry.order_key = key_between(before, after)
        return new, {"upsert": [entry.to_dict()], "delete": [],
                     "inverse": {"upsert": [previous], "delete": []}}  # fmt: skip
    if kind == "vote":
        previous = entry.to_dict()
        entry.votes_up = [u for u in entry.votes_up if u != user]
        entry.votes_down = [u for u in entry.votes_down if u != user]
        if op["value"] == 1:
            entry.votes_up.append(user)
        elif op["value"] == -1:
            entry.votes_down.append(user)
        return new, {"upsert": [entry.to_dict()], "delete": [],
                     "inverse": {"upsert": [previous], "delete": []}}  # fmt: skip
    if kind == "rename":
        previous, new.name = new.name, op["name"]
        return new, {"upsert": [], "delete": [], "name": new.name,
                     "inverse": {"upsert": [], "delete": [], "name": previous}}  # fmt: skip
    previous, new.description = new.description, op["description"]
    return new, {"upsert": [], "delete": [], "description": new.description,
                 "inverse": {"upsert": [], "delete": [], "description": previous}}  # fmt: skip


def apply_effect(state: RoomState, effect: dict) -> RoomState:
    """Replay an effect (from the log or a broadcast) onto ``state``."""
    new = state.copy()
    for entry_id in effect.get("delete", []):
        new.entries.pop(entry_id, None)
    for data in effect.get("upsert", []):
        new.entries[data["id"]] = Entry(
            data["id"], data["track_id"], data["order_key"], data.get("added_by"),
            list(data.get("votes_up", [])), list(data.get("votes_down", [])),
        )  # fmt: skip
    if "name" in effect:
        new.name = effect["name"]
    if "description" in effect:
        new.description = effect["description"]
    return new


def undo_effect(state: RoomState, kind: str, inverse: dict) -> dict:
    """The effect that undoes an earlier op of type ``kind``, from its stored inverse.

    A removed entry comes back; a move or vote is reverted only if the entry
    still exists (someone may have removed it since); an undone add deletes
    only the entries that are still there. An entry goes back to its old
    order key unless another entry has taken that key since; then it goes
    just after that entry (two entries sharing a key leave no room between
    them for later adds and moves).
    """
    upsert = [d for d in inverse.get("upsert", []) if kind == "remove" or d["id"] in state.entries]
    delete = [i for i in inverse.get("delete", []) if i in state.entries]
    restored = {d["id"] for d in upsert}
    taken = {e.order_key for e in state.entries.values() if e.id not in restored}
    for i, data in enumerate(upsert):
        key = data["order_key"]
        if key in taken:
            after = min((k for k in taken if k > key), default=None)
            upsert[i] = {**data, "order_key": key_between(key, after)}
        taken.add(upsert[i]["order_key"])
    effect: dict = {"upsert": upsert, "delete": delete}
    for name in ("name", "description"):
        if name in inverse:
            effect[name] = inverse[name]
    return effect
