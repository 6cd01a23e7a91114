"""Each process's copy of the current catalog build: in memory, and on disk as a cache.

The source of truth is an ``IndexSource`` (the database: ``models/index_build.py``).
Before answering, ``CatalogCache.get`` asks it which build is current (one small
query); a process holding that build answers from memory, otherwise it loads it,
reading blobs from ``DATA_DIR/index/blobs/<sha256>`` when present and fetching the
others from the source (checked against their sha256, then written to disk). The
folder is only a cache: delete it at any time and the next ``get`` fetches once and
answers the same. Several processes may share one folder (every write is atomic).
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import uuid
from pathlib import Path
from typing import Protocol

from core.catalog._build_blobs import blob_keys, sha256, unpack_build
from core.catalog._catalog import Catalog
from core.catalog._faiss_index import VectorIndex


class IndexSource(Protocol):
    def latest(self) -> str | None:
        """The current build's version, or ``None`` before the first build."""

    def manifest(self, version: str) -> dict | None:
        """That build's manifest, or ``None`` when it no longer exists."""

    def blob(self, key: str) -> bytes:
        """A blob's bytes; ``LookupError`` when it no longer exists."""


class CatalogCache:
    """The current ``(catalog, index)`` of one process."""

    def __init__(self, data_dir: Path, source: IndexSource):
        self.root = Path(data_dir) / "index"
        self.source = source
        self.fetched = 0  # blobs fetched from the source since start (tests, benchmarks)
        self._lock = threading.Lock()
        self._loaded: tuple[str, Catalog, VectorIndex] | None = None

    def get(self) -> tuple[Catalog, VectorIndex] | None:
        """The current build, loading it first when this process does not hold it."""
        for _attempt in range(3):  # a build pruned while we load it: take the newer one
            version = self.source.latest()
            if version is None:
                return None
            with self._lock:
                loaded = self._loaded
                if loaded and loaded[0] == version and self._manifest_path(version).exists():
                    return loaded[1], loaded[2]
                try:
                    catalog, index = self._load(version)
                except LookupError:
                    continue
                self._loaded = (version, catalog, index)
                return catalog, index
        raise LookupError("the current index build kept disappearing while loading it")

    def remember(self, manifest: dict, blobs: dict[str, bytes], catalog, index) -> None:
        """Keep a build this process just made (no fetch needed afterwards)."""
        with self._lock:
            for key, data in blobs.items():
                self._write(self._blob_path(key), data)
            self._write(self._manifest_path(manifest["version"]), json.dumps(manifest).encode())
            self._loaded = (manifest["version"], catalog, index)
            self._prune(manifest)

    def _load(self, version: str) -> tuple[Catalog, VectorIndex]:
        path = self._manifest_path(version)
        try:
            manifest = json.loads(path.read_text())
        except (OSError, ValueError):
            manifest = self.source.manifest(version)
            if manifest is None:
                raise LookupError(version) from None
        catalog, index = unpack_build(manifest, self._read)
        self._write(path, json.dumps(manifest).encode())
        self._prune(manifest)
        return catalog, index

    def _read(self, key: str) -> bytes:
        path = self._blob_path(key)
        with contextlib.suppress(OSError):
            return path.read_bytes()
        data = self.source.blob(key)
        if sha256(data) != key:
            raise ValueError(f"index blob {key} arrived corrupted")
        self.fetched += 1
        self._write(path, data)
        return data

    def _blob_path(self, key: str) -> Path:
        return self.root / "blobs" / key

    def _manifest_path(self, version: str) -> Path:
        return self.root / "builds" / f"{version}.json"

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)

    def _prune(self, manifest: dict) -> None:
        """Drop cached builds and blobs the current build does not use."""
        keep = set(blob_keys(manifest))
        current = f"{manifest['version']}.json"
        for folder, wanted in ((self.root / "blobs", keep), (self.root / "builds", {current})):
            with contextlib.suppress(OSError):
                for path in folder.iterdir():
                    if path.name not in wanted and not path.name.startswith("."):
                        path.unlink(missing_ok=True)
