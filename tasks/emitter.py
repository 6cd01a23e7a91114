"""Socket.IO events sent from any process, web or worker.

Workers are not web processes: they emit through the Redis message queue
(Flask-SocketIO's write-only emitter), and every web process relays the
event to its connected clients. Every emit here is best effort.
"""

from __future__ import annotations

import contextlib
from functools import lru_cache

import settings
from models import Track

LIBRARY_NAMESPACE = "/library"
LIBRARY_ROOM = "library"


@lru_cache(maxsize=1)
def _emitter():
    from flask_socketio import SocketIO

    return SocketIO(message_queue=settings.redis_url())


def report_library_progress(event: dict | None = None) -> dict:
    """Emit current counts (and what just happened) to the library room."""
    payload = {"counts": Track.status_counts(), "event": event}
    # Progress is best effort: the analysis result is already saved.
    with contextlib.suppress(Exception):
        _emitter().emit("progress", payload, namespace=LIBRARY_NAMESPACE, to=LIBRARY_ROOM)
    return payload


def user_room(user_id: str) -> str:
    """The Socket.IO room every connection of one person joins."""
    return f"user:{user_id}"


def emit_to_user(user_id: str, event: str, payload: dict, namespace: str = "/live") -> None:
    """Best-effort event to every open page of one person."""
    with contextlib.suppress(Exception):
        _emitter().emit(event, payload, namespace=namespace, to=user_room(user_id))
