"""What one step between two tracks costs: tempo, Camelot key and energy differences.

``pair_costs`` gives the whole symmetric matrix for a pool of candidates at once, with a
zero-cost row and column standing for "no neighbour" at either end of the playlist.
"""

from __future__ import annotations

import functools

import numpy as np

from core.analysis import camelot_distance, parse_camelot

# Cost per Camelot distance 0, 1, 2, 3+: a neighbour is nearly free, real clashes are capped
# so one bad key cannot outweigh a large arc or tempo error.
KEY_STEP_COST = (0.0, 0.2, 0.7, 1.0)
UNKNOWN_KEY_COST = 0.5  # between a neighbour and a clash: neither rewarded nor punished
UNKNOWN_BPM_DELTA = 8.0
UNKNOWN_KEY = 24  # key index for a missing or unreadable Camelot code


def _key_tables() -> tuple[np.ndarray, np.ndarray]:
    codes = [f"{num}{letter}" for num in range(1, 13) for letter in "AB"]
    dist = np.full((25, 25), -1)
    for i, a in enumerate(codes):
        for j, b in enumerate(codes):
            dist[i, j] = camelot_distance(a, b)
    cost = np.asarray(KEY_STEP_COST)[np.clip(dist, 0, len(KEY_STEP_COST) - 1)]
    cost[dist < 0] = UNKNOWN_KEY_COST
    return dist, cost


KEY_DIST, _KEY_COST = _key_tables()


@functools.lru_cache(maxsize=512)
def key_index(code: str | None) -> int:
    try:
        number, letter = parse_camelot(code)
    except (ValueError, IndexError, TypeError):
        return UNKNOWN_KEY
    return (number - 1) * 2 + (letter == "B")


def pair_costs(bpm: np.ndarray, key: np.ndarray, energy: np.ndarray, w: dict) -> np.ndarray:
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
    keys = np.append(key, UNKNOWN_KEY)
    out += w["key"] * _KEY_COST[keys][:, keys]
    out += w["energy"] * np.abs(energy[:, None] - energy[None, :])
    out[-1, :] = 0.0
    out[:, -1] = 0.0
    np.fill_diagonal(out, 0.0)  # self-steps never happen; 0 keeps move arithmetic finite
    return out
