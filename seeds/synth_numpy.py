"""The numpy renderer: wavetable tones, envelopes and noise drums, mixed and mastered."""

from __future__ import annotations

import numpy as np

from core.analysis import PITCH_CLASSES
from seeds.synth_score import GM_DRUMS, TrackSpec, make_score


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
        tonic = PITCH_CLASSES.index(spec.key)
        freq = _midi_hz(29 + (tonic - 5) % 12) + 90 * np.exp(-t / 0.03)
        body = np.sin(2 * np.pi * np.cumsum(freq) / sr) * np.exp(-t / (0.12 + 0.08 * spec.energy))
        return body + 0.3 * rng.standard_normal(len(t)) * np.exp(-t / 0.003)
    noise = np.diff(rng.standard_normal(len(t) + 1))  # high-passed white noise
    if part == "snare":
        tone = np.sin(2 * np.pi * 185 * t) * np.exp(-t / 0.04)
        return 0.5 * noise * np.exp(-t / 0.07) + 0.6 * tone
    return 0.5 * np.diff(noise, append=0.0) * np.exp(-t / (0.015 + 0.04 * spec.brightness))


def master(audio: np.ndarray, spec: TrackSpec, sr: int) -> np.ndarray:
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
    return master(out[: round(spec.duration_s * sr)], spec, sr)
