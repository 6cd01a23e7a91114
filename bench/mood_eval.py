"""Quality of mood search on a synthetic library with known features.

For each of 40 queries (``bench/mood_queries.py``) the real parser (MiniLM +
rules over the seeded moods) and the real pipeline build a 20-track playlist
from a generated library (default 600 tracks); we report the share of
returned tracks inside the query's region, and transition smoothness (mean
|ΔBPM| with half/double time allowed, share of Camelot-compatible steps).
The baseline in the same run is a random 20-track pick: its in-region share
is the region's base rate. Run: ``.venv/bin/python -m bench.mood_eval``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import yaml

from bench.common import emit_json
from bench.mood_queries import QUERIES, in_region, row_fields
from core.catalog import Catalog
from core.generate import generate
from core.mood import MoodParser
from core.store import build_index
from core.text import MiniLMEmbedder
from seeds.synthetic_library import synthetic_rows, tag_names

MOODS = Path(__file__).resolve().parent.parent / "seeds" / "moods.yaml"


def evaluate(n_tracks: int = 600, count: int = 20, seed: int = 11, embedder=None) -> dict:
    """Run every query; return per-query results and the headline figures."""
    moods = yaml.safe_load(MOODS.read_text())["moods"]
    parser = MoodParser(moods, embedder or MiniLMEmbedder())
    catalog = Catalog.from_rows(synthetic_rows(n_tracks, seed=seed), tag_names(), "eval")
    index = build_index(catalog)
    labels = {m["key"]: m["label"] for m in moods}
    rng = np.random.default_rng(seed)
    results = []
    for text, region in QUERIES:
        spec = parser.parse(text, library=catalog.vocabulary())
        result = generate(spec, catalog, index, count=count, labels=labels)
        rows = [catalog.position[t] for t in result.ordering]
        hits = [in_region(region, *row_fields(catalog, r)) for r in rows]
        random_rows = rng.choice(len(catalog), size=count, replace=False)
        base = [in_region(region, *row_fields(catalog, int(r))) for r in random_rows]
        results.append({
            "query": text, "tracks": len(rows),
            "in_region": float(np.mean(hits)) if hits else 0.0,
            "baseline": float(np.mean(base)),
            "mean_abs_dbpm": result.stats.get("mean_abs_dbpm", 0.0),
            "camelot_compatible": result.stats.get("camelot_compatible", 0.0),
        })  # fmt: skip
    figures = {
        "queries": len(results),
        "library": n_tracks,
        "in_region": round(float(np.mean([r["in_region"] for r in results])), 4),
        "baseline_in_region": round(float(np.mean([r["baseline"] for r in results])), 4),
        "mean_abs_dbpm": round(float(np.mean([r["mean_abs_dbpm"] for r in results])), 3),
        "camelot_compatible": round(float(np.mean([r["camelot_compatible"] for r in results])), 4),
        "empty_results": sum(1 for r in results if r["tracks"] == 0),
    }
    return {"results": results, "figures": figures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tracks", type=int, default=600)
    parser.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    out = evaluate(args.tracks, args.count)
    print(f"{'query':48} {'in':>5} {'base':>5} {'|dBPM|':>7} {'camelot':>7}")
    for r in out["results"]:
        print(f"{r['query'][:48]:48} {r['in_region']:5.2f} {r['baseline']:5.2f} "
              f"{r['mean_abs_dbpm']:7.2f} {r['camelot_compatible']:7.2f}")  # fmt: skip
    f = out["figures"]
    print(
        f"\nin region {f['in_region']:.3f} vs random {f['baseline_in_region']:.3f} "
        f"({f['in_region'] / max(f['baseline_in_region'], 1e-9):.2f}x); "
        f"mean |dBPM| {f['mean_abs_dbpm']:.2f}; Camelot-compatible {f['camelot_compatible']:.2f}"
    )
    emit_json(f)


if __name__ == "__main__":
    main()
