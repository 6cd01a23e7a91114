"""Styles of the truth library and the composer that writes each track's score.

Every fact a benchmark checks (style, tempo, key, mode, instruments, drums, energy level) is
decided here, before any audio exists; the analyser never sees it. The energy level (0-4)
is set by the composition alone: note velocities (dynamics), notes per beat (density) and
how much of the drum kit plays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.analysis import PITCH_CLASSES

MAJOR_SCALE, MINOR_SCALE = (0, 2, 4, 5, 7, 9, 11), (0, 2, 3, 5, 7, 8, 10)
# Chord roots as scale degrees (0-based) per bar.
PROGRESSIONS = {
    "major": ((0, 4, 5, 3), (0, 5, 3, 4), (1, 4, 0, 0)),
    "minor": ((0, 5, 2, 6), (0, 3, 4, 0), (0, 6, 5, 6)),
}
COMPOSER_VERSION = 1  # bump with any change that alters a score
VELOCITY = (34, 52, 72, 96, 118)  # base velocity per energy level
DENSITY = (0.25, 0.5, 1, 2, 4)  # melody notes per beat per energy level
KICK, SNARE, RIM, CLAP, HAT, PEDAL, OPEN_HAT, CRASH, RIDE, TAMB = (
    36, 38, 37, 39, 42, 44, 46, 49, 51, 54)  # fmt: skip


@dataclass(frozen=True)
class Style:
    """How one style sounds: tempo range, energy levels, drum pattern and GM programs."""

    name: str
    genre: str
    tempo: tuple[int, int]
    levels: tuple[int, ...]
    drums: str | None  # pattern name; None: no drums at any level
    drums_from: int  # lowest energy level that has drums
    electronic: bool
    programs: dict  # part -> GM program (chords, bass, lead); missing part = not played
    comp: str  # how chords are played: pad, block, strum, power, stab, arpeggio
    artists: tuple[str, str]


STYLES = (
    Style("ambient", "Ambient", (60, 84), (0, 1), None, 9, True,
          {"chords": 89, "lead": 91}, "pad", ("Glass Fathom", "Soft Meridian")),
    Style("piano", "Classical", (60, 110), (0, 1, 2), None, 9, False,
          {"chords": 0, "lead": 0}, "arpeggio", ("Ines Calder", "Tomas Wren")),
    Style("folk", "Folk", (80, 124), (1, 2), "folk", 2, False,
          {"chords": 25, "bass": 32, "lead": 73}, "strum", ("Hollow Pines", "Mira Lowe")),
    Style("strings", "Classical", (60, 104), (0, 1, 2), None, 9, False,
          {"chords": 48, "bass": 42, "lead": 40}, "pad", ("Aster Quartet", "Norwood Strings")),
    Style("jazz", "Jazz", (96, 168), (1, 2, 3), "jazz", 1, False,
          {"chords": 0, "bass": 32, "lead": 65}, "block", ("Blue Lantern Trio", "Otis Fenn")),
    Style("lofi", "Lo-fi", (70, 90), (1, 2), "lofi", 1, True,
          {"chords": 4, "bass": 33, "lead": 11}, "block", ("Dusk Tapes", "Paper Radio")),
    Style("pop", "Pop", (96, 128), (2, 3), "pop", 2, True,
          {"chords": 0, "bass": 38, "lead": 80}, "block", ("Sunny Arcade", "Lila Bright")),
    Style("rock", "Rock", (110, 190), (3, 4), "rock", 3, False,
          {"chords": 29, "bass": 34, "lead": 30}, "power", ("Iron Porch", "The Static Kings")),
    Style("metal", "Metal", (140, 190), (4,), "metal", 4, False,
          {"chords": 30, "bass": 34, "lead": 30}, "power", ("Black Anvil", "Grave Current")),
    Style("house", "House", (118, 128), (3,), "house", 3, True,
          {"chords": 81, "bass": 38, "lead": 80}, "stab", ("Deep Hours", "Velour Club")),
    Style("techno", "Techno", (125, 140), (3, 4), "techno", 3, True,
          {"chords": 90, "bass": 39, "lead": 81}, "stab", ("Concrete Loop", "Unit Nine")),
    Style("dnb", "Drum and Bass", (165, 178), (4,), "dnb", 4, True,
          {"chords": 89, "bass": 38, "lead": 81}, "pad", ("Jet Circuit", "Fast Forward")),
    Style("hiphop", "Hip-Hop", (80, 100), (2, 3), "hiphop", 2, True,
          {"chords": 4, "bass": 38, "lead": 11}, "stab", ("MC Lowlight", "Corner Theory")),
)  # fmt: skip
BY_NAME = {s.name: s for s in STYLES}


@dataclass(frozen=True)
class Piece:
    """One track's score parameters: everything the manifest records as truth."""

    style: str
    tempo: int
    key: str
    mode: str
    level: int
    duration: float
    seed: int

    @property
    def drums(self) -> bool:
        style = BY_NAME[self.style]
        return style.drums is not None and self.level >= style.drums_from


