"""Decoding audio files to mono float32 signals."""

from __future__ import annotations

from pathlib import Path

import numpy as np

ANALYSIS_RATE = 44100
# Longer files are analysed on a window around their middle: a 2-hour DJ mix
# would otherwise need gigabytes of memory for one signal.
MAX_ANALYSED_SECONDS = 600.0
# Essentia's MonoLoader cannot decode Opus; libsndfile can.
SOUNDFILE_EXTENSIONS = {".opus"}


class AudioError(Exception):
    """A file that cannot be decoded; the message is meant for people."""


def load_mono(path: str | Path, duration_hint: float | None = None) -> np.ndarray:
    """Decode ``path`` to mono float32 at 44.1 kHz.

    Args:
        path: audio file.
        duration_hint: length in seconds from the tags, if known; files longer than
            ``MAX_ANALYSED_SECONDS`` are decoded only around their middle.

    Raises:
        AudioError: the file is missing, empty, or not decodable audio.
    """
    path = Path(path)
    try:
        if path.stat().st_size == 0:
            raise AudioError("the file is empty (0 bytes)")
    except OSError as exc:
        raise AudioError(f"cannot read the file: {exc.strerror or exc}") from exc
    try:
        if path.suffix.lower() in SOUNDFILE_EXTENSIONS:
            audio = _load_soundfile(path)
        else:
            audio = _load_essentia(path, duration_hint)
    except AudioError:
        raise
    except Exception as exc:  # decoders raise RuntimeError, LibsndfileError, ...
        raise AudioError(f"not decodable audio: {_first_line(exc)}") from exc
    if audio.size < ANALYSIS_RATE:  # under a second of sound
        raise AudioError("no audio could be decoded (shorter than one second)")
    if not np.isfinite(audio).all():
        raise AudioError("the decoded audio contains invalid samples")
    return audio


def _load_essentia(path: Path, duration_hint: float | None) -> np.ndarray:
    import essentia.standard as es

    if duration_hint and duration_hint > MAX_ANALYSED_SECONDS:
        try:
            return _load_soundfile(path)  # libsndfile seeks; Essentia would decode it all
        except Exception:  # not a libsndfile format (m4a, aac): decode everything
            pass
    return np.asarray(es.MonoLoader(filename=str(path), sampleRate=ANALYSIS_RATE)(), np.float32)


def _load_soundfile(path: Path) -> np.ndarray:
    import soundfile

    with soundfile.SoundFile(str(path)) as fh:
        rate, total = fh.samplerate, fh.frames
        limit = int(MAX_ANALYSED_SECONDS * rate)
        if total > limit > 0:
            fh.seek((total - limit) // 2)
        data = fh.read(frames=min(total, limit) if total > 0 else -1, dtype="float32", always_2d=True)
    return resample(data.mean(axis=1), rate, ANALYSIS_RATE)


def resample(audio: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Resample a mono signal with Essentia's band-limited resampler."""
    if rate_in == rate_out:
        return np.ascontiguousarray(audio, dtype=np.float32)
    import essentia.standard as es

    resampler = es.Resample(inputSampleRate=rate_in, outputSampleRate=rate_out, quality=1)
    return np.asarray(resampler(np.ascontiguousarray(audio, dtype=np.float32)), np.float32)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[-1][:300] if text else type(exc).__name__
