"""Scoring playlists against manifest truth, and the baselines they are compared with."""

from __future__ import annotations

import itertools

import numpy as np

from bench.fit_queries import relevant, rule_fields
from core.analysis import camelot, compatible
from core.catalog import Catalog
from core.playlist import allowed_mask, effective_bpm_delta

CONSTRAINT_FIELDS = {"tempo_min": "tempo", "tempo_max": "tempo", "key": "key", "scale": "mode",
                     "include_genres": "style"}  # fmt: skip


def fit_share(rule: str, truths: list[dict]) -> float:
    """Share of a playlist's tracks that satisfy ``rule`` at their places."""
    n = len(truths)
    if not n:
        return 0.0
    places = [i / (n - 1) if n > 1 else 0.5 for i in range(n)]
    return float(np.mean([relevant(rule, t, p) for t, p in zip(truths, places, strict=True)]))


def is_filter_query(rule: str, spec) -> bool:
    """True when every field the rule reads is one the parser turned into a hard filter."""
    covered = {CONSTRAINT_FIELDS[c] for c in (spec.constraints or {}) if c in CONSTRAINT_FIELDS}
    fields = rule_fields(rule) - {"pos"}
    return bool(fields) and fields <= covered


def smoothness(truths: list[dict]) -> tuple[float, float]:
    """(share of key-compatible steps, mean tempo step with half/double time allowed)."""
    if len(truths) < 2:
        return 1.0, 0.0
    keys = [camelot(t["key"], t["mode"]) for t in truths]
    steps = list(itertools.pairwise(truths))
    steps_ok = [compatible(a, b) for a, b in itertools.pairwise(keys)]
    tempo = [effective_bpm_delta(a["tempo"], b["tempo"]) for a, b in steps]
    return float(np.mean(steps_ok)), float(np.mean(tempo))


def random_order_smoothness(truths: list[dict], rng, repeats: int = 20) -> tuple[float, float]:
    """Mean smoothness of random orders of the same tracks."""
    runs = [smoothness([truths[i] for i in rng.permutation(len(truths))]) for _ in range(repeats)]
    return float(np.mean([r[0] for r in runs])), float(np.mean([r[1] for r in runs]))


def baseline_rows(kind: str, spec, catalog: Catalog, n: int, rng, text_tags=None) -> list[int]:
    """Rows a baseline picks, in its order.

    ``random``: any tracks. ``filter_random``: the parser's hard filters, then a random pick.
    ``tags_only``: the parsed tag weights alone. ``text_tags``: cosine of the query text's
    embedding with each tag name's, used as tag weights (no moods, no features).
    """
    everything = np.arange(len(catalog))
    if kind == "random":
        return [int(r) for r in rng.permutation(everything)[:n]]
    if kind == "filter_random":
        allowed = np.flatnonzero(allowed_mask(spec, catalog))
        return [int(r) for r in rng.permutation(allowed)[:n]]
    if kind == "tags_only":
        weights = np.array([spec.tag_weights.get(t, 0.0) for t in catalog.tag_names])
    elif kind == "text_tags":
        weights = np.asarray(text_tags, dtype=np.float64)
    else:
        raise ValueError(kind)
    if not np.any(weights):
        return [int(r) for r in rng.permutation(everything)[:n]]
    score = (2 * catalog.tags_pct - 1) @ weights + rng.uniform(0, 1e-6, len(catalog))
    return [int(r) for r in np.argsort(-score)[:n]]


def text_tag_weights(embedder, text: str, tag_names: list[str]) -> np.ndarray:
    """Cosine of ``text`` with "<tag> music" for every tag, centred so weak matches count less."""
    vectors = np.asarray(embedder.encode([text, *[f"{t} music" for t in tag_names]]))
    cos = vectors[1:] @ vectors[0]
    return np.clip(cos - np.median(cos), 0, None)


def jaccard(a: list[str], b: list[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


def spearman(x, y) -> float:
    """Spearman rank correlation (average ranks for ties)."""

    def ranks(v):
        v = np.asarray(v, dtype=float)
        order = np.argsort(v, kind="stable")
        r = np.empty(len(v))
        r[order] = np.arange(len(v))
        for value in np.unique(v):  # ties share their mean rank
            tie = v == value
            r[tie] = r[tie].mean()
        return r

    rx, ry = ranks(x), ranks(y)
    return float(np.corrcoef(rx, ry)[0, 1])


def tempo_accuracy(estimates, truth) -> tuple[float, float]:
    """MIREX Accuracy1 (within 4 %) and Accuracy2 (also at x2, x1/2, x3, x1/3)."""
    est, ref = np.asarray(estimates, dtype=float), np.asarray(truth, dtype=float)
    ok1 = np.abs(est - ref) <= 0.04 * ref
    ok2 = ok1.copy()
    for factor in (2, 0.5, 3, 1 / 3):
        ok2 |= np.abs(est - factor * ref) <= 0.04 * factor * ref
    return float(ok1.mean()), float(ok2.mean())
