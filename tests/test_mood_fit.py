"""Mood playlists fit their words on analysed audio: floors on the tuning half of
``bench/mood_fit.py``, on a 130-track truth library rendered and analysed here.

Only the tuning half of the queries is used: the report half is read by the benchmark
alone (docs/benchmarks.md). Needs Debian's fluidsynth and General MIDI soundfont.
"""

from __future__ import annotations

import pytest

from bench.fit_queries import TUNING
from seeds.truth_library import available
from tests import truth_prep

pytestmark = [
    pytest.mark.slow,
    # Rendering and analysing the library takes minutes on a clean checkout (then cached).
    pytest.mark.timeout(1500),
    pytest.mark.skipif(not available(), reason="needs fluidsynth and fluid-soundfont-gm"),
]
N = truth_prep.N


@pytest.fixture(scope="module")
def evaluation():
    from bench.mood_fit import evaluate

    truth_prep.wait()
    return evaluate({"tuning": TUNING}, n=N)


def test_playlists_fit_their_words_better_than_the_filters_alone(evaluation):
    tuning = evaluation["summary"]["tuning"]
    assert tuning["fit"] >= 0.65
    assert tuning["fit"] >= tuning["baseline_filter_random"] + 0.15
    assert tuning["fit"] >= tuning["baseline_random"] + 0.2


def test_calm_words_never_bring_the_loudest_tracks(evaluation):
    calm = [r for r in evaluation["results"]["tuning"]
            if any(w in r["query"] for w in ("calm", "peaceful", "soft", "sleep"))]  # fmt: skip
    assert len(calm) >= 3 and all(r["tracks"] >= 10 for r in calm)
    assert all(r["loudest_levels"] == 0 for r in calm), calm


def test_lengths_regenerations_and_smooth_steps(evaluation):
    tuning = evaluation["summary"]["tuning"]
    assert 0.9 <= tuning["duration_ratio"] <= 1.1
    # The bound (0.5) is held by the benchmark on its 260-track report library
    # (0.43); on these 130 tracks a "pool that allows" a fresh mix is often just twice the
    # playlist, where two good mixes share about half their tracks.
    assert tuning["regen_jaccard"] <= 0.55
    assert tuning["key_ok"] >= tuning["key_ok_random"] + 0.15
    assert tuning["tempo_step"] <= tuning["tempo_step_random"]


def test_energy_and_fast_tempos_follow_the_composition(evaluation):
    quality = evaluation["quality"]
    assert quality["energy_spearman"] >= 0.8
    assert quality["tempo_ours"]["fast_acc1"] > quality["tempo_plain"]["fast_acc1"]
    assert quality["tempo_ours"]["acc1"] >= quality["tempo_plain"]["acc1"]