def compose(piece: Piece):  # -> pretty_midi.PrettyMIDI
    """The MIDI score of ``piece``."""
    import pretty_midi

    style, rng = BY_NAME[piece.style], np.random.default_rng(piece.seed)
    midi = pretty_midi.PrettyMIDI(initial_tempo=float(piece.tempo))
    beat = 60.0 / piece.tempo
    bars = max(4, int(piece.duration / (4 * beat)))
    tonic = 48 + PITCH_CLASSES.index(piece.key)
    scale = MAJOR_SCALE if piece.mode == "major" else MINOR_SCALE
    progression = PROGRESSIONS[piece.mode][int(rng.integers(0, 3))]
    vel = VELOCITY[piece.level]
    parts = {p: pretty_midi.Instrument(prog, name=p) for p, prog in style.programs.items()}
    for bar in range(bars):
        t0, degree = bar * 4 * beat, progression[bar % 4]
        chord = [tonic + _degree(scale, degree + i) for i in (0, 2, 4)]
        if bar % 4 == 0:  # the tonic on the first bar of each phrase keeps the key clear
            chord = [tonic + _degree(scale, i) for i in (0, 2, 4)]
        if "chords" in parts:
            _chords(parts["chords"], style.comp, chord, t0, beat, vel, piece.level, rng)
        if "bass" in parts:
            _bass(parts["bass"], chord[0] - 12, t0, beat, vel, piece.level, style, rng)
        if "lead" in parts and (piece.level > 0 or bar % 2 == 0):
            _melody(parts["lead"], tonic + 12, scale, chord, t0, beat, vel, piece.level, rng)
    midi.instruments.extend(parts.values())
    if piece.drums:
        midi.instruments.append(_drums(style.drums, bars, beat, vel, piece.level, rng))
    return midi


def _degree(scale: tuple[int, ...], degree: int) -> int:
    octave, step = divmod(degree, 7)
    return 12 * octave + scale[step]


def _note(part, pitch: int, start: float, dur: float, vel: float) -> None:
    import pretty_midi

    velocity = int(np.clip(vel, 1, 127))
    part.notes.append(pretty_midi.Note(velocity, int(pitch), start, start + max(dur, 0.05)))


