"""Synthesise music with a known tempo and key.

The music is simple on purpose: a kick on every beat, a four-bar chord progression over a
bass line on the chord roots, and percussion/arpeggios that grow with ``energy`` and
``brightness``. Tests use it as ground truth for tempo and key detection, and
:mod:`seeds.demo_library` builds the demo library from it (``python -m seeds.synth DEST``).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Key names as Essentia's KeyExtractor (and core.analysis.PITCH_CLASSES) spell them.
NOTE_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_ALIASES = {"Db": "C#", "D#": "Eb", "Gb": "F#", "G#": "Ab", "A#": "Bb", "Cb": "B", "Fb": "E"}
MAJOR, MINOR = (0, 4, 7), (0, 3, 7)
# (root offset from the tonic, triad) per bar: I-vi-IV-V and i-VI-III-VII.
PROGRESSIONS = {
    "major": ((0, MAJOR), (9, MINOR), (5, MAJOR), (7, MAJOR)),
    "minor": ((0, MINOR), (8, MAJOR), (3, MAJOR), (10, MAJOR)),
}
SYNTH_VERSION = 1  # bump whenever the rendered audio changes
FLUIDSYNTH = Path("/usr/bin/fluidsynth")
SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
GM_DRUMS = {"kick": 36, "snare": 38, "hat": 42}
# General MIDI programs per part for dark, medium and bright tracks.
GM_PROGRAMS = {"pad": (89, 48, 90), "bass": (33, 38, 39), "lead": (11, 0, 80)}


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
        key = _ALIASES.get(self.key, self.key)
        if key not in NOTE_NAMES:
            raise ValueError(f"unknown key {self.key!r}")
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
    tonic = NOTE_NAMES.index(spec.key)
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


def _midi_hz(pitch: float) -> float:
    return 440.0 * 2.0 ** ((pitch - 69) / 12)


def _wavetable(n_harm: int, rolloff: float, size: int = 4096) -> np.ndarray:
    phase = np.arange(size) / size
    k = np.arange(1, n_harm + 1)[:, None]
    table = (k**-rolloff * np.sin(2 * np.pi * k * phase)).sum(axis=0)
    return np.append(table, table[0]) / np.abs(table).max()


def _tone(table: np.ndarray, freq: float, n: int, sr: int) -> np.ndarray:
    size = len(table) - 1
    phase = (np.arange(n) * (freq * size / sr)) % size
    return np.interp(phase, np.arange(size + 1), table)


def _envelope(n: int, sr: int, attack: float, decay: float, sustain: float) -> np.ndarray:
    t = np.arange(n) / sr
    env = sustain + (1 - sustain) * np.exp(-t / decay)
    env *= np.minimum(1.0, t / attack)
    tail = min(n, int(0.08 * sr))  # short release so notes do not click
    env[n - tail :] *= np.linspace(1.0, 0.0, tail)
    return env


def _drum(part: str, spec: TrackSpec, rng: np.random.Generator, sr: int) -> np.ndarray:
    t = np.arange(int(0.35 * sr)) / sr
    if part == "kick":  # pitch-swept sine with a click, settling on the tonic (F1-E2)
        tonic = NOTE_NAMES.index(spec.key)
        freq = _midi_hz(29 + (tonic - 5) % 12) + 90 * np.exp(-t / 0.03)
        body = np.sin(2 * np.pi * np.cumsum(freq) / sr) * np.exp(-t / (0.12 + 0.08 * spec.energy))
        return body + 0.3 * rng.standard_normal(len(t)) * np.exp(-t / 0.003)
    noise = np.diff(rng.standard_normal(len(t) + 1))  # high-passed white noise
    if part == "snare":
        tone = np.sin(2 * np.pi * 185 * t) * np.exp(-t / 0.04)
        return 0.5 * noise * np.exp(-t / 0.07) + 0.6 * tone
    return 0.5 * np.diff(noise, append=0.0) * np.exp(-t / (0.015 + 0.04 * spec.brightness))


def _master(audio: np.ndarray, spec: TrackSpec, sr: int) -> np.ndarray:
    """Set loudness from energy, soft-limit peaks, fade out; return float32."""
    audio = audio - audio.mean()
    rms = float(np.sqrt(np.mean(audio**2))) or 1.0
    audio = audio * (10 ** ((-24 + 14 * spec.energy) / 20) / rms)
    audio = 0.95 * np.tanh(audio / 0.95)
    fade = min(len(audio), sr)
    audio[len(audio) - fade :] *= np.linspace(1.0, 0.0, fade)
    return audio.astype(np.float32)


def render_numpy(spec: TrackSpec, sample_rate: int = 44100) -> np.ndarray:
    """Render a track with additive synthesis in numpy.

    Args:
        spec: The track to render.
        sample_rate: Output sample rate in Hz.

    Returns:
        Mono float32 audio of ``spec.duration_s`` seconds, peaks below 1.0.
    """
    sr, e, b = sample_rate, spec.energy, spec.brightness
    rng = np.random.default_rng(spec.seed + 1)
    tables = {
        "pad": _wavetable(3 + int(12 * b), 2.0 - 1.2 * b),
        "bass": _wavetable(4 + int(8 * b), 1.3),
        "lead": _wavetable(2 + int(10 * b), 1.6 - 0.8 * b),
    }
    envs = {"pad": (0.02 + 0.3 * (1 - e), 1.5, 0.7), "bass": (0.01, 0.4, 0.6)}
    envs["lead"] = (0.005, 0.1 + 0.2 * (1 - e), 0.15)
    gains = {"pad": 0.2, "bass": 0.4, "lead": 0.15, "kick": 0.9, "snare": 0.35, "hat": 0.2}
    drums = {p: [_drum(p, spec, rng, sr) for _ in range(4)] for p in GM_DRUMS}
    out = np.zeros(round(spec.duration_s * sr) + sr)
    cache: dict[tuple[str, int, int], np.ndarray] = {}
    for i, note in enumerate(make_score(spec)):
        start = round(note.start * sr)
        if note.part in drums:
            sound = drums[note.part][i % 4]
        else:
            n = round(note.dur * sr)
            key = (note.part, note.pitch, n)
            if key not in cache:
                freq = _midi_hz(note.pitch)
                wave = _tone(tables[note.part], freq, n, sr)
                if note.part == "pad":  # detuned second voice for a chorus-like shimmer
                    wave = 0.5 * (wave + _tone(tables["pad"], freq * 1.003, n, sr))
                cache[key] = wave * _envelope(n, sr, *envs[note.part])
            sound = cache[key]
        sound = sound[: len(out) - start]
        out[start : start + len(sound)] += gains[note.part] * note.vel * sound
    return _master(out[: round(spec.duration_s * sr)], spec, sr)


def fluidsynth_available() -> bool:
    """Tell whether pretty_midi, ``/usr/bin/fluidsynth`` and the GM soundfont are all present."""
    try:
        import pretty_midi  # noqa: F401
    except ImportError:
        return False
    return FLUIDSYNTH.exists() and SOUNDFONT.exists()


def _midi(spec: TrackSpec):  # -> pretty_midi.PrettyMIDI
    import pretty_midi

    midi = pretty_midi.PrettyMIDI(initial_tempo=float(spec.bpm))
    shade = min(2, int(spec.brightness * 3))
    parts: dict[str, pretty_midi.Instrument] = {}
    for note in make_score(spec):
        if note.part not in parts:
            drum = note.part in GM_DRUMS
            program = 0 if drum else GM_PROGRAMS[note.part][shade]
            parts[note.part] = pretty_midi.Instrument(program, is_drum=drum, name=note.part)
            midi.instruments.append(parts[note.part])
        velocity = round(127 * note.vel * (0.55 + 0.45 * spec.energy))
        if velocity >= 8:
            end = note.start + note.dur
            parts[note.part].notes.append(pretty_midi.Note(velocity, note.pitch, note.start, end))
    return midi


def _fluidsynth_audio(spec: TrackSpec, sample_rate: int) -> np.ndarray | None:
    """Render through pretty_midi and the fluidsynth CLI; None when either is unavailable."""
    if not fluidsynth_available():
        return None
    import soundfile as sf

    with tempfile.TemporaryDirectory(prefix="moodroom-synth-") as tmp:
        mid, wav = Path(tmp, "track.mid"), Path(tmp, "track.wav")
        _midi(spec).write(str(mid))
        cmd = [str(FLUIDSYNTH), "-ni", "-q", "-g", "0.5", "-r", str(sample_rate)]
        cmd += ["-F", str(wav), str(SOUNDFONT), str(mid)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=600)
        audio, _ = sf.read(wav, dtype="float64", always_2d=True)
    audio = audio.mean(axis=1)
    n = round(spec.duration_s * sample_rate)
    audio = np.pad(audio[:n], (0, max(0, n - len(audio))))
    return _master(audio, spec, sample_rate)


def render_fluidsynth(spec: TrackSpec, path: str | Path, sample_rate: int = 44100) -> str:
    """Render a track with a General MIDI soundfont into a 16-bit WAV file.

    Writes MIDI with pretty_midi and renders it with ``/usr/bin/fluidsynth`` and
    ``FluidR3_GM.sf2``; falls back to :func:`render_numpy` when any of these is missing.

    Args:
        spec: The track to render.
        path: Destination WAV file; parent directories are created.
        sample_rate: Output sample rate in Hz.

    Returns:
        The renderer used: ``"fluidsynth"`` or ``"numpy"``.
    """
    import soundfile as sf

    audio, used = render(spec, "fluidsynth", sample_rate)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    sf.write(str(path), audio, sample_rate, format="WAV", subtype="PCM_16")
    return used


def render(spec: TrackSpec, renderer: str = "numpy", sample_rate: int = 44100):
    """Render with ``renderer`` (``"numpy"`` or ``"fluidsynth"``, which falls back to numpy).

    Args:
        spec: The track to render.
        renderer: Preferred renderer.
        sample_rate: Output sample rate in Hz.

    Returns:
        ``(audio, renderer_used)``: mono float32 audio and ``"numpy"`` or ``"fluidsynth"``.
    """
    if renderer not in ("numpy", "fluidsynth"):
        raise ValueError(f"renderer must be 'numpy' or 'fluidsynth', not {renderer!r}")
    audio = _fluidsynth_audio(spec, sample_rate) if renderer == "fluidsynth" else None
    if audio is not None:
        return audio, "fluidsynth"
    return render_numpy(spec, sample_rate), "numpy"


def __getattr__(name: str):
    """Re-export the file-writing API of :mod:`seeds.demo_library` (imported lazily)."""
    if name in ("write_track", "demo_specs", "build_demo_library", "main"):
        from seeds import demo_library

        return getattr(demo_library, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    from seeds.demo_library import main

    sys.exit(main())
