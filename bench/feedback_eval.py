"""Does feedback steer playlists? Simulated listeners on the analysed truth library.

Each listener's hidden taste is a rule on the truth library's manifest ("likes acoustic
music, dislikes metal"), which the taste model never sees: it only gets the listener's
events on tracks it played. For five rounds the production pipeline (``core.playlist._generate``
with ``TasteModel`` learned from all events so far) builds a 20-track playlist for an open
query; the listener reacts to about two thirds of the tracks (likes or completes what its
taste likes, skips or dislikes the rest), with 10 % of reactions flipped. Reported per
round: precision@20 on tracks the listener has not heard before (share inside the hidden
taste), against baselines run in the same pass on the same unheard tracks: no feedback,
popularity (tracks most liked by all listeners so far) and the cosine of each track's
embedding to the centroid of the listener's liked tracks.

Run: ``.venv/bin/python -m bench.feedback_eval [--seed N]``.
"""

from __future__ import annotations

import argparse
from types import SimpleNamespace

import numpy as np

from bench import truth as truth_lib
from bench.common import emit_json
from bench.fit_queries import relevant
from core.playlist import generate
from core.taste import Feedback, TasteModel
from seeds import truth_library

START = 1_700_000_000.0
DAY = 86_400.0
OPEN = SimpleNamespace(moods={}, targets={}, tag_weights={}, constraints={}, length=None,
                       arc=None, words={})  # fmt: skip
# Hidden tastes, written on the manifest: (name, liked rule, disliked rule)
TASTES = (
    ("acoustic, no metal", "acoustic and style != 'metal' and level <= 2", "style == 'metal'"),
    ("electronic dance", "electronic and level >= 3", "acoustic and level <= 1"),
    ("jazz and lo-fi", "style in ('jazz', 'lofi')", "style in ('metal', 'techno')"),
    ("quiet instrumental", "style in ('ambient', 'strings', 'piano')", "drums and level >= 3"),
    ("guitar bands", "style in ('rock', 'metal')", "style in ('ambient', 'piano')"),
    ("beats", "style in ('hiphop', 'lofi', 'house')", "style in ('strings', 'metal')"),
    ("fast and loud", "tempo >= 140 and level >= 3", "level <= 1"),
    ("folk and pop", "style in ('folk', 'pop')", "style in ('techno', 'dnb')"),
)


def react(rows, taste, catalog, truth, at, rng, flip, share) -> list[Feedback]:
    """One listener's events on a playlist: partial (``share`` of tracks) and noisy."""
    _name, liked_rule, disliked_rule = taste
    events = []
    for k, row in enumerate(rows):
        if rng.random() > share:
            continue  # played in the background, no reaction
        track_id, when = catalog.ids[row], at + 240 * k
        entry = truth[track_id]
        liked = relevant(liked_rule, entry)
        if rng.random() < flip:
            liked = not liked
        events.append(Feedback(track_id, "play", when))
        if liked:
            events.append(Feedback(track_id, "complete", when + 200))
            if rng.random() < 0.6:
                events.append(Feedback(track_id, "like", when + 201))
        elif relevant(disliked_rule, entry) or rng.random() < 0.3:
            events.append(Feedback(track_id, "dislike", when + 30))
        else:
            ms = int(rng.uniform(10_000, 60_000))
            events.append(Feedback(track_id, "skip", when + ms / 1000, ms, ms))
    return events


def top_unheard(score: np.ndarray, heard: set[str], catalog, count: int) -> list[int]:
    order = np.argsort(-score, kind="stable")
    return [int(r) for r in order if catalog.ids[r] not in heard][:count]


