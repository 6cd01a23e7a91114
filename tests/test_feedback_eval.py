"""Feedback steers playlists: a reduced run of ``bench/feedback_eval.py``."""

from __future__ import annotations

import pytest

from bench.feedback_eval import evaluate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def evaluation():
    return evaluate(n_listeners=9, n_tracks=600)


def test_precision_rises_clearly_with_feedback(evaluation):
    per_round = evaluation["precision_per_round"]
    assert len(per_round) == 5
    assert per_round[0] == evaluation["baseline_per_round"][0]  # nothing learned yet
    assert evaluation["precision_round5"] - evaluation["precision_round1"] >= 0.2
    assert evaluation["precision_round5"] >= evaluation["baseline"] + 0.2


def test_new_tracks_improve_too(evaluation):
    fresh = evaluation["fresh_precision_per_round"]
    assert fresh[-1] - fresh[0] >= 0.15


def test_the_run_is_deterministic():
    small = {"n_listeners": 3, "n_tracks": 300, "rounds": 2}
    assert evaluate(**small) == evaluate(**small)
