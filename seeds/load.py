"""Load seed data (``flask seed``): moods and registered model files.

Idempotent: a mood is found by its key and updated in place, so running it
twice leaves one copy of everything.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from models import ModelRegistry, Mood
from models.base import utcnow

SEEDS_DIR = Path(__file__).resolve().parent
MOODS_FILE = SEEDS_DIR / "moods.yaml"
MODEL_DIR = SEEDS_DIR.parent / "assets" / "musicnn"
TARGET_FEATURES = ("tempo", "energy", "brightness", "danceability", "valence")


@dataclass
class SeedReport:
    """What a seeding run changed."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    models: int = 0


def read_moods(path: Path = MOODS_FILE) -> list[dict]:
    """Read and validate the mood seeds; raise ``ValueError`` naming a bad entry."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    moods = data["moods"]
    seen = set()
    for mood in moods:
        key = mood.get("key")
        if not key or key in seen:
            raise ValueError(f"mood key missing or repeated: {key!r}")
        seen.add(key)
        for feature in TARGET_FEATURES:
            low, high = mood["targets"][feature]
            if not low < high:
                raise ValueError(f"mood {key}: target {feature} needs low < high")
        if not mood.get("sentences"):
            raise ValueError(f"mood {key}: needs description sentences")
    return moods


def load_moods(path: Path = MOODS_FILE, report: SeedReport | None = None) -> SeedReport:
    """Create or update one ``Mood`` per seed entry."""
    report = report or SeedReport()
    for seed in read_moods(path):
        values = {
            "label": seed["label"],
            "emoji": seed.get("emoji", ""),
            "sentences": list(seed["sentences"]),
            "keywords": list(seed.get("keywords", [])),
            "targets": {k: [float(v) for v in seed["targets"][k]] for k in TARGET_FEATURES},
            "tag_weights": {k: float(v) for k, v in (seed.get("tags") or {}).items()},
            "order": int(seed.get("order", 0)),
        }
        mood = Mood.objects(key=seed["key"]).first()
        if mood is None:
            Mood(key=seed["key"], **values).save()
            report.created += 1
        elif any(getattr(mood, name) != value for name, value in values.items()):
            mood.update(**{f"set__{name}": value for name, value in values.items()})
            report.updated += 1
        else:
            report.unchanged += 1
    return report


def register_models(model_dir: Path = MODEL_DIR, report: SeedReport | None = None) -> SeedReport:
    """Record every committed model file (with its checksum) in ``ModelRegistry``."""
    report = report or SeedReport()
    for meta_path in sorted(model_dir.glob("*.json")):
        meta = json.loads(meta_path.read_text())
        artifact = meta_path.with_suffix(".pb")
        if not artifact.exists():
            continue
        sha256 = hashlib.sha256(artifact.read_bytes()).hexdigest()
        name, version = meta.get("name", artifact.stem), str(meta.get("version", "1"))
        entry = ModelRegistry.objects(name=name, version=version).first()
        if entry is None:
            entry = ModelRegistry(name=name, version=version, active=True, activated_at=utcnow())
            report.models += 1
        entry.artifact = str(artifact.relative_to(SEEDS_DIR.parent))
        entry.sha256 = sha256
        entry.metrics = meta.get("metrics", {})
        entry.save()
    return report


def seed_all() -> SeedReport:
    """Everything ``flask seed`` loads."""
    report = load_moods()
    return register_models(report=report)