def evaluate(rounds: int = 5, count: int = 20, seed: int = 5, flip: float = 0.1,
             share: float = 0.66, listeners_per_taste: int = 2,
             n: int = truth_library.DEFAULT_N) -> dict:  # fmt: skip
    """Every listener through ``rounds`` rounds; precision on unheard tracks per round."""
    manifest, measured = truth_lib.analysed(n=n)
    catalog, index, truth = truth_lib.catalog(manifest, measured)
    tastes = [t for t in TASTES for _ in range(listeners_per_taste)]
    kinds = ("learned", "no_feedback", "popularity", "liked_centroid")
    fresh = {k: np.full((len(tastes), rounds), np.nan) for k in kinds}
    events = [[] for _ in tastes]
    heard = [set() for _ in tastes]
    recent = [set() for _ in tastes]  # as the app: what the person played last time
    crowd = np.zeros(len(catalog))  # likes and completions by everyone so far
    emb = catalog.embeddings
    for r in range(rounds):
        now = START + r * DAY
        new_crowd = np.zeros(len(catalog))
        for i, taste in enumerate(tastes):
            rng = np.random.default_rng([seed, i, r])
            inside = np.array([relevant(taste[1], truth[t]) for t in catalog.ids])
            model = TasteModel.learn(events[i], catalog, now)
            common = {"count": count, "recent": recent[i]}
            learned = generate(OPEN, catalog, index, taste=None if model.is_empty else model.score,
                               **common).ordering  # fmt: skip
            plain = generate(OPEN, catalog, index, seed=1 + r, **common).ordering
            liked = [catalog.position[e.track_id] for e in events[i] if e.event == "like"]
            centroid = emb[liked].mean(axis=0) if liked else np.zeros(emb.shape[1])
            picks = {
                "learned": [catalog.position[t] for t in learned if t not in heard[i]],
                "no_feedback": [catalog.position[t] for t in plain if t not in heard[i]],
                "popularity": top_unheard(crowd + rng.uniform(0, 1e-3, len(crowd)),
                                          heard[i], catalog, count),
                "liked_centroid": top_unheard(emb @ centroid + rng.uniform(0, 1e-6, len(crowd)),
                                              heard[i], catalog, count),
            }  # fmt: skip
            for kind, rows in picks.items():
                if rows:
                    fresh[kind][i, r] = inside[rows].mean()
            rows = [catalog.position[t] for t in learned]
            new = react(rows, taste, catalog, truth, now + 3600, rng, flip, share)
            events[i] += new
            heard[i] |= set(learned)
            recent[i] = set(learned)
            for e in new:
                if e.event in ("like", "complete"):
                    new_crowd[catalog.position[e.track_id]] += 1
        crowd += new_crowd
    per_round = {k: [round(float(v), 4) for v in np.nanmean(fresh[k], axis=0)] for k in kinds}
    base = float(np.mean([np.mean([relevant(t[1], e) for e in truth.values()]) for t in tastes]))
    return {
        "listeners": len(tastes),
        "library": len(catalog),
        "rounds": rounds,
        "count": count,
        "flip": flip,
        "reaction_share": share,
        "seed": seed,
        "fresh_precision_per_round": per_round["learned"],
        "baselines_per_round": {k: per_round[k] for k in kinds[1:]},
        "fresh_round1": per_round["learned"][0],
        f"fresh_round{rounds}": per_round["learned"][-1],
        "fresh_rise": round(per_round["learned"][-1] - per_round["learned"][0], 4),
        "liked_centroid_last": per_round["liked_centroid"][-1],
        "popularity_last": per_round["popularity"][-1],
        "no_feedback_last": per_round["no_feedback"][-1],
        "taste_share": round(base, 4),
        "by_taste": {
            t[0]: [None if np.isnan(v) else round(float(v), 3) for v in fresh["learned"][i]]
            for i, t in enumerate(tastes)
            if i % listeners_per_taste == 0
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    out = evaluate(args.rounds, seed=args.seed)
    print(f"{'round':>5} {'learned':>8} {'none':>6} {'popular':>8} {'centroid':>9}")
    base = out["baselines_per_round"]
    for r in range(args.rounds):
        print(f"{r + 1:>5} {out['fresh_precision_per_round'][r]:8.3f} "
              f"{base['no_feedback'][r]:6.3f} {base['popularity'][r]:8.3f} "
              f"{base['liked_centroid'][r]:9.3f}")  # fmt: skip
    for name, values in out["by_taste"].items():
        print(f"  {name:22s} {values}")
    print(f"\n{out['listeners']} listeners on {out['library']} analysed tracks; a hidden taste "
          f"covers {out['taste_share']:.1%} of the library on average")  # fmt: skip
    emit_json(out)


if __name__ == "__main__":
    main()
