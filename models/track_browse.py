"""Reading the Library: keyset pages in any column's order, filters, artist and album lists.

Every sortable column has a unique, indexed sort key per track (``Track.sort_keys``, see
``core.catalog.sort_key``), so the page after a row is "keys greater than its key": one
index range read, as fast for the 500th page as for the first (``skip`` would walk every
earlier row). The keys are rewritten whenever a track's tags, features or status change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.catalog import CAMELOT_CODES, GONE, SHOWN, SORT_COLUMNS, compatible_keys
from models.track import Track, sort_keys_of, title_of

PAGE_SIZE = 50


def refresh_sort_keys(track_ids: Iterable[str]) -> None:
    """Recompute the sort keys of these tracks (after tags, features or status changed)."""
    ids = list(track_ids)
    for track in Track.objects(id__in=ids):
        Track.objects(id=track.id).update(set__sort_keys=sort_keys_of(track))


def fill_missing_sort_keys(batch: int = 500) -> int:
    """Give tracks stored before sort keys existed their keys; returns how many."""
    done = 0
    while True:
        ids = [t.id for t in Track.objects(__raw__={"sort_keys.title": {"$exists": False}})
               .only("id").limit(batch)]  # fmt: skip
        if not ids:
            return done
        refresh_sort_keys(ids)
        done += len(ids)


def filter_query(filters: dict) -> dict:
    """A raw query for the Library filters (all optional; availability is in the sort key):
    bpm_min/bpm_max, energy_min/energy_max (0-1), genre, decade (e.g. 1990), key (a Camelot
    code) with compatible=True to include the keys that mix with it."""
    query: dict = {}

    def between(field, low, high):
        bounds = {}
        if low is not None:
            bounds["$gte"] = low
        if high is not None:
            bounds["$lte"] = high
        if bounds:
            query[field] = bounds

    between("features.bpm", filters.get("bpm_min"), filters.get("bpm_max"))
    between("features.energy", filters.get("energy_min"), filters.get("energy_max"))
    if filters.get("genre"):
        query["tags.genre"] = filters["genre"]
    if filters.get("decade") is not None:
        between("tags.year", filters["decade"], filters["decade"] + 9)
    key = filters.get("key")
    if key in CAMELOT_CODES:
        keys = compatible_keys(key, CAMELOT_CODES) if filters.get("compatible") else [key]
        query["features.camelot"] = {"$in": keys}
    return query


ROW_FIELDS = ["path", "tags", "features", "duration", "analysis", "available",
              "sort_keys"]  # fmt: skip


class TrackRow(dict):
    """A stored track as the Library table reads it: ``row.tags.artist``, ``row.id``,
    ``row.display_title``; a field the document lacks reads as ``None``."""

    def __getattr__(self, name):
        value = self.get(name)
        return TrackRow(value) if isinstance(value, dict) else value

    @classmethod
    def of(cls, doc: dict) -> TrackRow:
        row = cls(doc, id=doc["_id"])
        row["display_title"] = title_of(doc.get("tags"), row.path)
        return row


def page(column: str = "artist", descending: bool = False, after: str | None = None,
         before: str | None = None, filters: dict | None = None,
         size: int = PAGE_SIZE) -> tuple[list[TrackRow], bool]:  # fmt: skip
    """One page of tracks in ``column`` order, starting after the key ``after`` (or ending
    before ``before``); returns the tracks and whether more follow in that direction."""
    if column not in SORT_COLUMNS:
        raise ValueError(f"not a sortable column: {column}")
    field = f"sort_keys.{column}"
    backwards = before is not None
    forward_desc = descending != backwards  # walking back = the other direction, reversed
    # Available tracks only (SHOWN <= key < GONE), strictly past the cursor: one index range.
    bounds = {"$gte": SHOWN, "$lt": GONE}
    cursor = before if backwards else after
    if cursor is not None:
        if forward_desc:
            bounds["$lt"] = min(cursor, GONE)
        else:
            bounds["$gt"] = cursor
    query = {**filter_query(filters or {}), field: bounds}
    # Raw documents as light rows: building Track objects costs more than the read itself.
    docs = (
        Track._get_collection()
        .find(query, ROW_FIELDS)
        .sort(field, -1 if forward_desc else 1)
        .limit(size + 1)
    )
    rows = [TrackRow.of(doc) for doc in docs]
    more = len(rows) > size
    rows = rows[:size]
    return (rows[::-1] if backwards else rows), more


def by_artist(artist: str) -> list[Track]:
    """An artist's tracks, album by album, each in track order."""
    rows = list(Track.objects(available=True, tags__artist=artist).exclude("tag_scores")[:2000])
    return sorted(rows, key=_album_order)


def album(artist: str, name: str) -> list[Track]:
    """The tracks of one album (by album artist or artist), in track order."""
    rows = [t for t in by_artist(artist) if (t.tags.album or "") == name]
    return sorted(rows, key=_album_order)


def _album_order(t: Track):
    return ((t.tags.album or "").casefold(), t.tags.track_no or 0, t.display_title.casefold())


def word_prefix_matches(words: list[str], limit: int = 25) -> list[Track]:
    """Available tracks with a stored word starting with each of ``words`` (lower case)."""
    # Words are stored normalised in ``search_text``; a raw, escaped prefix match per word
    # avoids MongoEngine regex lookups (docs/data-layer.md, rule 2).
    clauses = [{"search_text": {"$regex": "(^| )" + re.escape(w)}} for w in words]
    return list(Track.objects(available=True, __raw__={"$and": clauses}).limit(limit))
