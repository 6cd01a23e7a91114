"""Feedback steers playlists: a reduced run of ``bench/feedback_eval.py`` on the
130-track truth library (rendered and analysed here; needs fluidsynth)."""

from __future__ import annotations

import pytest

from seeds.truth_library import available
from tests import truth_prep

pytestmark = [
    pytest.mark.slow,
    # Rendering and analysing the library takes minutes on a clean checkout (then cached).
    pytest.mark.timeout(1500),
    pytest.mark.skipif(not available(), reason="needs fluidsynth and fluid-soundfont-gm"),
]


@pytest.fixture(scope="module")
def evaluation():
    from bench.feedback_eval import evaluate

    truth_prep.wait()
    # Three rounds: on 130 tracks a taste's unheard tracks run out after that.
    return evaluate(n=truth_prep.N, rounds=3, listeners_per_taste=2)


def test_fresh_precision_rises_with_feedback(evaluation):
    fresh = evaluation["fresh_precision_per_round"]
    assert len(fresh) == 3
    assert fresh[-1] - fresh[0] >= 0.2
    assert fresh[-1] >= evaluation["no_feedback_last"] + 0.2


def test_the_taste_model_beats_the_liked_centroid(evaluation):
    learned = evaluation["fresh_precision_per_round"]
    centroid = evaluation["baselines_per_round"]["liked_centroid"]
    assert learned[-1] >= centroid[-1]


def test_the_run_is_deterministic():
    from bench.feedback_eval import evaluate

    truth_prep.wait()
    small = {"n": truth_prep.N, "rounds": 2, "listeners_per_taste": 1}
    assert evaluate(**small) == evaluate(**small)
