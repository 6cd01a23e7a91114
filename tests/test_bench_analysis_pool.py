"""The benches' analysis pool works inside a process that has already run TensorFlow.

A forked worker inherits the parent's TensorFlow thread-pool locks and waits forever: on a
clean checkout this hung the test session in ``tests/test_feedback_eval.py`` (the first
file that analyses the truth library after earlier tests ran the analyser in-process).
"""

from __future__ import annotations

import pytest

from bench.truth import analyse_files
from core.analysis import EssentiaAnalyzer
from tests.audio_factory import make_known_tracks

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]


def test_pool_analyses_after_tensorflow_ran_in_this_process(tmp_path):
    tracks = make_known_tracks(tmp_path, n=2, fmt="wav", seconds=12)
    paths = [str(path) for path, *_ in tracks]
    assert EssentiaAnalyzer().analyse(paths[0]).error is None  # TensorFlow now runs here
    measured = analyse_files({f"t{i}": p for i, p in enumerate(paths)}, jobs=2)
    assert set(measured) == {"t0", "t1"}
    assert all("error" not in out and len(out["embedding"]) == 200 for out in measured.values())
