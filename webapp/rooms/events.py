"""The ``/rooms`` Socket.IO namespace: live, collaborative playlist editing.

Client events (each answered through the Socket.IO acknowledgement):
``join {playlist_id, since?}``, ``op {playlist_id, op_id, op}``,
``drag {playlist_id, entry_id|null}``, ``leave {playlist_id}``.
Server events: ``applied {playlist_id, seq, op_id, user, effect, tracks}``
to the room, ``presence {playlist_id, key, ts, member}`` to the room (one
connection's change; ``member`` is ``None`` when it left; the join answer
carries every connection), and ``error {message}`` to the one client whose
event was refused.
"""

from __future__ import annotations

from flask import request
from flask_login import current_user
from flask_socketio import Namespace, emit, join_room, leave_room, rooms
from socketio.exceptions import ConnectionRefusedError

from core.collab import OpError
from webapp.rooms import presence, store

MAX_OP_ID = 64


def room_name(playlist_id: str) -> str:
    return f"room:{playlist_id}"


class RoomNamespace(Namespace):
    """Handlers check permissions themselves: the page is not the only client.

    Who is behind a socket is read once, on connect: ``current_user`` would
    load the user from the database again for every event.
    """

    def __init__(self, namespace):
        super().__init__(namespace)
        self._people: dict[str, tuple[str, str]] = {}  # sid -> (user id, display name)

    def on_connect(self, auth=None):
        if not current_user.is_authenticated:
            raise ConnectionRefusedError("sign in first")
        self._people[request.sid] = (current_user.id, current_user.display_name)

    def on_disconnect(self, reason=None):
        for room in rooms(namespace=self.namespace):
            if room.startswith("room:"):
                playlist_id = room[5:]
                self._announce(playlist_id, presence.leave(playlist_id, request.sid), gone=True)
        self._people.pop(request.sid, None)

    def _me(self) -> tuple[str, str]:
        return self._people[request.sid]

    def on_join(self, data):
        playlist, problem = self._playlist(data)
        if problem:
            return self._refuse(problem)
        since = data.get("since")
        if since is not None and (not isinstance(since, int) or isinstance(since, bool)):
            return self._refuse("'since' must be a sequence number")
        user_id, name = self._me()
        join_room(room_name(playlist.id))
        mine = presence.enter(playlist.id, request.sid, user_id, name)
        try:
            state = store.catch_up(playlist, since)
        except OpError as exc:
            return self._refuse(str(exc))
        track_ids = [e["track_id"] for e in state.get("snapshot", {}).get("entries", [])]
        for op in state.get("ops", []):
            track_ids += [u["track_id"] for u in op["effect"].get("upsert", [])]
        self._announce(playlist.id, mine)
        rows = presence.connections(playlist.id)
        return {"ok": True, "role": playlist.role_of(user_id) or "viewer",
                "tracks": store.track_info(track_ids), "members": presence.people(rows),
                "connections": [presence.change(row) for row in rows], **state}  # fmt: skip

    def on_leave(self, data):
        playlist_id, problem = self._joined(data)
        if problem:
            return self._refuse(problem)
        leave_room(room_name(playlist_id))
        self._announce(playlist_id, presence.leave(playlist_id, request.sid), gone=True)
        return {"ok": True}

    def on_op(self, data):
        # Joining checked that the playlist is visible; ``submit`` checks the role
        # under the room's lock. So an op needs no database read here.
        playlist_id, problem = self._joined(data)
        if problem:
            return self._refuse(problem)
        op_id, op = data.get("op_id"), data.get("op")
        if not isinstance(op_id, str) or not 0 < len(op_id) <= MAX_OP_ID:
            return self._refuse(f"'op_id' must be a string of 1 to {MAX_OP_ID} characters")
        user_id = self._me()[0]

        def announce(applied: store.Applied) -> None:
            # Maybe called by another thread applying a batch: no request context needed.
            tracks = store.track_info([u["track_id"] for u in applied.effect.get("upsert", [])])
            self.emit("applied", {"playlist_id": playlist_id, "seq": applied.seq,
                                  "op_id": op_id, "user": user_id, "effect": applied.effect,
                                  "tracks": tracks}, room=room_name(playlist_id))  # fmt: skip

        try:
            applied = store.submit(playlist_id, user_id, op_id, op, announce=announce)
        except OpError as exc:
            return self._refuse(str(exc), op_id=op_id)
        return {"ok": True, "seq": applied.seq, "duplicate": applied.duplicate}

    def on_drag(self, data):
        playlist_id, problem = self._joined(data)
        if problem:
            return self._refuse(problem)
        entry_id = data.get("entry_id")
        if entry_id is not None and (not isinstance(entry_id, str) or len(entry_id) > 64):
            return self._refuse("'entry_id' must be an entry id or null")
        self._announce(playlist_id, presence.drag(playlist_id, request.sid, entry_id))
        return {"ok": True}

    def _playlist(self, data) -> tuple[store.RoomPlaylist | None, str | None]:
        if not isinstance(data, dict):
            return None, "send an object"
        playlist_id = data.get("playlist_id")
        if not isinstance(playlist_id, str) or not 0 < len(playlist_id) <= 64:
            return None, "'playlist_id' is missing"
        playlist = store.get_playlist(playlist_id)
        if playlist is None or not (playlist.public or playlist.role_of(self._me()[0])):
            return None, "no such playlist"  # same answer whether hidden or missing
        return playlist, None

    def _joined(self, data) -> tuple[str | None, str | None]:
        """The playlist id of a room this socket has joined, or the reason to refuse."""
        if not isinstance(data, dict):
            return None, "send an object"
        playlist_id = data.get("playlist_id")
        if not isinstance(playlist_id, str) or not 0 < len(playlist_id) <= 64:
            return None, "'playlist_id' is missing"
        if room_name(playlist_id) not in rooms(namespace=self.namespace):
            return None, "join the room first"
        return playlist_id, None

    def _refuse(self, message: str, **extra):
        emit("error", {"message": message, **extra})
        return {"ok": False, "error": message, **extra}

    def _announce(self, playlist_id: str, row: dict | None, gone: bool = False) -> None:
        if row is not None:
            emit("presence", {"playlist_id": playlist_id, **presence.change(row, gone)},
                 to=room_name(playlist_id), namespace=self.namespace)  # fmt: skip
