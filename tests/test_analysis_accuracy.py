"""Tempo and key on generated audio with known ground truth; musicnn outputs."""

from __future__ import annotations

import numpy as np
import pytest

from core.analysis import EssentiaAnalyzer, camelot, camelot_distance, compatible
from tests.audio_factory import make_known_tracks


@pytest.fixture(scope="module")
def known_tracks(tmp_path_factory):
    return make_known_tracks(tmp_path_factory.mktemp("known"), n=12, fmt="wav", seconds=30)


def test_tempo_within_4_percent_and_exact_key(known_tracks):
    analyzer = EssentiaAnalyzer(with_tags=False)
    misses = []
    for path, bpm, key, scale in known_tracks:
        result = analyzer.analyse(path)
        assert result.error is None, result.error
        got = result.features
        if abs(got["bpm"] - bpm) / bpm > 0.04 or camelot(got["key"], got["scale"]) != camelot(
            key, scale
        ):
            misses.append((path.name, bpm, key, scale, got["bpm"], got["key"], got["scale"]))
    assert not misses, misses


def test_musicnn_gives_50_tags_50_instrument_tags_and_a_200d_embedding(known_tracks):
    analyzer = EssentiaAnalyzer()
    result = analyzer.analyse(known_tracks[1][0])
    assert len(result.tags) == 100 and all(0 <= v <= 1 for v in result.tags.values())
    instruments = {k for k in result.tags if k.startswith("mtt:")}
    assert len(instruments) == 50 and {"mtt:piano", "mtt:strings", "mtt:drums"} <= instruments
    assert "mtt_musicnn@" in analyzer.version  # a new model means a new analysis
    assert result.embedding.shape == (200,) and np.isfinite(result.embedding).all()
    other = analyzer.analyse(known_tracks[0][0])
    assert not np.allclose(result.embedding, other.embedding)  # depends on the audio
    assert 0 <= result.features["valence"] <= 1


def test_camelot_codes_and_compatibility():
    assert camelot("A", "minor") == "8A" and camelot("C", "major") == "8B"
    assert camelot("F#", "major") == "2B" and camelot("Gb", "major") == "2B"
    assert camelot("E", "minor") == "9A"
    assert compatible("8A", "8B") and compatible("8A", "9A") and compatible("12B", "1B")
    assert not compatible("8A", "10A") and not compatible("8A", "9B")
    assert camelot_distance("1A", "7A") == 6
