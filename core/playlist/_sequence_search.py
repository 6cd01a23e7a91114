"""Searching for the cheapest sequence: a beam to build it, then local search to polish it.

Costs come as ``unary[track, slot]`` (arc fit and score) and ``steps[a, b]`` (transitions,
``core.playlist._transitions``). A per-artist ``cap`` is honoured by every move.
"""

from __future__ import annotations

import numpy as np

POOL_MIN, POOL_PER_SLOT = 400, 12  # the pairwise matrix is pool², so large libraries are cut
BEAM_WIDTH = 48  # 32 lost ~1% objective on random libraries; 128 gained nothing more
MAX_ROUNDS = 400
TOL = 1e-9  # a move must gain more than rounding noise


def capacity(artists: np.ndarray, cap: int | None) -> int:
    """How many tracks a playlist can take at most with ``cap`` per artist."""
    if cap is None:
        return len(artists)
    known = artists[artists >= 0]
    if not len(known):
        return len(artists)
    return int((artists < 0).sum() + np.minimum(np.bincount(known), cap).sum())


def candidate_pool(unary: np.ndarray, artists: np.ndarray, cap: int | None, n: int) -> np.ndarray:
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
    missing = n - capacity(artists[pool], cap)
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


def beam(unary: np.ndarray, steps: np.ndarray, artists: np.ndarray, cap: int | None):
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


def sequence_cost(p: np.ndarray, unary: np.ndarray, steps: np.ndarray) -> float:
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
    if not delta[slot, j] < -TOL:
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
    if not moves[kind, i, j] < -TOL:
        return False
    if kind == 0:
        p[i], p[j] = p[j], p[i]
    elif kind == 1:
        p[i : j + 1] = p[i : j + 1][::-1].copy()
    else:
        p[:] = np.insert(np.delete(p, i), j, p[i])
    return True


def improve(seq, unary, steps, artists, cap) -> np.ndarray:
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
