"""The ``/live`` Socket.IO namespace: per-person events (generation progress, ...)."""

from __future__ import annotations

from flask_login import current_user
from flask_socketio import Namespace, join_room
from socketio.exceptions import ConnectionRefusedError

from tasks.emitter import user_room


class LiveNamespace(Namespace):
    """Each signed-in connection joins its person's room."""

    def on_connect(self, auth=None):
        if not current_user.is_authenticated:
            raise ConnectionRefusedError("sign in first")
        join_room(user_room(current_user.id))


class DefaultNamespace(Namespace):
    """The default namespace ``/``: nothing is served there, and nobody connects signed out.

    Without its own handler Socket.IO would accept any connection to ``/``.
    """

    def on_connect(self, auth=None):
        if not current_user.is_authenticated:
            raise ConnectionRefusedError("sign in first")
