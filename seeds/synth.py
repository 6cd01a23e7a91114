"""Synthesise music with a known tempo and key: the score, rendered by numpy or fluidsynth.

The music is simple on purpose (``seeds.synth_score``). Tests use it as ground truth for
tempo and key detection, and :mod:`seeds.demo_library` builds the demo library from it
(``python -m seeds.synth DEST``).
"""

from __future__ import annotations

import sys

from seeds.synth_fluidsynth import fluidsynth_audio
from seeds.synth_numpy import render_numpy
from seeds.synth_score import TrackSpec

SYNTH_VERSION = 1  # bump whenever the rendered audio changes


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


if __name__ == "__main__":
    from seeds.demo_library import main

    sys.exit(main())
