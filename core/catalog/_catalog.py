"""The library as arrays: what ranking, search and sequencing work on.

A ``Catalog`` holds one row per analysed track (ids, display fields, raw
features, library percentiles of features and tags, embeddings) and is
built from plain dicts, so ``core`` never touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.catalog._vectors import FEATURES, FeatureSpace

# Features already on a calibrated 0-1 scale (core.analysis._derived): kept as they are, so "energy
# 0.2" means the same in the library table, in mood results and in reasons, and a valence
# below 0.5 is a minor key in any library (as a percentile it was whatever the mix made it).
ABSOLUTE = ("energy", "valence")
TEXT_FIELDS = ("title", "artist", "album", "genre", "fingerprint", "camelot", "key", "scale")


@dataclass
class Catalog:
    """Analysed tracks in column form."""

    ids: list[str]
    text: dict[str, list]  # field -> values per track
    raw: dict[str, np.ndarray]  # bpm, duration, loudness, energy, ... (raw values)
    pct: np.ndarray  # (n, len(FEATURES)) library percentiles of FEATURES (energy: calibrated)
    tag_names: list[str]
    tags_pct: np.ndarray  # (n, n_tags) library percentiles of tag scores
    embeddings: np.ndarray | None  # (n, d) L2-normalised musicnn embeddings
    space: FeatureSpace
    version: str = ""
    position: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        self.position = {track_id: i for i, track_id in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_rows(cls, rows: list[dict], tag_names: list[str], version: str = "") -> Catalog:
        """Build from dicts with ``id``, text fields, ``features``, ``tags``, ``embedding``."""
        n = len(rows)
        raw = {
            "bpm": _col(rows, "bpm", 100.0),
            "duration": np.array([r.get("duration") or 180.0 for r in rows], dtype=np.float32),
            "energy": _col(rows, "energy", 0.5),
            "brightness": _col(rows, "brightness", 0.5),
            "danceability": _col(rows, "danceability", 0.5),
            "valence": _col(rows, "valence", 0.5),
            "loudness_lufs": _col(rows, "loudness_lufs", -14.0),
            # Spectral flux; tracks analysed before it was measured count as having a pulse.
            "flux": _col(rows, "flux", 0.1),
        }
        raw["tempo"] = raw["bpm"]
        tags = _tag_matrix(rows, tag_names)
        space = FeatureSpace.fit({**{f: raw[f] for f in FEATURES}, **_tag_columns(tags, tag_names)})
        pct = (
            np.stack([scaled(space, f, raw[f]) for f in FEATURES], axis=1)
            if n
            else np.zeros((0, 5))
        )
        tags_pct = (
            np.stack([space.pct(f"tag:{t}", tags[:, j]) for j, t in enumerate(tag_names)], axis=1)
            if n
            else np.zeros((0, len(tag_names)))
        )
        embeddings = None
        if rows and all(r.get("embedding") is not None for r in rows):
            emb = np.stack([np.asarray(r["embedding"], dtype=np.float32) for r in rows])
            embeddings = emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-9)
        text = {name: [r.get(name) for r in rows] for name in TEXT_FIELDS}
        return cls(
            ids=[r["id"] for r in rows],
            text=text,
            raw=raw,
            pct=pct.astype(np.float32),
            tag_names=list(tag_names),
            tags_pct=tags_pct.astype(np.float32),
            embeddings=embeddings,
            space=space,
            version=version,
        )

    def extended(self, rows: list[dict], version: str) -> Catalog:
        """This catalog plus ``rows``, placed in the same percentile space (no refit)."""
        extra = Catalog.from_rows(rows, self.tag_names, version)
        pct = np.stack([scaled(self.space, f, extra.raw[f]) for f in FEATURES], axis=1)
        tag_raw = _tag_matrix(rows, self.tag_names)
        tags_pct = np.stack(
            [self.space.pct(f"tag:{t}", tag_raw[:, j]) for j, t in enumerate(self.tag_names)],
            axis=1,
        )
        embeddings = None
        if self.embeddings is not None and extra.embeddings is not None:
            embeddings = np.vstack([self.embeddings, extra.embeddings])
        return Catalog(
            ids=self.ids + extra.ids,
            text={k: self.text[k] + extra.text[k] for k in self.text},
            raw={k: np.concatenate([self.raw[k], extra.raw[k]]) for k in self.raw},
            pct=np.vstack([self.pct, pct]).astype(np.float32),
            tag_names=self.tag_names,
            tags_pct=np.vstack([self.tags_pct, tags_pct]).astype(np.float32),
            embeddings=embeddings,
            space=self.space,
            version=version,
        )

    def pulse(self, rows) -> np.ndarray:
        """True where a track has a beat to speak of (a held pad's "tempo" means nothing)."""
        from core.analysis import DRUMS_HEARD, RHYTHMIC_FLUX

        beat = self.raw["flux"][rows] >= RHYTHMIC_FLUX
        if "mtt:drums" in self.tag_names:  # drums heard, however softly played
            j = self.tag_names.index("mtt:drums")
            beat |= self.tags_pct[rows, j] >= self.space.pct("tag:mtt:drums", [DRUMS_HEARD])[0]
        return beat

    def vocabulary(self) -> dict[str, set[str]]:
        """Lower-case artist, genre and album names, for the mood parser."""
        return {
            name: {v.lower() for v in self.text[name] if v} for name in ("artist", "genre", "album")
        }

    def describe(self, i: int) -> dict:
        """Display fields of row ``i``."""
        return {
            "id": self.ids[i],
            "title": self.text["title"][i],
            "artist": self.text["artist"][i],
            "album": self.text["album"][i],
            "bpm": round(float(self.raw["bpm"][i]), 1),
            "camelot": self.text["camelot"][i],
            "key": self.text["key"][i],
            "scale": self.text["scale"][i],
            "energy": round(float(self.pct[i, FEATURES.index("energy")]), 3),
            "duration": round(float(self.raw["duration"][i]), 1),
        }


def scaled(space: FeatureSpace, name: str, values) -> np.ndarray:
    """Column ``name`` on the scale ranking compares: calibrated, or a library percentile."""
    if name in ABSOLUTE:
        return np.clip(np.asarray(values, dtype=np.float32), 0.0, 1.0)
    return space.pct(name, values)


def catalog_row(doc: dict, embedding: np.ndarray | None) -> dict:
    """A ``Catalog.from_rows`` row from a stored track document (as plain dict)."""
    tags = doc.get("tags") or {}
    features = doc.get("features") or {}
    return {
        "id": doc["_id"],
        "title": tags.get("title") or doc["path"].rsplit("/", 1)[-1],
        "artist": tags.get("artist"),
        "album": tags.get("album"),
        "genre": tags.get("genre"),
        "fingerprint": doc.get("fingerprint"),
        "camelot": features.get("camelot"),
        "key": features.get("key"),
        "scale": features.get("scale"),
        "duration": doc.get("duration"),
        "features": features,
        "tags": doc.get("tag_scores") or {},
        "embedding": embedding,
    }


def _tag_matrix(rows: list[dict], tag_names: list[str]) -> np.ndarray:
    tags = np.zeros((len(rows), len(tag_names)), dtype=np.float32)
    for i, row in enumerate(rows):
        scores = row.get("tags") or {}
        tags[i] = [scores.get(name, 0.0) for name in tag_names]
    return tags


def _col(rows: list[dict], name: str, default: float) -> np.ndarray:
    values = []
    for row in rows:
        value = (row.get("features") or {}).get(name)
        values.append(default if value is None else value)
    return np.asarray(values, dtype=np.float32)


def _tag_columns(tags: np.ndarray, names: list[str]) -> dict[str, np.ndarray]:
    return {f"tag:{name}": tags[:, j] for j, name in enumerate(names)}
