"""Write synthetic tracks to tagged audio files and build the demo library.

The demo library gives a new user something to analyse and mood-search at once: tracks by
eight fake artists spanning slow/fast, calm/energetic, major/minor and bright/dark, with a
``manifest.json`` holding each file's ground truth. ``python -m seeds.synth DEST`` builds it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import asdict
from pathlib import Path

from core.analysis import PITCH_CLASSES
from seeds.synth import SYNTH_VERSION, render
from seeds.synth_fluidsynth import fluidsynth_available
from seeds.synth_score import TrackSpec

_SUBTYPES = {"wav": "PCM_16", "flac": "PCM_16", "ogg": "VORBIS", "mp3": "MPEG_LAYER_III"}
FORMATS = tuple(_SUBTYPES)
# artist, genre, albums, energy centre, brightness centre, tempo range
ARTISTS = (
    ("Velvet Harbor", "Ambient", ("Low Tide", "Salt Glass"), 0.12, 0.3, (64, 84)),
    ("Neon Ferret", "Synthwave", ("Night Drive", "Chrome Hearts"), 0.7, 0.85, (100, 124)),
    ("Marigold Static", "Indie Pop", ("Paper Suns", "Good Weather"), 0.6, 0.65, (96, 128)),
    ("The Quiet Orchard", "Folk", ("Apple Light", "Kindling"), 0.3, 0.5, (70, 110)),
    ("Subterranea", "Techno", ("Concrete Bloom", "Tunnel Vision"), 0.88, 0.35, (122, 148)),
    ("Lumen & Ash", "Downtempo", ("Ember Hours", "Slow Fireworks"), 0.4, 0.15, (76, 100)),
    ("Kite Collective", "Drum and Bass", ("Jetstream", "Overclock"), 0.9, 0.75, (150, 170)),
    ("Harbor Noir", "Lo-fi", ("Rain on Tin", "Late Bus"), 0.22, 0.12, (64, 90)),
)
_ADJECTIVES = ("Golden", "Hollow", "Electric", "Quiet", "Crimson", "Paper", "Midnight", "Velvet",
               "Broken", "Silver", "Distant", "Neon")  # fmt: skip
_NOUNS = ("Harbor", "Signal", "Orchard", "Engine", "Lantern", "Tide", "Circuit", "Meadow",
          "Skyline", "Ember", "Window", "River")  # fmt: skip


def write_track(
    spec: TrackSpec,
    path: str | Path,
    fmt: str | None = None,
    renderer: str = "numpy",
    sample_rate: int = 44100,
) -> str | None:
    """Render ``spec`` and write it as a tagged audio file.

    The file appears atomically (written under a temporary name, then renamed). Tags (title,
    artist, album, genre, tracknumber) are added with mutagen when it is installed: Vorbis
    comments for ogg/flac, ID3 for mp3 and wav.

    Args:
        spec: The track to render.
        path: Destination file; parent directories are created.
        fmt: ``wav``, ``flac``, ``ogg`` or ``mp3``; defaults to the suffix of ``path``.
        renderer: ``"numpy"`` or ``"fluidsynth"`` (falls back to numpy when unavailable).
        sample_rate: Output sample rate in Hz.

    Returns:
        The renderer used, or None when ``fmt`` is mp3 and no mp3 encoder is available.
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    if fmt == "mp3" and mp3_encoder() is None:
        return None
    audio, used = render(spec, renderer, sample_rate)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    try:
        _encode(audio, part, fmt, sample_rate)
        _tag(part, spec, fmt)
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)
    return used


def mp3_encoder() -> str | None:
    """Name the mp3 encoder: ``soundfile`` (libsndfile >= 1.1), ``ffmpeg``, ``lame`` or None."""
    import soundfile as sf

    if "MP3" in sf.available_formats():
        return "soundfile"
    return next((tool for tool in ("ffmpeg", "lame") if shutil.which(tool)), None)


