"""Analysis speed and accuracy against Essentia's MusicExtractor and librosa, on the same files.

Generates tracks of known tempo and key (``tests/audio_factory.make_known_tracks``), then for
each file runs, one after the other so a noisy neighbour slows all three alike:

- ours: ``EssentiaAnalyzer().analyse(path)`` (decode, features, musicnn tags and embedding);
- Essentia's ``MusicExtractor`` with its standard low-level, rhythm and tonal descriptors
  (no high-level models);
- librosa: load at 22.05 kHz, ``beat.beat_track`` and a Krumhansl-Schmuckler key from the
  mean of ``chroma_cqt``.

Speed is the realtime factor per core: seconds of audio per CPU-second of this process
(``time.process_time``, all threads counted), with OpenMP/BLAS/TensorFlow asked for one thread.
Accuracy: tempo Accuracy1 (within 4 %), Accuracy2 (also at x2, x1/2, x3, x1/3) and exact key.
It also compares musicnn on excerpts as the analyser runs it (``MusicnnTagger()``: 10 excerpts
of one 3-second patch) with the whole track (``excerpts=0``). The last line printed is one JSON
object.

Run: ``.venv/bin/python -m bench.analysis [--n 12] [--seconds 180] [--fmt mp3] [--dir DIR]
[--musicnn-tracks 6] [--skip-librosa] [--skip-musicextractor]``; ``--dir`` keeps the generated
files and reuses them next time. librosa is a dev-only dependency (requirements-dev.txt).
"""

from __future__ import annotations

import os

# Before numpy, numba and Essentia's TensorFlow start their thread pools: one core each.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")
os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from bench.common import emit_json  # noqa: E402
from core.analysis import camelot  # noqa: E402

TEMPO_TOLERANCE = 0.04
OCTAVE_FACTORS = (1.0, 2.0, 0.5, 3.0, 1 / 3)
# Krumhansl-Kessler probe-tone profiles, C major / C minor.
KRUMHANSL_MAJOR = (6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88)
KRUMHANSL_MINOR = (6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17)
NOTES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


@dataclass
class System:
    """One analyser under test: its CPU time, wall time and answers per file."""

    name: str
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    bpm: list[float | None] = field(default_factory=list)
    key: list[str | None] = field(default_factory=list)  # Camelot code
    error: str | None = None

    def timed(self, fn, *args):
        """Call ``fn(*args)``, recording its CPU and wall time."""
        cpu, wall = time.process_time(), time.perf_counter()
        out = fn(*args)
        self.cpu.append(time.process_time() - cpu)
        self.wall.append(time.perf_counter() - wall)
        return out

    def rtf(self, audio_seconds: float) -> float | None:
        """Seconds of audio per CPU-second."""
        return audio_seconds / sum(self.cpu) if self.cpu and sum(self.cpu) > 0 else None


def tempo_hits(estimates, truths, factors=(1.0,)) -> float | None:
    """Share of estimates within 4 % of the truth times one of ``factors``."""
    if not estimates or any(e is None for e in estimates):
        return None
    hits = [
        any(abs(est - ref * f) <= TEMPO_TOLERANCE * ref * f for f in factors)
        for est, ref in zip(estimates, truths, strict=True)
    ]
    return round(sum(hits) / len(hits), 4)


def key_hits(estimates, truths) -> float | None:
    """Share of keys with the same tonic and mode (equal Camelot codes)."""
    if not estimates or any(e is None for e in estimates):
        return None
    return round(sum(e == t for e, t in zip(estimates, truths, strict=True)) / len(truths), 4)


def librosa_analyse(path: Path) -> tuple[float, str]:
    """A typical librosa pipeline: beat tracker tempo and a Krumhansl key from CQT chroma."""
    import librosa

    y, sr = librosa.load(str(path), sr=22050, mono=True)
    tempo, _beats = librosa.beat.beat_track(y=y, sr=sr)
    chroma = librosa.feature.chroma_cqt(y=y, sr=sr).mean(axis=1)
    best = (-2.0, "C", "major")
    for scale, profile in (("major", KRUMHANSL_MAJOR), ("minor", KRUMHANSL_MINOR)):
        for tonic in range(12):
            r = float(np.corrcoef(chroma, np.roll(profile, tonic))[0, 1])
            if r > best[0]:
                best = (r, NOTES[tonic], scale)
    return float(np.atleast_1d(tempo)[0]), camelot(best[1], best[2])


