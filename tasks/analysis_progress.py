"""How far analyses have got: a Redis counter bumped per finished analysis, and coverage.

The counter (the "analysis generation") tells the index rebuild and the Subsonic
library view that what they built from is out of date.
"""

from __future__ import annotations

from redis_client import redis_client
from tasks.routes import BULK, queue_length

ANALYSIS_GENERATION_KEY = "moodroom:library:analysis-generation"


def mark_index_stale() -> int:
    """Bump the analysis generation; the vector index rebuilds when it lags behind."""
    return int(redis_client().incr(ANALYSIS_GENERATION_KEY))


def analysis_generation() -> int:
    """The current analysis generation (0 before any analysis finished)."""
    return int(redis_client().get(ANALYSIS_GENERATION_KEY) or 0)


def analysis_coverage(in_catalog: int) -> dict:
    """How much of the library a query can use right now, with a sentence while a scan runs.

    ``analysed`` tracks are done, ``waiting`` still pending or being analysed, ``in_catalog``
    are in the catalog the query used (rebuilt under a minute after analyses finish).

    Every generation asks, so this must be cheap: the waiting analyses are the bulk queue's
    length in Redis (a few LLEN calls), not a count over every track, which takes 0.7 s at
    100k tracks on the embedded server (bench/mood_e2e.py). The catalog stands for what is
    analysed (it lags the last analyses by under a minute).
    """
    waiting = queue_length(redis_client(), BULK)
    total = in_catalog + waiting
    coverage = {"analysed": in_catalog, "total": total, "waiting": waiting,
                "in_catalog": in_catalog, "notice": None}  # fmt: skip
    if waiting:
        coverage["notice"] = (
            f"The library is still being analysed: {in_catalog} of about {total} tracks so "
            f"far; this playlist draws on the {in_catalog} already in the catalog."
        )
    return coverage
