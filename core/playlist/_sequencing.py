"""Choosing and ordering tracks along an energy arc with smooth transitions.

``order`` picks ``n`` of the ranked candidates *and* their order, minimising::

    Σ_slots  w_arc·|energy - arc target| - w_score·score
    + Σ_steps w_bpm·ΔBPM/10 + w_key·Camelot cost + w_energy·|Δenergy|

where ΔBPM lets half and double time count as the same pulse. Step costs are one numpy
matrix over a pool of the most promising candidates. A greedy construction widened to a
small beam builds sequences slot by slot; local search (swap in an unused track, exchange
two, reverse a stretch, move one) then improves the best until no move helps. No clock is
read: the seed only breaks ties, so the same input and seed give the same playlist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.playlist._sequence_search import (
    TOL,
    beam,
    candidate_pool,
    capacity,
    improve,
    sequence_cost,
)
from core.playlist._shape import arc_targets, effective_bpm_delta
from core.playlist._transitions import KEY_DIST, UNKNOWN_KEY, key_index, pair_costs

DEFAULT_WEIGHTS = {"arc": 4.0, "score": 1.0, "bpm": 0.6, "key": 1.0, "energy": 1.0}
POLISHED = 2  # beam results that local search then improves
_JITTER = 1e-6  # seed-driven tie-breaker, far below any real cost difference


@dataclass(frozen=True)
class Item:
    """One candidate track as the sequencer sees it."""

    id: str
    score: float
    bpm: float
    camelot: str | None
    energy: float
    duration: float
    artist: str | None = None


@dataclass
class Sequence:
    """An ordered playlist and how smooth each step is."""

    ids: list[str] = field(default_factory=list)
    transitions: list[dict] = field(default_factory=list)
    arc_error: float = 0.0
    total_seconds: float = 0.0

    def stats(self) -> dict:
        """Means over the transitions; unknown tempo steps are skipped, unknown keys clash."""
        steps = self.transitions
        dbpm = [t["dbpm"] for t in steps if t["dbpm"] is not None]
        return {
            "mean_abs_dbpm": float(np.mean(dbpm)) if dbpm else 0.0,
            "camelot_compatible": (
                sum(t["compatible"] for t in steps) / len(steps) if steps else 1.0
            ),
            "mean_abs_denergy": float(np.mean([t["denergy"] for t in steps])) if steps else 0.0,
            "arc_error": self.arc_error,
        }


def order(
    items: list[Item],
    n: int,
    arc: list[float] | None = None,
    seed: int = 0,
    weights: dict | None = None,
    max_per_artist: int | None = None,
) -> Sequence:
    """Pick ``n`` of ``items`` and order them along ``arc`` with smooth transitions.

    Fewer than ``n`` come back only when there are fewer items, or ``max_per_artist``
    leaves fewer allowed. Items without an artist are never limited.
    """
    w = dict(DEFAULT_WEIGHTS)
    unknown = set(weights or {}) - set(w)
    if unknown:
        raise ValueError(f"unknown weights: {sorted(unknown)}")
    w.update(weights or {})
    if max_per_artist is not None and max_per_artist < 1:
        raise ValueError("max_per_artist must be at least 1")
    unique: dict[str, Item] = {}
    for it in items:
        unique.setdefault(it.id, it)  # a repeated id keeps its first entry
    items = list(unique.values())
    limited = max_per_artist is not None
    artists = _artist_codes(items) if limited else np.full(len(items), -1)
    n = min(n, capacity(artists, max_per_artist))
    if n <= 0:
        return Sequence()
    rng = np.random.default_rng(seed)
    targets = arc_targets(arc, n)
    score = np.nan_to_num(np.array([it.score for it in items], dtype=float))
    energy = np.nan_to_num(np.array([it.energy for it in items], dtype=float), nan=0.5)
    bpm = np.nan_to_num(np.array([it.bpm for it in items], dtype=float))
    keys = np.array([key_index(it.camelot) for it in items], dtype=int)

    unary = np.repeat((_JITTER * rng.random(len(items)) - w["score"] * score)[:, None], n, axis=1)
    if targets is not None:
        unary += w["arc"] * np.abs(energy[:, None] - targets[None, :])
    pool = candidate_pool(unary, artists, max_per_artist, n)
    unary, artists = unary[pool], artists[pool]
    steps = pair_costs(bpm[pool], keys[pool], energy[pool], w)

    best, best_cost = None, np.inf
    for seq in beam(unary, steps, artists, max_per_artist)[:POLISHED]:
        seq = improve(seq, unary, steps, artists, max_per_artist)
        cost = sequence_cost(seq, unary, steps)
        if cost < best_cost - TOL:
            best, best_cost = seq, cost
    return _describe([items[i] for i in pool[best]], targets)


def _artist_codes(items: list[Item]) -> np.ndarray:
    """Artist as an integer per item, ignoring case; -1 when unknown (never limited)."""
    names: dict[str, int] = {}
    codes = [
        names.setdefault(it.artist.strip().casefold(), len(names)) if it.artist else -1
        for it in items
    ]
    return np.array(codes, dtype=int)


def _describe(chosen: list[Item], targets: np.ndarray | None) -> Sequence:
    keys = [key_index(it.camelot) for it in chosen]
    transitions = []
    for a, b, ka, kb in zip(chosen, chosen[1:], keys, keys[1:], strict=False):
        dist = None if UNKNOWN_KEY in (ka, kb) else int(KEY_DIST[ka, kb])
        transitions.append(
            {
                "dbpm": effective_bpm_delta(a.bpm, b.bpm) if a.bpm > 0 and b.bpm > 0 else None,
                "camelot": dist,
                "denergy": abs(a.energy - b.energy),
                "compatible": dist is not None and dist <= 1,
            }
        )
    energy = np.array([it.energy for it in chosen], dtype=float)
    arc_error = float(np.mean(np.abs(energy - targets))) if targets is not None else 0.0
    return Sequence(
        ids=[it.id for it in chosen],
        transitions=transitions,
        arc_error=arc_error,
        total_seconds=float(sum(it.duration for it in chosen if it.duration > 0)),
    )
