"""What the onset function says beyond the beat tracker: onset rate and tempo-octave support.

Both read the complex-domain onset function that ``core.analysis._features.beat_track`` already
computes (frames of ``ODF_HOP`` samples), so they cost a few milliseconds per track.
``core.analysis._derived.choose_tempo_octave`` decides with them.
"""

from __future__ import annotations

import numpy as np

ODF_HOP = 1024  # BeatTrackerDegara's onset-function hop (samples at 44.1 kHz)


OCTAVE_FACTORS = (0.5, 2 / 3, 1.0, 1.5, 2.0)


def tempo_support(onsets: np.ndarray, bpm: float, sample_rate: int = 44100) -> list[float]:
    """How periodic the onset function is at ``bpm`` times each of ``OCTAVE_FACTORS``.

    The normalised autocorrelation at one and two beat periods of each candidate tempo:
    a beat tracker's octave (or 2:3) error shows as a candidate with more support.
    """
    x = np.asarray(onsets, dtype=np.float64)
    if bpm <= 0 or x.size < 64:
        return [0.0] * len(OCTAVE_FACTORS)
    x = (x - x.mean()) / (x.std() + 1e-9)
    spectrum = np.fft.rfft(x, 2 * x.size)
    acf = np.fft.irfft(spectrum * np.conj(spectrum))[: x.size] / x.size
    frame_rate = sample_rate / ODF_HOP
    out = []
    for factor in OCTAVE_FACTORS:
        period = 60.0 / (bpm * factor) * frame_rate
        values = []
        for k in (1, 2):
            lag = k * period
            lo, hi = int(lag * 0.97), int(np.ceil(lag * 1.03)) + 1
            values.append(float(acf[lo:hi].max()) if hi < acf.size else 0.0)
        out.append(round(float(np.mean(values)), 4))
    return out


def onset_rate(onsets: np.ndarray, sample_rate: int = 44100) -> float:
    """Onsets per second: peaks of the onset function standing clear of its running median.

    Drum'n'bass or metal played at 170 BPM and a ballad at 85 BPM can share a beat tracker's
    answer; their onset rates differ by about two, which is what picks the tempo octave.
    """
    x = np.asarray(onsets, dtype=np.float64)
    if x.size < 8:
        return 0.0
    frame_rate = sample_rate / ODF_HOP
    width = max(3, int(frame_rate * 0.5)) | 1  # half-second running median
    padded = np.pad(x, width // 2, mode="edge")
    median = np.median(np.lib.stride_tricks.sliding_window_view(padded, width), axis=1)
    threshold = median + 0.5 * np.median(np.abs(x - np.median(x))) + 1e-9
    peaks = (x[1:-1] > x[:-2]) & (x[1:-1] >= x[2:]) & (x[1:-1] > threshold[1:-1] * 1.3)
    return float(peaks.sum() / (x.size / frame_rate))
