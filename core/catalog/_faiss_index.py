"""FAISS index over track vectors: exact (flat) up to ``EXACT_LIMIT`` rows, HNSW above."""

from __future__ import annotations

import numpy as np

# Exact up to a million tracks: measured at 100k (bench.mood_e2e, docs/benchmarks.md), a
# flat search of these ~60-d vectors took about 1 ms, no slower than HNSW, while HNSW's
# recall@400 was 0.83 and its playlists shared only 37 % of their tracks with exact ones.
EXACT_LIMIT = 1_000_000
HNSW_NEIGHBOURS = 32


class VectorIndex:
    """Inner-product search returning row numbers.

    HNSW graphs are built for distances, not inner products, so the
    approximate index searches augmented vectors ``[x, sqrt(M^2 - |x|^2)]``
    with queries ``[q, 0]``: the nearest in L2 is then the largest ``x . q``.

    Args:
        vectors: (n, d) float32 rows.
        exact: force a flat (exact) index; default is exact up to ``EXACT_LIMIT`` rows.
    """

    def __init__(self, vectors: np.ndarray, exact: bool | None = None, ef_search: int = 128):
        import faiss

        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.dim = vectors.shape[1]
        self.size = vectors.shape[0]
        self.ef_search = ef_search
        self.exact = self.size <= EXACT_LIMIT if exact is None else exact
        if self.exact:
            self.index = faiss.IndexFlatIP(self.dim)
        else:
            self.index = faiss.IndexHNSWFlat(self.dim + 1, HNSW_NEIGHBOURS)
            self.index.hnsw.efConstruction = 80
            self.index.hnsw.efSearch = ef_search
        self.max_norm = float(np.linalg.norm(vectors, axis=1).max()) if self.size else 1.0
        if self.size:
            self.index.add(self._augment(vectors))

    @property
    def kind(self) -> str:
        return "flat-ip" if self.exact else f"hnsw{HNSW_NEIGHBOURS}-l2-mips"

    def _augment(self, vectors: np.ndarray) -> np.ndarray:
        if self.exact:
            return vectors
        norms = np.linalg.norm(vectors, axis=1)
        extra = np.sqrt(np.maximum(self.max_norm**2 - norms**2, 0.0))[:, None]
        return np.ascontiguousarray(np.hstack([vectors, extra]), dtype=np.float32)

    def add(self, vectors: np.ndarray) -> None:
        """Append rows (an incremental update after new analyses)."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if not self.exact and np.linalg.norm(vectors, axis=1).max() > self.max_norm:
            raise ValueError("new rows exceed the index's norm bound: rebuild instead")
        self.index.add(self._augment(vectors))
        self.size += vectors.shape[0]

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` rows by inner product: ``(rows, scores)``; rows are -1 past the end."""
        k = max(1, min(k, self.size))
        query = np.asarray(query, dtype=np.float32).reshape(1, -1)
        if not self.exact:
            # The graph search keeps efSearch candidates: it must be at least k.
            self.index.hnsw.efSearch = max(self.ef_search, k)
            query = np.hstack([query, np.zeros((1, 1), dtype=np.float32)])
        scores, rows = self.index.search(query, k)
        keep = rows[0] >= 0
        if not self.exact:  # turn distances back into inner products
            q2 = float((query**2).sum())
            scores = (self.max_norm**2 + q2 - scores) / 2
        return rows[0][keep], scores[0][keep]

    def to_bytes(self) -> bytes:
        """The FAISS index serialised (with ``max_norm`` it is all ``from_bytes`` needs)."""
        import faiss

        return faiss.serialize_index(self.index).tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, max_norm: float, ef_search: int = 128) -> VectorIndex:
        import faiss

        obj = cls.__new__(cls)
        obj.index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
        obj.dim, obj.size = obj.index.d, obj.index.ntotal
        obj.ef_search = ef_search
        obj.exact = isinstance(obj.index, faiss.IndexFlat)
        if not obj.exact:
            obj.dim -= 1
            obj.index.hnsw.efSearch = ef_search
        obj.max_norm = float(max_norm)
        return obj


def set_threads(n: int = 1) -> None:
    """One thread per query: with two, single queries slow down when the other core is busy."""
    import faiss

    faiss.omp_set_num_threads(n)
