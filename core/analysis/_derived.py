"""What the analyser concludes from its measurements: energy, valence, tempo octave and key.

``core.analysis._features`` measures (loudness, spectral flux, onset rate, the beat tracker's
tempo); musicnn gives tag scores. Here those become the scores people see, each on one fixed
0-1 scale, so the same track reads the same everywhere (library, mood results, similar tracks).
The rules are pure functions of the measurements: benchmarks recompute them from cached
measurements, and a change here needs no re-analysis of the audio in the benchmarks.
"""

from __future__ import annotations

import math

import numpy as np

from core.analysis._key_choice import key_fields


def derive(features: dict, tags: dict[str, float]) -> dict:
    """``features`` completed with ``energy``, ``valence`` and the octave-checked ``bpm``."""
    out = dict(features)
    bpm, confidence = choose_tempo_octave(out, tags)
    out["bpm"], out["bpm_octave_confidence"] = round(bpm, 2), round(confidence, 3)
    out["energy"] = round(energy(out, tags), 3)
    out.update(key_fields(out))
    out["valence"] = estimate_valence(out, tags)
    return out


def _squash(x: float, lo: float, hi: float) -> float:
    return float(np.clip((x - lo) / (hi - lo), 0.0, 1.0))


# Energy ranges, from what the measurements mean rather than fitted to one library:
# ``loud_db`` is the level of a track's louder frames (its 75th percentile), about 29 dB
# above dBFS, so -2..16 spans quiet chamber music (-31 dBFS) to a dense band (-13 dBFS and
# up, where it saturates: mastered rock and electronic music all read loud). Spectral flux
# (mean positive change of the log spectrum between 100 ms frames) grows with note density
# and drums; its log spans 0.006 (a held pad) to 0.2 (full drum kit and bass).
LOUD_DB_RANGE = (-2.0, 16.0)
LOG_FLUX_RANGE = (-2.2, -0.7)
# The mean of those two parts ranks tracks well but crowds the loud end (a band at full
# tilt is only a little louder and denser than a pop song). The scale people see is
# anchored on composed energy: the median raw value of each level of the truth library's
# tuning half (bench/mood_fit.py) maps to 0.1, 0.3, 0.5, 0.7 and 0.9, linearly between.
ENERGY_KNOTS = ((0.0, 0.0), (0.234, 0.1), (0.491, 0.3), (0.646, 0.5), (0.742, 0.7),
                (0.784, 0.9), (1.0, 1.0))  # fmt: skip


def energy(features: dict, tags: dict[str, float]) -> float:
    """0-1 intensity: the mean of loudness and density (spectral flux), each on a fixed scale.

    On the truth library (bench/mood_fit.py) each part alone ranks tracks by their composed
    energy level with Spearman 0.96 (loudness) and 0.91 (density); together 0.96. Tags
    were tried and ranked worse on rendered audio (0.79 alone).
    """
    loud = _squash(float(features.get("loud_db", LOUD_DB_RANGE[0])), *LOUD_DB_RANGE)
    flux = math.log10(max(float(features.get("flux", 0.0)), 0.0) + 1e-3)
    raw = (loud + _squash(flux, *LOG_FLUX_RANGE)) / 2
    return float(np.interp(raw, *zip(*ENERGY_KNOTS, strict=True)))


# Tempo octave. Beat trackers lock onto every second beat of fast music, or onto a dotted
# beat (2:3). ``tempo_support`` (core.analysis._features) gives the onset function's periodicity at
# the tracked tempo times 0.5, 2/3, 1, 1.5 and 2. Rules set on the tuning half of the truth
# library (bench/mood_fit.py reports both halves against the plain tracker):
RHYTHMIC_FLUX = 0.06  # below this there is no drum pulse to trust (pads, solo strings)
# A soft brushed kit (lo-fi) adds too little flux to pass that, but the MagnaTagATune model
# hears its drums: on the truth renders every kit scored >= 0.06 and no drumless track > 0.03.
DRUMS_HEARD = 0.045
DOTTED_MARGIN = 0.05  # support at 1.5x must beat the tracked tempo's by this much
FAST_FLUX, FAST_LOUD_DB = 0.13, 8.5  # dense and loud: a full kit at speed
FAST_TAGS = ("metal", "heavy metal", "punk", "hard rock", "hardcore")
FAST_TAG_SCORE = 0.3
MAX_BPM = 200.0
# Only tracked tempos this slow are doubled: half of a 184 BPM song; a dense 100 BPM groove
# stays as it is (tests/test_analysis_accuracy.py caught 100 -> 200).
DOUBLE_BELOW_BPM = 92.0
SUPPORT_FACTORS = (0.5, 2 / 3, 1.0, 1.5, 2.0)


def choose_tempo_octave(features: dict, tags: dict[str, float]) -> tuple[float, float]:
    """The beat tracker's tempo, or 1.5x / 2x of it, with a 0-1 confidence in the choice."""
    bpm = float(features.get("bpm") or 0.0)
    support = dict(zip(SUPPORT_FACTORS, features.get("tempo_support") or [], strict=False))
    flux = float(features.get("flux") or 0.0)
    if bpm <= 0 or not support or flux < RHYTHMIC_FLUX:
        return bpm, 0.5 if bpm > 0 else 0.0
    here, dotted = support.get(1.0, 0.0), support.get(1.5, 0.0)
    if dotted > here + DOTTED_MARGIN and 1.5 * bpm <= MAX_BPM:
        return 1.5 * bpm, min(1.0, 0.5 + dotted - here)
    fast_tags = sum(float(tags.get(t, 0.0)) for t in FAST_TAGS)
    dense = flux >= FAST_FLUX and float(features.get("loud_db") or 0.0) >= FAST_LOUD_DB
    if bpm < DOUBLE_BELOW_BPM and 2 * bpm <= MAX_BPM and (dense or fast_tags >= FAST_TAG_SCORE):
        return 2 * bpm, 0.6
    return bpm, min(1.0, 0.5 + max(0.0, here - dotted) / 2)


def estimate_valence(features: dict, tags: dict[str, float]) -> float:
    """A 0-1 guess at musical positivity from mode, tempo, brightness and mood tags.

    No valence model can be obtained offline, so this blends the cues that correlate
    with it. Ranking compares the value itself (``core.catalog.ABSOLUTE``): the mode puts
    every minor-key track below 0.5 and every major-key one at 0.5 or above, so a mood's
    valence range ("sad": 0-0.3) reads as a mode preference whatever the library's mix.
    """
    major = 1.0 if features.get("scale") == "major" else 0.0
    tempo = float(np.clip((features.get("bpm", 100) - 60) / 100, 0, 1))
    bright = features.get("brightness", 0.5)
    mood = 0.5
    if tags:
        happy = tags.get("happy", 0) + tags.get("party", 0) + tags.get("catchy", 0)
        sad = tags.get("sad", 0) + tags.get("Mellow", 0)
        total = happy + sad
        mood = happy / total if total > 0 else 0.5
    # Mode is the steadiest cue on rendered and real music alike; tags lean on it less.
    return round(0.5 * major + 0.15 * tempo + 0.15 * bright + 0.2 * mood, 3)