def _encode(audio, path: Path, fmt: str, sample_rate: int) -> None:
    import soundfile as sf

    if fmt != "mp3" or mp3_encoder() == "soundfile":
        # Blocks: libsndfile 1.2 segfaults writing ~1 min or more of Vorbis in one call.
        with sf.SoundFile(path, "w", sample_rate, 1, _SUBTYPES[fmt], format=fmt.upper()) as out:
            for start in range(0, len(audio), 1 << 16):
                out.write(audio[start : start + (1 << 16)])
        return
    with tempfile.TemporaryDirectory(prefix="moodroom-mp3-") as tmp:
        wav = Path(tmp, "track.wav")
        sf.write(str(wav), audio, sample_rate, format="WAV", subtype="PCM_16")
        if mp3_encoder() == "ffmpeg":
            cmd = ["ffmpeg", "-loglevel", "error", "-y", "-i", str(wav), "-f", "mp3"]
            cmd += ["-codec:a", "libmp3lame", "-q:a", "4", str(path)]
        else:
            cmd = ["lame", "--quiet", "-V", "4", str(wav), str(path)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=600)


def _tag(path: Path, spec: TrackSpec, fmt: str) -> None:
    try:
        import mutagen
    except ImportError:
        return
    fields = {"title": spec.title, "artist": spec.artist, "album": spec.album}
    fields |= {"genre": spec.genre, "tracknumber": str(spec.tracknumber)}
    if fmt == "wav":
        from mutagen import id3
        from mutagen.wave import WAVE

        audio = WAVE(path)
        if audio.tags is None:
            audio.add_tags()
        frames = {"title": id3.TIT2, "artist": id3.TPE1, "album": id3.TALB}
        frames |= {"genre": id3.TCON, "tracknumber": id3.TRCK}
        for name, value in fields.items():
            audio.tags.add(frames[name](encoding=3, text=value))
    else:
        audio = mutagen.File(path, easy=True)
        if audio.tags is None:
            audio.add_tags()
        for name, value in fields.items():
            audio[name] = value
    audio.save()


def energy_level(energy: float) -> int:
    """The composed energy (0-1) as a level 0-4, as the truth library's manifest has it."""
    return min(4, int(energy * 5))


def _frac(x: float) -> float:
    return x - int(x)


def _spread(centre: float, x: float) -> float:
    """Spread values +-0.15 around ``centre`` with the low-discrepancy sequence ``x``."""
    return round(min(1.0, max(0.0, centre + 0.3 * (_frac(x) - 0.5))), 3)


