"""The truth library the quality tests share, prepared in the background.

Rendering and analysing its 130 tracks costs about ten CPU-minutes, while most of the suite
waits on servers, workers and browsers. So when a quality test is collected, the library is
prepared by a process at the lowest CPU priority (nice 19: it gets only the CPU the other
tests leave idle), the quality tests run last, and their fixtures wait for that process.
The result is cached under ``var/`` (``bench/truth.py``); a second run finds it at once.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

N = 130  # tracks of the test library (the benchmarks use 260)
QUALITY_TESTS = ("test_mood_fit.py", "test_feedback_eval.py")
ROOT = Path(__file__).resolve().parent.parent
_job: subprocess.Popen | None = None


def start(log: Path) -> None:
    """Start preparing the library, once per session."""
    global _job
    if _job is not None:
        return
    code = f"from bench.truth import analysed; analysed(n={N})"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        _job = subprocess.Popen(
            ["nice", "-n", "19", sys.executable, "-c", code],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def wait() -> None:
    """Let the background preparation finish. A failure is not raised here: the fixture then
    prepares the library itself and reports the real error."""
    if _job is not None:
        _job.wait()


def stop() -> None:
    """End an unfinished preparation (a run that stopped early)."""
    if _job is not None and _job.poll() is None:
        _job.terminate()
        _job.wait(30)
