"""Scalar audio features from a decoded signal, with Essentia.

One decode feeds every algorithm. Energy and brightness are computed with
numpy on short frames, which is cheaper than extra Essentia passes and gives
absolute 0-1 scores; mood matching later turns all features into library
percentiles.
"""

from __future__ import annotations

import math

import numpy as np

from core.keys import camelot

# Tempo estimates below this are usually half the felt tempo (and above the
# upper bound, double); we only fold them when the beat grid agrees.
SLOW_FOLD_BPM = 62.0
FAST_FOLD_BPM = 200.0


def extract_features(audio: np.ndarray, sample_rate: int = 44100) -> dict:
    """Tempo, key, loudness, energy, brightness, danceability and dynamics of ``audio``."""
    import essentia.standard as es

    audio = np.ascontiguousarray(audio, dtype=np.float32)
    # RhythmExtractor2013 keeps state between calls (essentia#1324): one per track.
    bpm, ticks, confidence, _estimates, intervals = es.RhythmExtractor2013(method="degara")(audio)
    bpm = fold_tempo(float(bpm), intervals)
    key, scale, strength = es.KeyExtractor(profileType="edma", sampleRate=sample_rate)(audio)
    stereo = es.StereoMuxer()(audio, audio)
    _momentary, _short, integrated, _range = es.LoudnessEBUR128(sampleRate=sample_rate)(stereo)
    dynamic_complexity, _loudness = es.DynamicComplexity(sampleRate=sample_rate)(audio)
    danceability, _dfa = es.Danceability(sampleRate=sample_rate)(_excerpt(audio, sample_rate, 60))
    energy, brightness = energy_and_brightness(audio, sample_rate)
    return {
        "bpm": round(bpm, 2),
        # degara gives no confidence (0); the beat grid's regularity stands in.
        "bpm_confidence": round(_grid_regularity(intervals, confidence), 3),
        "key": key,
        "scale": scale,
        "camelot": camelot(key, scale),
        "key_strength": round(float(strength), 3),
        "loudness_lufs": round(float(integrated), 2),
        "energy": round(energy, 3),
        "brightness": round(brightness, 3),
        "danceability": round(min(1.0, float(danceability) / 3.0), 3),
        "dynamic_complexity": round(float(dynamic_complexity), 3),
        "beats": len(ticks),
    }


def fold_tempo(bpm: float, intervals: np.ndarray) -> float:
    """Fix octave errors: double implausibly slow tempos, halve implausibly fast ones."""
    if bpm <= 0:
        return 0.0
    if bpm < SLOW_FOLD_BPM and _grid_regularity(intervals, 0) > 0.5:
        return bpm * 2
    if bpm > FAST_FOLD_BPM:
        return bpm / 2
    return bpm


def _grid_regularity(intervals: np.ndarray, confidence: float) -> float:
    """0-1: how steady the beat intervals are (1 = metronome)."""
    if confidence and confidence > 0:
        return min(1.0, float(confidence) / 5.32)  # multifeature's documented maximum
    intervals = np.asarray(intervals, dtype=np.float64)
    if intervals.size < 4:
        return 0.0
    spread = float(np.std(intervals) / max(np.mean(intervals), 1e-6))
    return max(0.0, 1.0 - spread * 5)


def energy_and_brightness(audio: np.ndarray, sample_rate: int) -> tuple[float, float]:
    """Energy from loudness and onset density; brightness from the spectral centroid."""
    frame = 2048
    hop = sample_rate // 10  # 100 ms hops are plenty for averages
    n = 1 + max(0, (audio.size - frame) // hop)
    idx = np.arange(frame)[None, :] + hop * np.arange(n)[:, None]
    frames = audio[np.minimum(idx, audio.size - 1)] * np.hanning(frame)
    spectrum = np.abs(np.fft.rfft(frames, axis=1))
    power = (spectrum**2).sum(axis=1)
    rms_db = 10 * np.log10(power / frame + 1e-12)
    loud = float(np.clip((np.percentile(rms_db, 75) + 45) / 40, 0, 1))
    # Positive spectral flux between frames: drums and dense arrangements.
    flux = np.maximum(np.diff(np.log1p(spectrum), axis=0), 0).mean() if n > 1 else 0.0
    busy = float(np.clip(flux / 0.35, 0, 1))
    freqs = np.fft.rfftfreq(frame, 1 / sample_rate)
    weights = spectrum.sum(axis=0)
    centroid = float((freqs * weights).sum() / max(weights.sum(), 1e-12))
    brightness = float(np.clip(math.log2(max(centroid, 100) / 250) / math.log2(6000 / 250), 0, 1))
    return 0.65 * loud + 0.35 * busy, brightness


def _excerpt(audio: np.ndarray, sample_rate: int, seconds: float) -> np.ndarray:
    """The middle ``seconds`` of ``audio``."""
    length = int(seconds * sample_rate)
    if audio.size <= length:
        return audio
    start = (audio.size - length) // 2
    return audio[start : start + length]
