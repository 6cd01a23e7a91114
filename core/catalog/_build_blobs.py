"""A built catalog and its FAISS index as a small manifest plus content-addressed blobs.

A build is stored as

- blocks of ``BLOCK_ROWS`` tracks, each one ``.npz`` blob holding that block's rows of
  every array (percentiles, tag percentiles, raw features, embeddings) and its ids and
  display text as JSON;
- for an HNSW index, the serialised graph cut into parts of at most ``MAX_BLOB`` bytes.
  A flat index is not stored at all: its content *is* ``track_vectors`` of the arrays,
  so it is rebuilt on load in milliseconds;
- a manifest (JSON: version, row count, tag names, percentile tables, index kind and
  norm bound, and the sha256 of every blob).

Blobs are named by their sha256, so a build that only appended tracks shares every
block but the last with the build before it: storing and fetching it moves only the
new blocks (plus, for HNSW, the graph). Where blobs live is not this module's
business (see ``core/catalog/_build_cache.py`` and ``models/index_build.py``).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable

import numpy as np

from core.catalog._catalog import TEXT_FIELDS, Catalog
from core.catalog._faiss_index import VectorIndex
from core.catalog._vectors import FeatureSpace, track_vectors

FORMAT = 2
BLOCK_ROWS = 4096
MAX_BLOB = 8 << 20  # a blob is one database document: well under MongoDB's 16 MB


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_index(catalog: Catalog) -> VectorIndex:
    """The feature index for ``catalog``."""
    return VectorIndex(track_vectors(catalog.pct, catalog.tags_pct))


def _arrays(catalog: Catalog) -> dict[str, np.ndarray]:
    arrays = {"pct": catalog.pct, "tags_pct": catalog.tags_pct}
    arrays.update({f"raw_{k}": v for k, v in catalog.raw.items()})
    if catalog.embeddings is not None:
        arrays["embeddings"] = catalog.embeddings
    return arrays


def _block(catalog: Catalog, arrays: dict[str, np.ndarray], lo: int, hi: int) -> bytes:
    text = {"ids": catalog.ids[lo:hi], "text": {k: v[lo:hi] for k, v in catalog.text.items()}}
    out = io.BytesIO()
    parts = {name: np.ascontiguousarray(a[lo:hi]) for name, a in arrays.items()}
    parts["text_json"] = np.frombuffer(json.dumps(text).encode(), dtype=np.uint8)
    np.savez(out, **parts)
    return out.getvalue()


def pack_build(
    catalog: Catalog, index: VectorIndex, block_rows: int = BLOCK_ROWS, max_blob: int = MAX_BLOB
) -> tuple[dict, dict[str, bytes]]:
    """``(manifest, {sha256: blob})`` for one build."""
    blobs: dict[str, bytes] = {}

    def put(data: bytes) -> str:
        key = sha256(data)
        blobs[key] = data
        return key

    arrays = _arrays(catalog)
    n = len(catalog)
    blocks = [put(_block(catalog, arrays, lo, min(lo + block_rows, n)))
              for lo in range(0, n, block_rows)]  # fmt: skip
    parts = []
    if not index.exact:
        graph = index.to_bytes()
        parts = [put(graph[lo : lo + max_blob]) for lo in range(0, len(graph), max_blob)]
    manifest = {
        "format": FORMAT,
        "version": catalog.version,
        "rows": n,
        "blocks": blocks,
        "tag_names": catalog.tag_names,
        "space": catalog.space.to_dict(),
        "index": {
            "kind": index.kind,
            "exact": index.exact,
            "max_norm": index.max_norm,
            "parts": parts,
        },
    }
    return manifest, blobs


def blob_keys(manifest: dict) -> list[str]:
    """Every blob a manifest needs."""
    return list(manifest["blocks"]) + list(manifest["index"]["parts"])


def unpack_build(manifest: dict, read: Callable[[str], bytes]) -> tuple[Catalog, VectorIndex]:
    """The catalog and index of ``manifest``; ``read(sha)`` gives a blob's bytes."""
    if manifest.get("format") != FORMAT:
        raise ValueError(f"unknown index format {manifest.get('format')!r}")
    columns: dict[str, list[np.ndarray]] = {}
    ids: list[str] = []
    text: dict[str, list] = {name: [] for name in TEXT_FIELDS}
    for key in manifest["blocks"]:
        with np.load(io.BytesIO(read(key))) as block:
            for name in block.files:
                if name != "text_json":
                    columns.setdefault(name, []).append(block[name])
            meta = json.loads(block["text_json"].tobytes())
        ids.extend(meta["ids"])
        for name in TEXT_FIELDS:
            text[name].extend(meta["text"].get(name, [None] * len(meta["ids"])))
    arrays = {name: np.concatenate(parts) for name, parts in columns.items()}
    n_tags = len(manifest["tag_names"])
    catalog = Catalog(
        ids=ids,
        text=text,
        raw={k[4:]: v for k, v in arrays.items() if k.startswith("raw_")},
        pct=arrays.get("pct", np.zeros((0, 5), dtype=np.float32)),
        tag_names=manifest["tag_names"],
        tags_pct=arrays.get("tags_pct", np.zeros((0, n_tags), dtype=np.float32)),
        embeddings=arrays.get("embeddings"),
        space=FeatureSpace.from_dict(manifest["space"]),
        version=manifest["version"],
    )
    spec = manifest["index"]
    if spec["exact"]:
        index = VectorIndex(track_vectors(catalog.pct, catalog.tags_pct), exact=True)
    else:
        graph = b"".join(read(key) for key in spec["parts"])
        index = VectorIndex.from_bytes(graph, spec["max_norm"])
    if index.size != len(catalog):
        raise ValueError(f"index has {index.size} rows, catalog {len(catalog)}")
    return catalog, index
