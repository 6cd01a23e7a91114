"""Decoding audio files to mono float32 signals, and resampling them."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

ANALYSIS_RATE = 44100
# Longer files are analysed on a window around their middle: a 2-hour DJ mix
# would otherwise need gigabytes of memory for one signal.
MAX_ANALYSED_SECONDS = 600.0
# libsndfile (through soundfile) decodes these; it reads mp3 about twice as fast as Essentia's
# MonoLoader (ffmpeg) does, and it can seek. Essentia's MonoLoader cannot decode Opus at all.
# Anything else (m4a, aac, wma, ...), or a file libsndfile rejects, goes to MonoLoader.
SOUNDFILE_EXTENSIONS = {".opus", ".mp3", ".ogg", ".oga", ".flac", ".wav", ".aif", ".aiff"}
# The FFT resampler cuts the signal into blocks of whole "periods" of the rate ratio (441 input
# samples for 44.1 -> 16 kHz) with at least this much overlap on each side, and blocks of k
# overlaps where k + 2 factors into 2, 3 and 5 (fast FFT lengths), up to 16.
_MARGIN_SECONDS = 0.25
_BLOCK_MARGINS = (1, 2, 4, 6, 8, 10, 14, 16)
# Roll-off of Essentia's Resample at quality 1 (libsamplerate's medium sinc), measured on white
# noise, 44.1 -> 16 kHz: dB by fraction of the output's Nyquist frequency.
_ROLLOFF_AT = (0.85, 0.8625, 0.875, 0.8875, 0.9, 0.9125, 0.925, 0.9375, 0.95, 0.9625, 0.975)
_ROLLOFF_AT += (0.9875, 1.0)
_ROLLOFF_DB = (0.0, -0.13, -0.33, -0.89, -2.16, -4.36, -7.72, -12.65, -19.4, -28.44, -40.59)
_ROLLOFF_DB += (-57.06, -78.91)


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
        audio = None
        if path.suffix.lower() in SOUNDFILE_EXTENSIONS:
            try:
                audio = _load_soundfile(path)
            except Exception:
                if path.suffix.lower() == ".opus":
                    raise
        if audio is None:  # not a libsndfile format, or a file it rejects: try ffmpeg
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
        data = fh.read(
            frames=min(total, limit) if total > 0 else -1, dtype="float32", always_2d=True
        )
    # Downmix as MonoLoader does (mean of the channels); mono needs no copy.
    mono = data[:, 0] if data.shape[1] == 1 else data.mean(axis=1, dtype=np.float32)
    return resample(mono, rate, ANALYSIS_RATE)


def resample(audio: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Resample a mono signal by FFT, with the low-pass of Essentia's ``Resample`` (quality 1).

    Overlapping blocks are transformed, cut or zero-padded to the new band and transformed
    back; the overlaps (0.25-0.5 s) are dropped, so the blocks' circular wrap stays below
    -80 dB. Ten times cheaper than Essentia's ``Resample``, which took over a
    second per 3-minute track. When downsampling, the band edge follows that resampler's
    measured roll-off (flat to 85 % of the new Nyquist frequency, -2 dB at 90 %, -19 dB at
    95 %), because musicnn is sensitive to it: with a brick-wall filter keeping 7.2-8 kHz its
    tag means moved by up to 0.03 (correlation 0.97) on bright tracks. The output has
    ``round(len(audio) * rate_out / rate_in)`` samples.
    """
    audio = np.ascontiguousarray(audio, dtype=np.float32)
    if rate_in == rate_out or audio.size == 0:
        return audio
    g = math.gcd(int(rate_in), int(rate_out))
    down, up = int(rate_in) // g, int(rate_out) // g
    # Overlap: a power of two of periods, at least _MARGIN_SECONDS long. Short signals
    # (musicnn's 3-second excerpts) get a block just big enough.
    margin = 2 ** math.ceil(math.log2(max(1.0, _MARGIN_SECONDS * rate_in / down)))
    needed = math.ceil(audio.size / down / margin)
    periods = margin * next((k for k in _BLOCK_MARGINS if k >= needed), _BLOCK_MARGINS[-1])
    block = periods * down
    n_in, n_out = (periods + 2 * margin) * down, (periods + 2 * margin) * up
    keep_from, keep = margin * up, periods * up
    margin *= down
    bins = min(n_in, n_out) // 2 + 1
    gain = np.float32(n_out / n_in)
    if n_out < n_in:
        fraction = np.arange(bins) / (bins - 1)
        gain = (gain * 10 ** (np.interp(fraction, _ROLLOFF_AT, _ROLLOFF_DB) / 20)).astype(
            np.float32
        )
    blocks = max(1, math.ceil(audio.size / block))
    padded = np.zeros(blocks * block + 2 * margin, np.float32)
    padded[margin : margin + audio.size] = audio
    out = np.empty(blocks * keep, np.float32)
    for i in range(blocks):
        spectrum = np.fft.rfft(padded[i * block : i * block + n_in])[:bins] * gain
        piece = np.fft.irfft(spectrum, n_out)
        out[i * keep : (i + 1) * keep] = piece[keep_from : keep_from + keep]
    return out[: round(audio.size * up / down)]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[-1][:300] if text else type(exc).__name__
