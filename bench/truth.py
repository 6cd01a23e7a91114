"""The truth library, analysed by the production analyser and put into a production catalog.

Shared by ``bench/mood_fit.py`` and ``bench/feedback_eval.py``. Analysis is the slow part
(about 4 minutes for 260 tracks on two cores), so the measured outputs (features, tags,
embedding) are cached next to the library, keyed by the generator and by the source of the
measuring code (``MEASURING_CODE``). What the production analyser concludes from them
(``core.analysis._derived``: energy, valence, tempo octave, key) is recomputed on every
run, so changing those rules needs no re-analysis.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from core.analysis import EssentiaAnalyzer, derive
from core.catalog import Catalog, build_index, catalog_row
from seeds import truth_library

ROOT = Path(__file__).resolve().parent.parent
MEASURING_CODE = (
    "core/analysis/_decode.py",
    "core/analysis/_features.py",
    "core/analysis/_onsets.py",
    "core/analysis/_musicnn.py",
    "core/analysis/_opening.py",
)
_ANALYZER = None


def measuring_digest() -> str:
    h = hashlib.sha256()
    for name in MEASURING_CODE:
        h.update((ROOT / name).read_bytes())
    return h.hexdigest()[:12]


def _init() -> None:
    global _ANALYZER
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _ANALYZER = EssentiaAnalyzer()


def _analyse(path: str) -> dict:
    result = _ANALYZER.analyse(path, measured_only=True)
    if result.error:
        return {"error": result.error}
    return {
        "duration": result.duration,
        "features": result.features,
        "tags": {k: round(float(v), 6) for k, v in result.tags.items()},
        "embedding": [round(float(v), 6) for v in result.embedding],
        "seconds": sum(result.timings.values()),
    }


def analysed(
    dest: Path | None = None, n: int = truth_library.DEFAULT_N, jobs: int = 2, variant: int = 0
):
    """``(manifest, measured)``: the truth library and each file's measured outputs."""
    name = str(truth_library.DEFAULT_DIR)
    name += "" if n == truth_library.DEFAULT_N else f"-{n}"
    name += "" if not variant else f"-v{variant}"
    dest = Path(dest or ROOT / name)
    manifest = truth_library.build(dest, n, jobs, variant)
    cache = dest / f"analysis-{manifest['generator']}-{measuring_digest()}.json"
    if cache.exists():
        return manifest, json.loads(cache.read_text())
    files = {t["file"]: str(dest / t["file"]) for t in manifest["tracks"]}
    measured = analyse_files(files, jobs)
    cache.write_text(json.dumps(measured))
    return manifest, measured


def analyse_files(files: dict[str, str], jobs: int = 2) -> dict[str, dict]:
    """Measured outputs of each file (name -> path), in ``jobs`` processes."""
    measured = {}
    # Spawned, not forked: a child forked from a process that has already run TensorFlow
    # (as the test session has) waits forever on the parent's copied thread-pool locks.
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init, mp_context=spawn) as pool:
        results = pool.map(_analyse, files.values())
        for done, (name, out) in enumerate(zip(files, results, strict=True), 1):
            measured[name] = out
            if done % 40 == 0:
                print(f"analysed {done}/{len(files)}", flush=True)
    return measured


def catalog(manifest: dict, measured: dict, entries: list[dict] | None = None):
    """``(catalog, index, truth by track id)`` built by the production catalog code."""
    rows, truth = [], {}
    for entry in entries or manifest["tracks"]:
        out = measured[entry["file"]]
        if "error" in out:
            continue
        features = derive(dict(out["features"]), out["tags"])
        track_id = entry["file"]
        doc = {"_id": track_id, "path": entry["file"], "duration": out["duration"],
               "features": features, "tag_scores": out["tags"], "fingerprint": track_id,
               "tags": {k: entry[k] for k in ("title", "artist", "album", "genre")}}  # fmt: skip
        rows.append(catalog_row(doc, np.asarray(out["embedding"], dtype=np.float32)))
        truth[track_id] = entry
    tag_names = sorted({name for row in rows for name in row["tags"]})
    cat = Catalog.from_rows(rows, tag_names, version="truth")
    return cat, build_index(cat), truth
