"""Helpers shared by the benchmarks: a private database server and timing."""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from launcher import services


@contextlib.contextmanager
def private_mongo(db_name: str = "moodroom_bench"):
    """Start a throw-away nx-27017 server and point settings and MongoEngine at it."""
    folder = Path(tempfile.mkdtemp(prefix="moodroom-bench-"))
    port = services.free_port()
    uri = f"mongodb://127.0.0.1:{port}/{db_name}"
    proc = services.start_mongo(port, folder / "db", folder / "mongo.log")
    try:
        services.wait_for_mongo(uri, proc)
        os.environ["MONGODB_URI"] = uri
        from models import connect_db, ensure_all_indexes

        connect_db(uri)
        ensure_all_indexes()
        yield uri, folder
    finally:
        services.stop(proc)


def best_of(fn, repeat: int = 3) -> float:
    """Fastest wall time of ``repeat`` calls (least disturbed by a noisy neighbour)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values``."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values)


def emit_json(figures: dict) -> None:
    """The one JSON line every benchmark ends with."""
    print(json.dumps(figures, sort_keys=True))
