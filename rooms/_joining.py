"""Joining a room: where a page starts from (ops since its version, or a snapshot)."""

from __future__ import annotations

from models import PlaylistOp
from rooms import _presence, _state
from rooms._state import RoomPlaylist
from rooms._tracks import track_info


def catch_up(playlist_id: str, since: int | None) -> dict:
    """Ops after ``since``, or a full snapshot when that is cheaper or ``since`` is unknown.

    Under the room's lock, like ``submit``: otherwise an op logged but not yet
    finished in another process would be "repaired" concurrently with it, and
    the answer's version could disagree with its ops.
    """
    with _state.room_lock(playlist_id):
        _, version, state = _state.current(playlist_id)
    # Logged ops up to ``version`` and a cached state never change: read them unlocked.
    if since is not None and 0 <= since <= version and version - since <= _state.SNAPSHOT_AFTER:
        ops = _state.recent_ops(playlist_id, since, version)
        if ops is None:
            logged = PlaylistOp.logged_after(playlist_id, since, version)
            ops = [{k: op[k] for k in ("seq", "op_id", "user", "effect")} for op in logged]
        return {"version": version, "ops": ops}
    return {"version": version, "snapshot": state.to_dict()}


def join(playlist: RoomPlaylist, sid: str, user_id: str, name: str, since: int | None) -> dict:
    """Enter the room as connection ``sid``; what the page needs to start.

    ``version`` with ``ops`` or a ``snapshot`` (see ``catch_up``), the person's
    ``role``, display fields of the ``tracks`` named, the ``members`` and every
    connection's presence (``connections``). Raises ``OpError`` if the playlist is gone.
    """
    mine = _presence.enter(playlist.id, sid, user_id, name)
    state = catch_up(playlist.id, since)
    track_ids = [e["track_id"] for e in state.get("snapshot", {}).get("entries", [])]
    for op in state.get("ops", []):
        track_ids += [u["track_id"] for u in op["effect"].get("upsert", [])]
    _presence.publish_row(playlist.id, mine)
    rows = _presence.connections(playlist.id)
    return {"role": playlist.role_of(user_id) or "viewer", "tracks": track_info(track_ids),
            "members": _presence.people(rows),
            "connections": [_presence.change(row) for row in rows], **state}  # fmt: skip
