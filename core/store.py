"""Saving and loading a built catalog and its FAISS index under ``DATA_DIR``.

Layout: ``index/<version>/{catalog.npz, meta.json, features.faiss}`` plus
``index/current.json`` naming the active version. Readers reload when the
pointer changes, so web and worker processes pick up a rebuild by themselves.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import numpy as np

from core.catalog import TEXT_FIELDS, Catalog
from core.index import VectorIndex
from core.vectors import FeatureSpace, track_vectors

FORMAT = 1


def index_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "index"


def save(catalog: Catalog, index: VectorIndex, data_dir: Path, keep: int = 2) -> Path:
    """Write a version folder, then atomically point ``current.json`` at it."""
    root = index_dir(data_dir)
    folder = root / catalog.version
    tmp = root / f".{catalog.version}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    arrays = {"pct": catalog.pct, "tags_pct": catalog.tags_pct}
    arrays.update({f"raw_{k}": v for k, v in catalog.raw.items()})
    if catalog.embeddings is not None:
        arrays["embeddings"] = catalog.embeddings
    np.savez(tmp / "catalog.npz", **arrays)
    meta = {
        "format": FORMAT,
        "version": catalog.version,
        "ids": catalog.ids,
        "text": catalog.text,
        "tag_names": catalog.tag_names,
        "space": catalog.space.to_dict(),
        "index_kind": index.kind,
    }
    (tmp / "meta.json").write_text(json.dumps(meta))
    index.save(tmp / "features.faiss")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    pointer = root / ".current.json.tmp"
    pointer.write_text(json.dumps({"version": catalog.version}))
    os.replace(pointer, root / "current.json")
    _prune(root, keep, catalog.version)
    return folder


def _prune(root: Path, keep: int, current: str) -> None:
    folders = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
    )
    for old in folders[:-keep]:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)


def current_version(data_dir: Path) -> str | None:
    try:
        return json.loads((index_dir(data_dir) / "current.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def load(data_dir: Path, version: str) -> tuple[Catalog, VectorIndex]:
    """Read one saved version."""
    folder = index_dir(data_dir) / version
    meta = json.loads((folder / "meta.json").read_text())
    arrays = np.load(folder / "catalog.npz")
    raw = {k[4:]: arrays[k] for k in arrays.files if k.startswith("raw_")}
    text = {name: meta["text"].get(name, [None] * len(meta["ids"])) for name in TEXT_FIELDS}
    catalog = Catalog(
        ids=meta["ids"],
        text=text,
        raw=raw,
        pct=arrays["pct"],
        tag_names=meta["tag_names"],
        tags_pct=arrays["tags_pct"],
        embeddings=arrays["embeddings"] if "embeddings" in arrays.files else None,
        space=FeatureSpace.from_dict(meta["space"]),
        version=meta["version"],
    )
    return catalog, VectorIndex.load(folder / "features.faiss")


def build_index(catalog: Catalog) -> VectorIndex:
    """The feature index for ``catalog``."""
    return VectorIndex(track_vectors(catalog.pct, catalog.tags_pct))


class CatalogCache:
    """Per-process cache that reloads when ``current.json`` names a new version."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self._lock = threading.Lock()
        self._loaded: tuple[str, Catalog, VectorIndex] | None = None

    def get(self) -> tuple[Catalog, VectorIndex] | None:
        version = current_version(self.data_dir)
        if version is None:
            return None
        with self._lock:
            if self._loaded is None or self._loaded[0] != version:
                catalog, index = load(self.data_dir, version)
                self._loaded = (version, catalog, index)
            return self._loaded[1], self._loaded[2]
