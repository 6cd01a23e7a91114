"""The catalog: the library as arrays, its FAISS index, stored builds and the
per-process cache of the current build, browsing keys and similarity.

Built from plain dicts, so ``core`` never touches the database.
"""

from core.catalog._browse import (
    CAMELOT_CODES,
    GONE,
    SHOWN,
    SORT_COLUMNS,
    WordIndex,
    catalog_words,
    compatible_keys,
    sort_key,
    words,
)
from core.catalog._build_blobs import blob_keys, build_index, pack_build, unpack_build
from core.catalog._build_cache import CatalogCache, IndexSource
from core.catalog._catalog import ABSOLUTE, Catalog, catalog_row
from core.catalog._faiss_index import VectorIndex, set_threads
from core.catalog._similarity import bridge, more_like, similar_tracks
from core.catalog._sonic import sonic_path, sonic_similar
from core.catalog._vectors import FEATURES, FeatureSpace, query_vector, track_vectors

__all__ = [
    "ABSOLUTE",
    "CAMELOT_CODES",
    "FEATURES",
    "GONE",
    "SHOWN",
    "SORT_COLUMNS",
    "Catalog",
    "CatalogCache",
    "FeatureSpace",
    "IndexSource",
    "VectorIndex",
    "WordIndex",
    "blob_keys",
    "bridge",
    "build_index",
    "catalog_row",
    "catalog_words",
    "compatible_keys",
    "more_like",
    "pack_build",
    "query_vector",
    "set_threads",
    "similar_tracks",
    "sonic_path",
    "sonic_similar",
    "sort_key",
    "track_vectors",
    "unpack_build",
    "words",
]
