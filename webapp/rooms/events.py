"""The ``/rooms`` Socket.IO namespace: live, collaborative playlist editing.

Client events (each answered through the Socket.IO acknowledgement):
``join {playlist_id, since?}``, ``op {playlist_id, op_id, op}``,
``drag {playlist_id, entry_id|null}``, ``leave {playlist_id}``.
Server events: ``applied {playlist_id, seq, op_id, user, effect, tracks}``
to the room, ``presence {playlist_id, members}`` to the room, and
``error {message}`` to the one client whose event was refused.
"""

from __future__ import annotations

from flask import request
from flask_login import current_user
from flask_socketio import Namespace, emit, join_room, leave_room, rooms
from socketio.exceptions import ConnectionRefusedError

from core.roomops import OpError
from webapp.rooms import presence, store

MAX_OP_ID = 64


def room_name(playlist_id: str) -> str:
    return f"room:{playlist_id}"


class RoomNamespace(Namespace):
    """Handlers check permissions themselves: the page is not the only client."""

    def on_connect(self, auth=None):
        if not current_user.is_authenticated:
            raise ConnectionRefusedError("sign in first")

    def on_disconnect(self, reason=None):
        for room in rooms(namespace=self.namespace):
            if room.startswith("room:"):
                playlist_id = room[5:]
                presence.leave(playlist_id, request.sid)
                self._broadcast_presence(playlist_id)

    def on_join(self, data):
        playlist, problem = self._playlist(data)
        if problem:
            return self._refuse(problem)
        since = data.get("since")
        if since is not None and (not isinstance(since, int) or isinstance(since, bool)):
            return self._refuse("'since' must be a sequence number")
        join_room(room_name(playlist.id))
        presence.enter(playlist.id, request.sid, current_user.id, current_user.display_name)
        try:
            state = store.catch_up(playlist, since)
        except OpError as exc:
            return self._refuse(str(exc))
        track_ids = [e["track_id"] for e in state.get("snapshot", {}).get("entries", [])]
        for op in state.get("ops", []):
            track_ids += [u["track_id"] for u in op["effect"].get("upsert", [])]
        self._broadcast_presence(playlist.id)
        return {"ok": True, "role": playlist.role_of(current_user.id) or "viewer",
                "tracks": store.track_info(track_ids),
                "members": presence.members(playlist.id), **state}  # fmt: skip

    def on_leave(self, data):
        playlist, problem = self._playlist(data)
        if problem:
            return self._refuse(problem)
        leave_room(room_name(playlist.id))
        presence.leave(playlist.id, request.sid)
        self._broadcast_presence(playlist.id)
        return {"ok": True}

    def on_op(self, data):
        playlist, problem = self._playlist(data)
        if problem:
            return self._refuse(problem)
        op_id, op = data.get("op_id"), data.get("op")
        if not isinstance(op_id, str) or not 0 < len(op_id) <= MAX_OP_ID:
            return self._refuse(f"'op_id' must be a string of 1 to {MAX_OP_ID} characters")
        if room_name(playlist.id) not in rooms(namespace=self.namespace):
            return self._refuse("join the room first")
        try:
            applied = store.submit(playlist.id, current_user.id, op_id, op)
        except OpError as exc:
            return self._refuse(str(exc), op_id=op_id)
        if not applied.duplicate:
            tracks = store.track_info([u["track_id"] for u in applied.effect.get("upsert", [])])
            emit("applied", {"playlist_id": playlist.id, "seq": applied.seq, "op_id": op_id,
                             "user": current_user.id, "effect": applied.effect,
                             "tracks": tracks},
                 to=room_name(playlist.id))  # fmt: skip
        return {"ok": True, "seq": applied.seq, "duplicate": applied.duplicate}

    def on_drag(self, data):
        playlist, problem = self._playlist(data)
        if problem:
            return self._refuse(problem)
        entry_id = data.get("entry_id")
        if entry_id is not None and (not isinstance(entry_id, str) or len(entry_id) > 64):
            return self._refuse("'entry_id' must be an entry id or null")
        if presence.drag(playlist.id, request.sid, entry_id):
            self._broadcast_presence(playlist.id)
        return {"ok": True}

    def _playlist(self, data) -> tuple[store.RoomPlaylist | None, str | None]:
        if not isinstance(data, dict):
            return None, "send an object"
        playlist_id = data.get("playlist_id")
        if not isinstance(playlist_id, str) or not 0 < len(playlist_id) <= 64:
            return None, "'playlist_id' is missing"
        playlist = store.get_playlist(playlist_id)
        if playlist is None or not (playlist.public or playlist.role_of(current_user.id)):
            return None, "no such playlist"  # same answer whether hidden or missing
        return playlist, None

    def _refuse(self, message: str, **extra):
        emit("error", {"message": message, **extra})
        return {"ok": False, "error": message, **extra}

    def _broadcast_presence(self, playlist_id: str) -> None:
        emit("presence", {"playlist_id": playlist_id, "members": presence.members(playlist_id)},
             to=room_name(playlist_id), namespace=self.namespace)  # fmt: skip
