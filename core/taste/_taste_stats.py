"""Statistics the taste model is made of: weighted moments shrunk towards the library,
how tightly embeddings cluster, library-relative squashing, and artist penalties.
"""

from __future__ import annotations

import numpy as np

from core.catalog import Catalog
from core.taste._feedback import EVENT_WEIGHTS

PRIOR_WEIGHT = 2.0  # each class starts as this many "average library" tracks
LIBRARY_VAR = 1 / 12  # variance of a uniform percentile
MIN_VAR = 0.004  # a few identical likes must not make a dimension infinitely sharp
ARTIST_MIN_TRACKS, ARTIST_PENALTY_PER, ARTIST_PENALTY_CAP = 2, 0.15, 0.5


def space(catalog: Catalog, rows=slice(None)) -> np.ndarray:
    """``rows`` (default all) in (feature percentiles + tag percentiles) space."""
    return np.hstack([catalog.pct[rows], catalog.tags_pct[rows]]).astype(np.float64)


def moments(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean and variance, shrunk towards a uniform library with PRIOR_WEIGHT."""
    if not len(w):
        return np.full(x.shape[1], 0.5), np.full(x.shape[1], LIBRARY_VAR)
    total = w.sum() + PRIOR_WEIGHT
    mean = (w @ x + PRIOR_WEIGHT * 0.5) / total
    var = (w @ (x - mean) ** 2 + PRIOR_WEIGHT * LIBRARY_VAR) / total
    return mean, np.maximum(var, MIN_VAR)


def cluster(vectors: np.ndarray, w: np.ndarray, library_r2: float) -> tuple[np.ndarray, float]:
    """Unit weighted mean of unit ``vectors``, and how much tighter they sit than chance.

    The squared length of a weighted mean of ``k`` random library tracks is about
    ``r2 + (1 - r2) / k`` (``r2``: the whole library's); only the excess over that
    says the tracks share a sound rather than happening to be averaged.
    """
    if not len(w) or w.sum() <= 0:
        return np.zeros(vectors.shape[1]), 0.0
    mean = (w @ vectors) / w.sum()
    length2 = float(mean @ mean)
    chance = library_r2 + (1 - library_r2) * float((w**2).sum() / w.sum() ** 2)
    tight = min(max((length2 - chance) / max(1 - chance, 1e-9), 0.0), 1.0)
    return mean / max(length2**0.5, 1e-9), tight


def squash(values: np.ndarray) -> np.ndarray:
    """Into (-1, 1), relative to this library: the median track is 0."""
    if not len(values):
        return values.astype(np.float64)
    centred = values - np.median(values)
    scale = float(np.percentile(np.abs(centred), 90)) or 1.0
    return np.tanh(centred / scale)


def artist_penalties(catalog: Catalog, rows: np.ndarray, net: np.ndarray) -> dict[str, float]:
    """Artists with several disliked or skipped tracks and more bad than good feedback."""
    bad: dict[str, list[float]] = {}
    for row, weight in zip(rows, net, strict=True):
        artist = (catalog.text["artist"][row] or "").lower()
        if artist:
            entry = bad.setdefault(artist, [0, 0.0])
            entry[0] += weight < 0
            entry[1] += weight
    return {
        artist: min(ARTIST_PENALTY_CAP, -ARTIST_PENALTY_PER * total / -EVENT_WEIGHTS["skip"])
        for artist, (count, total) in bad.items()
        if count >= ARTIST_MIN_TRACKS and total < 0
    }
