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

import functools
from dataclasses import dataclass, field

import numpy as np

from core.analysis import camelot_distance, parse_camelot
from core.playlist._shape import arc_targets, effective_bpm_delta, plan_slots

DEFAULT_WEIGHTS = {"arc": 4.0, "score": 1.0, "bpm": 0.6, "key": 1.0, "energy": 1.0}
# Cost per Camelot distance 0, 1, 2, 3+: a neighbour is nearly free, real clashes are capped
# so one bad key cannot outweigh a large arc or tempo error.
KEY_STEP_COST = (0.0, 0.2, 0.7, 1.0)
UNKNOWN_KEY_COST = 0.5  # between a neighbour and a clash: neither rewarded nor punished
UNKNOWN_BPM_DELTA = 8.0
POOL_MIN, POOL_PER_SLOT = 400, 12  # the pairwise matrix is pool², so large libraries are cut
BEAM_WIDTH = 48  # 32 lost ~1% objective on random libraries; 128 gained nothing more
POLISHED = 2  # beam results that local search then improves
MAX_ROUNDS = 400
_JITTER = 1e-6  # seed-driven tie-breaker, far below any real cost difference
_TOL = 1e-9
_UNKNOWN = 24  # key index for a missing or unreadable Camelot code


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


def _key_tables() -> tuple[np.ndarray, np.ndarray]:
    codes = [f"{num}{letter}" for num in range(1, 13) for letter in "AB"]
    dist = np.full((25, 25), -1)
    for i, a in enumerate(codes):
        for j, b in enumerate(codes):
            dist[i, j] = camelot_distance(a, b)
    cost = np.asarray(KEY_STEP_COST)[np.clip(dist, 0, len(KEY_STEP_COST) - 1)]
    cost[dist < 0] = UNKNOWN_KEY_COST
    return dist, cost


_KEY_DIST, _KEY_COST = _key_tables()


@functools.lru_cache(maxsize=512)
def _key_index(code: str | None) -> int:
    try:
        number, letter = parse_camelot(code)
    except (ValueError, IndexError, TypeError):
        return _UNKNOWN
    return (number - 1) * 2 + (letter == "B")


def _pair_costs(bpm: np.ndarray, key: np.ndarray, energy: np.ndarray, w: dict) -> np.ndarray:
    """Symmetric step costs, padded with a zero-cost row/column standing for "no neighbour"."""
    # One extra row/column (index k) is the dummy; it is zeroed at the end.
    bpm, energy = np.append(bpm, 0.0), np.append(energy, 0.0)
    a, b = bpm[:, None], bpm[None, :]
    out = np.abs(a - b)
    np.minimum(out, np.abs(2 * a - b), out=out)
    np.minimum(out, np.abs(a - 2 * b), out=out)
    unknown = bpm <= 0
    out[unknown, :] = UNKNOWN_BPM_DELTA
    out[:, unknown] = UNKNOWN_BPM_DELTA
    out *= w["bpm"] / 10.0
    keys = np.append(key, _UNKNOWN)
    out += w["key"] * _KEY_COST[keys][:, keys]
    out += w["energy"] * np.abs(energy[:, None] - energy[None, :])
    out[-1, :] = 0.0
    out[:, -1] = 0.0
    np.fill_diagonal(out, 0.0)  # self-steps never happen; 0 keeps move arithmetic finite
    return out


def _capacity(artists: np.ndarray, cap: int | None) -> int:
    if cap is None:
        return len(artists)
    known = artists[artists >= 0]
    if not len(known):
        return len(artists)
    return int((artists < 0).sum() + np.minimum(np.bincount(known), cap).sum())


