"""Library search while typing: a word-prefix index over the built catalog, per process.

The index (``core.catalog.WordIndex``) is made once per catalog version (about a second at
100k tracks) and answers in well under a millisecond; tracks analysed since the last
catalog build are found after the next build (analysis schedules one).
"""

from __future__ import annotations

import threading

from core.catalog import WordIndex, catalog_words

MAX_RESULTS = 50
_lock = threading.Lock()
_cached: dict = {}


def word_index(catalog) -> WordIndex:
    """The index of ``catalog``, built on first use of each catalog version."""
    with _lock:
        if _cached.get("version") != catalog.version or _cached.get("size") != len(catalog):
            words = catalog_words(catalog.text, catalog.tags_pct, catalog.tag_names)
            index = WordIndex(words, order=catalog.text["title"])
            _cached.update(version=catalog.version, size=len(catalog), index=index)
        return _cached["index"]


def search(catalog, query: str, limit: int = MAX_RESULTS) -> dict:
    """``{"total", "tracks"}``: every track matching all words of ``query``, the first
    ``limit`` by title."""
    total, rows = word_index(catalog).search(query, limit)
    tracks = []
    for i in rows.tolist():
        item = catalog.describe(i)
        item["genre"] = catalog.text["genre"][i]
        tracks.append(item)
    return {"total": total, "tracks": tracks}
