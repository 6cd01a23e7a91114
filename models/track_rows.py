"""Tracks as plain rows (dicts keyed like the stored documents, ``_id`` for the id).

For pages and APIs that show many tracks at once: building MongoEngine documents for
hundreds of tracks took most of such a request's time, so these reads return the stored
fields only.
"""

from __future__ import annotations

from collections.abc import Iterable

from models.track import Track


def rows_by_id(track_ids: Iterable[str], *fields: str) -> dict[str, dict]:
    """``fields`` of each of ``track_ids`` that exists, by id (gone tracks included)."""
    found = Track.objects(id__in=list(set(track_ids))).only(*fields)
    return {row["_id"]: row for row in found.as_pymongo()}


def available_rows(*fields: str, order: tuple[str, ...] = ()) -> list[dict]:
    """``fields`` of every available track, in ``order`` when given."""
    found = Track.objects(available=True).only(*fields)
    return list((found.order_by(*order) if order else found).as_pymongo())


def known_ids(track_ids: Iterable[str]) -> set[str]:
    """Which of ``track_ids`` are tracks (available or not)."""
    return set(rows_by_id(track_ids, "id"))
