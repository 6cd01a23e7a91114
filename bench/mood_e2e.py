"""End-to-end mood search where a person feels it, on a 100k-track library.

A private nx-27017 and Redis, the synthetic library (``--tracks``, default 100k) and
one person with ``--events`` feedback events in the database, the index built and
published to MongoDB, then one Celery worker and one gunicorn process started as the
launcher starts them, each with its own empty ``DATA_DIR``. For every query (fresh
texts: no sentence-embedding cache hits for the query itself): POST
``/api/moods/generate`` -> Celery chain (parse, generate) -> database -> Socket.IO
``generation`` event on ``/live`` -> GET ``/api/generations/<id>``. Stages come from the
session's own timings (epoch-ms stamps on the one machine clock) and the client's clock.
"Cold" is the first query once ``/healthz`` answers 200; "warm" the ``--warm`` after it.

Baselines in the same run, on the same catalog and the same parsed queries: the
retrieval search through the published index (``core.catalog._faiss_index``: flat up to 1M
tracks) against an exact ``IndexFlatIP`` and a vectorised numpy scan (``vectors @ q`` +
``argpartition``), recall@k against exact, and the Jaccard overlap of the playlists generated
with the approximate and with the exact index.

Run: ``nice -n 10 .venv/bin/python -m bench.mood_e2e`` (about 6 minutes at 100k on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import requests

from bench.common import emit_json, median, percentile
from bench.mood_e2e_baselines import baselines
from bench.mood_e2e_client import Listener, one_query
from tests.stack import Stack, cookie_header, rss_mb, sign_in

PASSWORD = "correct horse battery"
STAGES = ("submit_ms", "queue_ms", "parse_ms", "hop_ms", "catalog_ms", "taste_ms", "retrieve_ms",
          "rank_ms", "order_ms", "store_notify_ms", "fetch_ms", "total_ms")  # fmt: skip
FEELINGS = ("calm", "hopeful", "moody", "bright", "dreamy", "gritty", "warm", "playful",
            "wistful", "driving", "gentle", "fierce", "lazy", "tender", "restless")  # fmt: skip
SCENES = ("harbour at dawn", "attic on a snowy night", "long train ride", "garden party",
          "empty office", "desert highway", "kitchen after midnight", "rooftop in july",
          "library basement", "ferry crossing", "forest cabin", "city in the rain")  # fmt: skip
ACTIVITIES = ("writing letters", "painting", "cooking for friends", "a slow run",
              "packing boxes", "stargazing", "folding laundry", "a bike ride",
              "reading poems", "sketching faces")  # fmt: skip


def fresh_texts(n: int, seed: int = 11) -> list[str]:
    """``n`` distinct queries no earlier run (or warm-up) has embedded."""
    rng = np.random.default_rng(seed)
    combos = [(f, s, a) for f in FEELINGS for s in SCENES for a in ACTIVITIES]
    picks = rng.choice(len(combos), size=n, replace=False)
    return [f"{combos[i][0]} music for {combos[i][2]} in a {combos[i][1]}" for i in picks]


def seed_database(env: dict, tracks: int, events: int) -> dict:
    """Tracks, one person and their feedback, straight into the database."""
    os.environ.update({k: env[k] for k in ("MONGODB_URI", "REDIS_URL", "DATA_DIR")})
    from datetime import timedelta

    from models import FeedbackEvent, User, connect_db, ensure_all_indexes
    from models.base import utcnow
    from tests.factories import add_analysed_tracks
    from webapp.services.passwords import hash_password

    connect_db(env["MONGODB_URI"])
    ensure_all_indexes()
    started = time.perf_counter()
    ids = []
    for chunk, lo in enumerate(range(0, tracks, 5000)):
        ids += [t.id for t in add_analysed_tracks(min(5000, tracks - lo), seed=100 + chunk)]
    seeded_s = time.perf_counter() - started
    user = User(username="listener", password_hash=hash_password(PASSWORD)).save()
    rng = np.random.default_rng(5)
    kinds = rng.choice(["play", "complete", "skip", "like", "dislike"], size=events,
                       p=[0.35, 0.3, 0.2, 0.1, 0.05])  # fmt: skip
    now = utcnow()
    FeedbackEvent.objects.insert([
        FeedbackEvent(user=user.id, track=ids[int(rng.integers(len(ids)))], event=str(kind),
                      position_ms=60_000, elapsed_ms=60_000,
                      created_at=now - timedelta(minutes=int(rng.integers(0, 60 * 24 * 60))))
        for kind in kinds
    ], load_bulk=False)  # fmt: skip
    return {"seed_s": round(seeded_s, 1), "user_id": user.id}


def build_index() -> dict:
    from tasks.catalog import rebuild_index

    started = time.perf_counter()
    result = rebuild_index.apply(kwargs={"force": True}).get()
    result["build_s"] = round(time.perf_counter() - started, 1)
    return result


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--tracks", type=int, default=100_000)
    args.add_argument("--events", type=int, default=500)
    args.add_argument("--warm", type=int, default=40)
    args.add_argument("--after-feedback", type=int, default=15,
                      help="further queries, each right after a new like")  # fmt: skip
    args.add_argument("--folder", type=Path, help="keep the database here and reuse it next time")
    args.add_argument("--rebuild", action="store_true", help="with --folder: build the index again")
    opts = args.parse_args()
    stack = Stack(opts.folder)
    marker = stack.folder / "seeded.json"
    try:
        env = stack.start_servers(db_name="moodroom_e2e")
        if opts.folder and marker.exists():  # same database, same build: skip the slow part
            seeded, built = json.loads(marker.read_text())
            os.environ.update({k: env[k] for k in ("MONGODB_URI", "REDIS_URL", "DATA_DIR")})
            from models import connect_db

            connect_db(env["MONGODB_URI"])
            if opts.rebuild:
                built = build_index()
                marker.write_text(json.dumps([seeded, built]))
        else:
            stack.seed_moods()
            seeded = seed_database(env, opts.tracks, opts.events)
            print(f"seeded {opts.tracks} tracks in {seeded['seed_s']} s", flush=True)
            built = build_index()
            marker.write_text(json.dumps([seeded, built]))
        print(f"index {built['kind']} built and published in {built['build_s']} s", flush=True)
        for name in ("worker-data", "web-data", "bench-data"):  # every process starts empty
            shutil.rmtree(stack.folder / name, ignore_errors=True)
        worker = stack.worker("worker", data_dir=stack.folder / "worker-data")
        base, web = stack.web("web", data_dir=stack.folder / "web-data")
        started = time.monotonic()
        while requests.get(f"{base}/healthz", timeout=10).status_code != 200:
            if time.monotonic() - started > 120:
                raise RuntimeError("not healthy within 120 s")
            time.sleep(0.2)
        healthy_s = time.monotonic() - started
        http = sign_in(base, "listener", PASSWORD)
        listener = Listener(base, cookie_header(http))
        texts = fresh_texts(opts.warm + opts.after_feedback + 1)
        cold = one_query(http, base, listener, texts[0])
        print(f"cold: {cold['total_ms']:.0f} ms", flush=True)
        warm = [one_query(http, base, listener, text) for text in texts[1 : opts.warm + 1]]
        # A like just before each query: the worker must learn the taste again.
        relearn = []
        for text in texts[opts.warm + 1 :]:
            track = warm[len(relearn) % len(warm)]["first_track"]
            liked = http.post(f"{base}/api/feedback", json={"event": "like", "track_id": track},
                              timeout=30)  # fmt: skip
            liked.raise_for_status()
            relearn.append(one_query(http, base, listener, text))
        memory = {"web_mb": rss_mb(web.pid), "worker_mb": rss_mb(worker.pid)}
        listener.sio.disconnect()
        base_figures = baselines(stack.folder, seeded["user_id"], [q["session"] for q in warm])
    finally:
        stack.stop_all(remove=opts.folder is None)

    print()
    print("| stage | cold ms | warm p50 ms | warm p95 ms |")
    print("|---|---|---|---|")
    for stage in STAGES:
        values = [q[stage] for q in warm]
        print(f"| {stage} | {cold[stage]:.1f} | {median(values):.1f} "
              f"| {percentile(values, 95):.1f} |")  # fmt: skip
    print()
    print(f"retrieval search ({base_figures['kind']}), p50/p95 ms: "
          + ", ".join(f"{n} {base_figures['search_p50_ms'][n]}/{base_figures['search_p95_ms'][n]}"
                      for n in ("index", "flat", "numpy")))  # fmt: skip
    print(f"recall@k vs exact {base_figures['recall_at_k']}; playlist Jaccard vs exact index "
          f"mean {base_figures['jaccard_mean']}, min {base_figures['jaccard_min']}; "
          f"generation paths {base_figures['paths']}")  # fmt: skip
    print(f"memory: web {memory['web_mb']} MB, worker {memory['worker_mb']} MB; "
          f"healthy {healthy_s:.1f} s after start")  # fmt: skip
    if relearn:
        values = [q["total_ms"] for q in relearn]
        taste = [q["taste_ms"] for q in relearn]
        print(f"after a new like ({len(relearn)} queries): total p50/p95 "
              f"{median(values):.1f}/{percentile(values, 95):.1f} ms, taste p50/p95 "
              f"{median(taste):.1f}/{percentile(taste, 95):.1f} ms")  # fmt: skip
    totals = [q["total_ms"] for q in warm]
    emit_json({
        "tracks": opts.tracks, "events": opts.events, "warm_queries": len(warm),
        "index_kind": built["kind"], "index_build_s": built["build_s"],
        "cold_total_ms": round(cold["total_ms"], 1),
        "warm_p50_total_ms": round(median(totals), 1),
        "warm_p95_total_ms": round(percentile(totals, 95), 1),
        "stages_warm_p50_ms": {s: round(median([q[s] for q in warm]), 1) for s in STAGES},
        "stages_warm_p95_ms": {s: round(percentile([q[s] for q in warm], 95), 1)
                               for s in STAGES},
        "stages_cold_ms": {s: round(cold[s], 1) for s in STAGES},
        "after_feedback_p50_total_ms": round(median([q["total_ms"] for q in relearn]), 1)
        if relearn else None,
        "after_feedback_p95_total_ms": round(percentile([q["total_ms"] for q in relearn], 95), 1)
        if relearn else None,
        "after_feedback_p95_taste_ms": round(percentile([q["taste_ms"] for q in relearn], 95), 1)
        if relearn else None,
        "search_p50_ms": base_figures["search_p50_ms"],
        "search_p95_ms": base_figures["search_p95_ms"],
        "recall_at_k": base_figures["recall_at_k"],
        "jaccard_mean": base_figures["jaccard_mean"], "jaccard_min": base_figures["jaccard_min"],
        "generation_paths": base_figures["paths"],
        **memory, "healthy_s": round(healthy_s, 1),
    })  # fmt: skip


if __name__ == "__main__":
    main()
