"""Socket.IO namespace that streams library analysis progress."""

from __future__ import annotations

from flask_login import current_user
from flask_socketio import Namespace, join_room
from socketio.exceptions import ConnectionRefusedError

from models import Track
from tasks.emitter import LIBRARY_ROOM


class LibraryNamespace(Namespace):
    """Signed-in clients join the library room and get the counts at once."""

    def on_connect(self, auth=None):
        if not current_user.is_authenticated:
            raise ConnectionRefusedError("sign in first")
        join_room(LIBRARY_ROOM)
        self.emit("progress", {"counts": Track.status_counts(), "event": None})
