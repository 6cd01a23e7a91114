"""When the next index rebuild runs: debounced, so a burst of analyses costs one rebuild."""

from __future__ import annotations

from redis_client import redis_client

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
    last = float(redis_client().get(REBUILD_SECONDS_KEY) or 0)
    return min(max(last * REBUILD_DEBOUNCE_FACTOR, REBUILD_DEBOUNCE_MIN_S), REBUILD_DEBOUNCE_MAX_S)


def record_rebuild_seconds(seconds: float) -> None:
    redis_client().set(REBUILD_SECONDS_KEY, round(seconds, 3))


def schedule_index_rebuild() -> bool:
    """Queue one index rebuild a few seconds from now, unless one is already queued."""
    delay = rebuild_debounce_s()
    if not redis_client().set(REBUILD_PENDING_KEY, 1, nx=True, ex=max(1, int(delay))):
        return False
    from tasks.catalog import rebuild_index  # tasks.catalog imports this module

    rebuild_index.apply_async(countdown=delay)
    return True
