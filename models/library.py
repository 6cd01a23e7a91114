"""What one person's relationship with a track is."""

from __future__ import annotations

from mongoengine import (
    BooleanField,
    DateTimeField,
    IntField,
    ReferenceField,
)

from models.base import BaseDocument
from models.track import Track
from models.user import User


class UserLibrary(BaseDocument):
    """Per user and track: likes, rating and listening counts."""

    meta = {
        "collection": "user_library",
        "indexes": [
            {"fields": ["user", "track"], "unique": True},
            ("user", "-last_heard"),
        ],
    }

    user = ReferenceField(User, required=True)
    track = ReferenceField(Track, required=True)
    liked = BooleanField(null=True)
    rating = IntField(min_value=0, max_value=5, null=True)
    play_count = IntField(default=0)
    skip_count = IntField(default=0)
    last_heard = DateTimeField(null=True)
    # When a Subsonic client starred the track (ms since the epoch); cleared by unstar.
    starred_ms = IntField(null=True)

    @classmethod
    def rows_of(cls, user_id: str) -> list[dict]:
        """Every row of one person as plain dicts (``track`` is the track id)."""
        return list(cls.objects(user=user_id).as_pymongo())

    @classmethod
    def rows_for(cls, user_id: str, track_ids: list[str]) -> dict[str, dict]:
        """One person's rows for ``track_ids`` as plain dicts, by track id."""
        rows = cls.objects(user=user_id, track__in=track_ids).as_pymongo()
        return {row["track"]: row for row in rows}

    @classmethod
    def popularity(cls, track_ids: list[str]) -> dict[str, float]:
        """Everyone's plays of each track, a like counting as two plays."""
        plays: dict[str, float] = dict.fromkeys(track_ids, 0.0)
        rows = cls.objects(track__in=track_ids).only("track", "play_count", "liked")
        for row in rows.as_pymongo():
            plays[row["track"]] += (row.get("play_count") or 0) + 2 * bool(row.get("liked"))
        return plays

    @classmethod
    def starred_track_ids(cls, user_id: str) -> list[str]:
        """The tracks a Subsonic client starred for this person, newest first."""
        rows = cls.objects(user=user_id, starred_ms__gt=0).order_by("-starred_ms").only("track")
        return [r["track"] for r in rows.as_pymongo()]
