"""The fluidsynth renderer: the score as General MIDI through a soundfont, when installed."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import numpy as np

from seeds.synth_numpy import master
from seeds.synth_score import GM_DRUMS, TrackSpec, make_score

FLUIDSYNTH = Path("/usr/bin/fluidsynth")
SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
# General MIDI programs per part for dark, medium and bright tracks.
GM_PROGRAMS = {"pad": (89, 48, 90), "bass": (33, 38, 39), "lead": (11, 0, 80)}


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


def fluidsynth_audio(spec: TrackSpec, sample_rate: int) -> np.ndarray | None:
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
    return master(audio, spec, sample_rate)
