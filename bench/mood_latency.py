"""Server-side latency from text to an ordered 30-track playlist.

Libraries of 10k and 100k synthetic tracks; each query is parsed (MiniLM +
rules) and run through retrieval (FAISS), ranking and ordering. The baseline
in the same run replaces FAISS retrieval with brute-force numpy scoring of
every track (then the same ranking and ordering), which is what a system
without an index would do. Also reports the approximate index's recall
against exact search. Run: ``.venv/bin/python -m bench.mood_latency``.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import yaml

from bench.common import emit_json, percentile
from bench.fit_queries import QUERIES
from core.catalog import Catalog, VectorIndex, build_index, set_threads, track_vectors
from core.mood import MiniLMEmbedder, MoodParser
from core.playlist import generate, make_target
from seeds.synthetic_library import synthetic_rows, tag_names

MOODS = Path(__file__).resolve().parent.parent / "seeds" / "moods.yaml"


def timed_runs(parser, catalog, index, texts, brute: bool, repeat: int) -> list[float]:
    """Milliseconds per query, text in, ordered playlist out."""
    times = []
    for _ in range(repeat):
        for text in texts:
            start = time.perf_counter()
            spec = parser.parse(text, library=None)
            # Without an index, generate() scores every allowed track exactly.
            result = generate(spec, catalog, None if brute else index, count=30)
            times.append((time.perf_counter() - start) * 1000)
            assert result.ordering, text
    return times


def recall(catalog: Catalog, index: VectorIndex, parser, texts: list[str], k: int = 450) -> float:
    vectors = track_vectors(catalog.pct, catalog.tags_pct)
    exact = VectorIndex(vectors, exact=True)
    hits = []
    for text in texts:
        query = make_target(parser.parse(text), catalog).query()
        truth = set(exact.search(query, k)[0])
        hits.append(len(truth & set(index.search(query, k)[0])) / k)
    return float(np.mean(hits))


def main() -> None:
    parser_args = argparse.ArgumentParser(description=__doc__)
    parser_args.add_argument("--sizes", default="10000,100000")
    parser_args.add_argument("--repeat", type=int, default=2)
    args = parser_args.parse_args()
    set_threads(1)
    moods = yaml.safe_load(MOODS.read_text())["moods"]
    embedder = MiniLMEmbedder()
    parser = MoodParser(moods, embedder)
    texts = [q for q, _ in QUERIES]
    for text in texts:  # warm the model and its sentence cache, as a running server is
        parser.parse(text)
    figures = {}
    for size in (int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        catalog = Catalog.from_rows(synthetic_rows(size, seed=5, with_embeddings=False),
                                    tag_names(), f"lat{size}")  # fmt: skip
        built = time.perf_counter()
        index = build_index(catalog)
        index_s = time.perf_counter() - built
        ours = timed_runs(parser, catalog, index, texts, brute=False, repeat=args.repeat)
        brute = timed_runs(parser, catalog, index, texts, brute=True, repeat=args.repeat)
        label = f"{size // 1000}k"
        p50, p95 = percentile(ours, 50), percentile(ours, 95)
        b50, b95 = percentile(brute, 50), percentile(brute, 95)
        rec = recall(catalog, index, parser, texts) if not index.exact else 1.0
        print(
            f"{label:>5}: index {index.kind} built in {index_s:.1f} s "
            f"(catalog {built - started:.1f} s); recall@450 vs exact {rec:.3f}"
        )
        print(f"       ours  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
        print(f"       brute p50 {b50:6.1f} ms  p95 {b95:6.1f} ms  -> {b50 / p50:.2f}x faster")
        figures.update({
            f"p50_ms_{label}": round(p50, 2), f"p95_ms_{label}": round(p95, 2),
            f"bruteforce_p50_ms_{label}": round(b50, 2),
            f"bruteforce_p95_ms_{label}": round(b95, 2),
            f"recall_{label}": round(rec, 4), f"index_{label}": index.kind,
        })  # fmt: skip
    last = f"{int(args.sizes.split(',')[-1]) // 1000}k"
    figures["speedup_vs_bruteforce"] = round(
        figures[f"bruteforce_p50_ms_{last}"] / figures[f"p50_ms_{last}"], 2
    )
    emit_json(figures)


if __name__ == "__main__":
    main()
