"""The truth library: rendered tracks whose style, tempo, key and energy are known.

Quality benchmarks (``bench/mood_fit.py``, ``bench/feedback_eval.py``) analyse these files
with the production analyser and judge playlists against ``manifest.json``, which records
what each score was composed to be (:mod:`seeds.truth_styles`). Nothing in the manifest
comes from our analysis.

Tracks are MIDI rendered by fluidsynth with the General MIDI soundfont (Debian packages
``fluidsynth`` and ``fluid-soundfont-gm``), mixed to mono
(partly levelled, as mastering does: soft pieces stay softer), written as FLAC under
``var/truth-library/``. Files are re-rendered only when the
generator changes: each manifest entry carries a digest of its piece and of
``COMPOSER_VERSION``/``RENDER_VERSION``, which must be bumped with any change to the
composer or the mixing.

``python -m seeds.truth_library [DEST] [--n 260] [--jobs 2]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import subprocess
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path

import numpy as np

from core.analysis import PITCH_CLASSES
from seeds.truth_styles import BY_NAME, COMPOSER_VERSION, STYLES, Piece, compose

FLUIDSYNTH = Path("/usr/bin/fluidsynth")
SOUNDFONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
SAMPLE_RATE = 44100
# Mastering as a studio would: soft pieces are brought up, but only part of the way, so a
# 40 dB spread between a quiet piano and a metal band in the raw render becomes ~12 dB.
MASTER_RMS_DB, MASTER_KEEP = -16.0, 0.3
DEFAULT_DIR = Path("var/truth-library")
DEFAULT_N = 260
ROMAN = ("I", "II", "III", "IV", "V")
# Per variant: where its golden-ratio tempo walk starts.
TEMPO_SHIFTS = (0.0, 0.5, 0.77, 0.27, 0.385, 0.655, 0.135, 0.885, 0.62)
# Bump these when the audio or the manifest changes: they key the cached files and analyses.
RENDER_VERSION = 1  # render(): mixing and mastering
MANIFEST_VERSION = 1  # truth(): names and recorded fields


def pieces(n: int = DEFAULT_N, variant: int = 0) -> list[Piece]:
    """``n`` pieces spread evenly over the styles, their tempo ranges, levels and 24 keys.

    ``variant`` > 0 composes different pieces from the same styles (other seeds, keys, tempos,
    levels and lengths): the fresh report library, never looked at while tuning.
    """
    out = []
    per_style = -(-n // len(STYLES))
    for s, style in enumerate(STYLES):
        lo, hi = style.tempo
        for k in range(per_style):
            if len(out) >= n:
                break
            i = len(out)
            key_index = (7 * k + 5 * s + 11 * variant) % 24  # every style walks all 24 keys
            # Golden-ratio steps spread tempos over the range without a pattern.
            # Each variant shifts the walk so that none repeats another's tempos.
            shift = TEMPO_SHIFTS[variant % len(TEMPO_SHIFTS)]
            tempo = round(lo + (hi - lo) * ((0.618034 * k + 0.31 * s + shift) % 1.0))
            out.append(
                Piece(
                    style=style.name,
                    tempo=int(tempo),
                    key=PITCH_CLASSES[key_index % 12],
                    mode="major" if key_index < 12 else "minor",
                    level=style.levels[(k + variant) % len(style.levels)],
                    duration=float(60 + (17 * i + 13 * variant) % 31),
                    seed=5000 + 1000 * variant + i,
                )
            )
    return out


def truth(piece: Piece, index: int) -> dict:
    """The manifest entry of one piece: what it was composed to be."""
    import pretty_midi

    style = BY_NAME[piece.style]
    # Ten artists per style, two tracks each: playlists cap tracks per artist, as they should.
    artist = f"{style.artists[index % 2]} {ROMAN[(index // 2) % len(ROMAN)]}"
    instruments = [pretty_midi.program_to_instrument_name(p) for p in style.programs.values()]
    if piece.drums:
        instruments.append("Drum kit")
    return {
        "file": f"{piece.style}/{index:03d}-{piece.style}.flac",
        "title": f"{style.genre} study {index:03d}",
        "artist": artist,
        "album": f"{style.genre} Sketches",
        "genre": style.genre,
        **asdict(piece),
        "drums": piece.drums,
        "electronic": style.electronic,
        "acoustic": not style.electronic,
        "instruments": instruments,
        "audio": audio_digest(piece),
    }


def generator_digest(n: int = DEFAULT_N, variant: int = 0) -> str:
    """The cache key of the manifest (and of analyses): every piece, composer and renderer."""
    everything = [[audio_digest(p) for p in pieces(n, variant)], MANIFEST_VERSION]
    return hashlib.sha256(json.dumps(everything).encode()).hexdigest()[:16]


def audio_digest(piece: Piece) -> str:
    """What one file's audio depends on: the piece, the composer and the renderer."""
    parts = [asdict(piece), COMPOSER_VERSION, RENDER_VERSION, MASTER_RMS_DB, MASTER_KEEP]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


