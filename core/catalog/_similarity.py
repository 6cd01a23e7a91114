"""Similar tracks and paths between two tracks, in musicnn embedding space."""

from __future__ import annotations

import numpy as np

from core.catalog._catalog import Catalog


def _space(catalog: Catalog) -> np.ndarray:
    """Embeddings when every track has one, else the feature + tag percentiles."""
    if catalog.embeddings is not None:
        return catalog.embeddings
    x = np.hstack([catalog.pct, catalog.tags_pct])
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)


def similar_tracks(catalog: Catalog, track_id: str, count: int = 10) -> list[dict]:
    """The ``count`` nearest tracks to ``track_id`` (never copies of the same recording)."""
    space = _space(catalog)
    row = catalog.position[track_id]
    similarity = space @ space[row]
    fingerprint = catalog.text["fingerprint"][row]
    out = []
    for other in np.argsort(-similarity):
        if other == row or (fingerprint and catalog.text["fingerprint"][other] == fingerprint):
            continue
        item = catalog.describe(int(other))
        item["similarity"] = round(float(similarity[other]), 4)
        item["reason"] = (
            f"sounds like {catalog.text['title'][row]} ({item['similarity']:.0%} alike)"
        )
        out.append(item)
        if len(out) >= count:
            break
    return out


def bridge(catalog: Catalog, start_id: str, end_id: str, count: int = 8) -> list[dict]:
    """An ordered path of ``count`` tracks that morphs from one track into the other."""
    space = _space(catalog)
    a, b = catalog.position[start_id], catalog.position[end_id]
    used = {a, b}
    path = [a]
    for t in np.linspace(0, 1, count)[1:-1]:
        waypoint = (1 - t) * space[a] + t * space[b]
        scores = space @ waypoint
        scores[list(used)] = -np.inf
        best = int(np.argmax(scores))
        used.add(best)
        path.append(best)
    path.append(b)
    out = []
    for step, row in enumerate(path):
        item = catalog.describe(row)
        item["position"] = step
        item["reason"] = (
            "start"
            if step == 0
            else "destination"
            if step == len(path) - 1
            else f"{step / (len(path) - 1):.0%} of the way"
        )
        out.append(item)
    return out


def more_like(catalog: Catalog, track_ids: list[str], count: int = 10, taste=None) -> list[dict]:
    """Tracks to extend a playlist: near its centroid, nudged by the person's taste.

    Args:
        track_ids: the playlist's tracks (unknown ids are ignored).
        taste: optional callable ``rows -> scores in [-1, 1]`` (a ``TasteModel.score``).
    """
    space = _space(catalog)
    rows = [catalog.position[t] for t in track_ids if t in catalog.position]
    if not rows:
        return []
    centroid = space[rows].mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
    score = space @ centroid
    if taste is not None:
        score = score + 0.3 * np.asarray(taste(np.arange(len(catalog))), dtype=float)
    taken = set(rows)
    fingerprints = {catalog.text["fingerprint"][r] for r in rows} - {None}
    out = []
    for row in np.argsort(-score):
        row = int(row)
        if row in taken or catalog.text["fingerprint"][row] in fingerprints:
            continue
        item = catalog.describe(row)
        item["score"] = round(float(score[row]), 4)
        item["reason"] = "close to the rest of this playlist"
        out.append(item)
        if len(out) >= count:
            break
    return out
