"""``bench.mood_e2e``'s baselines: retrieval through the published index against exact
``IndexFlatIP`` and a numpy scan, recall, and playlist overlap with the exact index."""

from __future__ import annotations

import time

import numpy as np

from bench.common import median, percentile


def numpy_top(vectors: np.ndarray, query: np.ndarray, k: int) -> np.ndarray:
    """The exact top ``k`` rows by inner product, unordered: one matrix-vector product."""
    return np.argpartition(-(vectors @ query), k - 1)[:k]


def baselines(folder, user_id: str, sessions: list[str], k_floor: int = 400) -> dict:
    """Retrieval through the published index vs exact flat vs a numpy scan, and overlap."""
    from core import playlist as pipeline
    from core.catalog import CatalogCache, VectorIndex, track_vectors
    from core.mood import MoodSpec
    from core.playlist import make_target
    from models import GenerationSession
    from models.index_build import DatabaseSource
    from tasks.moods import mood_labels
    from tasks.taste import taste_for

    catalog, index = CatalogCache(folder / "bench-data", DatabaseSource()).get()
    vectors = track_vectors(catalog.pct, catalog.tags_pct)
    flat = VectorIndex(vectors, exact=True)
    taste, recent = taste_for(user_id, catalog)
    labels = mood_labels()
    times = {"index": [], "flat": [], "numpy": []}
    recalls, overlaps, paths = [], [], {"index": 0, "exact-subset": 0}
    for session in GenerationSession.objects(id__in=sessions):
        spec = MoodSpec.from_dict(session.mood_query.parsed)
        query = make_target(spec, catalog).query()
        k = min(len(catalog), max(k_floor, 15 * ((spec.length or {}).get("count") or 20)))
        for name, search in (
            ("index", lambda q=query, k=k: index.search(q, k)[0]),
            ("flat", lambda q=query, k=k: flat.search(q, k)[0]),
            ("numpy", lambda q=query, k=k: numpy_top(vectors, q, k)),
        ):
            start = time.perf_counter()
            found = search()
            times[name].append((time.perf_counter() - start) * 1000)
            if name == "index":
                approx = set(found.tolist())
            elif name == "flat":
                recalls.append(len(approx & set(found.tolist())) / k)
        kwargs = {"labels": labels, "recent": recent,
                  "taste": None if taste.is_empty else taste.score,
                  "taste_reason": None if taste.is_empty else taste.reason}  # fmt: skip
        a = pipeline.generate(spec, catalog, index, **kwargs)
        b = pipeline.generate(spec, catalog, flat, **kwargs)
        paths["index" if a.stats["candidates"] < a.stats["allowed"] else "exact-subset"] += 1
        sa, sb = set(a.ordering), set(b.ordering)
        overlaps.append(len(sa & sb) / max(1, len(sa | sb)))
    return {
        "kind": index.kind,
        "search_p50_ms": {n: round(median(v), 2) for n, v in times.items()},
        "search_p95_ms": {n: round(percentile(v, 95), 2) for n, v in times.items()},
        "recall_at_k": round(float(np.mean(recalls)), 4),
        "jaccard_mean": round(float(np.mean(overlaps)), 4),
        "jaccard_min": round(float(np.min(overlaps)), 4),
        "paths": paths,
    }
