"""From a parsed mood to an ordered, explained playlist: retrieve, rank, order.

This is the heart of mood search; ``tasks/moods.py``, ``flask generate`` and
the benchmarks all call ``generate``.
"""

from __future__ import annotations

import itertools
import math
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from core.catalog import FEATURES, Catalog, VectorIndex
from core.playlist import _selection as selection
from core.playlist._ranking import (
    DEFAULT_MAX_PER_ARTIST,
    Candidate,
    make_target,
    primary_fit,
    rank,
)
from core.playlist._relax import NAMED_SOURCES, relax
from core.playlist._relax import note as relax_note
from core.playlist._selection import DEFAULT_COUNT
from core.playlist._sequencing import Item, order
from core.playlist._shape import arc_targets

ALGORITHMS = {
    "retrieve": "faiss-ip-weighted-fit/1+relax/1",
    "rank": "geofit+tags+taste-recent/2",
    "order": "tiers+regen-gumbel+duration/2",
}
# Below this many allowed rows, score them all exactly instead of over-fetching.
EXACT_SUBSET = 20_000
ARC_BANDS = 6
NAMED_BONUS = 2.0  # above any saving in smoother steps: the sequencer keeps them all


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
    """Build an ordered playlist for ``spec`` from ``catalog``.

    ``seed`` 0 gives the best playlist; other seeds give other mixes of the tracks that fit
    about as well ("Regenerate"). ``labels`` is accepted for callers' convenience: reasons
    quote the query's own words.
    """
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    target = make_target(spec, catalog)
    length = spec.length or {}
    wanted = count or length.get("count")
    minutes = None if wanted else length.get("minutes")
    typical = float(np.median(catalog.raw["duration"])) if len(catalog) else 210.0
    needed = wanted or (math.ceil(minutes * 60 / max(typical, 30)) if minutes else DEFAULT_COUNT)
    # Relax hard constraints only as far as a short playlist needs, unless a count was asked.
    reach = needed if wanted else min(needed, selection.MIN_TRACKS)
    usable = primary_fit(target, catalog) >= selection.WORST_OK
    relaxation = relax(spec, catalog, min(reach, len(catalog)), usable)
    mask = relaxation.allowed
    allowed = np.flatnonzero(mask)
    if index is None or len(allowed) <= EXACT_SUBSET or len(allowed) < len(catalog) // 4:
        rows = allowed  # small or heavily filtered: score every allowed row exactly
    else:
        k = min(len(catalog), max(400, 15 * needed))
        found, _scores = index.search(target.query(), k)
        rows = found[mask[found]]
    timings["retrieve_ms"] = _ms(clock)
    clock = time.perf_counter()
    pool_size = max(80, 5 * needed)
    kwargs = {"taste": taste, "taste_reason": taste_reason, "recent": recent}
    candidates = _pool(rows, spec, catalog, target, pool_size, **kwargs)
    strict = relaxation.strict
    named = any((spec.constraints or {}).get(k) for k in NAMED_SOURCES)
    scarce = named and relaxation.label is not None
    # A named genre, album or artist with too few tracks: every track that has it enters the
    # pool (past the pool size); those that fit the words are all used, the others lead the
    # fill, and the sequencer takes the fitting ones before any other.
    if scarce:
        have = {c.track_id for c in candidates}
        strict_rows = np.flatnonzero(strict)
        extra = rank(strict_rows, spec, catalog, target, limit=len(strict_rows),
                     max_per_artist=None, **kwargs)  # fmt: skip
        candidates += [c for c in extra if c.track_id not in have]
    fitting, rest = selection.split(candidates, strict, relaxation.miss(catalog))
    relaxed = relaxation.label is not None
    plan = selection.plan(fitting, rest, wanted, minutes, catalog.raw["duration"], relaxed)
    timings["rank_ms"] = _ms(clock)
    clock = time.perf_counter()
    good = selection.regeneration_pool(plan.good, plan.slots, seed)
    # Which tracks is decided by score; the sequencer orders them and may swap a few for
    # smoother steps, but cannot trade a well-fitting (or well-liked) track for a key match.
    # (An arc needs every energy level it passes through: there the sequencer sees them all.)
    if not spec.arc:
        good = sorted(good, key=lambda c: (scarce and not strict[c.row], -c.score))
        if not (spec.constraints or {}).get("include_genres"):
            good = selection.spread_genres(good, catalog.text["genre"], plan.slots)
        good = good[: selection.sequencer_pool(plan.slots)]
    items = [_item(c, catalog, NAMED_BONUS * (scarce and bool(strict[c.row]))) for c in good]
    items += [_item(c, catalog, -selection.FILL_PENALTY) for c in plan.fill]
    sequence = _sequence(spec, items, plan.slots, minutes, seed, scarce)
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
    stats.update(candidates=len(rows), allowed=int(mask.sum()), library=len(catalog),
                 strict=int(relaxation.strict.sum()), fitting=len(fitting), seed=seed)  # fmt: skip
    notices = list(plan.notes)
    if relaxed:
        used = sum(1 for t in ordering if not relaxation.strict[catalog.position[t]])
        have = int(relaxation.strict.sum())
        notices.insert(0, relax_note(spec.constraints or {}, have, used, relaxation.label))
    if notices:
        stats["notices"] = notices
    if sequence:
        stats["total_seconds"] = round(sequence.total_seconds, 1)
    if minutes:
        stats["minutes_asked"] = minutes
    return Generation(candidates, ordering, tracks, stats, timings)