def demo_specs(n: int = 36) -> list[TrackSpec]:
    """Describe a deterministic, varied demo library.

    Tracks cycle through eight artists (two albums each); consecutive tracks walk the circle of
    fifths so any 12 cover all keys, and any 24 cover every key in both modes. Tempos span
    64-170 bpm (Essentia's degara tracker reports double time below ~64 bpm), energy and
    brightness spread over 0-1, durations 60-120 s.

    Args:
        n: Number of tracks.

    Returns:
        ``n`` track specs; equal ``n`` always gives equal specs.
    """
    specs, counts = [], {}
    for i in range(n):
        a, k = i % len(ARTISTS), i // len(ARTISTS)  # artist, and the artist's k-th track
        artist, genre, albums, energy, bright, (lo, hi) = ARTISTS[a]
        album = albums[k % 2]
        counts[album] = counts.get(album, 0) + 1
        title = f"{_ADJECTIVES[i % 12]} {_NOUNS[(5 * i + i // 12) % 12]}"
        specs.append(
            TrackSpec(
                title=title if i < 144 else f"{title} {i // 144 + 1}",
                artist=artist,
                album=album,
                genre=genre,
                bpm=round(lo + (hi - lo) * _frac(0.618034 * k + 0.29 * a)),
                key=PITCH_CLASSES[(7 * i) % 12],
                scale="major" if (i + i // 12) % 2 == 0 else "minor",
                duration_s=float(60 + (23 * i) % 61),
                energy=_spread(energy, 0.7548777 * k + 0.43 * a),
                brightness=_spread(bright, 0.5698403 * k + 0.17 * a),
                seed=1000 + i,
                tracknumber=counts[album],
            )
        )
    return specs


def _safe(name: str) -> str:
    return re.sub(r"[^\w&' .-]+", "_", name).strip(" .") or "_"


def build_demo_library(
    dest_dir: str | Path, n: int = 36, fmt: str = "ogg", renderer: str = "numpy"
) -> list[Path]:
    """Write the demo library as ``ARTIST/ALBUM/NN - TITLE.FMT`` plus ``manifest.json``.

    Idempotent: a file whose manifest entry shows the same spec, format, renderer and synth
    version is kept, anything else is (re)written, and files that an earlier manifest listed
    but this build does not are deleted. Nothing else in ``dest_dir`` is touched.

    Args:
        dest_dir: Library root; created if missing.
        n: Number of tracks (see :func:`demo_specs`).
        fmt: ``ogg``, ``flac``, ``wav`` or ``mp3``.
        renderer: ``"numpy"`` or ``"fluidsynth"`` (falls back to numpy when unavailable).

    Returns:
        Paths of all ``n`` tracks, in :func:`demo_specs` order.

    Raises:
        ValueError: For an unknown format, or mp3 without an mp3 encoder.
    """
    if fmt not in FORMATS or (fmt == "mp3" and mp3_encoder() is None):
        raise ValueError(f"cannot write {fmt!r} here; use one of wav, flac, ogg")
    dest = Path(dest_dir)
    manifest_path = dest / "manifest.json"
    old = {}
    if manifest_path.exists():
        old = {t["file"]: t for t in json.loads(manifest_path.read_text())["tracks"]}
    if renderer == "fluidsynth" and not fluidsynth_available():
        renderer = "numpy"
    paths, entries = [], []
    for spec in demo_specs(n):
        rel = f"{_safe(spec.artist)}/{_safe(spec.album)}"
        rel += f"/{spec.tracknumber:02d} - {_safe(spec.title)}.{fmt}"
        key = json.dumps([asdict(spec), fmt, renderer, SYNTH_VERSION], sort_keys=True)
        fingerprint = hashlib.sha256(key.encode()).hexdigest()[:16]
        path = dest / rel
        if not (path.exists() and old.get(rel, {}).get("fingerprint") == fingerprint):
            write_track(spec, path, fmt, renderer)
        entries.append({"file": rel, "fingerprint": fingerprint, "renderer": renderer})
        entries[-1].update(asdict(spec), level=energy_level(spec.energy))
        paths.append(path)
    for rel in old.keys() - {e["file"] for e in entries}:
        (dest / rel).unlink(missing_ok=True)
    manifest = {"synth_version": SYNTH_VERSION, "format": fmt, "tracks": entries}
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m seeds.synth DEST [--n N] [--fmt ogg] [--renderer numpy]``.

    Args:
        argv: Arguments without the program name; defaults to ``sys.argv[1:]``.

    Returns:
        The process exit status.
    """
    parser = argparse.ArgumentParser(
        prog="python -m seeds.synth", description="Build the Moodroom demo library."
    )
    parser.add_argument("dest", type=Path, help="library folder to create or update")
    parser.add_argument("--n", type=int, default=36, help="number of tracks (default 36)")
    parser.add_argument("--fmt", choices=FORMATS, default="ogg", help="audio format (ogg)")
    parser.add_argument("--renderer", choices=("numpy", "fluidsynth"), default="numpy")
    args = parser.parse_args(argv)
    try:
        paths = build_demo_library(args.dest, args.n, args.fmt, args.renderer)
    except ValueError as exc:
        parser.error(str(exc))
    print(f"{len(paths)} tracks and manifest.json in {args.dest}")
    return 0