def _chords(part, comp, chord, t0, beat, vel, level, rng) -> None:
    bar = 4 * beat
    if comp == "pad":
        for p in chord:
            _note(part, p, t0, bar, vel - 8)
    elif comp == "arpeggio":  # piano: broken chords, more notes as the level rises
        steps = (2, 4, 8)[min(level, 2)]
        for i in range(steps):
            pitch = chord[i % 3] + (12 if (i // 3) % 2 else 0)
            _note(
                part, pitch, t0 + i * bar / steps, bar / steps * 1.5, vel - 6 + rng.integers(-5, 6)
            )
        _note(part, chord[0] - 12, t0, bar, vel - 10)
    elif comp == "strum":  # guitar: strums on the beats, eighths when busier
        hits = 4 if level <= 1 else 8
        for i in range(hits):
            for j, p in enumerate([*chord, chord[0] + 12]):
                _note(part, p, t0 + i * bar / hits + 0.012 * j, bar / hits, vel - 4 * (i % 2))
    elif comp == "power":  # distorted root + fifth in driving eighths
        for i in range(8):
            for p in (chord[0] - 12, chord[0] - 5):
                _note(part, p, t0 + i * beat / 2, beat / 2 * 0.9, vel)
    elif comp == "stab":  # off-beat chord stabs
        for i in range(4):
            for p in chord:
                _note(part, p + 12, t0 + (i + 0.5) * beat, beat * 0.3, vel - 6)
    else:  # block: one chord per half bar (two when busier)
        hits = 2 if level <= 2 else 4
        for i in range(hits):
            for p in chord:
                _note(part, p, t0 + i * bar / hits, bar / hits * 0.9, vel - 8)


def _bass(part, root, t0, beat, vel, level, style, rng) -> None:
    if style.name == "dnb":  # rolling sub: syncopated, two bars of the break's phrase
        for offset, length in ((0, 1.5), (1.5, 0.5), (2.5, 1.5)):
            _note(part, root - 12, t0 + offset * beat, length * beat, vel)
        return
    per_bar = (1, 2, 4, 8, 8)[level]
    for i in range(per_bar):
        pitch = root + (7 if per_bar >= 8 and i % 4 == 3 else 0)
        _note(part, pitch, t0 + i * 4 * beat / per_bar, 4 * beat / per_bar * 0.9, vel - 4)


def _melody(part, base, scale, chord, t0, beat, vel, level, rng) -> None:
    per_beat = DENSITY[level]
    n = max(1, int(4 * per_beat))
    step = 4 * beat / n
    degree = int(rng.integers(0, 7))
    for i in range(n):
        if rng.random() < 0.15:
            continue  # rests keep the line human
        if i % max(1, n // 4) == 0:  # strong beats land on chord tones
            pitch = chord[int(rng.integers(0, 3))] + 12
        else:
            degree = int(np.clip(degree + rng.integers(-2, 3), 0, 9))
            pitch = base + _degree(scale, degree)
        _note(part, pitch, t0 + i * step, step * 0.95, vel + rng.integers(-6, 7))


DRUM_PATTERNS = {  # sixteenth-note steps per bar: {drum: [(step, accent)]}
    "pop": {KICK: [0, 8], SNARE: [4, 12], HAT: [0, 2, 4, 6, 8, 10, 12, 14]},
    "rock": {KICK: [0, 6, 8], SNARE: [4, 12], HAT: [0, 2, 4, 6, 8, 10, 12, 14], CRASH: [0]},
    "metal": {KICK: list(range(0, 16, 2)), SNARE: [4, 12], RIDE: list(range(0, 16, 2)),
              CRASH: [0, 8]},
    "house": {KICK: [0, 4, 8, 12], CLAP: [4, 12], OPEN_HAT: [2, 6, 10, 14],
              HAT: list(range(16))},
    "techno": {KICK: [0, 4, 8, 12], HAT: list(range(16)), RIM: [3, 11], OPEN_HAT: [2, 6, 10, 14]},
    "dnb": {KICK: [0, 10], SNARE: [4, 12], HAT: list(range(0, 16, 2)), RIDE: [2, 6, 10, 14]},
    "hiphop": {KICK: [0, 7, 10], SNARE: [4, 12], HAT: [0, 2, 4, 6, 8, 10, 12, 14]},
    "lofi": {KICK: [0, 7, 10], SNARE: [4, 12], HAT: [0, 4, 8, 12]},
    "jazz": {RIDE: [0, 4, 7, 8, 12, 15], PEDAL: [4, 12], KICK: [0]},
    "folk": {KICK: [0, 8], TAMB: [4, 12]},
}  # fmt: skip


def _drums(pattern: str, bars: int, beat: float, vel: int, level: int, rng):
    import pretty_midi

    kit = pretty_midi.Instrument(0, is_drum=True, name="drums")
    steps = DRUM_PATTERNS[pattern]
    sixteenth = beat / 4
    for bar in range(bars):
        t0 = bar * 4 * sixteenth * 4
        for drum, positions in steps.items():
            if drum == CRASH and bar % 4:
                continue
            for step in positions:
                accent = 8 if step % 4 == 0 else 0
                jitter = rng.integers(-6, 7)
                _note(kit, drum, t0 + step * sixteenth, sixteenth, vel + accent + jitter)
        if level >= 4 and bar % 4 == 3:  # fills on the loudest level
            for step in range(8, 16):
                _note(kit, SNARE, t0 + step * sixteenth, sixteenth, vel)
    return kit
