"""The ``/rooms`` Socket.IO namespace: live, collaborative playlist editing.

It translates events to calls of the rooms service (``rooms``) and back.
Client events (each answered through the Socket.IO acknowledgement):
``join {playlist_id, since?}``, ``op {playlist_id, op_id, op}``,
``drag {playlist_id, entry_id|null}``, ``leave {playlist_id}``.
Server events: ``applied {playlist_id, seq, op_id, user, effect, tracks}``
to the room, ``presence {playlist_id, key, ts, member}`` to the room (one
connection's change; ``member`` is ``None`` when it left; the join answer
carries every connection), and ``error {message}`` to the one client whose
event was refused. The service sends room events through ``publish``.
"""

from __future__ import annotations

from flask import request
from flask_login import current_user
from flask_socketio import Namespace, emit, join_room, leave_room, rooms
from socketio.exceptions import ConnectionRefusedError

import rooms as room_service

MAX_OP_ID = 64
ROOM_PREFIX = "room:"


def room_name(playlist_id: str) -> str:
    return ROOM_PREFIX + playlist_id


class RoomNamespace(Namespace):
    """Handlers check permissions themselves: the page is not the only client.

    Who is behind a socket is read once, on connect: ``current_user`` would
    load the user from the database again for every event.
    """

    def __init__(self, namespace):
        super().__init__(namespace)
        self._people: dict[str, tuple[str, str]] = {}  # sid -> (user id, display name)

    def publish(self, playlist_id: str, event: str, payload: dict) -> None:
        """The rooms service's publisher: ``event`` to every page open on the room."""
        self.emit(event, payload, room=room_name(playlist_id))

    def on_connect(self, auth=None):
        if not current_user.is_authenticated:
            raise ConnectionRefusedError("sign in first")
        self._people[request.sid] = (current_user.id, current_user.display_name)

    def on_disconnect(self, reason=None):
        for room in rooms(namespace=self.namespace):
            if room.startswith(ROOM_PREFIX):
                room_service.leave(room.removeprefix(ROOM_PREFIX), request.sid)
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
        try:
            answer = room_service.join(playlist, request.sid, user_id, name, since)
        except room_service.OpError as exc:
            return self._refuse(str(exc))
        return {"ok": True, **answer}

    def on_leave(self, data):
        playlist_id, problem = self._joined(data)
        if problem:
            return self._refuse(problem)
        leave_room(room_name(playlist_id))
        room_service.leave(playlist_id, request.sid)
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
        try:
            applied = room_service.submit(playlist_id, self._me()[0], op_id, op)
        except room_service.OpError as exc:
            return self._refuse(str(exc), op_id=op_id)
        return {"ok": True, "seq": applied.seq, "duplicate": applied.duplicate}

    def on_drag(self, data):
        playlist_id, problem = self._joined(data)
        if problem:
            return self._refuse(problem)
        entry_id = data.get("entry_id")
        if entry_id is not None and (not isinstance(entry_id, str) or len(entry_id) > 64):
            return self._refuse("'entry_id' must be an entry id or null")
        room_service.drag(playlist_id, request.sid, entry_id)
        return {"ok": True}

    def _playlist(self, data) -> tuple[room_service.RoomPlaylist | None, str | None]:
        if not isinstance(data, dict):
            return None, "send an object"
        playlist_id = data.get("playlist_id")
        if not isinstance(playlist_id, str) or not 0 < len(playlist_id) <= 64:
            return None, "'playlist_id' is missing"
        playlist = room_service.get_playlist(playlist_id)
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
