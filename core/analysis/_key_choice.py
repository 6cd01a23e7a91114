"""Choosing a key between the key profile's answer and its close neighbours.

Essentia's key profile reads the whole track's pitch classes, which a minor key shares with
its relative major (A minor and C major) and almost with the major key a tone below (A
aeolian's G and F chords lean to G major). On the truth library 92 of its 101 misses were
such minor pieces heard as major. The chord a piece opens on usually names its tonic, so
the profile's key and those neighbours are weighed by how well each one's tonic triad fits
the opening's chroma (``core.analysis._opening``); the profile's own answer keeps a head
start, so a clear opening is needed to move it.
"""

from __future__ import annotations

import numpy as np

from core.analysis._keys import PITCH_CLASSES, camelot, pitch_class_or_none

# The profile's key wins unless another candidate's triad fits the opening this much better
# (cosine, 0-1). Read off the tuning library (bench/mood_fit.py, library 0): 0.1 took its
# key accuracy from 159/260 (the profile alone) to 210/260 and mode from 165 to 221; no head
# start (the opening alone) gave 206 keys, 0.2 gave 197.
PROFILE_HEAD_START = 0.1
# Candidates beside the profile's key: (semitones up, other mode). For a major answer: its
# relative minor, the minor a tone up (the major key's ii) and the parallel minor.
_NEIGHBOURS = {"major": ((9, "minor"), (2, "minor"), (0, "minor")),
               "minor": ((3, "major"), (-2, "major"), (0, "major"))}  # fmt: skip


def _triad_fit(chroma: np.ndarray, root: int, scale: str) -> float:
    triad = np.zeros(12)
    triad[[root % 12, (root + (3 if scale == "minor" else 4)) % 12, (root + 7) % 12]] = 1.0
    norm = float(np.linalg.norm(chroma))
    return float(chroma @ triad) / (norm * np.sqrt(3)) if norm > 0 else 0.0


def refine_key(key: str, scale: str, opening: list[float] | None) -> tuple[str, str]:
    """The key and scale to report, given the profile's answer and the opening chroma."""
    root = pitch_class_or_none(key)
    if root < 0 or scale not in _NEIGHBOURS or not opening or len(opening) != 12:
        return key, scale
    chroma = np.asarray(opening, dtype=float)
    best = (_triad_fit(chroma, root, scale) + PROFILE_HEAD_START, root, scale)
    for step, other in _NEIGHBOURS[scale]:
        fit = _triad_fit(chroma, root + step, other)
        if fit > best[0]:
            best = (fit, (root + step) % 12, other)
    return PITCH_CLASSES[best[1]], best[2]


def key_fields(features: dict) -> dict:
    """``key``, ``scale`` and ``camelot`` after weighing the opening chord."""
    key, scale = refine_key(features.get("key"), features.get("scale"),
                            features.get("opening_chroma"))  # fmt: skip
    if (key, scale) == (features.get("key"), features.get("scale")):
        return {}
    return {"key": key, "scale": scale, "camelot": camelot(key, scale)}
