"""The score of a synthetic track: what ``TrackSpec`` asks for, laid out as notes.

A kick on every beat, a four-bar chord progression over a bass line on the chord roots, and
percussion/arpeggios that grow with ``energy`` and ``brightness``. Both renderers
(``seeds.synth_numpy`` and ``seeds.synth_fluidsynth``) play the same score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.analysis import PITCH_CLASSES, pitch_class

MAJOR, MINOR = (0, 4, 7), (0, 3, 7)
# (root offset from the tonic, triad) per bar: I-vi-IV-V and i-VI-III-VII.
PROGRESSIONS = {
    "major": ((0, MAJOR), (9, MINOR), (5, MAJOR), (7, MAJOR)),
    "minor": ((0, MINOR), (8, MAJOR), (3, MAJOR), (10, MAJOR)),
}
GM_DRUMS = {"kick": 36, "snare": 38, "hat": 42}  # also the percussion parts of the score


@dataclass(frozen=True)
class TrackSpec:
    """Everything needed to render one track, and its ground truth.

    Attributes:
        title: Track title tag.
        artist: Artist tag.
        album: Album tag.
        genre: Genre tag.
        bpm: Tempo in beats per minute; the kick falls on every beat.
        key: Tonic, e.g. ``"A"`` or ``"F#"`` (flats/sharps are normalised to Essentia's names).
        scale: ``"major"`` or ``"minor"``.
        duration_s: Length in seconds.
        energy: 0-1; drives loudness, note density and percussion.
        brightness: 0-1; drives timbre (harmonics) and hi-hats.
        seed: Random seed; equal specs render identical audio.
        tracknumber: Track number tag.
    """

    title: str
    artist: str
    album: str
    genre: str
    bpm: float
    key: str
    scale: str
    duration_s: float
    energy: float
    brightness: float
    seed: int
    tracknumber: int = 1

    def __post_init__(self) -> None:
        """Validate the spec and normalise the key name."""
        key = PITCH_CLASSES[pitch_class(self.key)]  # raises ValueError for an unknown key
        if self.scale not in PROGRESSIONS:
            raise ValueError(f"scale must be 'major' or 'minor', not {self.scale!r}")
        if not (20 <= self.bpm <= 300 and self.duration_s > 0):
            raise ValueError("bpm must be within 20-300 and duration_s positive")
        object.__setattr__(self, "key", key)


@dataclass(frozen=True)
class Note:
    """One note of the score: part name, MIDI pitch, start and length (s), velocity 0-1."""

    part: str
    pitch: int
    start: float
    dur: float
    vel: float


def make_score(spec: TrackSpec) -> list[Note]:
    """Lay out the notes of a track; the numpy and fluidsynth renderers share it.

    Args:
        spec: The track to lay out.

    Returns:
        Notes sorted by start time. Percussion uses the parts ``kick``, ``snare`` and ``hat``.
    """
    rng = np.random.default_rng(spec.seed)
    beat, e, b = 60.0 / spec.bpm, spec.energy, spec.brightness
    tonic = PITCH_CLASSES.index(spec.key)
    n_beats = int(spec.duration_s / beat)
    # Sub-beat onsets below ~80 bpm make Essentia's degara tracker report double time.
    fast = spec.bpm >= 80
    hat_div = (4 if e > 0.75 else 2) if fast else 1
    hat_div = hat_div if (e > 0.3 or b > 0.5) else 0
    notes: list[Note] = []
    for i in range(n_beats):
        t, (bar, pos) = i * beat, divmod(i, 4)
        notes.append(Note("kick", GM_DRUMS["kick"], t, 0.3, 0.75 + 0.25 * e * (pos == 0)))
        # A 2/4 backbeat above ~150 bpm makes degara report half time: clap every beat.
        if e > 0.35 and (pos in (1, 3) or spec.bpm >= 140):
            notes.append(Note("snare", GM_DRUMS["snare"], t, 0.2, 0.4 + 0.5 * e))
        for j in range(hat_div):
            accent = 1.0 if j == 0 else 0.6
            notes.append(Note("hat", GM_DRUMS["hat"], t + j * beat / hat_div, 0.1, accent * b))
        root, triad = PROGRESSIONS[spec.scale][bar % 4]
        root = (tonic + root) % 12
        left = min(4, n_beats - i) * beat
        if pos == 0:  # pad: close voicing between MIDI 55 and 66, over a tonic pedal
            for iv in triad:
                notes.append(Note("pad", 55 + (root + iv - 7) % 12, t, left, 0.5))
            # I-vi-IV-V and its relative minor i-VI-III-VII hold the same pitch classes;
            # the pedal makes the tonic (hence the mode) unambiguous.
            notes.append(Note("pad", 48 + tonic, t, left, 0.7))
        if pos == 0 or (e > 0.5 and pos == 2):  # bass on the root, MIDI 36-47
            notes.append(Note("bass", 36 + root, t, min(left, beat * (4 if e <= 0.5 else 2)), 0.8))
        if e > 0.45:  # arpeggio on chord tones, octave above the pad
            steps = 2 if (e > 0.7 and fast) else 1
            for j in range(steps):
                pc = tonic if j == pos == 0 else root + triad[int(rng.integers(0, 3))]
                pitch = 67 + (pc - 7) % 12
                notes.append(Note("lead", pitch, t + j * beat / steps, beat / steps, 0.5 + 0.3 * e))
    return sorted(notes, key=lambda n: n.start)