def _item(c, catalog: Catalog, bonus: float = 0.0) -> Item:
    return Item(
        id=c.track_id,
        score=float(np.clip(c.score, 0, 1)) + bonus,
        bpm=float(catalog.raw["bpm"][c.row]),
        camelot=catalog.text["camelot"][c.row],
        energy=float(catalog.pct[c.row, FEATURES.index("energy")]),
        duration=float(catalog.raw["duration"][c.row]),
        artist=catalog.text["artist"][c.row],
    )


def _sequence(spec, items: list[Item], slots: int, minutes, seed: int, scarce: bool):
    """Order ``slots`` of ``items``; with a length in minutes, adjust the count to meet it.

    ``scarce``: a named genre, album or artist has too few tracks: no cap per artist (the
    few may all be one artist's)."""
    if not slots or not items:
        return None
    cap = None if scarce else _artist_cap(spec, items, slots)
    sequence = order(items, slots, arc=spec.arc, seed=seed, max_per_artist=cap)
    if not minutes:
        return sequence
    typical = float(np.mean([it.duration for it in items[: max(slots, 1)]]))
    best = sequence
    for _ in range(4):
        better = selection.duration_slots(
            len(sequence.ids), sequence.total_seconds, minutes, typical
        )
        if better is None or better > len(items) or better == len(sequence.ids):
            break
        sequence = order(items, better, arc=spec.arc, seed=seed, max_per_artist=cap)
        if abs(sequence.total_seconds - minutes * 60) < abs(best.total_seconds - minutes * 60):
            best = sequence
    return best


def _pool(rows, spec, catalog, target, size, taste, taste_reason, recent):
    """Ranked candidates; with an arc, drawn from every energy band the arc passes through.

    Otherwise the best-fitting tracks could all share one energy level and the
    sequencer would have nothing to climb or descend with.
    """
    # The per-artist cap applies to the playlist (core.playlist._sequencing), not to the pool: a
    # small library must still offer every fitting track.
    kwargs = {"taste": taste, "taste_reason": taste_reason, "recent": recent,
              "max_per_artist": None}  # fmt: skip
    if not spec.arc:
        return rank(rows, spec, catalog, target, limit=size, **kwargs)
    energy = catalog.pct[rows, FEATURES.index("energy")]
    low, high = max(0.0, min(spec.arc) - 0.15), min(1.0, max(spec.arc) + 0.15)
    edges = np.linspace(low, high, ARC_BANDS + 1)
    pool, seen = [], set()
    for lo, hi in itertools.pairwise(edges):
        band = rows[(energy >= lo) & (energy <= hi)]
        for candidate in rank(band, spec, catalog, target, limit=size // ARC_BANDS + 2, **kwargs):
            if candidate.track_id not in seen:
                seen.add(candidate.track_id)
                pool.append(candidate)
    return pool


def _artist_cap(spec, items: list[Item], slots: int) -> int | None:
    """At most two tracks per artist, unless the fitting tracks come from too few artists."""
    if any((spec.constraints or {}).get(k) for k in ("include_artists", "include_albums")):
        return None  # an album or an artist was asked for: its tracks share an artist
    counts = Counter(it.artist for it in items if it.score >= 0)  # fill items score below 0
    cap = DEFAULT_MAX_PER_ARTIST
    while sum(min(n, cap) for n in counts.values()) < slots and cap < max(
        counts.values(), default=0
    ):
        cap += 1  # the smallest cap that still lets the fitting tracks fill the playlist
    return cap


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 3)
