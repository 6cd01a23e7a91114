"""Listening feedback and what each event weighs: likes and completions up, skips and
dislikes down, all decaying with a half-life.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.catalog import Catalog

EVENT_WEIGHTS = {"like": 1.0, "complete": 0.3, "play": 0.0, "skip": -0.5, "dislike": -1.0}
LATE_SKIP_RELIEF = 0.8  # a skip at the very end costs a fifth of an early one
DAY = 86_400.0


@dataclass(frozen=True)
class Feedback:
    """One listening event, by track id."""

    track_id: str
    event: str  # "play" | "complete" | "skip" | "like" | "dislike"
    at: float  # unix seconds
    position_ms: int | None = None
    elapsed_ms: int | None = None


def event_weight(event: Feedback, duration_s: float | None = None) -> float:
    """Undecayed weight of ``event``; a skip costs less the later it came."""
    if event.event not in EVENT_WEIGHTS:
        raise ValueError(f"unknown feedback event: {event.event!r}")
    weight = EVENT_WEIGHTS[event.event]
    heard_ms = event.position_ms if event.position_ms is not None else event.elapsed_ms
    if event.event == "skip" and heard_ms is not None and duration_s:
        fraction = min(max(heard_ms / 1000 / duration_s, 0.0), 1.0)
        weight *= 1 - LATE_SKIP_RELIEF * fraction
    return weight


def aggregate(
    events: list[Feedback], catalog: Catalog, now: float, half_life_days: float
) -> tuple[dict[str, list[float]], int]:
    """Per-track ``[net weight, likes, dislikes, skips]`` decayed to ``now``; events used.

    Events about tracks not (or no longer) in ``catalog`` are not used.
    """
    tracks: dict[str, list[float]] = {}
    used = 0
    for event in sorted(events, key=lambda e: e.at):
        row = catalog.position.get(event.track_id)
        if row is None:
            continue  # not (or no longer) in the library: nothing to learn from
        used += 1
        decay = 0.5 ** (max(now - event.at, 0.0) / (half_life_days * DAY))
        agg = tracks.setdefault(event.track_id, [0.0, 0.0, 0.0, 0.0])
        # The latest explicit judgement wins: liking a once-disliked track forgives it.
        if event.event == "like":
            agg[0], agg[2] = max(agg[0], 0.0), 0.0
        elif event.event == "dislike":
            agg[0], agg[1] = min(agg[0], 0.0), 0.0
        weight = event_weight(event, float(catalog.raw["duration"][row]))
        agg[0] += weight * decay
        if event.event in ("like", "dislike"):
            agg[1 if event.event == "like" else 2] += decay
        elif event.event == "skip":
            agg[3] += decay * weight / EVENT_WEIGHTS["skip"]
    return tracks, used
