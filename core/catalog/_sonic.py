"""Similarity scores on the 0-1 scale of the OpenSubsonic ``sonicSimilarity`` extension."""

from __future__ import annotations

import numpy as np

from core.catalog._catalog import Catalog
from core.catalog._similarity import _space, bridge, similar_tracks


def _scale(cosine: float) -> float:
    """1 for the same sound; 0 for unrelated (or opposite) directions."""
    return round(min(max(float(cosine), 0.0), 1.0), 4)


def sonic_similar(catalog: Catalog, track_id: str, count: int) -> list[tuple[str, float]]:
    """The nearest tracks to ``track_id`` with their similarity, most similar first."""
    return [(item["id"], _scale(item["similarity"]))
            for item in similar_tracks(catalog, track_id, count)]  # fmt: skip


def sonic_path(catalog: Catalog, start: str, end: str, count: int) -> list[tuple[str, float]]:
    """A path from ``start`` to ``end`` of ``count`` tracks; each with its similarity to the
    track before it (the first: 1.0)."""
    ids = [item["id"] for item in bridge(catalog, start, end, count)]
    space = _space(catalog)
    rows = [catalog.position[i] for i in ids]
    out = [(ids[0], 1.0)]
    for before, row, track_id in zip(rows, rows[1:], ids[1:], strict=False):
        out.append((track_id, _scale(np.dot(space[before], space[row]))))
    return out
