"""Telling browsers how the library analysis is going.

Workers are not web processes: they emit through the Redis message queue
(Flask-SocketIO's write-only emitter), and every web process relays the
event to its connected clients.
"""

from __future__ import annotations

import contextlib
from functools import lru_cache

import redis

import settings
from models import Track

LIBRARY_NAMESPACE = "/library"
LIBRARY_ROOM = "library"
ANALYSIS_GENERATION_KEY = "moodroom:library:analysis-generation"


@lru_cache(maxsize=1)
def _emitter():
    from flask_socketio import SocketIO

    return SocketIO(message_queue=settings.redis_url())


@lru_cache(maxsize=1)
def _redis():
    return redis.Redis.from_url(settings.redis_url())


def library_counts() -> dict[str, int]:
    """Number of available tracks per analysis status, plus the total."""
    pipeline = [
        {"$match": {"available": True}},
        {"$group": {"_id": "$analysis.status", "n": {"$sum": 1}}},
    ]
    counts = {"pending": 0, "processing": 0, "done": 0, "failed": 0}
    for row in Track.objects.aggregate(pipeline):
        counts[row["_id"] or "pending"] = row["n"]
    counts["total"] = sum(counts.values())
    return counts


def report_library_progress(event: dict | None = None) -> dict:
    """Emit current counts (and what just happened) to the library room."""
    payload = {"counts": library_counts(), "event": event}
    # Progress is best effort: the analysis result is already saved.
    with contextlib.suppress(Exception):
        _emitter().emit("progress", payload, namespace=LIBRARY_NAMESPACE, to=LIBRARY_ROOM)
    return payload


def mark_index_stale() -> int:
    """Bump the analysis generation; the vector index rebuilds when it lags behind."""
    return int(_redis().incr(ANALYSIS_GENERATION_KEY))


def user_room(user_id: str) -> str:
    """The Socket.IO room every connection of one person joins."""
    return f"user:{user_id}"


def emit_to_user(user_id: str, event: str, payload: dict, namespace: str = "/live") -> None:
    """Best-effort event to every open page of one person."""
    with contextlib.suppress(Exception):
        _emitter().emit(event, payload, namespace=namespace, to=user_room(user_id))


REBUILD_PENDING_KEY = "moodroom:index:rebuild-pending"
REBUILD_DEBOUNCE_S = 5


def schedule_index_rebuild() -> bool:
    """Queue one index rebuild a few seconds from now, unless one is already queued.

    A burst of finished analyses then costs one rebuild instead of hundreds.
    """
    if not _redis().set(REBUILD_PENDING_KEY, 1, nx=True, ex=REBUILD_DEBOUNCE_S):
        return False
    from tasks.catalog import rebuild_index

    rebuild_index.apply_async(countdown=REBUILD_DEBOUNCE_S)
    return True
