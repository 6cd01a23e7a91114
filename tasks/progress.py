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
    return Track.status_counts()


def analysis_coverage(in_catalog: int) -> dict:
    """How much of the library a query can use right now, with a sentence while a scan runs.

    ``analysed`` tracks are done, ``waiting`` still pending or being analysed, ``in_catalog``
    are in the catalog the query used (rebuilt under a minute after analyses finish).

    Every generation asks, so this must be cheap: the waiting analyses are the bulk queue's
    length in Redis (a few LLEN calls), not a count over every track, which takes 0.7 s at
    100k tracks on the embedded server (bench/mood_e2e.py). The catalog stands for what is
    analysed (it lags the last analyses by under a minute).
    """
    from tasks.routes import BULK, queue_length

    waiting = queue_length(_redis(), BULK)
    total = in_catalog + waiting
    coverage = {"analysed": in_catalog, "total": total, "waiting": waiting,
                "in_catalog": in_catalog, "notice": None}  # fmt: skip
    if waiting:
        coverage["notice"] = (
            f"The library is still being analysed: {in_catalog} of about {total} tracks so "
            f"far; this playlist draws on the {in_catalog} already in the catalog."
        )
    return coverage


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
REBUILD_SECONDS_KEY = "moodroom:index:rebuild-seconds"
REBUILD_DEBOUNCE_MIN_S = 5
REBUILD_DEBOUNCE_MAX_S = 40
REBUILD_DEBOUNCE_FACTOR = 10


def rebuild_debounce_s() -> float:
    """Seconds to wait before the next rebuild: ten times the last one's length, 5 to 40 s.

    A small library rebuilds a few seconds after its analyses finish; a large one
    spends at most a tenth of the bulk pool's time rebuilding during a long scan. With
    rebuilds served before queued analyses (``tasks/routes.py``), the catalog a query
    sees stays under a minute behind the finished analyses.
    """
    last = float(_redis().get(REBUILD_SECONDS_KEY) or 0)
    return min(max(last * REBUILD_DEBOUNCE_FACTOR, REBUILD_DEBOUNCE_MIN_S), REBUILD_DEBOUNCE_MAX_S)


def record_rebuild_seconds(seconds: float) -> None:
    _redis().set(REBUILD_SECONDS_KEY, round(seconds, 3))


def schedule_index_rebuild() -> bool:
    """Queue one index rebuild a few seconds from now, unless one is already queued.

    A burst of finished analyses then costs one rebuild instead of hundreds.
    """
    delay = rebuild_debounce_s()
    if not _redis().set(REBUILD_PENDING_KEY, 1, nx=True, ex=max(1, int(delay))):
        return False
    from tasks.catalog import rebuild_index

    rebuild_index.apply_async(countdown=delay)
    return True
