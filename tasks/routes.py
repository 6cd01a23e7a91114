"""Which Celery queue each task goes to: the one place that decides it.

Two queues, each with its own worker pool (see ``launcher``):

- ``interactive``: work a person is waiting for (mood parsing, generation, the
  health and maintenance probes). A small pool that never holds analysis work.
- ``bulk``: library scans, analyses and index rebuilds. On Redis, a lower
  priority number is served first inside a queue, so a debounced index rebuild
  and a scan are taken ahead of thousands of queued analyses, and the catalog a
  query sees stays fresh during a long first scan.
"""

from __future__ import annotations

INTERACTIVE = "interactive"
BULK = "bulk"
QUEUES = (INTERACTIVE, BULK)

# Redis priorities: 0 is served first; the broker groups them into steps 0, 3, 6, 9.
PRIORITY_FIRST = 0
PRIORITY_SCAN = 3
PRIORITY_ANALYSIS = 6

TASK_ROUTES = {
    "moods.*": {"queue": INTERACTIVE},
    "maintenance.*": {"queue": INTERACTIVE},
    "index.*": {"queue": BULK, "priority": PRIORITY_FIRST},
    "library.*": {"queue": BULK, "priority": PRIORITY_SCAN},
    "analysis.*": {"queue": BULK, "priority": PRIORITY_ANALYSIS},
}


def queue_length(client, queue: str) -> int:
    """Messages waiting in ``queue`` on Redis, over every priority list it uses."""
    steps = (0, 3, 6, 9)
    keys = [queue] + [f"{queue}\x06\x16{step}" for step in steps[1:]]
    return sum(client.llen(key) for key in keys)