def _pool(unary: np.ndarray, artists: np.ndarray, cap: int | None, n: int) -> np.ndarray:
    """Candidates worth a row in the pairwise matrix: each slot's best fits, then the best."""
    m = unary.shape[0]
    size = max(POOL_MIN, POOL_PER_SLOT * n)
    if m <= size:
        return np.arange(m)
    per_slot = max(2, size // (2 * n))
    slot_best = np.argpartition(unary, per_slot - 1, axis=0)[:per_slot].T.ravel()
    ranked = np.concatenate([slot_best, np.argsort(unary.min(axis=1), kind="stable")])
    _, first = np.unique(ranked, return_index=True)
    ranked = ranked[np.sort(first)]
    pool = list(ranked[:size])
    missing = n - _capacity(artists[pool], cap)
    if missing > 0:
        # One prolific artist can crowd the pool; each unsaturated addition adds one place.
        counts = dict(zip(*np.unique(artists[pool], return_counts=True), strict=True))
        for i in ranked[size:]:
            a = artists[i]
            if a < 0 or counts.get(a, 0) < cap:
                pool.append(i)
                counts[a] = counts.get(a, 0) + 1
                missing -= 1
                if not missing:
                    break
    return np.asarray(pool)


def _beam(unary: np.ndarray, steps: np.ndarray, artists: np.ndarray, cap: int | None):
    """Greedy construction widened to a beam, keeping the best partial sequence per last track.

    Starts from the best-fitting openings for slot 0 and extends every partial sequence by
    every allowed track; returns the final sequences, cheapest first.
    """
    k, n = unary.shape
    known = artists >= 0
    slot_artist = np.where(known, artists, 0)
    last = np.argsort(unary[:, 0], kind="stable")[:BEAM_WIDTH]
    seqs, costs = last[:, None], unary[last, 0]
    rows = np.arange(len(last))
    used = np.zeros((len(last), k), dtype=bool)
    used[rows, last] = True
    counts = np.zeros((len(last), max(int(artists.max()) + 1, 1)), dtype=int)
    np.add.at(counts, (rows[known[last]], artists[last][known[last]]), 1)
    for slot in range(1, n):
        cand = costs[:, None] + steps[seqs[:, -1], :k] + unary[None, :, slot]
        cand[used] = np.inf
        if cap is not None:
            cand[(counts[:, slot_artist] >= cap) & known[None, :]] = np.inf
        parent = cand.argmin(axis=0)
        best = cand[parent, np.arange(k)]
        last = np.argsort(best, kind="stable")[:BEAM_WIDTH]
        last = last[np.isfinite(best[last])]
        parent, rows = parent[last], np.arange(len(last))
        seqs = np.hstack([seqs[parent], last[:, None]])
        costs, used, counts = best[last], used[parent], counts[parent]
        used[rows, last] = True
        np.add.at(counts, (rows[known[last]], artists[last][known[last]]), 1)
    return seqs[np.argsort(costs, kind="stable")]


def _cost(p: np.ndarray, unary: np.ndarray, steps: np.ndarray) -> float:
    return float(unary[p, np.arange(len(p))].sum() + steps[p[:-1], p[1:]].sum())


def _swap_in(p, unary, steps, in_seq, artists, cap, counts) -> bool:
    """Apply the best replacement of one slot's track by an unused one, if it helps."""
    k, n = unary.shape
    prev = np.concatenate(([k], p[:-1]))
    nxt = np.concatenate((p[1:], [k]))
    old = unary[p, np.arange(n)] + steps[prev, p] + steps[p, nxt]
    delta = unary.T + steps[prev, :k] + steps[nxt, :k] - old[:, None]
    delta[:, in_seq] = np.inf
    if cap is not None:
        full = (artists >= 0) & (counts[artists] >= cap)
        delta[full[None, :] & (artists[None, :] != artists[p][:, None])] = np.inf
    slot, j = np.unravel_index(np.argmin(delta), delta.shape)
    if not delta[slot, j] < -_TOL:
        return False
    out = p[slot]
    in_seq[out], in_seq[j] = False, True
    if artists[out] >= 0:
        counts[artists[out]] -= 1
    if artists[j] >= 0:
        counts[artists[j]] += 1
    p[slot] = j
    return True


def _reorder(p: np.ndarray, unary: np.ndarray, steps: np.ndarray) -> bool:
    """Apply the best exchange, reversal or relocation of the sequence, if it helps.

    All three are scored at once as n x n delta matrices. Step costs are symmetric, so a
    reversal only changes its two boundary steps; slot costs use prefix sums.
    """
    n = len(p)
    if n < 2:
        return False
    k = unary.shape[0]
    w = unary[p].T  # w[s, l]: cost of the track now at position l if it stood in slot s
    d = w.diagonal().copy()
    q = np.concatenate(([k], p, [k]))
    s = steps[np.ix_(q, q)]  # padded: position i of p is row i + 1
    e = s.diagonal(1)  # e[i]: step between padded positions i and i + 1
    a0, b0 = np.arange(n)[:, None], np.arange(n)[None, :]
    a, b = a0 + 1, b0 + 1

    exchange = w + w.T - d[:, None] - d[None, :]
    exchange += s[a - 1, b] + s[b, a + 1] + s[b - 1, a] + s[a, b + 1]
    exchange -= e[a - 1] + e[a] + e[b - 1] + e[b]
    exchange += np.where(b == a + 1, 2 * e[a], 0.0)  # neighbours keep their shared step

    lag = np.arange(2 * n - 1)[None, :] - a0  # anti-diagonal a + b
    anti = np.where((lag >= 0) & (lag < n), w[a0, np.clip(lag, 0, n - 1)], 0.0)
    anti = np.vstack([np.zeros(2 * n - 1), np.cumsum(anti, axis=0)])
    cd = np.concatenate(([0.0], np.cumsum(d)))
    reverse = anti[b0 + 1, a0 + b0] - anti[a0, a0 + b0] - (cd[b0 + 1] - cd[a0])
    reverse += s[a - 1, b] + s[a, b + 1] - e[a - 1] - e[b]

    left = np.zeros(n)  # left[i]: track i moving one slot earlier
    left[1:] = w[np.arange(n - 1), np.arange(1, n)] - d[1:]
    right = np.zeros(n)  # right[i]: track i moving one slot later
    right[:-1] = w[np.arange(1, n), np.arange(n - 1)] - d[:-1]
    cl, cr = np.concatenate(([0.0], np.cumsum(left))), np.concatenate(([0.0], np.cumsum(right)))
    later = cl[b0 + 1] - cl[a0 + 1] + s[a - 1, a + 1] + s[b, a] + s[a, b + 1]
    later -= e[a - 1] + e[a] + e[b]
    earlier = cr[a0] - cr[b0] + s[b - 1, a] + s[a, b] + s[a - 1, a + 1]
    earlier -= e[b - 1] + e[a - 1] + e[a]
    relocate = w.T - d[:, None] + np.where(b0 > a0, later, earlier)

    upper = b0 > a0
    moves = np.stack([np.where(upper, exchange, np.inf), np.where(upper, reverse, np.inf)])
    moves = np.concatenate([moves, np.where(b0 != a0, relocate, np.inf)[None]])
    kind, i, j = np.unravel_index(np.argmin(moves), moves.shape)
    if not moves[kind, i, j] < -_TOL:
        return False
    if kind == 0:
        p[i], p[j] = p[j], p[i]
    elif kind == 1:
        p[i : j + 1] = p[i : j + 1][::-1].copy()
    else:
        p[:] = np.insert(np.delete(p, i), j, p[i])
    return True


def _improve(seq, unary, steps, artists, cap) -> np.ndarray:
    """Local search until no move helps (or MAX_ROUNDS, which only pathological input hits)."""
    p = seq.copy()
    in_seq = np.zeros(unary.shape[0], dtype=bool)
    in_seq[p] = True
    counts = np.zeros(max(int(artists.max()) + 1, 1), dtype=int)
    for artist in artists[p]:
        if artist >= 0:
            counts[artist] += 1
    for _ in range(MAX_ROUNDS):
        swapped = _swap_in(p, unary, steps, in_seq, artists, cap, counts)
        if not _reorder(p, unary, steps) and not swapped:
            break
    return p


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
    n = min(n, _capacity(artists, max_per_artist))
    if n <= 0:
        return Sequence()
    rng = np.random.default_rng(seed)
    targets = arc_targets(arc, n)
    score = np.nan_to_num(np.array([it.score for it in items], dtype=float))
    energy = np.nan_to_num(np.array([it.energy for it in items], dtype=float), nan=0.5)
    bpm = np.nan_to_num(np.array([it.bpm for it in items], dtype=float))
    keys = np.array([_key_index(it.camelot) for it in items], dtype=int)

    unary = np.repeat((_JITTER * rng.random(len(items)) - w["score"] * score)[:, None], n, axis=1)
    if targets is not None:
        unary += w["arc"] * np.abs(energy[:, None] - targets[None, :])
    pool = _pool(unary, artists, max_per_artist, n)
    unary, artists = unary[pool], artists[pool]
    steps = _pair_costs(bpm[pool], keys[pool], energy[pool], w)

    best, best_cost = None, np.inf
    for seq in _beam(unary, steps, artists, max_per_artist)[:POLISHED]:
        seq = _improve(seq, unary, steps, artists, max_per_artist)
        cost = _cost(seq, unary, steps)
        if cost < best_cost - _TOL:
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
    keys = [_key_index(it.camelot) for it in chosen]
    transitions = []
    for a, b, ka, kb in zip(chosen, chosen[1:], keys, keys[1:], strict=False):
        dist = None if _UNKNOWN in (ka, kb) else int(_KEY_DIST[ka, kb])
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


__all__ = ["Item", "Sequence", "arc_targets", "effective_bpm_delta", "order", "plan_slots"]
