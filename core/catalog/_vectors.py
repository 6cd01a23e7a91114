"""Library-relative feature space and the vectors FAISS searches.

"Energetic" should mean energetic *for this library*, so every feature and
tag score becomes a percentile (0-1) of the library's values. A mood target
is a range per feature in that space; the fit is a weighted squared
distance, which we turn into an inner product so one FAISS index serves
every query:

    -sum_f w_f (x_f - c_f)^2 = sum_f 2 w_f c_f x_f - w_f x_f^2 - const

Track vectors are ``[x, x^2, tags]`` and query vectors ``[2wc, -w, lambda*t]``.
"""

from __future__ import annotations

import numpy as np

FEATURES = ("tempo", "energy", "brightness", "danceability", "valence")
QUANTILES = np.linspace(0.0, 1.0, 101)


class FeatureSpace:
    """Per-column quantile tables mapping raw values to library percentiles."""

    def __init__(self, tables: dict[str, np.ndarray]):
        self.tables = {name: np.asarray(t, dtype=np.float64) for name, t in tables.items()}

    @classmethod
    def fit(cls, columns: dict[str, np.ndarray]) -> FeatureSpace:
        """Quantile tables of each column (101 points keep it small and persistable)."""
        tables = {}
        for name, values in columns.items():
            values = np.asarray(values, dtype=np.float64)
            tables[name] = np.quantile(values, QUANTILES) if values.size else QUANTILES.copy()
        return cls(tables)

    def pct(self, name: str, values) -> np.ndarray:
        """Percentile (0-1) of raw ``values`` in column ``name``."""
        table = self.tables[name]
        values = np.asarray(values, dtype=np.float64)
        if table[-1] - table[0] < 1e-12:  # constant column: everything sits in the middle
            return np.full(values.shape, 0.5, dtype=np.float32)
        # Ties in the table (many equal values) would make interp jump; average both sides.
        lo = np.interp(values, table, QUANTILES, left=0.0, right=1.0)
        hi = 1.0 - np.interp(-values, -table[::-1], QUANTILES, left=0.0, right=1.0)
        return ((lo + hi) / 2).astype(np.float32)

    def raw(self, name: str, q) -> np.ndarray:
        """Raw value at percentile ``q`` of column ``name``."""
        return np.interp(q, QUANTILES, self.tables[name])

    def to_dict(self) -> dict:
        return {name: table.tolist() for name, table in self.tables.items()}

    @classmethod
    def from_dict(cls, data: dict) -> FeatureSpace:
        return cls({name: np.asarray(t) for name, t in data.items()})


def track_vectors(pct: np.ndarray, tags_pct: np.ndarray) -> np.ndarray:
    """``[x, x^2, tags]`` rows for the inner-product index."""
    return np.hstack([pct, pct**2, tags_pct]).astype(np.float32)


def query_vector(
    centers: np.ndarray, weights: np.ndarray, tag_weights: np.ndarray, tag_scale: float = 0.5
) -> np.ndarray:
    """Query whose inner product with a track vector ranks by weighted fit plus tag fit."""
    tag_weights = np.asarray(tag_weights, dtype=np.float32)
    norm = float(np.abs(tag_weights).sum()) or 1.0
    return np.concatenate([2 * weights * centers, -weights, tag_scale * tag_weights / norm]).astype(
        np.float32
    )
