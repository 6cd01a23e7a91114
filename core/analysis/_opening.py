"""The pitch classes of a track's first seconds: which chord it opens on.

A key profile over the whole track cannot tell a minor key from its relative major when
the two share every note (A natural minor and C major), nor from the major key a tone
below it (A aeolian's G and F chords). Pieces mostly open on their tonic chord, so the
opening's chroma is kept as a measurement, and ``core.analysis._key_choice`` (called from
``_derived``) uses it to choose between those neighbours.
"""

from __future__ import annotations

import numpy as np

OPENING_SECONDS = 4.0
FRAME, HOP = 4096, 2048
# Where the music starts: the first frame above this share of the loudest frame's RMS.
START_SHARE = 0.05


def opening_chroma(audio: np.ndarray, sample_rate: int = 44100) -> list[float]:
    """Mean 12-bin HPCP (C, C#, ... B; peak 1) of the first seconds after the music starts."""
    import essentia.standard as es

    frames = len(audio) // HOP
    if frames < 2:
        return [0.0] * 12
    rms = np.sqrt(np.mean(audio[: frames * HOP].reshape(frames, HOP) ** 2, axis=1))
    start = int(np.argmax(rms > rms.max() * START_SHARE)) * HOP
    window = audio[start : start + int(OPENING_SECONDS * sample_rate) + FRAME]
    windowing = es.Windowing(type="blackmanharris62")
    spectrum = es.Spectrum()
    peaks = es.SpectralPeaks(orderBy="magnitude", magnitudeThreshold=1e-5, minFrequency=40,
                             maxFrequency=5000, maxPeaks=60, sampleRate=sample_rate)  # fmt: skip
    hpcp = es.HPCP(size=12, referenceFrequency=440, harmonics=8, bandPreset=True,
                   minFrequency=40, maxFrequency=5000, weightType="cosine", nonLinear=False,
                   windowSize=1.0, sampleRate=sample_rate)  # fmt: skip
    chroma = [
        hpcp(*peaks(spectrum(windowing(frame))))
        for frame in es.FrameGenerator(window, frameSize=FRAME, hopSize=HOP, startFromZero=True)
    ]
    if not chroma:
        return [0.0] * 12
    mean = np.mean(chroma, axis=0)
    # Essentia's HPCP starts at the reference pitch, A; roll so that index 0 is C.
    mean = np.roll(mean, -3)
    top = float(mean.max())
    return [round(float(v / top), 4) if top > 0 else 0.0 for v in mean]
