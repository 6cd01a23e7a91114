"""Mood search while thousands of analyses are queued, against the same searches on an idle system.

Starts the whole of ``make run`` (``python -m launcher``: embedded MongoDB server, private
Redis, the interactive and bulk Celery pools, gunicorn) on a temporary folder with a small
demo library, waits until it is analysed, then:

1. idle: N mood generations through the real HTTP API (``POST /api/moods/generate``, then
   ``GET /api/generations/<id>`` until completed), one after another;
2. loaded: renders M short tracks (a few seconds each, every file different) into a second
   library root, has the admin scan it through ``POST /library/scan``, waits until at least
   ``--min-queued`` analyses wait in the bulk queue, and runs the same N generations.

Latency is measured by the client: from the POST to the poll that sees ``completed``
(polls every 20 ms). Ends with one JSON line: both p95s and their ratio, the queue depth
at the start and end of the loaded phase and the analyses done meanwhile.
Run: ``.venv/bin/python -m bench.interactive_under_load [--files 2200] [--queries 20]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import redis
import requests
import soundfile

from bench.common import emit_json, median, percentile
from launcher.services import free_port
from tasks.routes import BULK, INTERACTIVE, queue_length

ROOT = Path(__file__).resolve().parent.parent
CSRF_META = re.compile(r'name="csrf-token" content="([^"]+)"')
CSRF_FORM = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TEXTS = [
    "calm evening music",
    "rainy sunday morning, calm but hopeful",
    "energetic workout, 130 bpm",
    "late night drive",
    "happy upbeat party",
]


def render_load(folder: Path, n: int, seconds: float, sample_rate: int = 22050) -> None:
    """``n`` distinct short ogg files: a few rendered clips, each copy with its own noise."""
    from seeds.demo_library import demo_specs
    from seeds.synth_numpy import render_numpy

    clips = []
    for spec in demo_specs(8):
        spec = dataclasses.replace(spec, duration_s=seconds)
        clips.append(render_numpy(spec, sample_rate).astype(np.float32))
    rng = np.random.default_rng(7)
    for i in range(n):
        clip = clips[i % len(clips)]
        audio = clip * rng.uniform(0.6, 0.9) + rng.normal(0, 1e-3, clip.shape).astype(np.float32)
        path = folder / f"batch{i // 200:02d}" / f"load {i:05d}.ogg"
        path.parent.mkdir(parents=True, exist_ok=True)
        soundfile.write(path, audio, sample_rate, format="OGG", subtype="VORBIS")


def start(var: Path, port: int, music: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in {"MONGODB_URI", "REDIS_URL", "PORT"}}
    env.update(MOODROOM_VAR=str(var), PORT=str(port), MUSIC_DIR=music, DATA_DIR=str(var / "data"))
    log = open(var / "launcher.out", "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen([sys.executable, "-m", "launcher"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)  # fmt: skip


def wait_until(predicate, timeout: float, what: str, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise RuntimeError(f"timed out waiting for {what}")


def healthy(base: str) -> bool:
    try:
        return requests.get(f"{base}/healthz", timeout=5).status_code == 200
    except requests.RequestException:
        return False


def sign_up(base: str) -> tuple[requests.Session, str]:
    """Register the first account (the admin) through the form; return the session and token."""
    http = requests.Session()
    page = http.get(f"{base}/auth/register", timeout=30).text
    password = "bench password 1"
    response = http.post(f"{base}/auth/register", timeout=30, allow_redirects=False,
                         data={"username": "bench", "password": password, "confirm": password,
                               "csrf_token": CSRF_FORM.search(page).group(1)})  # fmt: skip
    if response.status_code != 302:
        raise RuntimeError(f"registration failed: {response.status_code}")
    token = CSRF_META.search(http.get(f"{base}/mood", timeout=30).text).group(1)
    return http, token


def status(http: requests.Session, base: str) -> dict:
    return http.get(f"{base}/api/library/status", timeout=30).json()["counts"]


def generate(http: requests.Session, base: str, token: str, text: str) -> tuple[float, dict]:
    """Seconds from the POST to a completed generation, and its body."""
    started = time.perf_counter()
    response = http.post(f"{base}/api/moods/generate", json={"text": text}, timeout=60,
                         headers={"X-CSRFToken": token})  # fmt: skip
    if response.status_code != 202:
        raise RuntimeError(f"generate: {response.status_code} {response.text[:200]}")
    url = f"{base}/api/generations/{response.json()['session']}"
    while True:
        body = http.get(url, timeout=60).json()
        if body["status"] == "completed":
            return time.perf_counter() - started, body
        if body["status"] == "failed":
            raise RuntimeError(f"generation failed: {body['error']}")
        if time.perf_counter() - started > 600:
            raise RuntimeError("generation did not finish in 10 minutes")
        time.sleep(0.02)


def run_queries(http, base, token, n: int) -> tuple[list[float], dict, list[str]]:
    times, last, ids = [], {}, []
    for i in range(n):
        seconds, last = generate(http, base, token, TEXTS[i % len(TEXTS)])
        times.append(seconds)
        ids.append(last["session"])
    return times, last, ids


def server_seconds(mongodb_uri: str, ids: list[str]) -> tuple[list[float], list[float]]:
    """Per generation: stored-to-finished seconds in the workers, and the ranking step's ms."""
    from models import GenerationSession
    from models.db import connect_db

    connect_db(mongodb_uri)
    found = GenerationSession.objects(id__in=ids).only("created_at", "finished_at", "timings")
    docs = {d.id: d for d in found}
    spans = [(docs[i].finished_at - docs[i].created_at).total_seconds() for i in ids]
    return spans, [(docs[i].timings or {}).get("total_ms", 0.0) for i in ids]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2200, help="short files scanned for load")
    parser.add_argument("--seconds", type=float, default=6.0, help="length of each load file")
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--min-queued", type=int, default=2000)
    parser.add_argument("--demo", type=int, default=24, help="tracks analysed before the runs")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="moodroom-underload-"))
    var, demo, load = folder / "var", folder / "demo", folder / "load"
    var.mkdir()
    load.mkdir()
    from seeds.demo_library import build_demo_library

    build_demo_library(demo, n=args.demo)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start(var, port, f"{demo}:{load}")
    try:
        wait_until(lambda: healthy(base), 300, "the launcher to become healthy")
        broker = redis.Redis.from_url(json.loads((var / "services.json").read_text())["redis_url"])
        http, token = sign_up(base)
        wait_until(lambda: status(http, base)["done"] >= args.demo, 900, "the demo analysis")
        time.sleep(10)  # the debounced index rebuild after the last analysis
        generate(http, base, token, "warm up the interactive worker")
        idle, _, idle_ids = run_queries(http, base, token, args.queries)

        render_load(load, args.files, args.seconds)
        page = http.get(f"{base}/library", timeout=30).text
        response = http.post(f"{base}/library/scan", data={"root": 1, "csrf_token":
                             CSRF_FORM.search(page).group(1)}, allow_redirects=False)  # fmt: skip
        assert response.status_code == 303, response.status_code
        wait_until(lambda: queue_length(broker, BULK) >= args.min_queued, 900,
                   f"{args.min_queued} queued analyses")  # fmt: skip
        queued_start, done_start = queue_length(broker, BULK), status(http, base)["done"]
        loaded, body, loaded_ids = run_queries(http, base, token, args.queries)
        queued_end, done_end = queue_length(broker, BULK), status(http, base)["done"]
        interactive_left = queue_length(broker, INTERACTIVE)
        mongodb_uri = json.loads((var / "services.json").read_text())["mongodb_uri"]
        idle_server, idle_rank = server_seconds(mongodb_uri, idle_ids)
        loaded_server, loaded_rank = server_seconds(mongodb_uri, loaded_ids)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)
    p95_idle, p95_loaded = percentile(idle, 95), percentile(loaded, 95)
    print(f"idle   p50 {median(idle):.2f} s  p95 {p95_idle:.2f} s")
    print(f"loaded p50 {median(loaded):.2f} s  p95 {p95_loaded:.2f} s")
    print(f"bulk queue {queued_start} -> {queued_end}, analysed {done_start} -> {done_end}")
    print(
        f"in the workers (stored -> finished): idle p50 {median(idle_server):.3f} s, "
        f"loaded p50 {median(loaded_server):.3f} s p95 {percentile(loaded_server, 95):.3f} s"
    )
    print(f"ranking step: idle p50 {median(idle_rank):.1f} ms, loaded {median(loaded_rank):.1f} ms")
    print(f"last loaded generation said: {(body.get('library') or {}).get('notice')}")
    emit_json({
        "queries": args.queries, "load_files": args.files,
        "idle_p50_s": round(median(idle), 3), "idle_p95_s": round(p95_idle, 3),
        "loaded_p50_s": round(median(loaded), 3), "loaded_p95_s": round(p95_loaded, 3),
        "p95_ratio": round(p95_loaded / p95_idle, 2),
        "bulk_queued_start": queued_start, "bulk_queued_end": queued_end,
        "analysed_during_loaded_phase": done_end - done_start,
        "interactive_queue_left": interactive_left,
        "idle_worker_p95_s": round(percentile(idle_server, 95), 3),
        "loaded_worker_p95_s": round(percentile(loaded_server, 95), 3),
    })  # fmt: skip


if __name__ == "__main__":
    main()
