"""Synthetic analysed libraries with known features, for tests and benchmarks.

Rows look like what ``tasks.catalog.catalog_rows`` reads from the database,
with tag scores that follow the features the way musicnn's do on real music
(calm tracks score "Mellow", danceable ones "dance" and "party", ...).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from core.analysis import PITCH_CLASSES, camelot

MODEL_META = Path(__file__).resolve().parent.parent / "assets" / "musicnn" / "msd_musicnn.json"
GENRES = ("rock", "pop", "electronic", "jazz", "folk", "metal", "ambient", "hip-hop", "soul")


def tag_names() -> list[str]:
    """The 50 musicnn MSD tags in model order."""
    return list(json.loads(MODEL_META.read_text())["tags"])


def synthetic_rows(n: int, seed: int = 0, with_embeddings: bool = True) -> list[dict]:
    """``n`` analysed tracks with features spread over the whole space."""
    rng = np.random.default_rng(seed)
    names = tag_names()
    bpm = rng.uniform(60, 180, n)
    energy = np.clip(rng.beta(2, 2, n), 0, 1)
    brightness = np.clip(0.6 * energy + 0.4 * rng.random(n), 0, 1)
    dance = np.clip(0.5 * energy + 0.5 * rng.random(n), 0, 1)
    major = rng.random(n) < 0.55
    valence = np.clip(0.45 * major + 0.35 * rng.random(n) + 0.2 * dance, 0, 1)
    genre_idx = rng.integers(0, len(GENRES), n)
    instrumental = rng.random(n) < 0.35
    artists = max(1, n // 12)
    rows = []
    base = rng.normal(size=(len(GENRES), 200))
    for i in range(n):
        genre = GENRES[genre_idx[i]]
        scores = {name: float(rng.uniform(0.0, 0.02)) for name in names}
        # fmt: off
        bump = {
            "Mellow": 1 - energy[i], "chill": 1 - energy[i], "chillout": 1 - energy[i],
            "ambient": (1 - energy[i]) * (genre == "ambient" or 0.3),
            "dance": dance[i], "party": dance[i] * energy[i],
            "House": dance[i] * (genre == "electronic"),
            "happy": valence[i], "sad": 1 - valence[i], "beautiful": 1 - energy[i] * 0.5,
            "instrumental": 0.9 if instrumental[i] else 0.05,
            "metal": 0.9 if genre == "metal" else 0.01,
            "heavy metal": 0.8 if genre == "metal" else 0,
            "hard rock": 0.6 if genre in ("metal", "rock") else 0.01,
            "rock": 0.8 if genre == "rock" else 0.05, "pop": 0.8 if genre == "pop" else 0.05,
            "electronic": 0.8 if genre == "electronic" else 0.05,
            "jazz": 0.8 if genre == "jazz" else 0,
            "folk": 0.8 if genre == "folk" else 0.0, "acoustic": 0.7 if genre == "folk" else 0.05,
            "Hip-Hop": 0.8 if genre == "hip-hop" else 0, "soul": 0.8 if genre == "soul" else 0,
            "catchy": valence[i] * dance[i], "sexy": dance[i] * (1 - brightness[i]),
            "easy listening": 1 - energy[i],
        }
        # fmt: on
        for name, value in bump.items():
            if name in scores:
                scores[name] += 0.06 * float(value)
        key = PITCH_CLASSES[int(rng.integers(0, 12))]
        scale = "major" if major[i] else "minor"
        row = {
            "id": f"t{seed}-{i:07d}",
            "title": f"Track {i}",
            "artist": f"Artist {int(rng.integers(0, artists))}",
            "album": f"Album {i // 10}",
            "genre": genre,
            "fingerprint": f"fp{seed}-{i}",
            "camelot": camelot(key, scale),
            "key": key,
            "scale": scale,
            "duration": float(rng.uniform(150, 300)),
            "features": {
                "bpm": float(bpm[i]),
                "energy": float(energy[i]),
                "brightness": float(brightness[i]),
                "danceability": float(dance[i]),
                "valence": float(valence[i]),
                "loudness_lufs": float(-20 + 12 * energy[i]),
            },
            "tags": scores,
        }
        if with_embeddings:
            feats = np.array([energy[i], brightness[i], dance[i], valence[i]])
            vec = base[genre_idx[i]] + np.tile(feats, 50) * 2 + rng.normal(scale=0.5, size=200)
            row["embedding"] = vec.astype(np.float32)
        rows.append(row)
    return rows