def musicextractor_analyse(extractor, path: Path) -> tuple[float, str, str]:
    """MusicExtractor's tempo (``rhythm.bpm``), key (``tonal.key_edma``) and chords key."""
    pool, _frames = extractor(str(path))
    key = camelot(pool["tonal.key_edma.key"], pool["tonal.key_edma.scale"])
    return (
        float(pool["rhythm.bpm"]),
        key,
        camelot(pool["tonal.chords_key"], pool["tonal.chords_scale"]),
    )


def musicnn_agreement(audio: np.ndarray, rate: int, excerpted, whole) -> dict:
    """Tag correlation, embedding cosine and CPU time of excerpted vs whole-track musicnn."""
    out = {}
    for name, tagger in (("excerpts", excerpted), ("whole", whole)):
        cpu = time.process_time()
        tags, emb = tagger.predict(audio, rate)
        out[f"{name}_cpu"] = time.process_time() - cpu
        out[name] = (np.array(list(tags.values())), emb)
    (t1, e1), (t2, e2) = out.pop("excerpts"), out.pop("whole")
    out["tag_corr"] = float(np.corrcoef(t1, t2)[0, 1])
    out["emb_cos"] = float(e1 @ e2 / (np.linalg.norm(e1) * np.linalg.norm(e2)))
    out["config"] = f"{excerpted.excerpts} excerpts x {excerpted.patches_per_excerpt} patch"
    return out


def make_files(folder: Path, n: int, seconds: float, fmt: str) -> list[tuple]:
    """Generated tracks with their truth; reuses a folder a previous run filled."""
    from seeds.demo_library import mp3_encoder
    from tests.audio_factory import make_known_tracks

    manifest = folder / f"known-{n}x{seconds:g}s.{fmt}.json"
    if manifest.exists():
        rows = json.loads(manifest.read_text())
        if all(Path(r[0]).exists() for r in rows):
            return [(Path(p), bpm, key, scale) for p, bpm, key, scale in rows]
    if fmt == "mp3" and mp3_encoder() is None:
        sys.exit("no mp3 encoder here (libsndfile >= 1.1, ffmpeg or lame); use --fmt ogg")
    rows = make_known_tracks(folder, n=n, fmt=fmt, seconds=seconds)
    manifest.write_text(json.dumps([[str(p), bpm, key, scale] for p, bpm, key, scale in rows]))
    return rows


