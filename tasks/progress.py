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
