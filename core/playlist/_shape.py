"""How long a playlist should be and what energy each slot should have."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from core.playlist._sequencing import Item

FALLBACK_DURATION = 210.0


def effective_bpm_delta(a: float, b: float) -> float:
    """|ΔBPM| where half or double time is the same pulse: 70 -> 140 gives 0."""
    return min(abs(a - b), abs(2 * a - b), abs(a - 2 * b))


def plan_slots(
    items: list[Item], count: int | None, minutes: float | None, default_count: int = 20
) -> int:
    """How many tracks to pick: ``count`` wins, else enough typical tracks to fill ``minutes``."""
    if not items:
        return 0
    if count is not None:
        wanted = count
    elif minutes is not None:
        durations = [it.duration for it in items if it.duration and it.duration > 0]
        typical = statistics.median(durations) if durations else FALLBACK_DURATION
        wanted = round(minutes * 60 / typical)
    else:
        wanted = default_count
    return max(1, min(int(wanted), len(items)))


def arc_targets(arc: list[float] | None, n: int) -> np.ndarray | None:
    """Energy target per slot, interpolating control points spread evenly over the playlist."""
    if not arc or n <= 0:
        return None
    points = np.clip(np.asarray(arc, dtype=float), 0.0, 1.0)
    if len(points) == 1:
        return np.full(n, points[0])
    return np.interp(np.linspace(0, 1, n), np.linspace(0, 1, len(points)), points)