def run(args) -> dict:
    import essentia

    essentia.log.warningActive = False  # MusicExtractor warns about every short frame
    essentia.log.infoActive = False
    import essentia.standard as es

    from core.analysis import ANALYSIS_RATE, EssentiaAnalyzer, MusicnnTagger, load_mono

    work = Path(args.dir)
    work.mkdir(parents=True, exist_ok=True)
    clock = time.perf_counter()
    tracks = make_files(work, args.n, args.seconds, args.fmt)
    warmup = make_files(work / "warmup", 1, 20, args.fmt)[0][0]
    generation = time.perf_counter() - clock
    truth_bpm = [t[1] for t in tracks]
    truth_key = [camelot(t[2], t[3]) for t in tracks]
    print(f"{len(tracks)} x {args.seconds:g} s {args.fmt} in {work} ({generation:.0f} s)")

    ours = System("ours (EssentiaAnalyzer)")
    extractor = es.MusicExtractor()  # standard profile: no high-level models
    me = System("Essentia MusicExtractor")
    lib = System("librosa")
    try:
        import librosa

        lib_version = librosa.__version__
    except ImportError:
        lib.error, lib_version = "librosa not installed (.venv/bin/pip install librosa)", None
    if args.skip_librosa:
        lib.error = "skipped"
    if args.skip_musicextractor:
        me.error = "skipped"

    analyzer = EssentiaAnalyzer()
    # Warm-up outside the clock: TensorFlow loads its graph, numba compiles librosa's tracker.
    analyzer.analyse(warmup)
    if not me.error:
        extractor(str(warmup))
    if not lib.error:
        librosa_analyse(warmup)

    stages: dict[str, float] = {}
    saved, me_chords_key = [], []
    for path, _bpm, _key, _scale in tracks:
        result = ours.timed(analyzer.analyse, path)
        if result.error:
            sys.exit(f"our analysis failed on {path}: {result.error}")
        ours.bpm.append(result.features["bpm"])
        ours.key.append(result.features["camelot"])
        saved.append(
            {
                "file": path.name,
                "features": result.features,
                "tags": result.tags,
                "embedding": [round(float(v), 6) for v in result.embedding],
            }
        )
        for stage, seconds in result.timings.items():
            stages[stage] = stages.get(stage, 0.0) + seconds
        if not me.error:
            bpm, key, chords_key = me.timed(musicextractor_analyse, extractor, path)
            me.bpm.append(bpm)
            me.key.append(key)
            me_chords_key.append(chords_key)
        if not lib.error:
            bpm, key = lib.timed(librosa_analyse, path)
            lib.bpm.append(bpm)
            lib.key.append(key)
        print(
            f"  {path.name}: ours {ours.cpu[-1]:.2f} s"
            + "".join(
                f", {s.name.split()[-1]} {s.cpu[-1]:.2f} s" for s in (me, lib) if not s.error
            ),
            flush=True,
        )

    if args.save:
        Path(args.save).write_text(json.dumps(saved, indent=1))
    # Excerpted vs whole-track musicnn, on the same decoded audio.
    excerpted, whole = MusicnnTagger(), MusicnnTagger(excerpts=0)
    agreement = []
    for path, *_ in tracks[: args.musicnn_tracks]:
        agreement.append(musicnn_agreement(load_mono(path), ANALYSIS_RATE, excerpted, whole))

    audio_seconds = args.seconds * len(tracks)
    figures = report(
        args,
        tracks,
        audio_seconds,
        (ours, me, lib),
        truth_bpm,
        truth_key,
        stages,
        agreement,
        lib_version,
        essentia.__version__,
    )
    if me_chords_key:
        figures["musicextractor_chords_key_exact"] = key_hits(me_chords_key, truth_key)
        print(
            "MusicExtractor's other key, tonal.chords_key (from its chord sequence): "
            f"{figures['musicextractor_chords_key_exact']:.0%} exact"
        )
    return figures


