"""Test audio: generated tracks with known tempo and key, and broken files."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from seeds.demo_library import write_track
from seeds.synth_score import TrackSpec

# (bpm, key, scale): all twelve keys, both modes, 60-170 BPM.
KNOWN = [
    (72, "A", "minor"),
    (128, "F#", "major"),
    (95, "Eb", "minor"),
    (160, "C", "major"),
    (84, "E", "major"),
    (110, "G", "minor"),
    (140, "Bb", "major"),
    (100, "D", "minor"),
    (120, "Ab", "major"),
    (66, "B", "minor"),
    (150, "F", "major"),
    (90, "C#", "minor"),
]


def spec(i: int, bpm: float, key: str, scale: str, seconds: float = 30) -> TrackSpec:
    return TrackSpec(
        title=f"Song {i:02d}",
        artist=f"Artist {i % 4}",
        album=f"Album {i % 3}",
        genre="Test",
        bpm=bpm,
        key=key,
        scale=scale,
        duration_s=seconds,
        energy=(i * 0.37) % 1,
        brightness=(i * 0.61) % 1,
        seed=i,
        tracknumber=i + 1,
    )


def make_known_tracks(folder: Path, n: int = 12, fmt: str = "wav", seconds: float = 30):
    """Write ``n`` tracks of known tempo/key; return ``[(path, bpm, key, scale)]``."""
    out = []
    for i in range(n):
        bpm, key, scale = KNOWN[i % len(KNOWN)]
        bpm = bpm + (i // len(KNOWN)) * 3  # later rounds get other tempos
        path = folder / f"{i:02d} - Song {i:02d}.{fmt}"
        write_track(spec(i, bpm, key, scale, seconds), path, fmt)
        out.append((path, bpm, key, scale))
    return out


def make_bad_files(folder: Path, good_mp3: Path | None = None) -> dict[str, Path]:
    """Files that must end ``failed`` with a reason."""
    folder.mkdir(parents=True, exist_ok=True)
    bad = {
        "empty": folder / "empty.mp3",
        "random_flac": folder / "random.flac",
        "text_ogg": folder / "notes.ogg",
    }
    bad["empty"].write_bytes(b"")
    bad["random_flac"].write_bytes(np.random.default_rng(1).bytes(40_000))
    bad["text_ogg"].write_text("This is a shopping list, not music.\n" * 50)
    if good_mp3 is not None:
        data = good_mp3.read_bytes()
        bad["truncated_mp3"] = folder / "truncated.mp3"
        bad["truncated_mp3"].write_bytes(data[: min(len(data) // 200, 2000)])
    return bad


def make_long_wav(path: Path, seconds: float = 7200, rate: int = 8000) -> Path:
    """A long, cheap file: 8 kHz mono clicks at 100 BPM, written in chunks."""
    beat = int(rate * 60 / 100)
    block = np.zeros(beat * 100, dtype=np.int16)
    block[::beat] = 20000
    block[1::beat] = -20000
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        remaining = int(seconds * rate)
        while remaining > 0:
            chunk = block[:remaining]
            out.writeframes(chunk.tobytes())
            remaining -= chunk.size
    return path
