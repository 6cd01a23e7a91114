"""From a parsed mood to an ordered, explained playlist: retrieve, rank, order.

This is the heart of mood search; ``tasks/moods.py``, ``flask generate`` and
the benchmarks all call ``generate``.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

import numpy as np

from core.catalog import Catalog
from core.index import VectorIndex
from core.ranking import DEFAULT_MAX_PER_ARTIST, Candidate, allowed_mask, make_target, rank
from core.sequencing import Item, arc_targets, order, plan_slots
from core.vectors import FEATURES

ALGORITHMS = {
    "retrieve": "faiss-ip-weighted-fit/1",
    "rank": "fit+tags+taste-recent/1",
    "order": "arc-greedy-2opt/1",
}
# Below this many allowed rows, score them all exactly instead of over-fetching.
EXACT_SUBSET = 20_000
ARC_BANDS = 6


@dataclass
class Generation:
    """The outcome of one generation."""

    candidates: list[Candidate]
    ordering: list[str]
    tracks: list[dict]  # display rows in playlist order, with score parts and reason
    stats: dict
    timings: dict = field(default_factory=dict)
    algorithms: dict = field(default_factory=lambda: dict(ALGORITHMS))


def generate(
    spec,
    catalog: Catalog,
    index: VectorIndex | None,
    count: int | None = None,
    seed: int = 0,
    taste=None,
    taste_reason=None,
    recent: set[str] | None = None,
    labels: dict[str, str] | None = None,
) -> Generation:
    """Build an ordered playlist for ``spec`` from ``catalog``."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    target = make_target(spec, catalog)
    mask = allowed_mask(spec, catalog)
    wanted = count or (spec.length or {}).get("count")
    minutes = None if wanted else (spec.length or {}).get("minutes")
    slots_guess = wanted or (
        int(minutes * 60 / max(np.median(catalog.raw["duration"]), 60)) if minutes else 20
    )
    allowed = np.flatnonzero(mask)
    if index is None or len(allowed) <= EXACT_SUBSET or len(allowed) < len(catalog) // 4:
        rows = allowed  # small or heavily filtered: score every allowed row exactly
    else:
        k = min(len(catalog), max(400, 15 * slots_guess))
        found, _scores = index.search(target.query(), k)
        rows = found[mask[found]]
    timings["retrieve_ms"] = _ms(clock)
    clock = time.perf_counter()
    pool_size = max(60, 4 * slots_guess)
    candidates = _pool(rows, spec, catalog, target, pool_size, taste, taste_reason, recent, labels)
    timings["rank_ms"] = _ms(clock)
    clock = time.perf_counter()
    if seed:
        # "Regenerate" must give a different playlist: shake the scores a little.
        jitter = np.random.default_rng(seed).uniform(-0.04, 0.04, len(candidates))
        for candidate, noise in zip(candidates, jitter, strict=True):
            candidate.score = round(candidate.score + float(noise), 4)
    energy_col = FEATURES.index("energy")
    items = [
        Item(
            id=c.track_id,
            score=float(np.clip(c.score, 0, 1)),
            bpm=float(catalog.raw["bpm"][c.row]),
            camelot=catalog.text["camelot"][c.row],
            energy=float(catalog.pct[c.row, energy_col]),
            duration=float(catalog.raw["duration"][c.row]),
            artist=catalog.text["artist"][c.row],
        )
        for c in candidates
    ]
    n = plan_slots(items, wanted, minutes) if items else 0
    cap = _artist_cap(spec)
    sequence = order(items, n, arc=spec.arc, seed=seed, max_per_artist=cap) if n else None
    timings["order_ms"] = _ms(clock)
    by_id = {c.track_id: c for c in candidates}
    ordering = sequence.ids if sequence else []
    tracks = []
    for position, track_id in enumerate(ordering):
        c = by_id[track_id]
        row = catalog.describe(c.row)
        row.update(position=position, score=c.score, parts=c.parts, reason=c.reason)
        tracks.append(row)
    stats = sequence.stats() if sequence else {}
    stats["energy_curve"] = [t["energy"] for t in tracks]
    stats["bpm_curve"] = [t["bpm"] for t in tracks]
    if spec.arc and tracks:
        stats["arc_targets"] = [round(float(v), 3) for v in arc_targets(spec.arc, len(tracks))]
    stats.update(candidates=len(rows), allowed=int(mask.sum()), library=len(catalog))
    if sequence:
        stats["total_seconds"] = round(sequence.total_seconds, 1)
    return Generation(candidates, ordering, tracks, stats, timings)


def _pool(rows, spec, catalog, target, size, taste, taste_reason, recent, labels):
    """Ranked candidates; with an arc, drawn from every energy band the arc passes through.

    Otherwise the best-fitting tracks could all share one energy level and the
    sequencer would have nothing to climb or descend with.
    """
    kwargs = {"taste": taste, "taste_reason": taste_reason, "recent": recent, "labels": labels}
    if not spec.arc:
        return rank(rows, spec, catalog, target, limit=size, **kwargs)
    energy = catalog.pct[rows, FEATURES.index("energy")]
    low, high = max(0.0, min(spec.arc) - 0.05), min(1.0, max(spec.arc) + 0.05)
    edges = np.linspace(low, high, ARC_BANDS + 1)
    pool, seen = [], set()
    for lo, hi in itertools.pairwise(edges):
        band = rows[(energy >= lo) & (energy <= hi)]
        for candidate in rank(band, spec, catalog, target, limit=size // ARC_BANDS + 2, **kwargs):
            if candidate.track_id not in seen:
                seen.add(candidate.track_id)
                pool.append(candidate)
    return pool


def _artist_cap(spec) -> int | None:
    return None if (spec.constraints or {}).get("include_artists") else DEFAULT_MAX_PER_ARTIST


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 3)