def report(
    args,
    tracks,
    audio_seconds,
    systems,
    truth_bpm,
    truth_key,
    stages,
    agreement,
    lib_version,
    essentia_version,
) -> dict:
    """Print the tables; return the figures for the JSON line."""
    ours, me, lib = systems
    rtf = {s.name: s.rtf(audio_seconds) for s in systems if not s.error}
    print()
    print(
        f"{'system':26s} {'CPU s':>7s} {'wall s':>7s} {'x realtime/core':>16s} "
        f"{'tempo acc1':>10s} {'tempo acc2':>10s} {'key exact':>9s}"
    )
    for s in systems:
        if s.error:
            print(f"{s.name:26s} {s.error}")
            continue
        acc1, acc2 = tempo_hits(s.bpm, truth_bpm), tempo_hits(s.bpm, truth_bpm, OCTAVE_FACTORS)
        print(
            f"{s.name:26s} {sum(s.cpu):7.1f} {sum(s.wall):7.1f} {rtf[s.name]:16.1f} "
            f"{acc1:10.1%} {acc2:10.1%} {key_hits(s.key, truth_key):9.1%}"
        )
    print()
    print("per track (truth -> ours | MusicExtractor | librosa):")
    for i, (path, bpm, key, scale) in enumerate(tracks):
        cells = [f"{s.bpm[i]:6.1f} {s.key[i]:>3s}" for s in systems if not s.error]
        print(f"  {path.name[:10]:10s} {bpm:4d} {camelot(key, scale):>3s} -> " + " | ".join(cells))
    total = sum(stages.values()) or 1.0
    print()
    print(
        "ours by stage (wall): "
        + ", ".join(f"{k} {v / len(tracks):.3f} s ({v / total:.0%})" for k, v in stages.items())
    )

    figures = {
        "n": len(tracks),
        "seconds": args.seconds,
        "fmt": args.fmt,
        "rtf_per_core": _r(rtf[ours.name]),
        "tempo_acc1": tempo_hits(ours.bpm, truth_bpm),
        "tempo_acc2": tempo_hits(ours.bpm, truth_bpm, OCTAVE_FACTORS),
        "key_exact": key_hits(ours.key, truth_key),
        "ms_per_track_cpu": round(1000 * sum(ours.cpu) / len(tracks)),
        "stage_wall_s": {k: round(v / len(tracks), 3) for k, v in stages.items()},
        "essentia": essentia_version,
        "librosa": lib_version,
        "python": platform.python_version(),
    }
    for s, prefix, other in ((me, "musicextractor", "musicextractor"), (lib, "librosa", "librosa")):
        ok = not s.error
        figures[f"{prefix}_rtf"] = _r(rtf[s.name]) if ok else None
        figures[f"speedup_vs_{other}"] = _r(rtf[ours.name] / rtf[s.name], 2) if ok else None
        figures[f"{prefix}_tempo_acc1"] = tempo_hits(s.bpm, truth_bpm) if ok else None
        figures[f"{prefix}_tempo_acc2"] = (
            tempo_hits(s.bpm, truth_bpm, OCTAVE_FACTORS) if ok else None
        )
        figures[f"{prefix}_key_exact"] = key_hits(s.key, truth_key) if ok else None
    print()
    if figures["speedup_vs_musicextractor"] is not None:
        print(f"speed-up: {figures['speedup_vs_musicextractor']}x MusicExtractor", end="")
        if figures["speedup_vs_librosa"] is not None:
            print(f", {figures['speedup_vs_librosa']}x librosa", end="")
        print()
    if agreement:
        corr = [a["tag_corr"] for a in agreement]
        cos = [a["emb_cos"] for a in agreement]
        ex_cpu = sum(a["excerpts_cpu"] for a in agreement)
        whole_cpu = sum(a["whole_cpu"] for a in agreement)
        figures |= {
            "musicnn_excerpt_tag_corr": round(float(np.mean(corr)), 4),
            "musicnn_excerpt_tag_corr_min": round(float(np.min(corr)), 4),
            "musicnn_excerpt_emb_cos": round(float(np.mean(cos)), 4),
            "musicnn_excerpt_emb_cos_min": round(float(np.min(cos)), 4),
            "musicnn_tracks": len(agreement),
            "musicnn_excerpt_rtf": _r(args.seconds * len(agreement) / ex_cpu),
            "musicnn_whole_rtf": _r(args.seconds * len(agreement) / whole_cpu),
        }
        print(
            f"musicnn on {len(agreement)} tracks, {agreement[0]['config']} vs whole track: "
            "tag-mean correlation "
            f"{np.mean(corr):.3f} (min {np.min(corr):.3f}), embedding cosine {np.mean(cos):.3f} "
            f"(min {np.min(cos):.3f}); {ex_cpu / len(agreement):.2f} s vs "
            f"{whole_cpu / len(agreement):.2f} s CPU per track "
            f"({figures['musicnn_excerpt_rtf']}x vs {figures['musicnn_whole_rtf']}x realtime)"
        )
    return figures


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; see the module docstring."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.analysis", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--n", type=int, default=12, help="number of tracks (12)")
    parser.add_argument("--seconds", type=float, default=180, help="length of each track (180)")
    parser.add_argument("--fmt", choices=("mp3", "ogg", "flac", "wav"), default="mp3")
    parser.add_argument("--dir", help="keep the generated files here and reuse them next time")
    parser.add_argument("--save", help="write our per-track features, tags and embeddings here")
    parser.add_argument("--skip-librosa", action="store_true")
    parser.add_argument("--skip-musicextractor", action="store_true")
    parser.add_argument(
        "--musicnn-tracks",
        type=int,
        default=6,
        help="compare excerpted and whole-track musicnn on this many of the tracks (6; 0 skips)",
    )
    args = parser.parse_args(argv)
    if args.dir:
        emit_json(run(args))
        return 0
    with tempfile.TemporaryDirectory(prefix="moodroom-bench-") as tmp:
        args.dir = tmp
        emit_json(run(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
