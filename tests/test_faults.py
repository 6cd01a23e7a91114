"""Faults: a worker killed with SIGKILL in the middle of a batch loses nothing.

Every track ends done exactly once: the task is acknowledged late, so Redis hands it to
the next worker after the visibility timeout, and the claim (pending or processing ->
processing) lets the redelivered task finish the interrupted track.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from launcher.services import stop
from models import Track, TrackVector
from tests.audio_factory import make_known_tracks

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


def start_worker(log: Path) -> subprocess.Popen:
    """A real worker process; a short visibility timeout brings a killed worker's task back."""
    env = dict(os.environ, CELERY_VISIBILITY_TIMEOUT="8")
    name = f"fault{time.monotonic_ns()}@%h"
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "tasks.celery_app",
        "worker",
        "--pool",
        "solo",
        "--loglevel",
        "INFO",
        "--without-gossip",
        "--without-mingle",
        "-n",
        name,
    ]
    with open(log, "ab") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def statuses() -> dict[str, str]:
    return {t.path: t.analysis.status for t in Track.objects.only("path", "analysis")}


def test_worker_killed_mid_batch_loses_nothing(app, tmp_path):
    root = app.config["MUSIC_DIRS"][0] / "faults"
    shutil.rmtree(root, ignore_errors=True)
    make_known_tracks(root, n=10, fmt="wav", seconds=30)
    from tasks.library import scan_root

    log = tmp_path / "worker.log"
    first = start_worker(log)
    try:
        scan_root.delay(str(root)).get(timeout=120)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # kill it while it is in the middle of the batch
            done = sum(s == "done" for s in statuses().values())
            if done >= 2 and "processing" in statuses().values():
                break
            time.sleep(0.1)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        killed_at = statuses()
        assert "pending" in killed_at.values() or "processing" in killed_at.values()

        second = start_worker(log)
        try:
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                if all(s in ("done", "failed") for s in statuses().values()):
                    break
                time.sleep(0.5)
        finally:
            stop(second)
    finally:
        stop(first)
        shutil.rmtree(root, ignore_errors=True)
    final = statuses()
    assert len(final) == 10 and set(final.values()) == {"done"}, final
    # One record per track, one vector per track: nothing analysed twice into duplicates.
    assert Track.objects.count() == 10 == TrackVector.objects.count()
    assert len({t.path for t in Track.objects.only("path")}) == 10
