"""Library browsing: prefix search over words, and sort keys for keyset pagination.

Pure code: ``models/track.py`` stores the sort keys, ``webapp/library`` asks the questions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np

from core.analysis import compatible

WORD_BYTES = 32  # longer words are cut: a prefix of 32 bytes is specific enough
_WORD = re.compile(r"\w+")

# Sortable columns: name -> kind. Text sorts case-blind, numbers numerically; a missing value
# sorts after every present one (so last going up, first going down).
SORT_COLUMNS = {
    "title": "text", "artist": "text", "album": "text", "genre": "text", "year": "number",
    "bpm": "number", "key": "text", "energy": "number", "brightness": "number",
    "danceability": "number", "loudness": "number", "duration": "number", "status": "text",
}  # fmt: skip
_SEP = "\x01"  # below every printable character: "abc" + SEP + id sorts before "abcd" + ...
_MISSING = "\U0010fffd"  # above every character a title can start with
# Keys of tracks on disk start with SHOWN, of vanished files with GONE: one index range
# ("SHOWN" <= key < "GONE") lists exactly the available tracks.
SHOWN, GONE = "1", "2"
_NUMBER_OFFSET = 1000.0  # loudness is negative (LUFS): shift so the text form stays ordered


def words(*texts: str | None) -> list[str]:
    """Lower-case words of ``texts`` (the same split as ``core.files.tokens``)."""
    found = set()
    for text in texts:
        found.update(_WORD.findall((text or "").lower()))
    return sorted(found)


def sort_key(kind: str, value, track_id: str, available: bool = True) -> str:
    """A string that orders rows by ``value`` and then by id: unique, so a page can start
    strictly after the last row of the previous one."""
    if value is None or value == "":
        text = _MISSING
    elif kind == "number":
        text = f"{float(value) + _NUMBER_OFFSET:016.4f}"
    else:
        text = str(value).casefold()[:60]
    return f"{SHOWN if available else GONE}{text}{_SEP}{track_id}"


class WordIndex:
    """Rows findable by the prefixes of their words, in a sorted array (binary search).

    ``order`` (one string per row, e.g. titles) ranks the answers; rows keep their
    position otherwise.
    """

    def __init__(self, row_words: Sequence[Iterable[str]], order: Sequence[str] | None = None):
        flat_words, flat_rows = [], []
        for row, ws in enumerate(row_words):
            for w in set(ws):
                flat_words.append(w.encode()[:WORD_BYTES])
                flat_rows.append(row)
        all_words = np.array(flat_words, dtype=f"S{WORD_BYTES}")
        by_word = np.argsort(all_words, kind="stable")
        self.words = all_words[by_word]
        self.rows = np.array(flat_rows, dtype=np.int64)[by_word]
        self.size = len(row_words)
        self.rank = np.arange(self.size)
        if order is not None and self.size:
            names = np.array([(o or "").casefold() for o in order])
            self.rank[np.argsort(names, kind="stable")] = np.arange(self.size)

    def _prefix_mask(self, prefix: str) -> np.ndarray:
        p = prefix.encode()[:WORD_BYTES]
        lo = np.searchsorted(self.words, p, side="left")
        hi = np.searchsorted(self.words, p + b"\xff", side="left")
        mask = np.zeros(self.size, dtype=bool)
        mask[self.rows[lo:hi]] = True
        return mask

    def prefix_rows(self, prefix: str) -> np.ndarray:
        """Sorted rows with a word starting with ``prefix``."""
        return np.flatnonzero(self._prefix_mask(prefix))

    def search(self, query: str, limit: int | None = None) -> tuple[int, np.ndarray]:
        """How many rows have, for every word of ``query``, a word starting with it; and the
        first ``limit`` of them by ``order`` (all of them when ``limit`` is None)."""
        terms = words(query)[:8]
        if not terms or not self.size:
            return 0, np.array([], dtype=np.int64)
        found = self._prefix_mask(terms[0])
        for term in terms[1:]:
            found &= self._prefix_mask(term)
        rows = np.flatnonzero(found)
        total = len(rows)
        if limit is not None and total > limit:
            rows = rows[np.argpartition(self.rank[rows], limit)[:limit]]
        return total, rows[np.argsort(self.rank[rows], kind="stable")]


def catalog_words(text: dict, tags_pct, tag_names: Sequence[str], top: float = 0.9) -> list:
    """Each catalog row's searchable words: title, artist, album, genre and its strongest
    musicnn tags (those in the library's top ``1 - top`` for the tag)."""
    tag_words = [words(name) for name in tag_names]
    out = []
    for i in range(len(text["title"])):
        row = words(text["title"][i], text["artist"][i], text["album"][i], text["genre"][i])
        if tags_pct is not None and len(tag_names):
            for j in np.flatnonzero(tags_pct[i] >= top):
                row.extend(tag_words[j])
        out.append(row)
    return out


def compatible_keys(code: str, all_codes: Iterable[str]) -> list[str]:
    """Camelot codes that mix with ``code`` (itself, ±1 on the wheel, relative major/minor)."""
    return [c for c in all_codes if c == code or compatible(code, c)]


CAMELOT_CODES = [f"{n}{m}" for n in range(1, 13) for m in ("A", "B")]
