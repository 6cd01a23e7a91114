"""Does feedback steer playlists? Simulated listeners on a synthetic library.

Each listener has a hidden taste, a region of the library: an energy band
and a valence band (percentiles), or one genre. For five rounds the real
pipeline (``generate``) builds a 20-track playlist for a neutral query (every
target wide open, so only taste can tell tracks apart) with the
``TasteModel`` learned from all feedback so far. The listener likes or
completes tracks inside its region and skips or dislikes the rest, with 10 %
of judgements flipped. We report precision@20 (share of the playlist inside
the hidden region) per round, averaged over listeners, next to a
no-feedback baseline generated in the same run with the same seeds. As the
app does, the previous round's tracks are passed as recently played.
Run: ``.venv/bin/python -m bench.feedback_eval``.
"""

from __future__ import annotations

import argparse
from types import SimpleNamespace

import numpy as np

from bench.common import emit_json
from core.catalog import Catalog
from core.generate import generate
from core.store import build_index
from core.taste import Feedback, TasteModel
from core.vectors import FEATURES
from seeds.synthetic_library import GENRES, synthetic_rows, tag_names

START = 1_700_000_000.0
DAY = 86_400.0
NEUTRAL = SimpleNamespace(
    moods={}, targets={}, tag_weights={}, constraints={}, length=None, arc=None
)  # every target 0-1: the mood part scores all tracks alike


def listeners(n: int, seed: int) -> list[dict]:
    """Hidden tastes: two thirds energy x valence bands, one third a genre."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        if i % 3 == 2:
            out.append({"kind": "genre", "genre": GENRES[int(rng.integers(len(GENRES)))]})
        else:
            energy, valence = rng.uniform(0, 0.65), rng.uniform(0, 0.5)
            out.append({"kind": "band", "energy": (energy, energy + 0.35),
                        "valence": (valence, valence + 0.5)})  # fmt: skip
    return out


def region_mask(taste: dict, catalog: Catalog) -> np.ndarray:
    """Rows inside a listener's hidden region."""
    if taste["kind"] == "genre":
        return np.array([g == taste["genre"] for g in catalog.text["genre"]])
    mask = np.ones(len(catalog), dtype=bool)
    for name in ("energy", "valence"):
        lo, hi = taste[name]
        value = catalog.pct[:, FEATURES.index(name)]
        mask &= (value >= lo) & (value <= hi)
    return mask


def react(rows, inside, catalog, at, rng, flip) -> list[Feedback]:
    """A listener's events for one playlist: likes/completes inside, skips/dislikes outside."""
    events = []
    for k, row in enumerate(rows):
        track_id, when = catalog.ids[row], at + 240 * k
        events.append(Feedback(track_id, "play", when))
        if bool(inside[row]) != (rng.random() < flip):
            events.append(Feedback(track_id, "complete", when + 200))
            if rng.random() < 0.6:
                events.append(Feedback(track_id, "like", when + 201))
        elif rng.random() < 0.7:
            ms = int(rng.uniform(10_000, 60_000))
            events.append(Feedback(track_id, "skip", when + ms / 1000, ms, ms))
        else:
            events.append(Feedback(track_id, "dislike", when + 30))
    return events


def evaluate(n_listeners: int = 20, n_tracks: int = 1000, rounds: int = 5, count: int = 20,
             seed: int = 5, flip: float = 0.1, embeddings: bool = True) -> dict:  # fmt: skip
    """Run every listener through ``rounds`` rounds; return per-round precision."""
    rows = synthetic_rows(n_tracks, seed=seed, with_embeddings=embeddings)
    catalog = Catalog.from_rows(rows, tag_names(), "feedback")
    index = build_index(catalog)
    learned = np.zeros((n_listeners, rounds))
    baseline = np.zeros((n_listeners, rounds))
    fresh = np.zeros((n_listeners, rounds))
    tastes = listeners(n_listeners, seed)
    for i, taste in enumerate(tastes):
        inside = region_mask(taste, catalog)
        rng = np.random.default_rng(seed * 1000 + i)
        events: list[Feedback] = []
        heard: set[str] = set()
        recent: set[str] = set()
        for r in range(rounds):
            now = START + r * DAY
            model = TasteModel.learn(events, catalog, now)
            common = {"count": count, "seed": 1 + i * rounds + r, "recent": recent}
            result = generate(NEUTRAL, catalog, index, taste=model.score,
                              taste_reason=model.reason, **common)  # fmt: skip
            plain = generate(NEUTRAL, catalog, index, **common)
            rows = [catalog.position[t] for t in result.ordering]
            learned[i, r] = inside[rows].mean()
            baseline[i, r] = inside[[catalog.position[t] for t in plain.ordering]].mean()
            new = [row for row in rows if catalog.ids[row] not in heard]
            fresh[i, r] = inside[new].mean() if new else np.nan
            events += react(rows, inside, catalog, now + 3600, rng, flip)
            heard |= set(result.ordering)
            recent = set(result.ordering)
    per_round = [round(float(v), 4) for v in learned.mean(axis=0)]
    return {
        "listeners": n_listeners,
        "library": n_tracks,
        "rounds": rounds,
        "count": count,
        "flip": flip,
        "embeddings": embeddings,
        "precision_per_round": per_round,
        "baseline_per_round": [round(float(v), 4) for v in baseline.mean(axis=0)],
        "fresh_precision_per_round": [round(float(v), 4) for v in np.nanmean(fresh, axis=0)],
        "precision_round1": per_round[0],
        f"precision_round{rounds}": per_round[-1],
        "baseline": round(float(baseline.mean()), 4),
        "region_share": round(float(np.mean([region_mask(t, catalog).mean() for t in tastes])), 4),
        "by_kind": {
            kind: [round(float(v), 4) for v in learned[idx].mean(axis=0)]
            for kind in ("band", "genre")
            if len(idx := [j for j, t in enumerate(tastes) if t["kind"] == kind])
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--listeners", type=int, default=20)
    parser.add_argument("--tracks", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-embeddings", action="store_true", help="features and tags only")
    args = parser.parse_args()
    out = evaluate(args.listeners, args.tracks, args.rounds, embeddings=not args.no_embeddings)
    print(f"{'round':>5} {'learned':>8} {'fresh':>8} {'no feedback':>12}")
    rows = zip(out["precision_per_round"], out["fresh_precision_per_round"],
               out["baseline_per_round"], strict=True)  # fmt: skip
    for r, (p, f, b) in enumerate(rows, start=1):
        print(f"{r:>5} {p:8.3f} {f:8.3f} {b:12.3f}")
    first, last = out["precision_round1"], out["precision_per_round"][-1]
    print(
        f"\n{out['listeners']} listeners, {out['library']} tracks, hidden regions cover "
        f"{out['region_share']:.1%} of the library: precision@{out['count']} "
        f"{first:.3f} -> {last:.3f} (+{100 * (last - first):.1f} points), "
        f"no-feedback baseline {out['baseline']:.3f}"
    )
    emit_json(out)


if __name__ == "__main__":
    main()
