"""Floors on mood-search quality: the 40-query evaluation of ``bench/mood_eval.py``."""

from __future__ import annotations

import pytest

from bench.mood_eval import evaluate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def evaluation():
    return evaluate(n_tracks=600, count=20)


def test_returned_tracks_fall_in_the_asked_for_region(evaluation):
    figures = evaluation["figures"]
    assert figures["queries"] >= 40 and figures["empty_results"] == 0
    assert figures["in_region"] >= 0.85
    assert figures["in_region"] >= 1.5 * figures["baseline_in_region"]
    worst = sorted(evaluation["results"], key=lambda r: r["in_region"])[:3]
    assert all(r["in_region"] >= 0.3 for r in worst), worst


def test_transitions_are_smooth(evaluation):
    figures = evaluation["figures"]
    assert figures["mean_abs_dbpm"] <= 6
    assert figures["camelot_compatible"] >= 0.8
