"""Library browsing: prefix search over words, and sort keys for keyset pagination.

Pure code: ``models/track.py`` stores the sort keys, ``webapp/library`` asks the questions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np

from core.keys import compatible

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
    """Lower-case words of ``texts`` (the same split as ``core.tags.tokens``)."""
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
    """Rows findable by the prefixes of their words, in a sorted array (binary search)."""

    def __init__(self, row_words: Sequence[Iterable[str]]):
        pairs = sorted(
            (w.encode()[:WORD_BYTES], row) for row, ws in enumerate(row_words) for w in set(ws)
        )
        self.words = np.array([w for w, _ in pairs], dtype=f"S{WORD_BYTES}")
        self.rows = np.array([r for _, r in pairs], dtype=np.int64)
        self.size = len(row_words)

    def prefix_rows(self, prefix: str) -> np.ndarray:
        """Sorted rows with a word starting with ``prefix``."""
        p = prefix.encode()[:WORD_BYTES]
        lo = np.searchsorted(self.words, p, side="left")
        hi = np.searchsorted(self.words, p + b"\xff", side="left")
        return np.unique(self.rows[lo:hi])

    def search(self, query: str) -> np.ndarray:
        """Rows where every word of ``query`` starts one of the row's words (sorted)."""
        terms = words(query)[:8]
        if not terms:
            return np.array([], dtype=np.int64)
        # Longest words first: they select fewest rows, so the intersections stay small.
        found = None
        for term in sorted(terms, key=len, reverse=True):
            rows = self.prefix_rows(term)
            found = rows if found is None else np.intersect1d(found, rows, assume_unique=True)
            if not len(found):
                break
        return found


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
