"""How the analyser's scores spread on real recordings (no labels: distributions only).

Fetches two of Debian's music packages (``wesnoth-1.16-music``: GPL-2, orchestral and
folk game music; ``singularity-music``: CC BY-SA 3.0, electronic), unpacks them under
``var/debian-music/`` (cached; ``apt-get download`` needs no root) and runs the production
analyser over every track. Prints, per package, the spread of energy and tempo and the most
prominent tags, so the calibration chosen on rendered audio is seen on real mixes too.
These packages carry no tempo or mood annotations: nothing here is an accuracy figure.

Run: ``.venv/bin/python -m bench.real_music``.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np

from bench import truth
from bench.common import emit_json
from core.analysis import derive

ROOT = Path(__file__).resolve().parent.parent
DEST = ROOT / "var" / "debian-music"
PACKAGES = {"wesnoth-1.16-music": "wesnoth", "singularity-music": "singularity"}


def fetch() -> dict[str, list[Path]]:
    """The ogg files of each package, downloading and unpacking what is missing."""
    DEST.mkdir(parents=True, exist_ok=True)
    out = {}
    for package, folder in PACKAGES.items():
        files = sorted((DEST / "extracted").rglob(f"*{folder}*/**/*.ogg"))
        if not files:
            subprocess.run(["apt-get", "download", package], cwd=DEST, check=True)
            for deb in DEST.glob(f"{package}_*.deb"):
                subprocess.run(["dpkg-deb", "-x", str(deb), str(DEST / "extracted")], check=True)
            files = sorted((DEST / "extracted").rglob(f"*{folder}*/**/*.ogg"))
        out[package] = files
    return out


def measure(files: dict[str, list[Path]]) -> dict[str, dict]:
    cache = DEST / f"analysis-{truth.measuring_digest()}.json"
    if cache.exists():
        return json.loads(cache.read_text())
    names = {str(p.relative_to(DEST)): str(p) for paths in files.values() for p in paths}
    measured = truth.analyse_files(names)
    cache.write_text(json.dumps(measured))
    return measured


def main() -> None:
    files = fetch()
    measured = measure(files)
    figures = {}
    for package, paths in files.items():
        outs = [measured[str(p.relative_to(DEST))] for p in paths]
        outs = [o for o in outs if "error" not in o]
        derived = [derive(dict(o["features"]), o["tags"]) for o in outs]
        energy = np.array([d["energy"] for d in derived])
        bpm = np.array([d["bpm"] for d in derived])
        tags = sorted(outs[0]["tags"])
        means = {t: float(np.mean([o["tags"][t] for o in outs])) for t in tags}
        top = sorted(means, key=means.get, reverse=True)[:6]
        minutes = sum(o["duration"] for o in outs) / 60
        print(f"\n{package}: {len(outs)} tracks, {minutes:.0f} min")
        print(
            "  energy p10/p50/p90:",
            [round(float(np.percentile(energy, q)), 2) for q in (10, 50, 90)],
        )
        print("  tempo  p10/p50/p90:", [round(float(np.percentile(bpm, q))) for q in (10, 50, 90)])
        print("  top tags:", ", ".join(f"{t} {means[t]:.3f}" for t in top))
        figures[package] = {
            "tracks": len(outs),
            "energy_p10_p50_p90": [round(float(np.percentile(energy, q)), 3) for q in (10, 50, 90)],
            "energy_range": [round(float(energy.min()), 3), round(float(energy.max()), 3)],
            "tempo_p10_p50_p90": [round(float(np.percentile(bpm, q)), 1) for q in (10, 50, 90)],
            "top_tags": top,
        }
    emit_json(figures)


if __name__ == "__main__":
    main()