def available() -> bool:
    """Tell whether fluidsynth and the General MIDI soundfont are installed."""
    return FLUIDSYNTH.exists() and SOUNDFONT.exists()


def render(piece: Piece, path: Path) -> None:
    """Render ``piece`` to a mono FLAC file at ``path`` (atomically)."""
    import soundfile as sf

    with tempfile.TemporaryDirectory(prefix="moodroom-truth-") as tmp:
        mid, wav = Path(tmp, "t.mid"), Path(tmp, "t.wav")
        compose(piece).write(str(mid))
        cmd = [str(FLUIDSYNTH), "-ni", "-q", "-g", "0.5", "-r", str(SAMPLE_RATE), "-F", str(wav)]
        subprocess.run([*cmd, str(SOUNDFONT), str(mid)], check=True, capture_output=True)
        audio, _ = sf.read(wav, dtype="float32", always_2d=True)
    audio = audio.mean(axis=1)[: int(piece.duration * SAMPLE_RATE)]
    rms_db = 10 * np.log10(float(np.mean(np.square(audio))) + 1e-12)
    target_db = MASTER_RMS_DB + MASTER_KEEP * (rms_db - MASTER_RMS_DB)
    audio = 0.98 * np.tanh(audio * 10 ** ((target_db - rms_db) / 20))
    fade = min(audio.size, SAMPLE_RATE)
    audio[audio.size - fade :] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    sf.write(str(part), audio, SAMPLE_RATE, format="FLAC", subtype="PCM_16")
    part.replace(path)


def _render_one(job: tuple[dict, str]) -> str:
    entry, dest = job
    piece = Piece(**{k: entry[k] for k in Piece.__dataclass_fields__})
    path = Path(dest) / entry["file"]
    render(piece, path)
    _tag(path, entry)
    return entry["file"]


def _tag(path: Path, entry: dict) -> None:
    import mutagen

    audio = mutagen.File(path, easy=True)
    for name in ("title", "artist", "album", "genre"):
        audio[name] = entry[name]
    audio.save()


def build(
    dest: str | Path = DEFAULT_DIR, n: int = DEFAULT_N, jobs: int = 2, variant: int = 0
) -> dict:
    """Render the library into ``dest`` unless it is already there; return the manifest."""
    dest = Path(dest)
    manifest_path = dest / "manifest.json"
    digest = generator_digest(n, variant)
    old = {}
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        same = manifest.get("generator") == digest and len(manifest["tracks"]) == n
        if same and all((dest / t["file"]).exists() for t in manifest["tracks"]):
            return manifest
        old = {t["file"]: t.get("audio") for t in manifest["tracks"]}
    entries = [truth(p, i) for i, p in enumerate(pieces(n, variant))]
    todo = [(e, str(dest)) for e in entries
            if old.get(e["file"]) != e["audio"] or not (dest / e["file"]).exists()]  # fmt: skip
    if todo and not available():
        raise RuntimeError("the truth library needs Debian's fluidsynth and fluid-soundfont-gm")
    for entry in entries:  # kept audio may still need new tags
        if (entry, str(dest)) not in todo:
            _tag(dest / entry["file"], entry)
    # Spawned: forking a process that already runs TensorFlow threads can deadlock.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=spawn) as pool:
        for done, name in enumerate(pool.map(_render_one, todo), 1):
            if done % 20 == 0:
                print(f"rendered {done}/{len(todo)} ({name})", flush=True)
    manifest = {"generator": digest, "sample_rate": SAMPLE_RATE, "tracks": entries}
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def split(entries: list[dict]) -> tuple[list[dict], list[dict]]:
    """Tuning and report halves of the tracks (alternate tracks of every style)."""
    return entries[0::2], entries[1::2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seeds.truth_library")
    parser.add_argument("dest", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--n", type=int, default=DEFAULT_N)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--variant", type=int, default=0, help="1-6: other pieces (report sets)")
    args = parser.parse_args(argv)
    manifest = build(args.dest, args.n, args.jobs, args.variant)
    print(f"{len(manifest['tracks'])} tracks in {args.dest} (generator {manifest['generator']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
