"""Synthesise music with a known tempo and key: pick a renderer and write the audio.

The music is simple on purpose (``seeds.synth_score``). Tests use it as ground truth for
tempo and key detection, and :mod:`seeds.demo_library` builds the demo library from it
(``python -m seeds.synth DEST``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from seeds.synth_fluidsynth import fluidsynth_audio
from seeds.synth_numpy import render_numpy
from seeds.synth_score import TrackSpec

SYNTH_VERSION = 1  # bump whenever the rendered audio changes


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
    audio = fluidsynth_audio(spec, sample_rate) if renderer == "fluidsynth" else None
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
